"""Period specs: years, half-years, ranges and single periods parsed into member periods; errors in Chinese."""

from __future__ import annotations

import pytest

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.span import (
    HALF,
    RANGE,
    SINGLE,
    YEAR,
    Span,
    parse_span,
    previous_period,
)


def keys(span: Span) -> list[str]:
    return [p.key for p in span.members]


@pytest.mark.parametrize(
    "text, members, form, key, label",
    [
        ("2021", ["2021Q1", "2021Q2", "2021Q3", "2021Q4"], YEAR, "2021", "2021年度"),
        ("2021年度", ["2021Q1", "2021Q2", "2021Q3", "2021Q4"], YEAR, "2021", "2021年度"),
        ("2021H1", ["2021Q1", "2021Q2"], HALF, "2021H1", "2021年上半年"),
        ("2021h2", ["2021Q3", "2021Q4"], HALF, "2021H2", "2021年下半年"),
        ("2021年上半年", ["2021Q1", "2021Q2"], HALF, "2021H1", "2021年上半年"),
        ("2021Q1-2021Q3", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021Q1-Q3", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021Q2至2021Q3", ["2021Q2", "2021Q3"], RANGE, "2021Q2-2021Q3", "2021年2-3季度"),
        ("２０２１Ｑ１－２０２１Ｑ３", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021年1-3季度", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021年一至三季度", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021年一季度至三季度", ["2021Q1", "2021Q2", "2021Q3"], RANGE, "2021Q1-2021Q3", "2021年1-3季度"),
        ("2021年第二至第三季度", ["2021Q2", "2021Q3"], RANGE, "2021Q2-2021Q3", "2021年2-3季度"),
        ("2020Q4-2021Q2", ["2020Q4", "2021Q1", "2021Q2"], RANGE, "2020Q4-2021Q2", "2020年四季度至2021年二季度"),
        ("2021Q2", ["2021Q2"], SINGLE, "2021Q2", "2021年二季度"),
        # a range that is a whole year or half is named as one
        ("2021Q1-2021Q4", ["2021Q1", "2021Q2", "2021Q3", "2021Q4"], YEAR, "2021", "2021年度"),
        ("2021Q3-2021Q4", ["2021Q3", "2021Q4"], HALF, "2021H2", "2021年下半年"),
        ("2021M01-2021M06", [f"2021M{m:02d}" for m in range(1, 7)], HALF, "2021H1", "2021年上半年"),
    ],
)
def test_spec_parses_into_member_periods(text, members, form, key, label):
    span = parse_span(text)
    assert keys(span) == members
    assert span.form == form
    assert span.key == key
    assert span.label == label
    assert parse_span(span.key, span.kind) == span  # the canonical spelling reads back (same base kind)


def test_several_whole_years():
    span = parse_span("2017-2021")
    assert len(span) == 20
    assert span.members[0] == Period(2017, "Q", 1) and span.members[-1] == Period(2021, "Q", 4)
    assert span.key == "2017-2021"
    assert span.label == "2017-2021年度"


def test_the_base_kind_decides_what_a_year_holds():
    assert keys(parse_span("2021", "M")) == [f"2021M{m:02d}" for m in range(1, 13)]
    assert keys(parse_span("2021H2", "M")) == [f"2021M{m:02d}" for m in range(7, 13)]
    assert parse_span("2021年1-6月").kind == "M"


@pytest.mark.parametrize(
    "text, words",
    [
        ("2021Q3-2021Q1", ["结束期（2021年一季度）早于开始期（2021年三季度）"]),
        ("2021Q1-2021M06", ["两端不是同一种期间", "季度与月份"]),
        ("abc", ["无法识别期间“abc”", "2021H1（上半年）"]),
        ("2021H3", ["无法识别期间“2021H3”"]),
        ("2021年1-5季度", ["季度只能是1到4"]),
        ("2021Q5-2021Q6", ["期间范围“2021Q5-2021Q6”有误"]),
        ("2021-", ["无法识别期间"]),
        ("", ["请输入期间"]),
        ("1999", ["年份1999不合理"]),
    ],
)
def test_bad_specs_are_refused_with_a_message(text, words):
    with pytest.raises(ValidationError) as err:
        parse_span(text)
    for w in words:
        assert w in str(err.value)


def test_a_spec_of_the_wrong_kind_for_the_database_is_refused():
    with pytest.raises(ValidationError, match="按月份的期间，而数据按季度记录"):
        parse_span("2021M01-2021M03", "Q")
    with pytest.raises(ValidationError, match="按季度的期间，而数据按月份记录"):
        parse_span("2021Q2", "M")


def test_missing_periods_are_named_not_skipped():
    span = parse_span("2021")
    have = [Period(2021, "Q", 1), Period(2021, "Q", 2), Period(2021, "Q", 4)]
    assert span.missing(have) == [Period(2021, "Q", 3)]
    with pytest.raises(ValidationError) as err:
        span.require(have)
    message = str(err.value)
    assert "2021年度的数据不完整：缺少2021年三季度" in message
    assert "2021年四季度" not in message.split("缺少")[1].split("，")[0]
    assert "“2021H1”" in message  # the run that does exist is offered
    assert span.require(have + [Period(2021, "Q", 3)]) == span.members


def test_missing_first_period_offers_no_range():
    with pytest.raises(ValidationError) as err:
        parse_span("2021H1").require([Period(2021, "Q", 2)])
    assert "缺少2021年一季度" in str(err.value)
    assert "或改为" not in str(err.value)


def test_previous_period_and_previous_span():
    assert previous_period(Period(2021, "Q", 1)) == Period(2020, "Q", 4)
    assert previous_period(Period(2021, "Q", 3)) == Period(2021, "Q", 2)
    assert previous_period(Period(2021, "M", 1)) == Period(2020, "M", 12)
    assert parse_span("2021").previous().key == "2020"
    assert parse_span("2021H1").previous().key == "2020H2"
    assert parse_span("2021H2").previous().key == "2021H1"
    assert parse_span("2021Q2").previous().key == "2021Q1"
    with pytest.raises(ValidationError, match="之前没有可比较的期间"):
        parse_span("2000").previous()


def test_membership_and_short_labels():
    span = parse_span("2021H2")
    assert Period(2021, "Q", 3) in span and Period(2021, "Q", 2) not in span
    assert span.short_label(Period(2021, "Q", 3)) == "三季度"
    assert parse_span("2020Q4-2021Q1").short_label(Period(2021, "Q", 1)) == "2021年一季度"
