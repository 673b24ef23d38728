"""单位管理 from the window: add, rename, reorder, retire and restore, each one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shangnan_desktop.domain import Period
from tests.ui.helpers import from_disk, view_row

Q2 = Period.parse("2021Q2")


@pytest.fixture
def dialog(qtbot, window):
    window.views[0].setFocus()
    window.units_action.trigger()
    dlg = window.units_dialog
    qtbot.waitExposed(dlg)
    assert dlg.group_combo.currentText() == "镇办"
    return dlg


def town_names(window) -> list[str]:
    model = window.views[0].model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def stored_town_units(db_path) -> list[tuple[str, bool]]:
    def read(store):
        group = store.group_by_name("镇办")
        return [(u.name, u.active) for u in store.units(group.id)]

    return from_disk(db_path, read)


def test_add_a_unit_with_spaces_normalised_then_undo_and_redo(qtbot, window, dialog, db_path):
    dialog.name_edit.setText(" 新 设\u3000镇 ")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.names()[-1] == "新设镇"
    assert town_names(window)[-1] == "新设镇"
    assert window.panes[0].title.text() == "镇办（11个单位）"
    assert stored_town_units(db_path)[-1] == ("新设镇", True)
    assert window.summary.grid_text()[1][:2] == ["镇办", "11"]

    window.controller.undo()
    assert "新设镇" not in town_names(window) and "新设镇" not in dialog.names()
    assert all(name != "新设镇" for name, _ in stored_town_units(db_path))
    window.controller.redo()
    assert town_names(window)[-1] == "新设镇"
    assert stored_town_units(db_path)[-1] == ("新设镇", True)


def test_duplicates_are_refused_with_the_stores_message(qtbot, window, dialog, db_path):
    before = stored_town_units(db_path)
    dialog.name_edit.setText("试马镇")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "本组已有名为“试马镇”的单位" in dialog.status.text()
    dialog.name_edit.setText("   ")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "不能为空" in dialog.status.text()
    assert stored_town_units(db_path) == before
    assert window.controller.undo_stack.count() == 0


def test_rename_move_and_retire(qtbot, window, dialog, db_path):
    dialog.select_unit(from_disk(db_path, lambda s: s.find_unit("城关街道办").id))
    dialog.name_edit.setText("城关街道")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert "城关街道" in town_names(window) and "城关街道办" not in town_names(window)
    assert ("城关街道", True) in stored_town_units(db_path)

    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)  # above 青山镇
    names = town_names(window)
    assert names.index("城关街道") == names.index("青山镇") - 1
    assert [n for n, _ in stored_town_units(db_path)][7] == "城关街道"

    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert dialog.current_unit().active is False
    assert "城关街道（已停用）" in dialog.names()
    assert ("城关街道", False) in stored_town_units(db_path)
    assert "城关街道" in town_names(window)  # keeps its counts in this quarter
    window.new_period_action.trigger()
    assert "城关街道" not in town_names(window)  # left out of the new quarter

    for _ in range(4):  # new quarter, retire, move, rename
        window.controller.undo()
    assert window.controller.period == Q2
    assert stored_town_units(db_path)[8] == ("城关街道办", True)
    assert town_names(window)[8] == "城关街道办"
    assert view_row(window.views[0], "城关街道办") == 8
