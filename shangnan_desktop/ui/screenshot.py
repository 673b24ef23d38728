"""Renders the main window offscreen to a PNG (docs/screenshot-main.png): ``python -m shangnan_desktop.ui.screenshot``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


def render(out: Path, *, period: str = "2021Q2", width: int = 1280, height: int = 800) -> Path:
    """The window on a fresh reference database, with the bundled font so it looks the same on every machine."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from shangnan_desktop.domain import Period
    from shangnan_desktop.app.workspace import workspace
    from shangnan_desktop.ui.app import create_application
    from shangnan_desktop.ui.main_window import MainWindow

    app = create_application(font_mode="bundled")
    with tempfile.TemporaryDirectory() as folder:
        with workspace(Path(folder) / "shangnan.sqlite3") as store:
            settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(store, settings)
            window.resize(width, height)
            window.show()
            window.show_period(Period.parse(period))
            window.views[0].setFocus()
            for _ in range(10):
                app.processEvents()
            window._default_splitter_sizes()
            for _ in range(5):
                app.processEvents()
            out.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(out)):
                raise OSError(f"cannot write {out}")
            window.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the main window to a PNG file.")
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/screenshot-main.png"))
    parser.add_argument("--period", default="2021Q2")
    parser.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    print(render(args.out, period=args.period, width=width, height=height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
