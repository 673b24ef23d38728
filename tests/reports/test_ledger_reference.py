"""A ledger that reproduces some 2021 Q2 reference counts; the reference itself stays typed totals."""

import datetime as dt

from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import TYPED, CountSources, UnitMatcher, derived_rule_counts
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.reports.ledger_import import preview_ledger_import
from tests.reports.ledger_files import write_xlsx

Q2 = Period.parse("2021Q2")
# unit as stored, the name the article list uses
CHOSEN = {
    "县文旅局": "商南县文化和旅游广电局",
    "金丝峡景区管理委员会": "金丝峡景区管理委员会",
    "试马镇": "试马镇",
    "交警大队": "商南县公安局交通警察大队",
    "县水利局": "县水利局",
}


def article_list(sheet, unit_ids):
    """Items matching each chosen unit's typed counts, plus a repeat and a July item that must not count."""
    spec = []
    start = dt.datetime(2021, 4, 1, 9, 0)
    for group in sheet.groups:
        for row in group.rows:
            if row.unit_id not in unit_ids:
                continue
            submitted, adopted = row.counts
            name = CHOSEN[row.name]
            for k in range(submitted):
                when = start + dt.timedelta(hours=7 * k)
                status = "已采用" if k < adopted else ("退回" if k % 2 else "未采用")
                spec.append((f"{row.name}信息第{k + 1}条", name, when, when + dt.timedelta(days=1), status, "动态"))
            if submitted:
                spec.append((f"{row.name}信息第1条", name, start, None, "未采用", "动态"))  # a repeat
            spec.append((f"{row.name}七月的信息", name, dt.datetime(2021, 7, 1, 8, 0), None, "已采用", "动态"))
    return spec


def test_ledger_reproduces_reference_counts(store, tmp_path):
    sheet = store.load_sheet(Q2)
    units = {u.name: u.id for u in store.units()}
    chosen_ids = {units[name] for name in CHOSEN}
    typed = {row.unit_id: {SUBMITTED: row.counts[0], ADOPTED: row.counts[1]} for g in sheet.groups for row in g.rows}
    assert {name: tuple(typed[units[name]].values()) for name in CHOSEN} == {
        "县文旅局": (60, 54), "金丝峡景区管理委员会": (43, 41), "试马镇": (2, 2), "交警大队": (8, 0), "县水利局": (1, 0),
    }

    path = write_xlsx(tmp_path / "二季度文章列表.xlsx", article_list(sheet, chosen_ids))
    matcher = UnitMatcher([(u.id, u.name) for u in store.units()])
    preview = preview_ledger_import(path, Q2, matcher)
    unknown = {u.name: u.candidates[0].name for u in preview.unknown()}
    assert unknown == {"商南县文化和旅游广电局": "县文旅局", "商南县公安局交通警察大队": "交警大队"}
    for name, unit in unknown.items():
        preview.choose(name, units[unit])

    derived = preview.counts()
    for name in CHOSEN:
        unit_id = units[name]
        assert derived_rule_counts(derived[unit_id], sheet.rule.keys) == tuple(typed[unit_id].values()), name
    assert len(preview.outside()) == len(CHOSEN)
    assert len(preview.duplicates()) == len(CHOSEN)  # every unit has submitted items, each one repeat

    # The reference stays typed: with no unit switched, the effective counts are the typed totals,
    # and nothing of the preview reached the database.
    sources = CountSources()
    assert all(sources.source(unit_id) == TYPED for unit_id in typed)
    assert sources.effective_counts(typed, preview.ledger()) == typed
    again = store.load_sheet(Q2)
    assert [r.counts for g in again.groups for r in g.rows] == [r.counts for g in sheet.groups for r in g.rows]
