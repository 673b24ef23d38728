#!/usr/bin/env python3
"""Renders the window's 通报 tab at 1366 × 768 (the clerk's laptop) to docs/notice/screen-1366x768-notice-tab.png.

Usage (from the repository root):  QT_QPA_PLATFORM=offscreen python docs/notice/make_tab_picture.py [OUT.png]
A fresh reference database, the bundled font (the same picture on every machine), the page preview waited for.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "screen-1366x768-notice-tab.png"
    from PySide6.QtCore import QSettings

    from shangnan_desktop.app.workspace import Store
    from shangnan_desktop.ui.app import create_application
    from shangnan_desktop.ui.main_window import MainWindow

    app = create_application(font_mode="bundled")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "shangnan.sqlite3")
        window = MainWindow(store, QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat))
        window.resize(1366, 768)
        window.show()
        window.tabs.setCurrentIndex(window.notice_index)
        deadline = time.monotonic() + 20
        while window.notice.pdf_data is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(10):
            app.processEvents()
        if not window.grab().save(str(out)):
            raise OSError(f"cannot write {out}")
        window.close()
        store.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
