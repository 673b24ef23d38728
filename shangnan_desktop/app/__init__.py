"""The application layer: one use case per user action, called by the window and the command line alike.

Plain Python, no Qt. It reads and writes through ``storage`` and renders through ``reports``; ``ui`` and
``cli`` call only this layer and ``domain``. Importing it installs storage's "never write over the
database, its side files or a backup" check into every file the reports write.
"""

from shangnan_desktop.reports.safe_write import add_target_guard
from shangnan_desktop.storage.protect import protected_reason

add_target_guard(protected_reason)
