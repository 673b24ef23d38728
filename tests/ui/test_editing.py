"""Typing into the tables like a spreadsheet: replace, Enter down, Tab right, F2, Delete, refusals."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import click_cell, entries_dump, shown, stored_counts, type_text, view_row


def test_typed_counts_are_scored_ranked_and_stored(qtbot, window, db_path):
    view = window.views[0]  # 镇办
    row = view_row(view, "试马镇")  # 2 · 2 · 2.4 · rank 10
    click_cell(qtbot, view, row, 1)
    qtbot.keyClicks(view, "40")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(view, "30")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)

    # 0.2 × 40 + 30 = 38 beats 过风楼镇's 30.4: rank 1, and everyone else moves down one.
    assert shown(view, "试马镇") == ["试马镇", "40", "30", "38", "1"]
    assert shown(view, "过风楼镇")[4] == "2"
    assert shown(view, "青山镇")[4] == "9"
    # Rows did not jump: 试马镇 is still the last row, and Enter went back to 报送信息 of the row below it.
    assert view_row(view, "试马镇") == row
    assert stored_counts(db_path, "2021Q2", "试马镇") == (40, 30)


def test_typing_replaces_and_enter_moves_down(qtbot, window, db_path):
    view = window.views[0]
    click_cell(qtbot, view, 0, 1)  # 过风楼镇 报送信息 27
    qtbot.keyClicks(view, "31")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert view.model().index(0, 1).data() == "31"  # replaced, not appended to 27
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == 1
    # Enter without editing also moves down, like Excel.
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().row() == 2
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (31, 25)


def test_f2_edits_in_place(qtbot, window, db_path):
    view = window.views[0]
    click_cell(qtbot, view, view_row(view, "试马镇"), 1)  # 2
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.focusWidget()
    assert editor is not view and editor.text() == "2"
    qtbot.keyClicks(editor, "5")  # cursor at the end: 2 → 25
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert shown(view, "试马镇")[1] == "25"
    assert stored_counts(db_path, "2021Q2", "试马镇") == (25, 2)


def test_delete_sets_selected_counts_to_zero_in_one_step(qtbot, window, db_path):
    view = window.views[0]
    top = view_row(view, "过风楼镇")
    click_cell(qtbot, view, top, 1)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert shown(view, "过风楼镇")[1:4] == ["0", "0", "0"]
    assert shown(view, "赵川镇")[1:4] == ["0", "0", "0"]
    assert stored_counts(db_path, "2021Q2", "赵川镇") == (0, 0)
    assert window.controller.undo_stack.count() == 1
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(view, "过风楼镇")[1:5] == ["27", "25", "30.4", "1"]
    assert stored_counts(db_path, "2021Q2", "赵川镇") == (22, 19)


def test_bad_typed_values_are_refused_and_nothing_is_stored(qtbot, window, db_path):
    view = window.views[0]
    before = entries_dump(db_path)
    row = view_row(view, "青山镇")  # 10 · 4
    for typed, column, expected in [
        ("-1", 1, "不能为负数"),
        ("3.5", 1, "不是整数"),
        ("十", 1, "不是数字"),
        ("abc", 2, "不是数字"),
        ("10000", 1, "超出上限"),
        ("11", 2, "不能多于报送信息"),  # adopted 11 > submitted 10
    ]:
        click_cell(qtbot, view, row, column)
        type_text(qtbot, view, typed)
        editor = view.focusWidget()
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        message = window.statusBar().currentMessage()
        assert expected in message and "青山镇" in message, (typed, message)
        # The editor stays open on the bad value so the clerk can correct it; Escape gives up.
        assert view.state() == view.State.EditingState
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)
        assert shown(view, "青山镇")[1:3] == ["10", "4"]
    assert entries_dump(db_path) == before
    assert window.controller.undo_stack.count() == 0


def test_score_and_rank_cannot_be_edited(qtbot, window, db_path):
    view = window.views[0]
    for column in (0, 3, 4):
        click_cell(qtbot, view, 0, column)
        qtbot.keyClicks(view, "9")
        assert view.state() != view.State.EditingState
    assert "自动计算" in window.statusBar().currentMessage()
    assert shown(view, "过风楼镇") == ["过风楼镇", "27", "25", "30.4", "1"]


def test_storage_error_is_reported_and_nothing_is_lost(qtbot, window, db_path):
    """Another program holds the database: a Chinese message, the table keeps the stored value."""
    import sqlite3

    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        view = window.views[0]
        click_cell(qtbot, view, 0, 1)
        qtbot.keyClicks(view, "30")
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
        assert window.error_box is not None and "另一个程序" in window.error_box.text()
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)
        assert shown(view, "过风楼镇")[1] == "27"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (27, 25)
    # Once the other program lets go, the same edit saves.
    qtbot.keyClicks(view, "30")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert stored_counts(db_path, "2021Q2", "过风楼镇") == (30, 25)
