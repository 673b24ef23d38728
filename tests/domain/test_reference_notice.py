"""The 2021 Q2 notice reproduced from the stored reference data."""

from decimal import Decimal

from shangnan_desktop.domain import format_decimal
from tests.reference import DEPARTMENTS, TOWNSHIPS, expected


def _table(store, group):
    sheet = store.load_sheet(store.latest_period())
    return [(r.name, *r.counts, r.score, r.rank) for r in sheet.group(group).ranked()]


def test_townships_match_published_scores_and_ranks(store):
    assert _table(store, "镇办") == expected(TOWNSHIPS)


def test_departments_match_published_except_the_zero_rank_slip(store):
    got = _table(store, "县直部门")
    assert got == expected(DEPARTMENTS)
    # The notice printed 27 for both 0.2 and 0; dense ranking separates them.
    ranks = {name: rank for name, *_, rank in got}
    assert ranks["县水利局"] == 27
    assert ranks["县烟草局"] == 28


def test_scores_print_like_the_notice(store):
    sheet = store.load_sheet(store.latest_period())
    printed = [format_decimal(r.score) for r in sheet.group("镇办").ranked()]
    assert printed == [sc for *_, sc, _r in TOWNSHIPS]


def test_totals_and_zero_submitters(store):
    summary = store.load_sheet(store.latest_period()).summary()
    towns, depts = summary.groups
    assert (towns.units, towns.totals) == (10, (132, 107))
    assert (depts.units, depts.totals) == (52, (528, 439))
    assert summary.total("adopted") == 546
    assert summary.centre_published == 1769
    assert summary.total_published == 2315
    assert len(summary.zero_units) == 16
    assert towns.zero_units == ()
    assert summary.zero_units[0] == "县发改局" and summary.zero_units[-1] == "县烟草局"
    assert towns.top_units == ("过风楼镇", "赵川镇", "清油河镇")


def test_binary_float_would_break_the_tie(store):
    # 0.2 * 3 in floats is 0.6000000000000001; exact decimals keep ties as ties.
    sheet = store.load_sheet(store.latest_period())
    depts = sheet.group("县直部门")
    audit = depts.ranked()[14:16]
    assert [r.name for r in audit] == ["县审计局", "县统计局"]
    assert audit[0].score == audit[1].score == Decimal("6.2")
    assert 0.2 * 3 != 0.6 and sheet.rule.score((3, 0)) == Decimal("0.6")


def test_note_line(store):
    rule = store.rule(store.latest_period())
    assert rule.note_line() == "注：每上报一条信息计0.2分，采用一条信息计1分。"
