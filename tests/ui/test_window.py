"""The window around the tables: summary, the centre's count, rank order, settings, menus, about box."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from shangnan_desktop.domain import Period
from tests.ui.helpers import click_cell, from_disk, shown, view_row

Q2 = Period.parse("2021Q2")


def test_summary_shows_the_notice_figures_and_follows_edits(qtbot, window):
    s = window.summary
    assert s.grid_text() == [
        ["分组", "单位数", "报送信息", "采用信息", "零报送"],
        ["镇办", "10", "132", "107", "0"],
        ["县直部门", "52", "528", "439", "16"],
        ["合计", "62", "660", "546", "16"],
    ]
    assert s.zero_title.text() == "零报送单位（16个）："
    assert s.zero_names.text().startswith("县发改局、县税务局、")
    assert s.centre_edit.text() == "1769"
    assert s.total_published.text() == "共发布各类信息：2315条"

    dept = window.views[1]
    click_cell(qtbot, dept, view_row(dept, "县发改局"), 1)
    qtbot.keyClicks(dept, "3")
    qtbot.keyClick(dept, Qt.Key.Key_Tab)
    qtbot.keyClicks(dept, "2")
    qtbot.keyClick(dept, Qt.Key.Key_Return)
    assert s.grid_text()[2] == ["县直部门", "52", "531", "441", "15"]
    assert s.zero_title.text() == "零报送单位（15个）：" and "县发改局" not in s.zero_names.text()
    assert s.total_published.text() == "共发布各类信息：2317条"


def test_centre_count_is_saved_validated_and_undoable(qtbot, window, db_path):
    edit = window.summary.centre_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "1800")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.summary.total_published.text() == "共发布各类信息：2346条"
    assert from_disk(db_path, lambda s: s.load_sheet(Q2).centre_published) == 1800

    edit.selectAll()
    qtbot.keyClicks(edit, "-5")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "不能为负数" in window.statusBar().currentMessage()
    assert edit.text() == "1800"
    assert from_disk(db_path, lambda s: s.load_sheet(Q2).centre_published) == 1800

    window.views[0].setFocus()
    window.undo_action.trigger()
    assert edit.text() == "1769"
    assert from_disk(db_path, lambda s: s.load_sheet(Q2).centre_published) == 1769


def test_rank_order_toggle_and_rows_stay_while_editing(qtbot, window):
    dept = window.views[1]
    window.rank_order_action.trigger()
    model = dept.model()
    scores = [model.index(r, 3).data(Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    last = model.rowCount() - 1
    name = model.index(last, 0).data()
    click_cell(qtbot, dept, last, 1)
    qtbot.keyClicks(dept, "90")
    qtbot.keyClick(dept, Qt.Key.Key_Tab)
    qtbot.keyClicks(dept, "80")
    qtbot.keyClick(dept, Qt.Key.Key_Return)  # 98 points: first
    assert model.index(last, 0).data() == name and model.index(last, 4).data() == "1"
    window.resort_action.trigger()  # F5
    assert model.index(0, 0).data() == name
    window.rank_order_action.trigger()  # back to unit order
    assert view_row(dept, name) != 0


def test_geometry_splitters_and_period_are_remembered(qtbot, window, db_path, settings):
    from shangnan_desktop.storage import Store
    from shangnan_desktop.ui.main_window import MainWindow

    window.new_period_action.trigger()
    window.period_combo.setCurrentIndex(1)  # back to 2021Q2
    window.resize(760, 560)  # within the offscreen screen (800×600): restoreGeometry keeps windows on screen
    window.main_splitter.setSizes([300, 800])
    sizes = window.main_splitter.sizes()
    window.close()
    assert settings.value("window/geometry") is not None

    store = Store.open(db_path)
    again = MainWindow(store, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.controller.period == Q2  # the last period shown, not the latest
    assert (again.width(), again.height()) == (760, 560)
    assert again.main_splitter.sizes() == sizes
    again.close()

    # A quarter created since (e.g. from the command line) wins: the clerk sees the newest.
    store.create_period(Period.parse("2021Q4"))
    third = MainWindow(store, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(third)
    assert third.controller.period == Period.parse("2021Q4")
    third.close()
    store.close()


def test_default_settings_live_in_an_ini_file_redirected_by_the_tests(qtbot, db_path, tmp_path_factory):
    from shangnan_desktop.storage import Store
    from shangnan_desktop.ui.main_window import MainWindow, app_settings

    settings = app_settings()
    # conftest keeps the user's settings untouched
    assert settings.fileName().startswith(str(tmp_path_factory.getbasetemp()))
    store = Store.open(db_path)
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.close()
    assert app_settings().value("window/geometry") is not None
    store.close()


def test_menus_shortcuts_about_and_report_entries(qtbot, window, monkeypatch):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "季度(&P)", "单位(&U)", "帮助(&H)"]
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert [s.toString() for s in window.redo_action.shortcuts()] == ["Ctrl+Y", "Ctrl+Shift+Z"]
    assert window.new_period_action.shortcut().toString() == "Ctrl+N"
    for name, action in window.file_actions.items():  # wired by ReportActions
        assert action.isEnabled() and action.toolTip() != "尚未提供", name
    assert window.file_actions["print"].shortcut().toString() == "Ctrl+P"
    assert window.file_actions["export"].shortcut().toString() == "Ctrl+E"

    shown_text = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown_text.append(text))
    window.about_action.trigger()
    assert "版本" in shown_text[0] and str(window.store.db.path.name) in shown_text[0]


def test_window_title_and_group_titles(window):
    assert window.windowTitle().startswith("2021年二季度")
    assert window.panes[1].title.text() == "县直部门（52个单位）"
    assert "县直有关部门向县政府网站报送政务信息情况统计表" in window.panes[1].title.toolTip()
    assert shown(window.views[1], "县邮政局")[3:] == ["0", "28"]  # the notice printed 27; dense rank is 28


def test_about_box_takes_the_rule_from_the_data(qtbot, window, monkeypatch):
    import dataclasses
    from decimal import Decimal

    assert window.about_rule_text() == "（每上报一条信息计0.2分，采用一条信息计1分；并列得分名次相同）"
    rule = window.store.rule(window.current_period())
    changed = dataclasses.replace(rule, metrics=tuple(
        dataclasses.replace(m, weight=Decimal("0.5")) if m.key == "submitted" else m for m in rule.metrics))
    monkeypatch.setattr(window.store, "rule", lambda period: changed)
    shown_text = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown_text.append(text))
    window.about_action.trigger()
    assert "每上报一条信息计0.5分" in shown_text[0] and "0.2分" not in shown_text[0]
