"""The command line: the same use cases as the window (through ``app``), for scripts and for checking.

``parser`` (Chinese argparse), ``common`` (shared helpers), one module per command group: ``counts``
(init, periods, show, set, new-period, summary), ``register`` (register show/set/contact), ``exchange``
(export, import, register import), ``safety`` (backup, audit); ``main`` builds the parser and runs one command.
"""

from shangnan_desktop.cli.common import CliError
from shangnan_desktop.cli.main import build_parser, main

__all__ = ["CliError", "build_parser", "main"]
