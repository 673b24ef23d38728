"""The item ledger's domain: items, counts derived from them, duplicates, dates, source of counts, aliases."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.ledger import (
    ALIAS,
    DERIVED,
    EXACT,
    TYPED,
    CountSources,
    DerivedCountsError,
    LedgerItem,
    PeriodLedger,
    UnitMatcher,
    derived_rule_counts,
    name_similarity,
    parse_status,
    period_dates,
    title_key,
)
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED

Q2 = Period.parse("2021Q2")
D = dt.date


def item(unit, title, day=D(2021, 4, 10), status="采用", **kw):
    return LedgerItem.create(unit, title, day, status, **kw)


def test_period_dates():
    assert period_dates(Q2) == (D(2021, 4, 1), D(2021, 6, 30))
    assert period_dates(Period.parse("2021Q4")) == (D(2021, 10, 1), D(2021, 12, 31))
    assert period_dates(Period.parse("2020M02")) == (D(2020, 2, 1), D(2020, 2, 29))
    assert period_dates(Period.parse("2021")) == (D(2021, 1, 1), D(2021, 12, 31))
    assert period_dates(Period.parse("2021H1")) == (D(2021, 1, 1), D(2021, 6, 30))
    assert period_dates(Period.parse("2021年下半年")) == (D(2021, 7, 1), D(2021, 12, 31))


@pytest.mark.parametrize("text, status", [
    ("已采用", "采用"), ("采用", "采用"), ("已发布", "采用"), ("审核通过", "采用"), (" 采 用 ", "采用"),
    ("未采用", "未采用"), ("待审核", "未采用"), ("", "未采用"), (None, "未采用"),
    ("退回", "退回"), ("已退回", "退回"), ("驳回", "退回"),
])
def test_status_words(text, status):
    assert parse_status(text) == status


def test_unknown_status_is_a_chinese_error():
    with pytest.raises(ValidationError, match="状态“待定吧”无法识别"):
        parse_status("待定吧")


def test_item_checks_its_text():
    with pytest.raises(ValidationError, match="标题不能为空"):
        LedgerItem.create(1, "  \u200b ")
    with pytest.raises(ValidationError, match="标题过长"):
        LedgerItem.create(1, "字" * 301)
    with pytest.raises(ValidationError, match="早于报送日期"):
        LedgerItem.create(1, "标题", D(2021, 5, 2), "采用", D(2021, 5, 1))
    clean = LedgerItem.create(1, " 我县召开\u3000会议\n", D(2021, 4, 1), "已采用", column=" 部门动态 ")
    assert (clean.title, clean.status, clean.column) == ("我县召开 会议", "采用", "部门动态")


def test_title_key_ignores_spacing_punctuation_and_width():
    assert title_key("我县召开“五一”安全会议！") == title_key("我县召开 \"五一\" 安全会议!")
    assert title_key("ＡＢＣ 会议") == title_key("abc会议")
    assert title_key("我县召开会议") != title_key("我县召开会议（二）")


def test_derived_counts_submitted_is_items_adopted_is_status_adopted():
    ledger = PeriodLedger(Q2, [
        item(1, "甲", status="采用"), item(1, "乙", status="未采用"), item(1, "丙", status="退回"),
        item(1, "丁", status="已采用"), item(2, "甲", status="采用"),
    ])
    assert ledger.counts() == {1: {SUBMITTED: 4, ADOPTED: 2}, 2: {SUBMITTED: 1, ADOPTED: 1}}
    assert ledger.unit_counts(3) == {SUBMITTED: 0, ADOPTED: 0}
    assert derived_rule_counts(ledger.unit_counts(1), (SUBMITTED, ADOPTED)) == (4, 2)
    ledger.counts()[1][SUBMITTED] = 99  # a copy: the ledger's own counts stay
    ledger.unit_counts(1)[ADOPTED] = 99
    assert ledger.unit_counts(1) == {SUBMITTED: 4, ADOPTED: 2}
    with pytest.raises(ValidationError, match="超过9999条"):
        derived_rule_counts({SUBMITTED: 10000, ADOPTED: 3}, (SUBMITTED, ADOPTED))
    with pytest.raises(ValidationError, match="台账无法统计"):
        derived_rule_counts(ledger.unit_counts(1), (SUBMITTED, ADOPTED, "bonus"))


def test_duplicate_counted_once_unless_kept():
    items = [
        item(1, "县文旅局开展安全检查", D(2021, 4, 3), "未采用"),
        item(1, "县文旅局开展安全检查。", D(2021, 4, 9), "采用"),  # resubmitted, then adopted
        item(2, "县文旅局开展安全检查", D(2021, 4, 3), "采用"),  # another unit: not a duplicate
    ]
    ledger = PeriodLedger(Q2, items)
    assert [(d.index, d.first) for d in ledger.duplicates()] == [(0, 1)]
    assert ledger.counts()[1] == {SUBMITTED: 1, ADOPTED: 1}  # one item, adopted
    assert ledger.not_counted_reason(0) == "重复"
    kept = PeriodLedger(Q2, [replace(items[0], keep=True), *items[1:]])
    assert kept.counts()[1] == {SUBMITTED: 2, ADOPTED: 1}  # the clerk says: two items
    assert len(kept.duplicates()) == 1  # still shown as a repeat


def test_items_outside_the_period_are_listed_and_not_counted_unless_kept():
    items = [
        item(1, "三月的", D(2021, 3, 31)),
        item(1, "四月的", D(2021, 4, 1)),
        item(1, "六月底的", D(2021, 6, 30)),
        item(1, "七月的", D(2021, 7, 1)),
        item(1, "只有发布日期", None, published_on=D(2021, 7, 5)),
        item(1, "没有日期", None),
    ]
    ledger = PeriodLedger(Q2, items)
    assert ledger.outside() == [0, 3, 4]
    assert ledger.undated() == [5]
    assert ledger.counts()[1][SUBMITTED] == 3
    assert ledger.not_counted_reason(3) == "不在本期"
    kept = LedgerItem.create(1, "七月的", D(2021, 7, 1), "采用", keep=True)
    assert PeriodLedger(Q2, [*items, kept]).counts()[1][SUBMITTED] == 4


def test_derived_counts_cannot_be_overtyped():
    sources = CountSources()
    assert sources.source(7) == TYPED
    sources.check_typed_edit(7, "县文旅局", Q2)  # typed: fine
    sources.set_source(7, DERIVED)
    with pytest.raises(DerivedCountsError) as err:
        sources.check_typed_edit(7, "县文旅局", Q2)
    message = str(err.value)
    assert "“县文旅局”2021年二季度的报送信息和采用信息按台账统计，不能直接修改" in message
    assert "切换为“直接输入”" in message
    sources.set_source(7, TYPED)
    sources.check_typed_edit(7, "县文旅局", Q2)
    with pytest.raises(ValidationError):
        sources.set_source(7, "guess")


def test_effective_counts_mix_typed_and_derived():
    ledger = PeriodLedger(Q2, [item(1, "甲"), item(1, "乙", status="未采用")])
    typed = {1: {SUBMITTED: 9, ADOPTED: 9}, 2: {SUBMITTED: 3, ADOPTED: 1}, 3: {SUBMITTED: 5, ADOPTED: 0}}
    sources = CountSources({1, 3})
    assert sources.effective_counts(typed, ledger) == {
        1: {SUBMITTED: 2, ADOPTED: 1},  # derived from the ledger, the typed 9/9 ignored
        2: {SUBMITTED: 3, ADOPTED: 1},  # typed
        3: {SUBMITTED: 0, ADOPTED: 0},  # derived, no items
    }


# ---- aliases ------------------------------------------------------------------------------
UNITS = [(1, "县文旅局"), (2, "金丝峡景区管委会"), (3, "县公安局"), (4, "金丝峡镇"), (5, "县文化馆"), (6, "县司法局")]


def test_exact_match_after_name_normalisation():
    matcher = UnitMatcher(UNITS)
    for typed in ("县文旅局", " 县文旅局 ", "县\u3000文旅局", "县文旅局\u200b"):
        m = matcher.match(typed)
        assert (m.unit_id, m.how) == (1, EXACT)


@pytest.mark.parametrize("article_name, unit_id", [
    ("商南县文化和旅游广电局", 1),
    ("金丝峡景区管理委员会", 2),
])
def test_unknown_long_name_offers_the_right_unit_first(article_name, unit_id):
    m = UnitMatcher(UNITS).match(article_name)
    assert not m.matched
    assert m.candidates[0].unit_id == unit_id
    assert m.candidates[0].score > (m.candidates[1].score if len(m.candidates) > 1 else 0) + 0.1


def test_similarity_is_about_characters_in_order():
    assert name_similarity("县文旅局", "县文旅局") == pytest.approx(1.1)  # with the common ending
    assert name_similarity("商南县公安局交通警察大队", "交警大队") > name_similarity("商南县公安局交通警察大队", "县公安局")
    assert name_similarity("商南县文化和旅游广电局", "县文旅局") > name_similarity("商南县文化和旅游广电局", "县公安局")
    assert name_similarity("", "县文旅局") == 0.0


def test_a_chosen_match_becomes_an_alias():
    matcher = UnitMatcher(UNITS)
    assert matcher.add_alias(1, " 商南县文化和旅游广电局 ") == "商南县文化和旅游广电局"
    m = matcher.match("商南县文化和旅游广电局")
    assert (m.unit_id, m.how) == (1, ALIAS)
    assert matcher.alias_list() == [(1, "商南县文化和旅游广电局")]
    again = UnitMatcher(UNITS, {1: ["商南县文化和旅游广电局"]})  # as loaded from storage
    assert again.match("商南县文化和旅游广电局").how == ALIAS


def test_alias_cannot_belong_to_two_units():
    matcher = UnitMatcher(UNITS, {1: ["文旅局"]})
    with pytest.raises(ValidationError, match="已是“县文旅局”的名称或别名"):
        matcher.add_alias(5, "文旅局")
    with pytest.raises(ValidationError, match="已是“县公安局”的名称或别名"):
        matcher.add_alias(1, "县公安局")
    assert matcher.add_alias(1, "文旅局") == "文旅局"  # the same unit again: nothing changes
    assert matcher.alias_list() == [(1, "文旅局")]


# ---- properties ---------------------------------------------------------------------------

ITEMS = st.lists(
    st.builds(
        lambda unit, title, day, status, keep: LedgerItem.create(unit, title, day, status, keep=keep),
        st.integers(1, 4),
        st.sampled_from(["甲", "乙", "丙", "甲。", "乙 ", "丁"]),
        st.one_of(st.none(), st.dates(D(2021, 3, 25), D(2021, 7, 5))),
        st.sampled_from(["采用", "未采用", "退回"]),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(ITEMS)
def test_counts_follow_the_rules(items):
    ledger = PeriodLedger(Q2, items)
    counted = set(ledger.counted())
    counts = ledger.counts()
    assert sum(c[SUBMITTED] for c in counts.values()) == len(counted)
    for unit_id, c in counts.items():
        assert 0 <= c[ADOPTED] <= c[SUBMITTED]
        assert c[ADOPTED] == sum(1 for i in counted if items[i].unit_id == unit_id and items[i].status == "采用")
    for i, it in enumerate(items):
        inside = it.date is None or D(2021, 4, 1) <= it.date <= D(2021, 6, 30)
        if not inside and not it.keep:
            assert i not in counted and ledger.not_counted_reason(i) == "不在本期"
        if it.keep and inside:
            assert i in counted
    # without overrides, each (unit, title) counts at most once, and an adopted copy wins
    plain = PeriodLedger(Q2, [replace(it, keep=False) for it in items])
    seen = {}
    for i in plain.counted():
        key = (items[i].unit_id, items[i].key)
        assert key not in seen
        seen[key] = i
        same = [j for j in range(len(items)) if (items[j].unit_id, items[j].key) == key and j not in plain.outside()]
        if any(items[j].status == "采用" for j in same):
            assert items[i].status == "采用"
