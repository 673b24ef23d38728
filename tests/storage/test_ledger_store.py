"""The item ledger in SQLite, through the real store and the real import preview: derived counts
written into the counts table, one-step undo, aliases, remembered mappings, refusals that leave the
file byte-identical, and the 2021 Q2 reference staying typed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.ledger import DERIVED, TYPED, DerivedCountsError, LedgerItem
from shangnan_desktop.reports.ledger_import import preview_ledger_import
from shangnan_desktop.storage.audit import audit_entries
from shangnan_desktop.storage.ledger_store import LedgerStore

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")
HEADER = "标题,报送单位,报送时间,状态,栏目\n"


def file_bytes(store) -> bytes:
    path = store.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def tables(store, skip=("audit", "sqlite_sequence")) -> dict[str, list[tuple]]:
    """Every table's rows; the audit log and the id counter (ids are never reused, also after an undo) aside."""
    names = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n: sorted(store.conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names if n not in skip}


def write_csv(path, rows, encoding="utf-8"):
    path.write_text(HEADER + "".join(",".join(r) + "\n" for r in rows), encoding=encoding)
    return path


def items_for(unit, submitted, adopted, month=5):
    """Article-list rows reproducing a unit's counts: ``adopted`` adopted, the rest not."""
    return [
        (f"{unit}信息第{i}条", unit, f"2021-{month:02d}-{1 + i % 28:02d}", "已采用" if i < adopted else "未采用", "工作动态")
        for i in range(submitted)
    ]


def ranks(store, period=Q2):
    sheet = store.load_sheet(period)
    return {r.name: (r.counts, r.score, r.rank) for g in sheet.groups for r in g.in_unit_order()}


def preview(ledger, path, period, **kw):
    return preview_ledger_import(path, period, ledger.matcher(), remembered=ledger.mappings(),
                                 existing=ledger.items(period), **kw)


def test_the_2021q2_reference_stays_typed_totals(store):
    ledger = LedgerStore(store)
    assert ledger.sources(Q2).derived == set()
    assert ledger.items(Q2) == [] and ledger.aliases() == {} and ledger.mappings() == {}
    assert ledger.derived_counts(Q2) == {}
    assert ledger.recount(Q2) == {}


def test_a_ledger_reproducing_reference_counts_changes_no_rank(store, tmp_path):
    ledger = LedgerStore(store)
    before = ranks(store)
    units = {"过风楼镇": (27, 25), "县文旅局": (60, 54), "县水利局": (1, 0), "县烟草局": (0, 0)}
    rows = [r for unit, (s, a) in units.items() for r in items_for(unit, s, a)]
    p = preview(ledger, write_csv(tmp_path / "list.csv", rows), Q2)
    assert p.can_apply
    result = ledger.apply_import(p)
    assert len(result.item_ids) == 88
    derived = {store.find_unit(u).id for u in ("过风楼镇", "县文旅局", "县水利局")}  # 县烟草局 has no items
    assert ledger.sources(Q2).derived == derived
    assert result.previous_counts == {} and result.counts == {}  # nothing to rewrite
    assert ranks(store) == before
    assert ledger.recount(Q2) == {}
    assert {u: c for u, c in ledger.derived_counts(Q2).items()} == {
        store.find_unit(u).id: units[u] for u in ("过风楼镇", "县文旅局", "县水利局")
    }


def test_import_writes_derived_counts_into_the_counts_table_and_undoes_in_one_step(store, tmp_path):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县司法局").id
    store.set_counts(Q3, unit, (3, 1))
    snapshot = tables(store)
    rows = items_for("县司法局", 5, 2, month=8) + [
        ("县司法局信息第0条", "县司法局", "2021-08-20", "未采用", ""),  # the same item twice: counted once
        ("七月的信息", "县司法局", "2021-06-30", "采用", ""),  # outside the quarter: listed, not counted
    ]
    p = preview(ledger, write_csv(tmp_path / "q3.csv", rows), Q3)
    assert len(p.duplicates()) == 1 and len(p.outside()) == 1
    result = ledger.apply_import(p)
    assert store.counts(Q3, unit) == (5, 2)
    sheet = store.load_sheet(Q3)  # every view reads the derived counts
    row = next(r for g in sheet.groups for r in g.in_unit_order() if r.unit_id == unit)
    assert row.counts == (5, 2) and row.rank == 1
    assert result.previous_counts == {unit: (3, 1)} and result.counts == {unit: (5, 2)}
    assert result.previous_sources == {unit: TYPED}
    actions = [e.action for e in audit_entries(store, Q3)]
    assert actions[-3:] == ["切换条数来源", "导入台账", "按台账统计"]
    ledger.undo_import(result)
    assert tables(store) == snapshot
    assert store.counts(Q3, unit) == (3, 1) and ledger.source(Q3, unit) == TYPED


def test_derived_counts_cannot_be_overtyped_and_switching_back_keeps_the_numbers(store):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县人社局").id
    for i in range(4):
        ledger.add_item(Q3, LedgerItem.create(unit, f"人社信息{i}", dt.date(2021, 7, 5), "已采用" if i else "退回"))
    assert store.counts(Q3, unit) == (0, 0)  # typed until switched
    assert ledger.set_source(Q3, unit, DERIVED) == (4, 3)
    with pytest.raises(DerivedCountsError, match="按台账统计"):
        ledger.check_typed_edit(Q3, unit)
    item = ledger.add_item(Q3, LedgerItem.create(unit, "人社信息9", dt.date(2021, 8, 1), "采用"))
    assert store.counts(Q3, unit) == (5, 4)
    ledger.update_item(Q3, LedgerItem.create(unit, "人社信息9", dt.date(2021, 8, 1), "未采用", id=item.id))
    assert store.counts(Q3, unit) == (5, 3)
    ledger.delete_item(Q3, item.id)
    assert store.counts(Q3, unit) == (4, 3)
    assert ledger.set_source(Q3, unit, TYPED) == (4, 3)  # keeps its current numbers
    ledger.check_typed_edit(Q3, unit)
    ledger.add_item(Q3, LedgerItem.create(unit, "人社信息10", dt.date(2021, 8, 2), "采用"))
    assert store.counts(Q3, unit) == (4, 3)  # typed: the ledger no longer counts


def test_recount_restores_counts_from_the_ledger(store):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县卫健局").id
    ledger.add_item(Q3, LedgerItem.create(unit, "卫健信息", dt.date(2021, 7, 5), "采用"))
    ledger.set_source(Q3, unit, DERIVED)
    store.set_counts(Q3, unit, (9, 9))  # written around the ledger (the store itself does not check)
    assert ledger.recount(Q3) == {unit: (1, 1)}
    assert store.counts(Q3, unit) == (1, 1)


def test_an_unknown_name_is_chosen_once_remembered_as_alias_and_follows_renames(store, tmp_path):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县文旅局").id
    rows = [("文旅信息", "商南县文化和旅游广电局", "2021-07-02", "已发布", "")]
    p = preview(ledger, write_csv(tmp_path / "a.csv", rows, "gb18030"), Q3)
    assert [u.name for u in p.unknown()] == ["商南县文化和旅游广电局"]
    assert unit in [c.unit_id for c in p.unknown()[0].candidates]
    p.choose("商南县文化和旅游广电局", unit)
    result = ledger.apply_import(p)
    assert ledger.aliases() == {unit: ["商南县文化和旅游广电局"]}
    assert ledger.mappings() == {p.signature: p.mapping_by_header()}
    store.rename_unit(unit, "县文化旅游局", Q3)
    again = preview(ledger, write_csv(tmp_path / "b.csv", [("文旅信息二", "商南县文化和旅游广电局", "2021-07-03",
                                                            "已发布", "")], "gb18030"), Q3)
    assert again.unknown() == [] and again.remembered
    assert {i.unit_id for i in again.items()} == {unit}
    assert ledger.alias_list() == [(unit, "县文化旅游局", "商南县文化和旅游广电局")]
    ledger.undo_import(result)  # the alias remembered with the import goes with it
    assert ledger.aliases() == {} and ledger.mappings() == {}


def test_aliases_are_unique_across_units_after_normalisation(store):
    ledger = LedgerStore(store)
    a, b = store.find_unit("县公安局").id, store.find_unit("交警大队").id
    assert ledger.add_alias(a, " 商南县公安局 ") == "商南县公安局"
    assert ledger.add_alias(a, "商南县公安局") == "商南县公安局"  # again: nothing new
    before = file_bytes(store)
    for unit, alias, message in [
        (b, "商南县公安局", "已是“县公安局”的名称或别名"),
        (b, "商南县\u3000公安局", "已是“县公安局”的名称或别名"),  # a full-width space makes no other name
        (b, "县公安局", "已是“县公安局”的名称"),
        (a, "县公安局", "就是该单位的名称"),
        (a, "", "不能为空"),
        (a, "=商南", "不能以"),
    ]:
        with pytest.raises(DomainError, match=message):
            ledger.add_alias(unit, alias)
    assert file_bytes(store) == before
    with pytest.raises(sqlite3.IntegrityError):  # the table keeps the key unique too
        store.conn.execute(
            "INSERT INTO unit_aliases (unit_id, alias, alias_key) VALUES (?, 'x', '商南县公安局')", (b,)
        )
    assert ledger.remove_alias(a, "商南县公安局") and ledger.aliases() == {}


def test_refused_imports_and_items_leave_the_database_byte_identical(store, tmp_path):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县审计局").id
    before = file_bytes(store)
    # an unknown name nobody chose
    p = preview(ledger, write_csv(tmp_path / "u.csv", [("信息", "不存在的单位", "2021-07-01", "采用", "")]), Q3)
    with pytest.raises(DomainError, match="未选择单位"):
        ledger.apply_import(p)
    # an item whose publication precedes its submission
    bad = LedgerItem(unit_id=unit, title="信息", submitted_on=dt.date(2021, 8, 2), published_on=dt.date(2021, 8, 1))
    with pytest.raises(DomainError, match="早于报送日期"):
        ledger.add_item(Q3, bad)
    with pytest.raises(DomainError, match="标题"):
        ledger.add_item(Q3, LedgerItem(unit_id=unit, title=" 信息"))
    assert file_bytes(store) == before
    # a locked period
    store.set_locked(Q2, True)
    locked = file_bytes(store)
    p2 = preview(ledger, write_csv(tmp_path / "q2.csv", items_for("县审计局", 2, 1)), Q2)
    for action in (lambda: ledger.apply_import(p2), lambda: ledger.recount(Q2),
                   lambda: ledger.set_source(Q2, unit, DERIVED),
                   lambda: ledger.add_item(Q2, LedgerItem.create(unit, "信息", dt.date(2021, 5, 1)))):
        with pytest.raises(DomainError, match="已定稿"):
            action()
    assert file_bytes(store) == locked


def test_the_tables_refuse_what_the_domain_refuses(store):
    pid = store.conn.execute("SELECT id FROM periods WHERE key = '2021Q2'").fetchone()[0]
    unit = store.find_unit("县审计局").id
    sql = ("INSERT INTO ledger_items (period_id, unit_id, title, submitted_on, status, published_on, title_key)"
           " VALUES (?, ?, ?, ?, ?, ?, '')")
    for title, submitted, status, published in [
        ("信息", "2021-05-01", "已采用", None),
        ("", None, "采用", None),
        (" 信息", None, "采用", None),
        ("信息", "2021-02-30", "采用", None),
        ("信息", "2021-05-02", "采用", "2021-05-01"),
        ("信" * 301, None, "采用", None),
    ]:
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(sql, (pid, unit, title, submitted, status, published))
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO count_sources VALUES (?, ?, 'ledger')", (pid, unit))
    store.conn.execute(sql, (pid, unit, "信息", "2021-05-01", "退回", None))
    store.conn.rollback()


def test_deleting_a_period_deletes_its_ledger(store):
    ledger = LedgerStore(store)
    store.create_period(Q3)
    unit = store.find_unit("县统计局").id
    ledger.add_item(Q3, LedgerItem.create(unit, "统计信息", dt.date(2021, 7, 5), "采用"))
    ledger.set_source(Q3, unit, DERIVED)
    store.delete_period(Q3)
    assert store.conn.execute("SELECT count(*) FROM ledger_items").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM count_sources").fetchone()[0] == 0
