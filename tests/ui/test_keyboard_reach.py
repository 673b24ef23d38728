"""Issue 11: F6 / Ctrl+Tab between the tables and the summary, Ctrl+F finds a unit, F1 opens the guide,
Enter in 管理单位 adds once, retiring is called 停用."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from shangnan_desktop.resources import resource_path
from tests.ui.helpers import type_text


def focus_name(window) -> str:
    focus = QApplication.focusWidget()
    if focus is window.views[0]:
        return "镇办"
    if focus is window.views[1]:
        return "县直部门"
    if focus is window.summary.centre_edit:
        return "汇总"
    return repr(focus)


def test_f6_and_ctrl_tab_cycle_the_regions(qtbot, window):
    window.views[0].setFocus()
    seen = []
    for key, mods in [(Qt.Key.Key_F6, Qt.KeyboardModifier.NoModifier)] * 3 + [
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    ] * 3:
        QTest.keyClick(QApplication.focusWidget(), key, mods)
        seen.append(focus_name(window))
    assert seen == ["县直部门", "汇总", "镇办", "县直部门", "汇总", "镇办"]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert focus_name(window) == "汇总"
    # from the register tab, F6 comes back to the tables
    window.tabs.setCurrentIndex(1)
    window.register.view.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert window.tabs.currentIndex() == 0 and focus_name(window) == "镇办"


def test_ctrl_f_finds_a_unit_by_any_part_of_its_name_in_both_tables(qtbot, window):
    window.views[0].setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.find_edit
    type_text(qtbot, window.find_edit, "融媒")  # 县融媒体中心, in 县直部门
    view = window.views[1]
    assert view.currentIndex().isValid() and view.model().index(view.currentIndex().row(), 0).data() == "县融媒体中心"
    window.find_edit.clear()
    type_text(qtbot, window.find_edit, "镇")  # every town: Enter goes to the next one
    first = window.views[0].model().index(window.views[0].currentIndex().row(), 0).data()
    QTest.keyClick(window.find_edit, Qt.Key.Key_Return)
    second = window.views[0].model().index(window.views[0].currentIndex().row(), 0).data()
    assert "镇" in first and "镇" in second and first != second
    window.find_edit.clear()
    type_text(qtbot, window.find_edit, "不存在的单位")
    assert "没有名称中含" in window.statusBar().currentMessage()
    QTest.keyClick(window.find_edit, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() in window.views


def test_f1_opens_the_bundled_guide_with_the_shortcuts(qtbot, window):
    window.views[0].setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "使用说明"
    text = dialog.browser.toPlainText()
    for shortcut in ("Ctrl+Z", "F2", "F6", "Ctrl+F", "Esc", "Ctrl+P"):
        assert shortcut in text
    assert "找不到" not in text
    dialog.reject()


def test_the_guide_is_bundled_in_the_frozen_build():
    assert resource_path("help/guide.html").is_file()
    spec = (Path(__file__).parents[2] / "build" / "shangnan-desktop.spec").read_text(encoding="utf-8")
    assert re.search(r'"resources"\s*/\s*"help"\),\s*"resources/help"', spec)


def test_enter_in_the_name_field_adds_the_unit_once(qtbot, window):
    from shangnan_desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(window.controller, window, window.views[0].source.group.id)
    qtbot.addWidget(dialog)
    dialog.show()
    before = len(dialog.names())
    dialog.list.setCurrentRow(-1)
    dialog.name_edit.clear()
    dialog.name_edit.setFocus()
    type_text(qtbot, dialog.name_edit, "新设镇")
    QTest.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert len(dialog.names()) == before + 1
    assert dialog.status.text() == "已新增“新设镇”。"  # not followed by “本组已有名为…”
    assert dialog.isVisible()  # and Enter did not press a default button (关闭) either


def test_retiring_is_called_tingyong_and_undo_stays_chexiao(qtbot, window):
    from shangnan_desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(window.controller, window, window.views[0].source.group.id)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    assert dialog.retire_button.text() == "停用单位(&X)"
    dialog.retire_button.click()
    assert "（已停用）" in dialog.names()[0]
    assert dialog.retire_button.text() == "启用单位(&X)"
    assert window.undo_action.text().startswith("撤销 停用单位“")
    dialog.retire_button.click()
    assert window.undo_action.text().startswith("撤销 启用单位“")
