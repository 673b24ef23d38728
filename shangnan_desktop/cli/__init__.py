"""The command line: the same use cases as the window (through ``app``), for scripts and for checking.

``parser`` (Chinese argparse), ``common`` (shared helpers), one module per command group: ``counts``
(init, periods, show, set, new-period, summary), ``register`` (register show/set/contact), ``exchange``
(export, import, register import), ``safety`` (backup, audit); ``commands`` builds the parser and runs one command.

This package's own module imports nothing of them: ``shangnan-desktop`` without a subcommand (only an
optional ``--db PATH``) opens the window straight away, without importing the command groups and their
reports (about 40 ms of a start-up that should be within twice a bare Qt window; issue 18).
"""

from __future__ import annotations

import sys
from typing import Sequence

from shangnan_desktop.cli.window import NOT_WINDOW, run_window, window_only_db

__all__ = ["CliError", "build_parser", "main", "window_only_db"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``shangnan-desktop``: one subcommand, or the window without one."""
    db = window_only_db(sys.argv[1:] if argv is None else argv)
    if db is not NOT_WINDOW:
        status = run_window(db)
        if status is not None:
            return status
    from shangnan_desktop.cli.commands import main as run_command

    return run_command(argv)


def __getattr__(name: str):
    if name == "CliError":
        from shangnan_desktop.cli.common import CliError

        return CliError
    if name == "build_parser":
        from shangnan_desktop.cli.commands import build_parser

        return build_parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
