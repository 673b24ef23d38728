"""The register tab: typing and pasting like a spreadsheet, saved at once, undo, stale units, confirm, import."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QUndoStack

from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage.register_store import RegisterStore
from shangnan_desktop.ui.register_model import (
    DATE_COLUMN,
    FIRST_FIELD,
    STALE_ROLE,
    UNIT_COLUMN,
    RegisterModel,
    edited_entry,
    parse_date,
)
from tests.register_data import fill_register
from tests.ui.helpers import click_cell, from_disk, type_text

TODAY = dt.date(2021, 9, 1)
LEADER, LEADER_TITLE, LEADER_PHONE = FIRST_FIELD, FIRST_FIELD + 1, FIRST_FIELD + 2
ADMIN, ADMIN_TITLE, ADMIN_PHONE, QQ = FIRST_FIELD + 3, FIRST_FIELD + 4, FIRST_FIELD + 5, FIRST_FIELD + 6


@pytest.fixture
def stack():
    return QUndoStack()


@pytest.fixture
def widget(qtbot, store, stack):
    from shangnan_desktop.ui.register_tab import RegisterTab

    w = RegisterTab(store, stack, today=lambda: TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 700)
    w.show()
    qtbot.waitExposed(w)
    w.view.setFocus()
    return w


def row(widget, name: str) -> int:
    model = widget.view.model()
    for r in range(model.rowCount()):
        if model.index(r, UNIT_COLUMN).data() == name:
            return r
    raise AssertionError(f"{name} not shown")


def shown(widget, name: str) -> list[str]:
    model = widget.view.model()
    r = row(widget, name)
    return [model.index(r, c).data() for c in range(model.columnCount())]


def stored(db_path, name: str) -> RegisterEntry | None:
    return from_disk(db_path, lambda s: RegisterStore(s).entry(s.find_unit(name).id))


def test_models_pass_the_model_tester(qtmodeltester, widget, store):
    fill_register(store)
    widget.reload()
    qtmodeltester.check(widget.model)
    widget.set_stale_only(True)
    qtmodeltester.check(widget.proxy)
    empty = RegisterModel()
    qtmodeltester.check(empty)


def test_one_row_per_active_unit_grouped(widget, store):
    model = widget.view.model()
    assert model.rowCount() == 62
    assert [model.index(r, 0).data() for r in (0, 9, 10, 61)] == ["镇办", "镇办", "县直部门", "县直部门"]
    assert model.index(0, UNIT_COLUMN).data() == "过风楼镇"
    assert model.headerData(LEADER_PHONE, Qt.Orientation.Horizontal) == "分管领导\n联系电话"
    store.set_unit_active(store.find_unit("县烟草局").id, False)
    widget.reload()
    assert model.rowCount() == 61


def test_typed_entry_is_stored_at_once_and_enter_tab_move(qtbot, widget, db_path):
    view = widget.view
    r = row(widget, "赵川镇")
    click_cell(qtbot, view, r, LEADER)
    type_text(qtbot, view, "欧阳翊")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    assert view.currentIndex().column() == LEADER_TITLE
    type_text(qtbot, view, "副镇长")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(view, "(0914)6322055")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    # Enter goes back to the column where Tab started, one row down, like Excel
    assert (view.currentIndex().row(), view.currentIndex().column()) == (r + 1, LEADER)
    assert shown(widget, "赵川镇")[LEADER:LEADER_PHONE + 1] == ["欧阳翊", "副镇长", "0914-6322055"]
    assert shown(widget, "赵川镇")[DATE_COLUMN] == "2021-09-01"  # a change counts as confirmed today
    entry = stored(db_path, "赵川镇")
    assert (entry.leader_name, entry.leader_title, entry.leader_phones) == ("欧阳翊", "副镇长", ("0914-6322055",))
    assert entry.confirmed_on == TODAY


def test_refused_value_keeps_the_editor_and_stores_nothing(qtbot, widget, db_path):
    view = widget.view
    click_cell(qtbot, view, row(widget, "赵川镇"), ADMIN_PHONE)
    qtbot.keyClicks(view, "6322055")
    editor = view.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.focusWidget() is editor and editor.text() == "6322055"  # still editing the bad value
    assert "缺少区号" in widget.problem_label.text() and widget.problem_label.isVisibleTo(widget)
    assert "赵川镇" in widget.problem_label.text()
    assert stored(db_path, "赵川镇") is None
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert shown(widget, "赵川镇")[ADMIN_PHONE] == ""


def test_paste_block_is_one_step_and_undo_redo_restore(qtbot, widget, stack, db_path):
    view = widget.view
    top = row(widget, "过风楼镇")
    click_cell(qtbot, view, top, ADMIN)
    QGuiApplication.clipboard().setText("王五\t科员\t13912345678\r\n赵六\t主任\t0914-6322055、13812345678\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert stack.count() == 1 and stack.undoText() == "粘贴2行×3列"
    assert shown(widget, "赵川镇")[ADMIN:ADMIN_PHONE + 1] == ["赵六", "主任", "0914-6322055、13812345678"]
    assert stored(db_path, "过风楼镇").admin_name == "王五"
    stack.undo()
    assert shown(widget, "过风楼镇")[ADMIN] == "" and shown(widget, "赵川镇")[ADMIN] == ""
    assert stored(db_path, "过风楼镇").is_blank  # back to 未登记; the pasted entry stays in the history
    assert [h.admin_name for h in from_disk(db_path, lambda s: RegisterStore(s).history(s.find_unit("过风楼镇").id))] == [
        "王五", ""]
    stack.redo()
    assert stored(db_path, "赵川镇").admin_phones == ("0914-6322055", "13812345678")
    assert shown(widget, "赵川镇")[ADMIN] == "赵六"


def test_paste_with_bad_cells_stores_nothing_and_lists_every_problem(qtbot, widget, stack, db_path):
    view = widget.view
    click_cell(qtbot, view, row(widget, "过风楼镇"), ADMIN)
    assert not widget.paste("王五\t科员\t1391234567\n赵6\t主任\t13812345678\n")
    text = widget.problem_label.text()
    assert "2处内容有误" in text and "手机号" in text and "赵6" in text
    assert stack.count() == 0
    assert stored(db_path, "过风楼镇") is None and stored(db_path, "赵川镇") is None


def test_paste_refused_outside_the_register_columns(qtbot, widget):
    click_cell(qtbot, widget.view, 0, UNIT_COLUMN)
    assert not widget.paste("王五")
    assert "只能粘贴到登记信息" in widget.problem_label.text()
    click_cell(qtbot, widget.view, 0, QQ)
    assert not widget.paste("12345\t2021-07-01\t多余")
    assert "只有2列" in widget.problem_label.text()


def test_one_value_fills_the_selection_and_delete_clears(qtbot, widget, stack, db_path):
    view = widget.view
    top = row(widget, "过风楼镇")
    click_cell(qtbot, view, top, ADMIN_TITLE)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert widget.paste("信息员")
    assert stored(db_path, "赵川镇").admin_title == "信息员" and stack.count() == 1
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stack.count() == 2 and stored(db_path, "过风楼镇").admin_title == ""


def test_copy_gives_tab_separated_text(qtbot, widget, store):
    fill_register(store)
    widget.reload()
    view = widget.view
    click_cell(qtbot, view, 0, LEADER)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    entry = RegisterStore(store).entry(store.find_unit("过风楼镇").id)
    assert QGuiApplication.clipboard().text() == f"{entry.leader_name}\t{entry.leader_title}\r\n"


def test_stale_units_are_highlighted_filtered_and_confirmed(qtbot, widget, store, stack, db_path):
    fill_register(store)  # confirmed 2021-07-20: 43 days before TODAY
    reg = RegisterStore(store)
    reg.set(RegisterEntry(store.find_unit("县水利局").id))  # registered, then emptied: 未登记
    reg.set(reg.entry(store.find_unit("赵川镇").id).with_values(confirmed_on=dt.date(2021, 1, 1)))
    widget.reload()
    model = widget.view.model()
    assert model.index(row(widget, "县水利局"), UNIT_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is not None
    zc = model.index(row(widget, "赵川镇"), UNIT_COLUMN)
    assert zc.data(STALE_ROLE) and "243天未确认" in zc.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row(widget, "县文旅局"), UNIT_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "未登记1个，超过180天未确认1个" in widget.status_label.text()

    widget.stale_only.setChecked(True)
    assert [model.index(r, UNIT_COLUMN).data() for r in range(model.rowCount())] == ["赵川镇", "县水利局"]
    assert widget.stale_units() == ["赵川镇", "县水利局"]

    widget.max_age.setValue(30)  # now everyone confirmed 43 days ago is due
    assert model.rowCount() == 62 and reg.max_age_days() == 30

    widget.max_age.setValue(180)
    click_cell(qtbot, widget.view, 0, UNIT_COLUMN)  # 赵川镇
    assert widget.mark_confirmed()
    assert stored(db_path, "赵川镇").confirmed_on == TODAY
    assert stored(db_path, "赵川镇").same_data(reg.history(store.find_unit("赵川镇").id)[-2])
    assert [model.index(r, UNIT_COLUMN).data() for r in range(model.rowCount())] == ["县水利局"]
    assert not widget.mark_confirmed([0])  # 县水利局 has nothing to confirm
    assert "尚未登记" in widget.problem_label.text()
    stack.undo()
    assert stored(db_path, "赵川镇").confirmed_on == dt.date(2021, 1, 1)


def test_confirmation_date_can_be_typed(qtbot, widget, store, db_path):
    fill_register(store)
    widget.reload()
    view = widget.view
    click_cell(qtbot, view, row(widget, "赵川镇"), DATE_COLUMN)
    qtbot.keyClicks(view, "2021/8/5")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert stored(db_path, "赵川镇").confirmed_on == dt.date(2021, 8, 5)
    click_cell(qtbot, view, row(widget, "赵川镇"), DATE_COLUMN)
    qtbot.keyClicks(view, "2099-01-01")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    assert "晚于今天" in widget.problem_label.text()
    assert stored(db_path, "赵川镇").confirmed_on == dt.date(2021, 8, 5)


def test_group_and_unit_columns_are_not_edited_here(qtbot, widget):
    messages = []
    widget.message.connect(messages.append)
    click_cell(qtbot, widget.view, 0, UNIT_COLUMN)
    qtbot.keyClicks(widget.view, "x")
    assert widget.view.state() != widget.view.State.EditingState
    assert "管理单位" in messages[-1]


def test_import_applies_as_one_undo_step(qtbot, widget, store, stack, tmp_path):
    from shangnan_desktop.app.register import export_filled
    from shangnan_desktop.app.imports import preview_register_import
    from shangnan_desktop.ui.register_import_dialog import RegisterImportDialog

    entries = fill_register(store)
    widget.reload()
    path = export_filled(store, None, ("xlsx",), tmp_path / "f.xlsx", today=TODAY)[0].path
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["C6"] = "司马懿"  # 过风楼镇's leader
    ws["I7"] = "0123"  # 赵川镇's QQ: refused
    wb.save(path)
    preview = preview_register_import(store, path, confirmed_on=TODAY, reconfirm=False)
    dialog = RegisterImportDialog(preview)
    qtbot.addWidget(dialog)
    assert dialog.confirm_button.isEnabled()
    assert [dialog.changes_table.item(0, c).text() for c in range(5)] == [
        "过风楼镇", "镇办", "分管领导姓名", entries[store.find_unit("过风楼镇").id].leader_name, "司马懿"]
    assert dialog.refused_table.rowCount() == 1 and "QQ" in dialog.refused_table.item(0, 2).text()

    assert widget.apply_import(preview) == 1
    assert shown(widget, "过风楼镇")[LEADER] == "司马懿" and stack.count() == 1
    stack.undo()
    assert shown(widget, "过风楼镇")[LEADER] == entries[store.find_unit("过风楼镇").id].leader_name


def test_import_dialog_without_anything_to_store(qtbot, store, tmp_path):
    from shangnan_desktop.app.register import export_filled
    from shangnan_desktop.app.imports import preview_register_import
    from shangnan_desktop.ui.register_import_dialog import RegisterImportDialog

    fill_register(store)
    path = export_filled(store, None, ("xlsx",), tmp_path / "f.xlsx", today=TODAY)[0].path
    dialog = RegisterImportDialog(preview_register_import(store, path, reconfirm=False))
    qtbot.addWidget(dialog)
    assert not dialog.confirm_button.isEnabled()
    assert "没有可以导入的内容" in dialog.summary.text()


def test_exports_from_the_tab(widget, store, tmp_path):
    fill_register(store)
    files = widget.export_filled(tmp_path)
    assert sorted(f.fmt for f in files) == ["pdf", "xlsx"] and all(f.path.exists() for f in files)
    widget.reload()
    widget.stale_only.setChecked(True)  # nobody is due: no forms, and a message says so
    assert widget.export_forms(tmp_path) == []
    assert "没有需要核对的单位" in widget.problem_label.text()
    forms = widget.export_forms(tmp_path, stale_only=False)
    assert len([f for f in forms if f.fmt == "xlsx"]) == 62


def test_edited_entry_and_dates():
    old = RegisterEntry.build(1, dt.date(2021, 1, 1), admin_name="王五")
    same = edited_entry(1, old, {ADMIN: "王五"}, TODAY)
    assert same.confirmed_on == dt.date(2021, 1, 1)  # nothing changed: the date stays
    new = edited_entry(1, old, {ADMIN: "赵六"}, TODAY)
    assert new.confirmed_on == TODAY and new.admin_name == "赵六"
    dated = edited_entry(1, old, {ADMIN: "赵六", DATE_COLUMN: "2021年8月1日"}, TODAY)
    assert dated.confirmed_on == dt.date(2021, 8, 1)
    assert parse_date("20210801", TODAY) == dt.date(2021, 8, 1) and parse_date("", TODAY) is None
    for bad in ("2021-02-30", "8月1日", "2022-01-01"):
        with pytest.raises(Exception):
            parse_date(bad, TODAY)


def test_the_register_tab_fits_its_columns_when_first_shown(window):
    """At start-up the register tab is hidden: its columns are measured when it is first shown
    (start-up time), then they fit the telephone numbers and dates as before."""
    register = window.register
    assert getattr(register, "_fit_pending", False)
    assert register.view.currentIndex().isValid()  # the keyboard has a cell from the start
    window.tabs.setCurrentIndex(1)  # the register tab (its page is a scroll area holding it)
    QGuiApplication.processEvents()
    assert not register._fit_pending
    metrics = register.view.fontMetrics()
    assert register.view.columnWidth(DATE_COLUMN) >= metrics.horizontalAdvance("2021-07-20") + 24
    assert register.view.columnWidth(DATE_COLUMN - 1) >= 80
