"""Copy and paste blocks between the tables and Excel/WPS: one undo step, all or nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shangnan_desktop.ui.clipboard import parse_tsv
from tests.ui.helpers import click_cell, entries_dump, set_clipboard, shown, stored_counts, view_row

CTRL = Qt.KeyboardModifier.ControlModifier


def test_paste_a_block_then_undo_and_redo(qtbot, window, db_path):
    view = window.views[1]  # 县直部门
    view.setFocus()
    start = view_row(view, "县审计局")  # rows 15-17: 县审计局, 县统计局, 县机关事务服务中心
    names = ["县审计局", "县统计局", "县机关事务服务中心"]
    before = [shown(view, n) for n in names]
    click_cell(qtbot, view, start, 1)
    set_clipboard("30\t20\r\n25\t25\r\n0\t0\r\n")  # as Excel puts a 3×2 block on the clipboard
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)

    after = [shown(view, n) for n in names]
    # Scores 68.4 66 54.8 49.6 47.2 46.4 38.2 then 30 (8th) and 26 (9th); 6.2 is gone and two scores
    # are new, so the zero scores drop from dense rank 28 to 29.
    assert after == [
        ["县审计局", "30", "20", "26", "9"],
        ["县统计局", "25", "25", "30", "8"],
        ["县机关事务服务中心", "0", "0", "0", "29"],
    ]
    assert shown(view, "县公路段")[3:] == ["21.6", "10"]  # was 8th
    assert shown(view, "县发改局")[3:] == ["0", "29"]  # the zero-submission units moved with it
    assert [stored_counts(db_path, "2021Q2", n) for n in names] == [(30, 20), (25, 25), (0, 0)]
    assert window.controller.undo_stack.count() == 1  # one paste, one step

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert [shown(view, n) for n in names] == before
    assert [stored_counts(db_path, "2021Q2", n) for n in names] == [(6, 5), (6, 5), (5, 5)]

    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert [shown(view, n) for n in names] == after
    assert [stored_counts(db_path, "2021Q2", n) for n in names] == [(30, 20), (25, 25), (0, 0)]

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # nothing left to redo
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+Shift+Z redoes too
    assert [stored_counts(db_path, "2021Q2", n) for n in names] == [(30, 20), (25, 25), (0, 0)]


def test_pasted_blocks_with_bad_cells_store_nothing(qtbot, window, db_path):
    view = window.views[0]
    click_cell(qtbot, view, 0, 1)
    dump = entries_dump(db_path)
    cases = {
        "30\t20\n-1\t0\n5\t5\n": ["“赵川镇”的报送信息不能为负数"],
        "30\t20\n3.5\t1\n": ["“赵川镇”的报送信息“3.5”不是整数"],
        "十\t1\n": ["“过风楼镇”的报送信息“十”不是数字"],
        "3\t5\n": ["“过风楼镇”的采用信息（5）不能多于报送信息（3）"],
        "10000\t1\n": ["超出上限"],
        "-1\t3.5\n十\tabc\n4\t9\n": [  # every bad cell is listed, not only the first
            "“过风楼镇”的报送信息不能为负数",
            "“过风楼镇”的采用信息“3.5”不是整数",
            "“赵川镇”的报送信息“十”不是数字",
            "“赵川镇”的采用信息“abc”不是数字",
            "“清油河镇”的采用信息（9）不能多于报送信息（4）",
        ],
    }
    for text, problems in cases.items():
        set_clipboard(text)
        qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
        box = window.error_box
        assert box is not None and box.isVisible()
        listed = box.detailedText()
        assert "没有保存任何数据" in box.text()
        for problem in problems:
            assert problem in listed, (text, listed)
        assert len(listed.splitlines()) == len(problems)
        box.close()
        assert entries_dump(db_path) == dump
        assert shown(view, "过风楼镇") == ["过风楼镇", "27", "25", "30.4", "1"]
    assert window.controller.undo_stack.count() == 0


def test_paste_a_whole_column_copied_with_its_header(qtbot, window, db_path):
    view = window.views[0]
    click_cell(qtbot, view, 0, 1)
    column = ["报送信息"] + [str(n) for n in range(30, 40)] + ["", ""]  # WPS adds blank rows at the end
    set_clipboard("\n".join(column) + "\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert [view.model().index(r, 1).data() for r in range(10)] == [str(n) for n in range(30, 40)]
    assert stored_counts(db_path, "2021Q2", "试马镇") == (39, 2)


def test_paste_too_many_rows_or_into_score_column_is_refused(qtbot, window, db_path):
    view = window.views[0]
    dump = entries_dump(db_path)
    click_cell(qtbot, view, 8, 1)
    set_clipboard("1\t1\n2\t2\n3\t3\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert "只有2行" in window.error_box.detailedText()
    window.error_box.close()
    click_cell(qtbot, view, 0, 2)
    set_clipboard("1\t1\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert "只有1列可以填写" in window.error_box.detailedText()
    window.error_box.close()
    assert entries_dump(db_path) == dump


def test_one_value_fills_the_selection(qtbot, window, db_path):
    view = window.views[0]
    click_cell(qtbot, view, 7, 2)  # 青山镇 采用 4
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    set_clipboard("1\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert [view.model().index(r, 2).data() for r in (7, 8, 9)] == ["1", "1", "1"]
    assert stored_counts(db_path, "2021Q2", "试马镇") == (2, 1)


def test_copy_gives_tab_separated_text(qtbot, window):
    view = window.views[0]
    click_cell(qtbot, view, 0, 0)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    text = QApplication.clipboard().text()
    assert text == "过风楼镇\t27\t25\t30.4\t1\r\n赵川镇\t22\t19\t23.4\t2\r\n"
    assert parse_tsv(text) == [["过风楼镇", "27", "25", "30.4", "1"], ["赵川镇", "22", "19", "23.4", "2"]]
