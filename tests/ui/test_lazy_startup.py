"""Start-up does only what the first screen needs (issue 18): the other tabs, export/print/import and the
command groups are loaded on first use, and each still works the first time it is used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from shangnan_desktop.cli import window_only_db
from tests.ui.helpers import click_cell, stored_counts

ROOT = Path(__file__).resolve().parents[2]

# What a fresh process has imported once the window is shown (run in a child: this test process has
# imported everything already).
PROBE = r"""
import json, sys
from pathlib import Path
from shangnan_desktop.ui import app as ui_app
app = ui_app.create_application()
store = ui_app.open_store(Path(sys.argv[1]))
from shangnan_desktop.ui.main_window import MainWindow
window = MainWindow(store)
window.show()
app.processEvents()
loaded = sorted(m for m in sys.modules if m.startswith("shangnan_desktop") or m in ("openpyxl", "reportlab"))
print(json.dumps({"loaded": loaded, "tabs": [window.tabs.tabText(i) for i in range(window.tabs.count())],
                  "file": [a.text() for a in window.file_menu.actions() if a.text()],
                  "enabled": [a.isEnabled() for a in window.file_actions.values()]}))
window.close()
store.close()
"""


def test_the_window_opens_without_the_other_tabs_or_the_reports(tmp_path):
    from shangnan_desktop.storage import Store

    db = tmp_path / "data.sqlite3"
    Store.open(db).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # the user folders are the test's own (conftest)
    out = subprocess.run([sys.executable, "-c", PROBE, str(db)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = set(result["loaded"])
    assert "shangnan_desktop.ui.main_window" in loaded and "shangnan_desktop.ui.sheet_view" in loaded
    for lazy in ("shangnan_desktop.ui.register_tab", "shangnan_desktop.ui.ledger_tab", "shangnan_desktop.ui.notice_tab",
                 "shangnan_desktop.ui.report_actions", "shangnan_desktop.app.exports", "shangnan_desktop.app.ledger",
                 "shangnan_desktop.app.history", "shangnan_desktop.reports.ledger_import", "shangnan_desktop.cli.commands",
                 "openpyxl", "reportlab"):
        assert lazy not in loaded, lazy
    # the clerk still sees every tab and every 文件 entry, ready to use
    assert result["tabs"] == ["信息报送统计", "网站管理责任人登记（附件3）", "台账", "通报"]
    assert all(result["enabled"])
    assert "导出附件(&E)…" in result["file"] and "导入Excel表(&I)…" in result["file"]


def test_each_tab_is_built_when_first_shown_and_works(window, qtbot, store):
    assert window.built_tabs() == []
    window.tabs.setCurrentIndex(window.register_index)
    assert window.built_tabs() == [window.register] and window.register.isVisible()  # shown at once, no blank page
    assert window.register.model.rowCount() > 0
    window.tabs.setCurrentIndex(window.ledger_index)
    assert window.ledger.isVisible() and window.ledger.unit.count() > 0
    window.tabs.setCurrentIndex(window.notice_index)
    assert window.notice.isVisible() and window.notice.period == window.controller.period
    assert len(window.built_tabs()) == 3
    window.tabs.setCurrentIndex(0)
    # a tab built once is kept, not built again
    tabs = window.built_tabs()
    window.tabs.setCurrentIndex(window.ledger_index)
    assert window.built_tabs() == tabs


def test_looking_up_a_units_items_builds_the_ledger_tab_filtered_to_the_unit(window, qtbot, store):
    unit = store.find_unit("试马镇", store.latest_period()).id
    assert window.built_tabs() == []
    window.controller.ledgerRequested.emit(unit)  # 查看台账 on the unit's row, before the tab was ever opened
    assert window.tabs.currentIndex() == window.ledger_index
    assert window.ledger.unit.currentText() == "试马镇"


def test_the_first_export_entry_builds_the_report_actions(window, qtbot, monkeypatch):
    from shangnan_desktop.ui import report_actions

    opened = []
    monkeypatch.setattr(report_actions.ReportActions, "export", lambda self: opened.append(self))
    assert window._reports is None
    window.file_actions["export"].trigger()
    assert len(opened) == 1 and opened[0] is window.reports
    window.file_actions["export"].trigger()
    assert opened == [window.reports, window.reports]  # one ReportActions for the window


def test_typing_before_any_other_tab_is_built_is_saved(window, qtbot, store):
    view = window.views[0]
    click_cell(qtbot, view, 0, 1)
    name = view.model().index(0, 0).data()
    qtbot.keyClicks(view, "70")  # opens the cell's editor, as a key does in Excel (70 ≥ the adopted count)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert stored_counts(store.path, store.latest_period().key, name)[0] == 70
    assert window.built_tabs() == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--db", "x.sqlite3"], "x.sqlite3"),
        (["--db=数据 2021.sqlite3"], "数据 2021.sqlite3"),
    ],
)
def test_only_an_optional_db_goes_straight_to_the_window(argv, expected):
    assert window_only_db(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [["--db"], ["--db="], ["--db", "--help"], ["--help"], ["--version"], ["show"], ["--db", "x", "show"],
     ["x.sqlite3"], ["--db", ""]],
)
def test_anything_else_goes_to_the_command_parser(argv):
    assert window_only_db(argv) is not None and not isinstance(window_only_db(argv), str)


def test_the_command_line_still_explains_a_missing_db_path():
    out = subprocess.run([sys.executable, "-m", "shangnan_desktop", "--db"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 2
    assert "--db" in out.stderr and "需要给出一个值" in out.stderr


def test_a_tab_built_after_the_quarter_was_locked_is_locked_too(window, qtbot):
    window.controller.set_locked(True)  # 定稿 before the 台账 and 通报 tabs were ever opened
    window.tabs.setCurrentIndex(window.ledger_index)
    assert not window.ledger.add_button.isEnabled() and not window.ledger.import_button.isEnabled()
    window.tabs.setCurrentIndex(window.notice_index)
    assert window.notice._frozen(window.controller.period)
    assert not window.notice.insert_box.isEnabled()


def test_locking_the_quarter_while_a_tab_is_open_makes_it_read_only_at_once(window, qtbot):
    window.tabs.setCurrentIndex(window.ledger_index)
    assert window.ledger.add_button.isEnabled()
    window.toggle_lock()  # 定稿 from the menu while the 台账 is shown
    assert not window.ledger.add_button.isEnabled()
    window.tabs.setCurrentIndex(window.notice_index)
    window.controller.set_locked(False)
    assert not window.notice.title.isReadOnly() and window.notice.insert_box.isEnabled()
    window.controller.set_locked(True)  # 定稿 while the 通报 is shown
    assert window.notice.title.isReadOnly() and not window.notice.insert_box.isEnabled()
