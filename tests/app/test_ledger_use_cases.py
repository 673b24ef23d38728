"""The ledger's use cases through a real store: import with undo/redo, items by hand, sources, aliases."""

from __future__ import annotations

import datetime as dt

import pytest

from shangnan_desktop.app import counts
from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.ledger import DERIVED, TYPED, DerivedCountsError, LedgerItem
from shangnan_desktop.storage.backup import list_backups

Q2 = Period.parse("2021Q2")


def _csv(tmp_path, rows):
    path = tmp_path / "list.csv"
    path.write_text("标题,来源,报送时间,状态\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_import_backs_up_is_one_undo_step_and_remembers_the_chosen_alias(ws, tmp_path):
    unit = ws.find_unit("县文旅局", Q2).id
    typed = ws.counts(Q2, unit)
    path = _csv(tmp_path, [("甲", "商南县文化和旅游广电局", "2021-04-01", "已采用"),
                           ("乙", "商南县文化和旅游广电局", "2021-04-02", "未采用")])
    preview = ledger_app.preview_ledger(ws, Q2, path)
    assert [u.name for u in preview.unknown()] == ["商南县文化和旅游广电局"]
    assert preview.unknown()[0].candidates[0].unit_id == unit  # the closest unit first
    with pytest.raises(ValidationError):
        ledger_app.apply_ledger_import(ws, preview)
    backups = len(list_backups(ws.path))
    preview.choose("商南县文化和旅游广电局", unit)
    step = ledger_app.apply_ledger_import(ws, preview)
    assert len(list_backups(ws.path)) == backups + 1
    assert ws.counts(Q2, unit) == (2, 1)
    assert ledger_app.sources(ws, Q2).source(unit) == DERIVED
    assert ledger_app.unit_aliases(ws, unit) == ["商南县文化和旅游广电局"]
    step.undo(ws)
    assert ws.counts(Q2, unit) == typed and ledger_app.items(ws, Q2) == []
    assert ledger_app.unit_aliases(ws, unit) == []
    step.redo(ws)
    assert ws.counts(Q2, unit) == (2, 1)
    # remembered: the next list with that name needs no choice
    again = ledger_app.preview_ledger(ws, Q2, _csv(tmp_path, [("丙", "商南县文化和旅游广电局", "2021-05-01", "已采用")]))
    assert again.unknown() == [] and again.can_apply


def test_items_by_hand_follow_into_derived_counts_and_undo(ws):
    unit = ws.find_unit("试马镇", Q2).id
    ledger_app.set_source(ws, Q2, unit, DERIVED)
    assert ws.counts(Q2, unit) == (0, 0)
    add = ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕", dt.date(2021, 4, 3), "采用"))
    assert ws.counts(Q2, unit) == (1, 1)
    item = add.result
    edit = ledger_app.edit_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕", dt.date(2021, 4, 3), "未采用", id=item.id))
    assert ws.counts(Q2, unit) == (1, 0)
    edit.undo(ws)
    assert ws.counts(Q2, unit) == (1, 1)
    delete = ledger_app.delete_item(ws, Q2, item.id)
    assert ws.counts(Q2, unit) == (0, 0)
    delete.undo(ws)
    assert ws.counts(Q2, unit) == (1, 1)
    add.undo(ws)  # the item re-added by the delete's undo: the add's undo removes it
    assert ledger_app.items(ws, Q2) == [] and ws.counts(Q2, unit) == (0, 0)


def test_typed_edit_of_a_derived_unit_is_refused_until_switched_back(ws):
    unit = ws.find_unit("试马镇", Q2).id
    typed = ws.counts(Q2, unit)
    step = ledger_app.set_source(ws, Q2, unit, DERIVED)
    with pytest.raises(DerivedCountsError, match="切换为“直接输入”"):
        counts.set_counts(ws, Q2, "试马镇", {"submitted": 3})
    with pytest.raises(DerivedCountsError):
        ledger_app.check_typed_edits(ws, Q2, [ws.find_unit("富水镇", Q2).id, unit])
    step.undo(ws)
    assert ws.counts(Q2, unit) == typed
    ledger_app.set_source(ws, Q2, unit, TYPED)
    assert counts.set_counts(ws, Q2, "试马镇", {"submitted": 3}).counts[0] == 3


def test_aliases_refuse_another_units_name(ws):
    assert ledger_app.add_alias(ws, "县文旅局", "文旅局") == ("县文旅局", "文旅局")
    with pytest.raises(ValidationError, match="已是"):
        ledger_app.add_alias(ws, "试马镇", "文旅局")
    assert [(n, a) for _u, n, a in ledger_app.alias_list(ws)] == [("县文旅局", "文旅局")]


def test_statements_need_items(ws, tmp_path):
    with pytest.raises(ValidationError, match="没有信息"):
        ledger_app.write_unit_statements(ws, Q2, tmp_path)
    unit = ws.find_unit("试马镇", Q2).id
    ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕", dt.date(2021, 4, 3), "采用"))
    written = ledger_app.write_unit_statement(ws, Q2, "试马镇", tmp_path, ("pdf",))
    assert [p.name for p in written] == ["试马镇2021年二季度政务信息报送明细.pdf"]
    assert written[0].read_bytes().startswith(b"%PDF")


def test_undo_follows_an_item_put_back_under_a_new_id(ws):
    unit = ws.find_unit("试马镇", Q2).id
    ledger_app.set_source(ws, Q2, unit, DERIVED)
    keep = ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "留下的一条", dt.date(2021, 4, 1), "采用"))
    add = ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕", dt.date(2021, 4, 3), "采用"))
    delete = ledger_app.delete_item(ws, Q2, add.result.id)
    ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "后来的一条", dt.date(2021, 4, 5), "未采用"))
    delete.undo(ws)  # back, under an id above the later item's
    assert ws.counts(Q2, unit) == (3, 2)
    add.undo(ws)
    assert [i.title for i in ledger_app.items(ws, Q2)] == ["留下的一条", "后来的一条"]
    assert ws.counts(Q2, unit) == (2, 1)
    assert keep.result.id in {i.id for i in ledger_app.items(ws, Q2)}


def test_undoing_a_deletion_puts_the_item_back_under_its_own_id(ws):
    """The ledger's order is the ids': the first copy of a repeat is the one counted. Put back under a new
    id, the kept first copy below would come last and count beside its repeat (3 items, not 2)."""
    from shangnan_desktop.storage.ledger_store import LedgerStore

    unit = ws.find_unit("试马镇", Q2).id
    ledger_app.set_source(ws, Q2, unit, DERIVED)
    first = ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕", dt.date(2021, 4, 3), "未采用", keep=True))
    ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇春耕。", dt.date(2021, 4, 5), "未采用"))
    ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "试马镇夏收", dt.date(2021, 6, 5), "采用"))
    items = ledger_app.items(ws, Q2)
    counted = ws.counts(Q2, unit)
    assert counted == (2, 1)

    delete = ledger_app.delete_item(ws, Q2, first.result.id)
    assert first.result.id not in {i.id for i in ledger_app.items(ws, Q2)}
    delete.undo(ws)
    assert ledger_app.items(ws, Q2) == items  # ids included: the old one back, the order as before
    assert ws.counts(Q2, unit) == counted
    assert LedgerStore(ws).recount(Q2) == {} and LedgerStore(ws).derived_counts(Q2) == {unit: counted}
    delete.redo(ws)
    delete.undo(ws)  # and again
    assert ledger_app.items(ws, Q2) == items and ws.counts(Q2, unit) == counted
    first.undo(ws)  # the add's undo finds the item under its own id
    assert [i.title for i in ledger_app.items(ws, Q2)] == ["试马镇春耕。", "试马镇夏收"]
    first.redo(ws)  # redoing the add puts it back first, too
    assert ledger_app.items(ws, Q2) == items and ws.counts(Q2, unit) == counted
