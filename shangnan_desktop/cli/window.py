"""Opening the window from the command line: ``shangnan-desktop`` without a subcommand.

Kept apart from the command groups so that opening the window imports none of them (issue 18).
"""

from __future__ import annotations

from typing import Sequence

GUI_MODULE = "shangnan_desktop.ui.app"
NOT_WINDOW = object()


def window_only_db(argv: Sequence[str]):
    """The ``--db`` path (or None) if ``argv`` asks only for the window; ``NOT_WINDOW`` for anything else
    (a subcommand, --help, --version, a mistake), which the full parser handles and explains."""
    args = list(argv)
    if not args:
        return None
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > len("--db="):
        return args[0][len("--db="):]
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return args[1]
    return NOT_WINDOW


def run_window(db) -> int | None:
    """Open the window; its exit status, or None in a build without the window (the caller prints the
    command line's help). The only place the command line reaches the window: by module name, at run
    time, so the command line never imports the UI (nor Qt) and the layers stay ordered."""
    import importlib
    import importlib.util
    from pathlib import Path

    if importlib.util.find_spec(GUI_MODULE) is None:
        return None
    return importlib.import_module(GUI_MODULE).run(Path(db) if db is not None else None)
