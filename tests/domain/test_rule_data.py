"""Issue 16's rule as data: value kinds, caps, rank methods, 采用率, dict form, check, presets."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shangnan_desktop.domain import (
    COMPETITION,
    DENSE,
    NONE,
    PRESETS,
    Group,
    GroupSheet,
    Period,
    Row,
    ScoringRule,
    ValidationError,
    adoption_rate,
    check_rule,
    format_rate,
    make_metric,
    parse_score,
    parse_score_text,
    preset,
    preset_titles,
    validate_counts,
)
from shangnan_desktop.domain.period import Period as P
from shangnan_desktop.domain.span import parse_span

# ---- random rules -------------------------------------------------------------------------

weights = st.integers(0, 10**6).map(lambda n: Decimal(n).scaleb(-4))  # 0 .. 100, 4 places


@st.composite
def rules(draw):
    n = draw(st.integers(1, 5))
    metrics = []
    for i in range(n):
        decimal = draw(st.booleans())
        cap = None
        if i > 0 and draw(st.booleans()):
            cap = f"m{draw(st.integers(0, i - 1))}"
        metrics.append(make_metric(f"指标{i}", str(draw(weights)), decimal=decimal, cap=cap, key=f"m{i}"))
    method = draw(st.sampled_from([DENSE, COMPETITION, NONE]))
    return ScoringRule(tuple(metrics), method)


def value_for(draw, metric, bound):
    if metric.decimal:
        top = 999999 if bound is None else int(Decimal(bound) * 100)
        return Decimal(draw(st.integers(0, min(top, 999999)))).scaleb(-2)
    top = 9999 if bound is None else int(bound)
    return draw(st.integers(0, top))


@st.composite
def rows_for(draw, rule, size=None):
    n = draw(st.integers(1, 25)) if size is None else size
    out = []
    for _ in range(n):
        values: list = []
        for m in rule.metrics:
            bound = values[rule.index(m.bounded_by)] if m.bounded_by else None
            values.append(value_for(draw, m, bound))
        out.append(tuple(values))
    return out


def sheet(rule, values):
    return GroupSheet(Group(1, "镇办", 1), rule, [Row(i, f"单位{i}", v) for i, v in enumerate(values)])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_scores_equal_fraction_weighted_sums(data):
    rule = data.draw(rules())
    values = data.draw(rows_for(rule))
    gs = sheet(rule, values)
    for v, score in zip(values, gs.scores):
        exact = sum((Fraction(m.weight) * Fraction(x) for m, x in zip(rule.metrics, v)), Fraction(0))
        assert Fraction(score) == exact
        assert isinstance(score, Decimal)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_ranks_follow_their_definitions_and_ties_stay_ties(data):
    rule = data.draw(rules())
    values = data.draw(rows_for(rule))
    values += values[: data.draw(st.integers(0, len(values)))]  # duplicate rows: sure ties
    gs = sheet(rule, values)
    exact = [sum((Fraction(m.weight) * Fraction(x) for m, x in zip(rule.metrics, v)), Fraction(0)) for v in values]
    rows = gs.in_unit_order()
    for r, s in zip(rows, exact):
        higher = [t for t in exact if t > s]
        if rule.rank_method == DENSE:
            assert r.rank == len(set(higher)) + 1
        elif rule.rank_method == COMPETITION:
            assert r.rank == len(higher) + 1
        else:
            assert r.rank is None
    for a, b in zip(rows, rows[1:]):
        if a.score == b.score:
            assert a.rank == b.rank
    if rule.rank_method == NONE:
        assert [r.unit_id for r in gs.ranked()] == list(range(len(values)))
    else:
        order = gs.ranked()
        for a, b in zip(order, order[1:]):
            assert a.score > b.score or (a.score == b.score and a.unit_id < b.unit_id)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_caps_are_enforced_and_values_round_trip_as_text(data):
    rule = data.draw(rules())
    (values,) = data.draw(rows_for(rule, size=1))
    as_text = [str(v) for v in values]
    assert validate_counts(rule, as_text) == values
    capped = [m for m in rule.metrics if m.bounded_by]
    if capped:
        m = data.draw(st.sampled_from(capped))
        bound = values[rule.index(m.bounded_by)]
        over = list(as_text)
        over[rule.index(m.key)] = str(bound + Decimal("0.01") if m.decimal else int(bound) + 1)
        if (m.decimal and bound + Decimal("0.01") <= Decimal("9999.99")) or (not m.decimal and int(bound) + 1 <= 9999):
            with pytest.raises(ValidationError, match="不能多于"):
                validate_counts(rule, over)


@settings(max_examples=100, deadline=None)
@given(rules(), st.booleans())
def test_dict_round_trip(rule, with_rate):
    if with_rate and len(rule.metrics) >= 2:
        rule = ScoringRule(rule.metrics, rule.rank_method, (rule.keys[1], rule.keys[0]))
    data = json.loads(json.dumps(rule.to_dict()))
    assert check_rule(data) == []
    assert ScoringRule.from_dict(data) == rule
    assert ScoringRule.from_json(rule.to_json()) == rule


def test_default_rule_serialises_exactly_as_before():
    assert ScoringRule.default().to_json() == (
        '{"metrics": [{"bounded_by": null, "key": "submitted", "label": "报送信息", "note": '
        '"每上报一条信息计{weight}分", "weight": "0.2"}, {"bounded_by": "submitted", "key": "adopted", '
        '"label": "采用信息", "note": "采用一条信息计{weight}分", "weight": "1"}], "rank_method": "dense"}'
    )


def test_check_lists_every_problem_in_chinese():
    problems = check_rule(
        {
            "rank_method": "random",
            "metrics": [
                {"key": "a", "label": "报送", "weight": "0.12345"},
                {"key": "b", "label": "采用", "weight": "1", "bounded_by": "c", "value_kind": "x"},
                {"key": "a", "label": "报送", "weight": "-1"},
            ],
            "rate": ["b", "b"],
        }
    )
    text = "；".join(problems)
    for part in ("最多保留4位小数", "上限指标“c”不存在", "数值类型“x”未知", "“报送”重复", "0到1000之间",
                 "未知的排名方式", "采用率"):
        assert part in text, part
    assert check_rule({"metrics": []}) == ["评分规则至少需要一个指标"]
    assert check_rule("x") and check_rule({"metrics": [{"key": "b", "label": "b", "weight": "1", "bounded_by": "a"},
                                                        {"key": "a", "label": "a", "weight": "1"}]}) == [
        "指标“b”的上限指标“a”必须排在它前面"
    ]
    with pytest.raises(ValidationError, match="评分规则有误"):
        ScoringRule.from_dict({"metrics": [{"key": "a", "label": "a", "weight": 0.2}]})


# ---- the strict decimal parser ------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [("74.4", "74.4"), ("８", "8"), ("７４．４", "74.4"), (" 3.25 ", "3.25"), ("", "0"), ("0.5", "0.5"),
     ("9999.99", "9999.99")],
)
def test_decimal_parser_accepts(text, value):
    assert parse_score_text(text) == Decimal(value)


@pytest.mark.parametrize(
    "text, message",
    [("1,2", "两个数"), ("1，5", "两个数"), ("1 2", "两个数"), ("1e3", "不是数字"), ("1_0", "不是数字"),
     ("+1", "不是数字"), ("-1.5", "负数"), (".5", "小数点前后"), ("5.", "小数点前后"), ("1.234", "最多保留2位小数"),
     ("1.2.3", "不是数字"), ("١٢", "不是数字"), ("NaN", "不是数字"), ("10000", "过大"), ("七", "不是数字")],
)
def test_decimal_parser_refuses_with_chinese_message(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_score_text(text, label="公开率得分")


def test_decimal_parser_other_inputs():
    assert parse_score(3) == 3 and parse_score(None) == 0
    assert parse_score(74.4) == Decimal("74.4")  # a workbook's float cell, read by its repr
    assert parse_score(Decimal("7.500")) == Decimal("7.50")
    for bad in (True, float("nan"), Decimal("1.005"), 0.125, -1):
        with pytest.raises(ValidationError):
            parse_score(bad)


def test_count_metrics_keep_the_strict_count_parser():
    rule = ScoringRule((make_metric("报送", "1"), make_metric("得分项", "1", decimal=True)))
    with pytest.raises(ValidationError, match="不是整数"):
        validate_counts(rule, ["2.5", "2.5"])
    assert validate_counts(rule, ["２", "2.5"]) == (2, Decimal("2.5"))


# ---- 采用率 ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "adopted, submitted, shown",
    [(16, 28, "57.1%"), (12, 33, "36.4%"), (20, 47, "42.6%"), (7, 14, "50.0%"), (3, 3, "100.0%"),
     (1, 16, "6.3%"),  # 6.25: half-up, not half-even (6.2)
     (1, 80, "1.3%"), (0, 5, "0.0%"), (0, 0, "—")],
)
def test_adoption_rate_half_up(adopted, submitted, shown):
    assert format_rate(adoption_rate(adopted, submitted)) == shown


@given(st.integers(0, 9999), st.integers(1, 9999))
def test_adoption_rate_is_exact_half_up(a, s):
    rate = adoption_rate(a, s)
    exact = Fraction(a, s) * 100
    assert abs(Fraction(rate) - exact) <= Fraction(1, 20)
    assert Fraction(rate) - exact <= Fraction(1, 20) and exact - Fraction(rate) < Fraction(1, 20)


# ---- presets ----------------------------------------------------------------------------

def test_presets_are_named_by_what_they_do():
    titles = [t for _k, t in preset_titles()]
    assert titles == [
        "报送加采用（每条报送0.2分、采用1分，中国式排名）",
        "两级采用（县级采用5分、市级采用10分，报送不计分）",
        "只计采用（每条采用3分）",
        "评分汇总（小数分项相加，竞争排名）",
    ]
    assert preset("submit_adopt") == ScoringRule.default()
    two = preset("two_levels")
    assert two.score((7, 2, 1)) == 20
    assert two.note_line() == "注：每条县级采用计5分，每条市级采用计10分。"
    only = preset("adopt_only")
    assert only.score((9, 4)) == 12 and only.note_line() == "注：每条采用信息计3分。"
    scores = preset("score_sum")
    assert scores.rank_method == COMPETITION and all(m.decimal for m in scores.metrics)
    assert scores.score((Decimal("74.4"), 8, Decimal("7.25"))) == Decimal("89.65")
    assert scores.note_line() == "注：得分为各项得分之和。"
    for key in PRESETS:
        assert ScoringRule.from_json(preset(key).to_json()) == preset(key)
    with pytest.raises(ValidationError, match="没有这个预设规则"):
        preset("xining")


# ---- periods ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed, key, label",
    [("2023M01", "2023M01", "2023年1月"), ("2023年1月", "2023M01", "2023年1月"),
     ("2023Q1", "2023Q1", "2023年一季度"), ("2021年二季度", "2021Q2", "2021年二季度"),
     ("2023H1", "2023H1", "2023年上半年"), ("2023h2", "2023H2", "2023年下半年"),
     ("2023年上半年", "2023H1", "2023年上半年"), ("2023年下半年", "2023H2", "2023年下半年"),
     ("2023", "2023", "2023年度"), ("2023年度", "2023", "2023年度")],
)
def test_period_kinds(typed, key, label):
    p = Period.parse(typed)
    assert (p.key, p.label) == (key, label)
    assert Period.parse(p.key) == p


def test_half_year_periods_step_and_refuse():
    assert P.parse("2023H2").next() == P(2024, "H", 1)
    with pytest.raises(ValidationError, match="半年只能是1到2"):
        P.parse("2023H3")
    assert Group(1, "市直各部门", 1, annex_title="{period}{group}信息采用情况统计表").title(
        P.parse("2023年上半年").label) == "2023年上半年市直各部门信息采用情况统计表"


def test_spans_in_a_quarter_database_stay_runs_of_quarters():
    # Period.parse("2021H1") is a half-year period, but a span in a quarter database is the run Q1-Q2.
    assert [m.key for m in parse_span("2021H1").members] == ["2021Q1", "2021Q2"]
    assert [m.key for m in parse_span("2021H1-2021H2").members] == [f"2021Q{i}" for i in range(1, 5)]
    assert [m.key for m in parse_span("2021H2", "M").members][0] == "2021M07"
    # in a half-yearly database the same text is one base period, and a year is two
    assert parse_span("2021H1", "H").is_single
    assert [m.key for m in parse_span("2021", "H").members] == ["2021H1", "2021H2"]
    assert parse_span("2020H2-2021H1", "H").label == "2020年下半年至2021年上半年"


def test_summary_counts_items_and_sums_scores():
    rule = ScoringRule((make_metric("报送信息", "0.5", key="submitted"), make_metric("公开率得分", "1", decimal=True)))
    gs = sheet(rule, [(3, Decimal("2.5")), (0, Decimal("1.25"))])
    from shangnan_desktop.domain import PeriodSheet

    text = PeriodSheet(Period.parse("2023H1"), rule, [gs]).summary().as_text()
    assert text.splitlines()[0] == "2023年上半年信息报送汇总"
    assert "报送信息3条，公开率得分3.75分" in text
