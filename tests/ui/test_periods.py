"""Quarters: switching, creating the next one (undoable), locking (定稿) and unlocking with confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from shangnan_desktop.domain import Period
from tests.ui.helpers import click_cell, entries_dump, from_disk, set_clipboard, shown, stored_counts, view_row

Q2, Q3 = Period.parse("2021Q2"), Period.parse("2021Q3")


def combo_texts(window) -> list[str]:
    combo = window.period_combo
    return [combo.itemText(i) for i in range(combo.count())]


def test_create_a_quarter_and_switch_between_quarters(qtbot, window, db_path):
    assert window.period_combo.currentText() == "2021年二季度"
    window.new_period_action.trigger()
    assert combo_texts(window) == ["2021年三季度", "2021年二季度"]
    assert window.period_combo.currentText() == "2021年三季度"
    town, dept = window.views
    assert town.model().rowCount() == 10 and dept.model().rowCount() == 52
    assert shown(town, "过风楼镇") == ["过风楼镇", "0", "0", "0", "1"]
    assert window.summary.grid_text()[-1] == ["合计", "62", "0", "0", "62"]
    assert window.panes[0].title.text() == "镇办（10个单位）"

    # Type into the new quarter, then look at the old one: each keeps its own counts.
    click_cell(qtbot, town, view_row(town, "试马镇"), 1)
    qtbot.keyClicks(town, "5")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    assert stored_counts(db_path, "2021Q3", "试马镇") == (5, 0)
    window.period_combo.setCurrentIndex(1)
    assert window.controller.period == Q2
    assert shown(town, "试马镇") == ["试马镇", "2", "2", "2.4", "10"]
    window.prev_period_action.setEnabled(True)
    window.next_period_action.trigger()  # Ctrl+PgDown: the newer quarter
    assert window.controller.period == Q3
    assert shown(town, "试马镇")[1] == "5"


def test_undo_new_quarter_deletes_it(qtbot, window, db_path):
    window.new_period_action.trigger()
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2, Q3]
    qtbot.keyClick(window.views[0], Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert combo_texts(window) == ["2021年二季度"]
    assert window.controller.period == Q2
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2]
    # 2021Q2's own history has nothing to redo: Ctrl+Y here never re-creates another quarter
    qtbot.keyClick(window.views[0], Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.period == Q2
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2]
    window.new_period_action.trigger()
    assert window.controller.period == Q3
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2, Q3]


def test_a_locked_quarter_cannot_be_edited(qtbot, window, db_path, monkeypatch):
    window.new_period_action.trigger()
    town = window.views[0]
    click_cell(qtbot, town, 0, 1)
    window.lock_action.trigger()
    assert window.lock_banner.isVisible() and "已定稿" in window.lock_banner.text()
    assert combo_texts(window)[0] == "2021年三季度（已定稿）"
    assert town.model().index(0, 1).flags() & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag.NoItemFlags
    assert town.model().index(0, 1).data(Qt.ItemDataRole.BackgroundRole).name() == "#ececec"  # greyed
    dump = entries_dump(db_path)

    qtbot.keyClicks(town, "7")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    assert "已定稿" in window.statusBar().currentMessage()
    qtbot.keyClick(town, Qt.Key.Key_F2)
    qtbot.keyClick(town, Qt.Key.Key_Delete)
    set_clipboard("9\t9\n")
    qtbot.keyClick(town, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    window.summary.centre_edit.setText("100")
    window.summary.centre_edit.editingFinished.emit()
    assert town.state() != town.State.EditingState
    assert shown(town, "过风楼镇")[1] == "0"
    assert entries_dump(db_path) == dump
    assert from_disk(db_path, lambda s: s.load_sheet(Q3).locked)

    # Unlocking asks first; "No" keeps it locked, "Yes" unlocks.
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (asked.append(a[2]), next(answers))[1])
    window.lock_action.trigger()
    assert window.controller.sheet.locked and window.lock_action.isChecked()
    window.lock_action.trigger()
    assert len(asked) == 2 and "解除定稿" in asked[0]
    assert not window.controller.sheet.locked and not window.lock_banner.isVisible()
    assert not from_disk(db_path, lambda s: s.load_sheet(Q3).locked)
    click_cell(qtbot, town, 0, 1)
    qtbot.keyClicks(town, "7")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    assert stored_counts(db_path, "2021Q3", "过风楼镇") == (7, 0)


def test_undo_into_a_locked_quarter_is_refused_without_losing_the_step(qtbot, window, db_path):
    town = window.views[0]
    click_cell(qtbot, town, 0, 1)
    qtbot.keyClicks(town, "28")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    window.lock_action.trigger()
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "已定稿" in window.statusBar().currentMessage()
    assert window.controller.undo_stack.index() == 1  # still there, to undo after unlocking
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (28, 25)
    window.controller.set_locked(False)
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (27, 25)


def test_undo_stays_in_the_quarter_shown(qtbot, window, db_path):
    """Issue 11: viewing the locked 2021Q2, Ctrl+Z must not delete 2021Q3 (each quarter its own history)."""
    town = window.views[0]
    click_cell(qtbot, town, 0, 1)
    qtbot.keyClicks(town, "28")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    window.new_period_action.trigger()
    assert window.controller.period == Q3
    click_cell(qtbot, town, 1, 1)
    qtbot.keyClicks(town, "5")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    window.period_combo.setCurrentIndex(window.period_combo.findData(Q2.key))
    assert window.controller.period == Q2
    window.controller.set_locked(True)
    assert "过风楼镇" in window.undo_action.text()
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # refused: 2021Q2 is locked
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2, Q3]
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (28, 25)
    assert window.controller.period == Q2
    window.controller.set_locked(False)
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the edit in 2021Q2
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (27, 25)
    assert not window.undo_action.isEnabled()  # 2021Q2 has nothing more; 2021Q3 keeps its own history
    window.period_combo.setCurrentIndex(window.period_combo.findData(Q3.key))
    assert window.undo_action.isEnabled()
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the edit in 2021Q3
    assert window.controller.period == Q3
    assert from_disk(db_path, lambda s: [p.period for p in s.periods()]) == [Q2, Q3]


def test_the_register_tab_has_its_own_undo_history(qtbot, window, db_path):
    town = window.views[0]
    click_cell(qtbot, town, 0, 1)
    qtbot.keyClicks(town, "28")
    qtbot.keyClick(town, Qt.Key.Key_Return)
    window.tabs.setCurrentIndex(1)
    assert not window.undo_action.isEnabled()  # the register's history is empty: Ctrl+Z here never touches counts
    window.controller.undo()
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (28, 25)
    window.tabs.setCurrentIndex(0)
    assert window.undo_action.isEnabled()
    window.controller.undo()
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (27, 25)
