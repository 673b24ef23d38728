"""Property tests: exact scores, the definitions of dense and competition ranks, validation."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shangnan_desktop.domain import (
    COMPETITION,
    DENSE,
    MAX_COUNT,
    Group,
    GroupSheet,
    Metric,
    Row,
    ScoringRule,
    ValidationError,
    format_decimal,
    rank,
    ranked_order,
    validate_counts,
)

counts = st.integers(0, MAX_COUNT).flatmap(lambda s: st.tuples(st.just(s), st.integers(0, s)))
scores = st.lists(st.integers(0, 60).map(lambda t: Decimal(t) / 10), max_size=80)


@given(counts)
def test_default_score_is_exact_tenths(pair):
    submitted, adopted = pair
    score = ScoringRule.default().score(pair)
    assert score * 10 == 2 * submitted + 10 * adopted
    assert isinstance(score, Decimal)


@given(scores)
def test_dense_rank_definition(values):
    ranks = rank(values, DENSE)
    for s, r in zip(values, ranks):
        assert r == len({t for t in values if t > s}) + 1
    if values:
        assert sorted(set(ranks)) == list(range(1, len(set(values)) + 1))


@given(scores)
def test_competition_rank_definition(values):
    for s, r in zip(values, rank(values, COMPETITION)):
        assert r == sum(1 for t in values if t > s) + 1


@given(scores)
def test_ranked_order_keeps_unit_order_within_ties(values):
    order = ranked_order(values)
    for a, b in zip(order, order[1:]):
        assert values[a] > values[b] or (values[a] == values[b] and a < b)


@given(st.lists(counts, min_size=1, max_size=40), st.data(), st.sampled_from([DENSE, COMPETITION]))
def test_incremental_ranks_equal_full_recompute(rows, data, method):
    rule = ScoringRule(ScoringRule.default().metrics, method)
    sheet = GroupSheet(Group(1, "g", 1), rule, [Row(i, f"u{i}", c) for i, c in enumerate(rows)])
    for _ in range(data.draw(st.integers(1, 15))):
        i = data.draw(st.integers(0, len(rows) - 1))
        sheet.set_counts(i, data.draw(counts))
        expected = rank([rule.score(r.counts) for r in sheet.rows], method)
        assert [sheet.rank(k) for k in range(len(rows))] == expected
        assert sheet.totals == [sum(r.counts[k] for r in sheet.rows) for k in range(2)]


@given(st.integers(-10**6, -1) | st.integers(MAX_COUNT + 1, 10**9))
def test_out_of_range_refused(n):
    with pytest.raises(ValidationError):
        validate_counts(ScoringRule.default(), [n, 0])


@given(counts)
def test_adopted_above_submitted_refused(pair):
    submitted, adopted = pair
    if submitted < MAX_COUNT:
        with pytest.raises(ValidationError, match="不能多于"):
            validate_counts(ScoringRule.default(), [submitted, submitted + 1])
    assert validate_counts(ScoringRule.default(), [submitted, adopted]) == (submitted, adopted)


@pytest.mark.parametrize("bad", ["3.5", "十", "abc", "1e3x", 2.5, "-1", "=1+1", True, [1]])
def test_non_integers_refused(bad):
    with pytest.raises(ValidationError):
        validate_counts(ScoringRule.default(), [bad, 0])


@pytest.mark.parametrize("text, value", [("１２", 12), (" 7 ", 7), ("\u30007\u3000", 7), (3.0, 3), ("", 0)])
def test_forgiving_inputs_accepted(text, value):
    assert validate_counts(ScoringRule.default(), [text, 0]) == (value, 0)


def test_message_names_unit_and_problem():
    with pytest.raises(ValidationError) as err:
        validate_counts(ScoringRule.default(), [2, 5], unit="县水利局")
    assert "县水利局" in str(err.value) and "采用信息" in str(err.value)


def test_extra_metric_and_note_line():
    rule = ScoringRule(
        ScoringRule.default().metrics
        + (Metric("city", "市级采用", Decimal("2.50"), "被市政府网站采用一条计{weight}分", "adopted"),),
    )
    assert rule.score((10, 5, 2)) == Decimal("12")
    assert rule.note_line() == "注：每上报一条信息计0.2分，采用一条信息计1分，被市政府网站采用一条计2.5分。"
    assert ScoringRule.from_json(rule.to_json()) == rule
    with pytest.raises(ValidationError):
        validate_counts(rule, [10, 5, 6])


@pytest.mark.parametrize("value, text", [("30.40", "30.4"), ("6.0", "6"), ("0.00", "0"), ("60", "60"), ("100.0", "100")])
def test_format_decimal(value, text):
    assert format_decimal(Decimal(value)) == text
