#!/usr/bin/env python3
"""Regenerates the window pictures in docs/history/: the 上期排名/变化 columns, the score chart and a unit's
history, on five quarters (2021Q1-2022Q1) made from the reference notice with bench/history_bench.py's
deterministic variation.

Usage (from the repository root):
    QT_QPA_PLATFORM=offscreen python docs/history/make_window_pictures.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.history_bench import make_history_db
    from PySide6.QtCore import QSettings

    from shangnan_desktop.domain import Period
    from shangnan_desktop.storage import Store
    from shangnan_desktop.ui.app import create_application
    from shangnan_desktop.ui.main_window import MainWindow

    app = create_application(font_mode="bundled")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[var] = str(tmp_path / var.lower())
        db = make_history_db(tmp_path / "history.db", years=2)
        store = Store.open(db)
        try:
            settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(store, settings)
            window.resize(1366, 768)
            window.show()
            window.show_period(Period(2021, "Q", 3))
            window.rank_order_action.trigger()
            window.history.compare_action.trigger()
            for _ in range(10):
                app.processEvents()
            window._default_splitter_sizes()
            for _ in range(5):
                app.processEvents()
            window.grab().save(str(HERE / "window-compare-columns.png"))

            chart = window.history.open_chart()
            chart.tabs.setCurrentIndex(1)
            for _ in range(5):
                app.processEvents()
            chart.grab().save(str(HERE / "window-score-chart.png"))
            chart.close()

            dialog = window.history.open_history(store.find_unit("县文旅局").id)
            dialog.resize(860, 720)
            for _ in range(5):
                app.processEvents()
            dialog.grab().save(str(HERE / "window-unit-history.png"))
            dialog.close()
            window.close()
        finally:
            store.close()
    print("\n".join(str(p) for p in sorted(HERE.glob("window-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
