"""PySide6 user interface: windows, table models, delegates, dialogs.

The plain-Python layers the window opens with are imported here, before any Qt module: once PySide6 is
imported, its import hook reads the source of every module imported after it, looking for the word
"PySide6" (``shibokensupport.feature``, PYSIDE-2029), about 0.1 ms a module, some 10 ms of start-up.
"""

import shangnan_desktop.app.counts  # noqa: F401
import shangnan_desktop.app.units  # noqa: F401
import shangnan_desktop.app.workspace  # noqa: F401
import shangnan_desktop.paths  # noqa: F401
