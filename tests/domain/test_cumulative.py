"""Cumulative rankings, rank changes and a unit's history, checked against sums worked out by hand.

The small case (two groups, three quarters):

    镇办      2021Q1 (0.2/1)   2021Q2 (0.2/1)   2021Q3 (0.5/1: the rule changed)
    甲镇       10, 5            4, 4             6, 2
    乙局→丙局   3, 1            10, 5             2, 2     (renamed in Q3)
    丁办       20, 10            0, 0             —        (retired after Q2)
    戊中心      —                8, 6            10, 5     (joined in Q2)
    县直部门
    己局        1, 0             1, 1             2, 0
    庚局        0, 0             0, 0             0, 0
    辛局        2, 1             5, 0             0, 0
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from shangnan_desktop.domain import (
    ADOPTED,
    SUBMITTED,
    GroupSheet,
    Metric,
    Period,
    PeriodSheet,
    Row,
    ScoringRule,
    ValidationError,
)
from shangnan_desktop.domain.cumulative import (
    Change,
    PeriodRun,
    compare,
    cumulative,
    single_run,
    unit_history,
)
from shangnan_desktop.domain.span import parse_span
from shangnan_desktop.domain.units import Group, Unit

TOWNS = Group(1, "镇办", 1, "镇办", "{period}各镇（办）向县政府网站报送政务信息情况统计表")
DEPTS = Group(2, "县直部门", 2, "单位", "{period}县直有关部门向县政府网站报送政务信息情况统计表")
OLD = ScoringRule.default()
NEW = ScoringRule(
    (
        Metric(SUBMITTED, "报送信息", D("0.5"), "每上报一条信息计{weight}分"),
        Metric(ADOPTED, "采用信息", D(1), "采用一条信息计{weight}分", SUBMITTED),
    )
)
Q1, Q2, Q3 = Period(2021, "Q", 1), Period(2021, "Q", 2), Period(2021, "Q", 3)
JIA, YI, DING, WU, JI, GENG, XIN = 1, 2, 3, 4, 5, 6, 7

UNITS = (
    Unit(JIA, 1, "甲镇", 1), Unit(YI, 1, "丙局", 2), Unit(DING, 1, "丁办", 3, active=False),
    Unit(WU, 1, "戊中心", 4), Unit(JI, 2, "己局", 1), Unit(GENG, 2, "庚局", 2), Unit(XIN, 2, "辛局", 3),
)


def sheet(period, rule, towns, depts) -> PeriodSheet:
    return PeriodSheet(period, rule, [
        GroupSheet(TOWNS, rule, [Row(uid, name, counts) for uid, name, counts in towns]),
        GroupSheet(DEPTS, rule, [Row(uid, name, counts) for uid, name, counts in depts]),
    ])


def sheets() -> tuple[PeriodSheet, ...]:
    q1 = sheet(Q1, OLD,
               [(JIA, "甲镇", (10, 5)), (YI, "乙局", (3, 1)), (DING, "丁办", (20, 10))],
               [(JI, "己局", (1, 0)), (GENG, "庚局", (0, 0)), (XIN, "辛局", (2, 1))])
    q2 = sheet(Q2, OLD,
               [(JIA, "甲镇", (4, 4)), (YI, "乙局", (10, 5)), (DING, "丁办", (0, 0)), (WU, "戊中心", (8, 6))],
               [(JI, "己局", (1, 1)), (GENG, "庚局", (0, 0)), (XIN, "辛局", (5, 0))])
    q3 = sheet(Q3, NEW,
               [(JIA, "甲镇", (6, 2)), (YI, "丙局", (2, 2)), (WU, "戊中心", (10, 5))],
               [(JI, "己局", (2, 0)), (GENG, "庚局", (0, 0)), (XIN, "辛局", (0, 0))])
    return q1, q2, q3


def run(spec="2021Q1-2021Q3", units=UNITS) -> PeriodRun:
    return PeriodRun(parse_span(spec), sheets(), units)


# ---- cumulative ------------------------------------------------------------------------------------
def test_counts_are_summed_and_each_quarter_scored_under_its_own_rule():
    table = cumulative(run())
    towns = {r.unit_id: r for r in table.group("镇办").rows}
    # by hand: Q1 and Q2 at 0.2 per item submitted, Q3 at 0.5; 1 per item adopted throughout
    assert towns[JIA].counts == (10 + 4 + 6, 5 + 4 + 2)
    assert towns[JIA].score == (D("0.2") * 10 + 5) + (D("0.2") * 4 + 4) + (D("0.5") * 6 + 2) == D("16.8")
    assert towns[YI].counts == (3 + 10 + 2, 1 + 5 + 2)
    assert towns[YI].score == (D("0.2") * 3 + 1) + (D("0.2") * 10 + 5) + (D("0.5") * 2 + 2) == D("11.6")
    assert towns[DING].counts == (20, 10)
    assert towns[DING].score == D("0.2") * 20 + 10 == D(14)
    assert towns[WU].counts == (8 + 10, 6 + 5)
    assert towns[WU].score == (D("0.2") * 8 + 6) + (D("0.5") * 10 + 5) == D("17.6")
    # dense ranks on the sums: 17.6, 16.8, 14, 11.6. Had Q3 been scored at 0.2, 甲镇 (15.0) would lead.
    assert [(r.unit_id, r.rank) for r in table.group("镇办").rows] == [(WU, 1), (JIA, 2), (DING, 3), (YI, 4)]
    assert table.group("镇办").totals == (20 + 15 + 20 + 18, 11 + 8 + 10 + 11)


def test_equal_sums_share_a_rank_in_unit_order():
    depts = cumulative(run()).group("县直部门").rows
    # 己局 0.2 + 1.2 + 1.0 = 2.4, 辛局 1.4 + 1.0 + 0 = 2.4, 庚局 0
    assert (D("0.2") * 1 + 0) + (D("0.2") * 1 + 1) + (D("0.5") * 2 + 0) == (D("0.2") * 2 + 1) + (D("0.2") * 5 + 0)
    assert [(r.name, r.score, r.rank) for r in depts] == [
        ("己局", D("2.4"), 1), ("辛局", D("2.4"), 1), ("庚局", D(0), 2),
    ]


def test_a_renamed_unit_keeps_its_history_under_its_latest_name():
    row = cumulative(run()).row(YI)
    assert row.name == "丙局"
    assert row.former_names == ("乙局",)
    assert row.present == (Q1, Q2, Q3)
    assert row.mark == ""


def test_units_that_joined_or_left_appear_with_what_they_have_marked():
    table = cumulative(run())
    assert table.row(DING).present == (Q1, Q2)
    assert table.row(DING).retired
    assert table.row(DING).mark == "（至二季度，已停用）"
    assert table.row(WU).present == (Q2, Q3)
    assert table.row(WU).mark == "（二季度起）"
    assert table.row(JIA).mark == ""
    # without the unit list a unit that left is not called retired
    assert cumulative(run(units=())).row(DING).mark == "（至二季度）"


def test_the_note_states_the_rule_change_the_marks_and_the_renaming():
    note = cumulative(run()).note()
    lines = note.split("\n")
    assert lines[0] == (
        "注：得分为2021年一季度至三季度3期得分之和，各期按当期评分规则计分（期间内评分规则有调整）："
        "一季度至二季度每上报一条信息计0.2分，采用一条信息计1分；三季度每上报一条信息计0.5分，采用一条信息计1分。"
    )
    assert any("注“（…起）”的单位自该期起参加排名" in line for line in lines)
    assert lines[-1] == "丙局原名乙局。"


def test_one_rule_throughout_is_stated_once():
    q1, q2, _q3 = sheets()
    table = cumulative(PeriodRun(parse_span("2021H1"), (q1, q2), UNITS))
    assert not table.rule_changed
    assert table.note().split("\n")[0] == (
        "注：每上报一条信息计0.2分，采用一条信息计1分。得分为2021年一季度至二季度2期得分之和。"
    )


def test_a_metric_only_one_period_counted_gets_its_own_column():
    extra = ScoringRule(OLD.metrics + (Metric("lead", "领导批示", D(2), "领导批示一条计{weight}分"),))
    q1 = sheet(Q1, extra, [(JIA, "甲镇", (1, 1, 3))], [])
    q2 = sheet(Q2, OLD, [(JIA, "甲镇", (2, 0))], [])
    table = cumulative(PeriodRun(parse_span("2021H1"), (q1, q2)))
    assert [m.key for m in table.metrics] == [SUBMITTED, ADOPTED, "lead"]
    assert table.row(JIA).counts == (3, 1, 3)
    assert table.row(JIA).score == (D("0.2") * 1 + 1 + 2 * 3) + D("0.2") * 2


def test_a_run_must_hold_every_member_period():
    q1, _q2, q3 = sheets()
    with pytest.raises(ValidationError, match="缺少2021年二季度"):
        PeriodRun(parse_span("2021Q1-2021Q3"), (q1, q3))
    loaded = []
    with pytest.raises(ValidationError, match="2021年度的数据不完整：缺少2021年四季度"):
        PeriodRun.load(parse_span("2021"), loaded.append, [Q1, Q2, Q3])
    assert loaded == []  # nothing read before the check


def test_load_reads_each_member_once():
    by_period = {s.period: s for s in sheets()}
    seen = []

    def load(p):
        seen.append(p)
        return by_period[p]

    r = PeriodRun.load(parse_span("2021Q1-2021Q3"), load, list(by_period), UNITS)
    assert seen == [Q1, Q2, Q3] and r.periods == (Q1, Q2, Q3)


def test_a_single_quarter_is_its_own_cumulative():
    q2 = sheets()[1]
    table = cumulative(single_run(q2, UNITS))
    for gs in q2.groups:
        assert [(r.unit_id, r.score, r.rank) for r in table.group(gs.name).rows] == [
            (r.unit_id, r.score, r.rank) for r in gs.ranked()
        ]


# ---- comparison ------------------------------------------------------------------------------------
def test_compare_columns_rose_fell_stayed_new():
    q1, q2, _q3 = sheets()
    changes = compare(q2, q1)
    # 镇办 Q1: 丁办 14 (1), 甲镇 7 (2), 乙局 1.6 (3); Q2: 戊中心 7.6 (1), 乙局 7 (2), 甲镇 4.8 (3), 丁办 0 (4)
    assert (changes[YI].previous_rank, changes[YI].rank, changes[YI].text) == (3, 2, "↑1")
    assert (changes[JIA].previous_rank, changes[JIA].rank, changes[JIA].text) == (2, 3, "↓1")
    assert (changes[DING].previous_rank, changes[DING].rank, changes[DING].text) == (1, 4, "↓3")
    assert (changes[WU].previous_rank, changes[WU].rank, changes[WU].text) == (None, 1, "新增")
    # 县直部门 Q1: 辛局 1.4 (1), 己局 0.2 (2), 庚局 0 (3); Q2: 己局 1.2 (1), 辛局 1.0 (2), 庚局 0 (3)
    assert (changes[GENG].previous_rank, changes[GENG].rank, changes[GENG].text) == (3, 3, "持平")
    assert changes[JI].text == "↑1" and changes[XIN].text == "↓1"
    assert changes[JI].delta == 1 and changes[XIN].delta == -1 and changes[WU].delta is None


def test_without_a_previous_period_every_unit_is_new():
    assert {c.text for c in compare(sheets()[0], None).values()} == {"新增"}


def test_change_text():
    assert [Change(2, 5).text, Change(5, 2).text, Change(3, 3).text, Change(1, None).text] == [
        "↑3", "↓3", "持平", "新增"
    ]


def test_cumulative_tables_compare_too():
    q1, q2, q3 = sheets()
    h1 = cumulative(PeriodRun(parse_span("2021H1"), (q1, q2), UNITS))
    q3_alone = cumulative(single_run(q3, UNITS))
    changes = compare(q3_alone, h1)
    # H1 镇办: 乙局 8.6 (2), 戊中心 7.6 (3); Q3 alone: 戊中心 10 (1), 甲镇 5 (2), 丙局 3 (3)
    assert h1.row(YI).score == D("0.2") * 3 + 1 + D("0.2") * 10 + 5 == D("8.6")
    assert changes[WU].previous_rank == h1.row(WU).rank
    assert changes[WU].text == f"↑{h1.row(WU).rank - 1}"
    assert DING not in changes  # retired: not in Q3


# ---- history ---------------------------------------------------------------------------------------
def test_history_of_a_renamed_unit():
    h = unit_history(YI, sheets())
    assert h.name == "丙局"
    assert [(p.period, p.name, p.counts, p.score, p.rank, p.of) for p in h.points] == [
        (Q1, "乙局", (3, 1), D("0.2") * 3 + 1, 3, 3),
        (Q2, "乙局", (10, 5), D("0.2") * 10 + 5, 2, 4),
        (Q3, "丙局", (2, 2), D("0.5") * 2 + 2, 3, 3),
    ]
    assert [p.change.text if p.change else None for p in h.points] == [None, "↑1", "↓1"]
    assert h.header() == ["期间", "单位名称", "报送信息", "采用信息", "得分", "排名", "本组单位数", "变化"]
    assert h.rows()[2] == ["2021年三季度", "丙局", "2", "2", "3", "3", "3", "↓1"]
    text = h.as_text()
    assert "2021年二季度：报送信息10条，采用信息5条，得分7，镇办第2名（共4个单位），时称乙局，较上期↑1。" in text


def test_history_of_a_unit_that_joined_and_one_that_left():
    joined = unit_history(WU, sheets())
    assert [p.period for p in joined.points] == [Q2, Q3]
    assert joined.points[0].change.text == "新增"  # Q1 was looked at and it was not there
    left = unit_history(DING, sheets(), name="丁办")
    assert [p.period for p in left.points] == [Q1, Q2]
    assert left.points[1].change.text == "↓3"


def test_history_of_an_unknown_unit():
    from shangnan_desktop.domain import NotFoundError

    with pytest.raises(NotFoundError):
        unit_history(999, sheets())
    assert unit_history(999, sheets(), name="某单位").as_text() == "某单位：没有任何期间的数据。"


def test_a_change_of_rank_method_alone_is_not_a_rule_change():
    from shangnan_desktop.domain import COMPETITION

    q1, q2, _q3 = sheets()
    competition = ScoringRule(OLD.metrics, COMPETITION)
    q2 = PeriodSheet(Q2, competition, [GroupSheet(g.group, competition, g.rows) for g in q2.groups])
    table = cumulative(PeriodRun(parse_span("2021H1"), (q1, q2), UNITS))
    assert not table.rule_changed
    lines = table.note().split("\n")
    assert lines[0].startswith("注：每上报一条信息计0.2分，采用一条信息计1分。")
    assert lines[1] == "各期排名方式不同，累计排名按竞争排名。"
    assert table.rank_method == COMPETITION
    # competition ranks on the sums: 甲镇 7 + 4.8 = 11.8, 丁办 14, 乙局 1.6 + 7 = 8.6, 戊中心 7.6
    assert [(r.unit_id, r.rank) for r in table.group("镇办").rows] == [(DING, 1), (JIA, 2), (YI, 3), (WU, 4)]


def test_the_note_of_a_single_quarter_is_its_rule():
    assert cumulative(single_run(sheets()[0])).note() == "注：每上报一条信息计0.2分，采用一条信息计1分。"
