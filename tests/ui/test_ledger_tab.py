"""The 台账 tab in the real window: import through the mapping and name steps, derived marks, the guard, undo."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import LedgerItem
from tests.ui.helpers import stored_counts, view_row

Q2 = Period.parse("2021Q2")


def _list(tmp_path):
    path = tmp_path / "文章列表.csv"
    path.write_text(
        "文章标题,发布单位,报送时间,审核,所属栏目\n"
        "试马镇春耕,试马镇,2021-04-02,已采用,镇办动态\n"
        "试马镇夏收,试马镇,2021-06-12,未采用,镇办动态\n"
        "县文旅局检查,商南县文化和旅游广电局,2021-05-02,已采用,部门动态\n",
        encoding="gb18030",
    )
    return path


def _walk(dialog):
    """Step 1: the guessed mapping plus 审核 → 状态; step 2: the closest unit; step 3: import."""
    rows = {dialog.mapping.item(r, 0).text(): r for r in range(dialog.mapping.rowCount())}
    assert dialog.mapping.cellWidget(rows["文章标题"], 1).currentText() == "标题"  # guessed from the header
    dialog.mapping.cellWidget(rows["审核"], 1).setCurrentText("状态")
    dialog._next()
    assert dialog.steps.currentIndex() == 1
    assert dialog.names.item(0, 0).text() == "商南县文化和旅游广电局"
    assert dialog.names.cellWidget(0, 2).currentText() == "县文旅局"  # the closest unit offered first
    dialog._next()
    assert dialog.steps.currentIndex() == 2 and dialog.next.isEnabled()


def test_import_in_the_tab_derives_counts_marks_them_and_undoes_in_one_step(window, qtbot, store, tmp_path):
    before = stored_counts(store.path, "2021Q2", "试马镇")
    tab = window.ledger
    assert tab.import_file(_list(tmp_path), dialog_hook=_walk)
    assert stored_counts(store.path, "2021Q2", "试马镇") == (2, 1)
    assert stored_counts(store.path, "2021Q2", "县文旅局") == (1, 1)
    assert tab.model.rowCount() == 3
    model = window.controller.models[0]
    row = next(r for r in range(model.rowCount()) if model.sheet.rows[r].name == "试马镇")
    index = model.index(row, 0)
    assert "按台账统计" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    # the guard: typing over derived counts is refused with the way back
    problems = []
    window.controller.problem.connect(lambda text, *_: problems.append(text))
    assert not window.controller.edit_counts([(model.sheet.rows[row].unit_id, (9, 9))], "修改")
    assert "切换为“直接输入”" in problems[-1]
    assert stored_counts(store.path, "2021Q2", "试马镇") == (2, 1)
    # the alias was remembered
    from shangnan_desktop.app import ledger as ledger_app
    assert ledger_app.alias_list(store)[0][1:] == ("县文旅局", "商南县文化和旅游广电局")
    window.controller.undo_group.undo()
    assert stored_counts(store.path, "2021Q2", "试马镇") == before
    assert tab.model.rowCount() == 0
    window.controller.undo_group.redo()
    assert tab.model.rowCount() == 3


def test_filter_sort_add_edit_delete_by_hand(window, qtbot, store, tmp_path):
    tab = window.ledger
    tab.import_file(_list(tmp_path), dialog_hook=_walk)
    unit = store.find_unit("试马镇", Q2).id
    assert tab.add_item(LedgerItem.create(unit, "试马镇手工录入", dt.date(2021, 5, 5), "采用"))
    assert stored_counts(store.path, "2021Q2", "试马镇") == (3, 2)
    tab.show_unit(unit)
    assert tab.proxy.rowCount() == 3
    tab.status.setCurrentText("未采用")
    assert tab.proxy.rowCount() == 1
    tab.status.setCurrentText("全部")
    tab.search.setText("手工")
    assert tab.proxy.rowCount() == 1
    tab.view.selectRow(0)
    item = tab.selected_item()
    assert tab.edit_selected(LedgerItem.create(unit, item.title, item.submitted_on, "退回", id=item.id))
    assert stored_counts(store.path, "2021Q2", "试马镇") == (3, 1)
    tab.search.setText("")
    tab.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert tab.proxy.index(0, 2).data() == "2021-06-12"
    tab.search.setText("手工")
    tab.view.selectRow(0)
    assert tab.delete_selected()
    assert stored_counts(store.path, "2021Q2", "试马镇") == (2, 1)


def test_context_menu_links_a_unit_row_to_its_items(window, qtbot, store, tmp_path):
    window.ledger.import_file(_list(tmp_path), dialog_hook=_walk)
    unit = store.find_unit("试马镇", Q2).id
    window.controller.ledgerRequested.emit(unit)
    assert window.tabs.currentIndex() == window.ledger_index and window.ledger.isVisible()
    assert window.ledger.unit.currentText() == "试马镇" and window.ledger.proxy.rowCount() == 2
    assert view_row(window.views[0], "试马镇") >= 0
    # switching back to typed totals lets the clerk type again
    assert window.controller.set_count_source(unit, "typed")
    group, row = window.controller.sheet.locate(unit)
    assert window.controller.edit_counts([(unit, (7, 2))], "修改")
    assert stored_counts(store.path, "2021Q2", "试马镇") == (7, 2)


def test_aliases_in_the_units_dialog_follow_a_rename(window, qtbot, store):
    from shangnan_desktop.app import ledger as ledger_app
    from shangnan_desktop.ui.units_dialog import UnitsDialog

    dialog = UnitsDialog(window.controller, window)
    qtbot.addWidget(dialog)
    unit = store.find_unit("试马镇", Q2).id
    dialog.select_unit(unit)
    dialog.alias_edit.setText("商南县试马镇人民政府")
    dialog.add_alias()
    assert [dialog.alias_list.item(i).text() for i in range(dialog.alias_list.count())] == ["商南县试马镇人民政府"]
    dialog.alias_edit.setText("富水镇")  # another unit's name: refused, said in Chinese
    dialog.add_alias()
    assert "已是" in dialog.status.text()
    store.rename_unit(unit, "试马镇新名")
    assert ledger_app.alias_list(store)[0][1:] == ("试马镇新名", "商南县试马镇人民政府")
    dialog.alias_list.setCurrentRow(0)
    dialog.remove_alias()
    assert dialog.alias_list.count() == 0 and ledger_app.alias_list(store) == []
