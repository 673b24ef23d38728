"""Building a rule from the ``rule set`` options, describing it, choosing it by period, previewing a table under it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from shangnan_desktop.domain import (
    COMPETITION,
    DENSE,
    NONE,
    Group,
    GroupSheet,
    Period,
    PeriodSheet,
    Row,
    ScoringRule,
    ValidationError,
    preset,
)
from shangnan_desktop.domain.rule_change import (
    carry_values,
    describe_rule,
    rescored,
    rule_for,
    rule_from_options,
    split_assignment,
    split_cap,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "other_places"


def test_options_build_the_presets_and_keep_standard_keys():
    two = rule_from_options(
        ["报送信息=0", "县级采用=5", "市级采用=10"], caps=["县级采用<=报送信息", "市级采用≤报送信息"], rank="dense"
    )
    assert two.keys[0] == "submitted"
    assert [m.weight for m in two.metrics] == [0, 5, 10]
    assert two.note_line() == preset("two_levels").note_line()
    again = rule_from_options(["报送信息=0.2", "采用信息=1"], caps=["采用信息<=报送信息"],
                              previous=ScoringRule.default())
    assert again == ScoringRule.default()
    sums = rule_from_options(["甲=1", "乙=1"], decimals=["甲", "乙"], rank="competition")
    assert sums.rank_method == COMPETITION and all(m.decimal for m in sums.metrics)
    rated = rule_from_options(["报送信息=0", "采用信息=3"], rank="none", rate="采用信息/报送信息")
    assert rated.rate == ("adopted", "submitted") and rated.rank_method == NONE


def test_options_report_every_problem_at_once():
    with pytest.raises(ValidationError) as info:
        rule_from_options(["a=1", "a=2", "b", "c=0.12345"], decimals=["z"], caps=["a<=b", "x"], rank="q")
    text = str(info.value)
    for part in ("“b”的格式不对", "指标“a”重复", "“z”不是本规则的指标", "上限“x”的格式不对", "排名方式“q”未知",
                 "最多保留4位小数"):
        assert part in text, part
    with pytest.raises(ValidationError, match="必须排在"):
        rule_from_options(["采用信息=1", "报送信息=0.2"], caps=["采用信息<=报送信息"])
    with pytest.raises(ValidationError, match="至少需要一个指标"):
        rule_from_options([])
    assert split_assignment(" 采用信息 ＝ 3 ") == ("采用信息", "3")
    assert split_cap("采用信息＜＝报送信息") == ("采用信息", "报送信息")


def test_describe_rule():
    assert describe_rule(preset("two_levels")) == [
        "报送信息：条数，不计分。",
        "县级采用：条数，每条计5分，不超过报送信息。",
        "市级采用：条数，每条计10分，不超过报送信息。",
        "排名方式：中国式排名。",
        "注：每条县级采用计5分，每条市级采用计10分。",
    ]
    assert describe_rule(preset("score_sum"))[0] == "评分项1：分值（最多2位小数），按分值计入。"
    assert describe_rule(preset("score_sum"))[-1] == "注：得分为各项得分之和。"


def test_rule_applies_from_its_period_on():
    q = Period.parse
    rules = [(q("2021Q1"), ScoringRule.default()), (q("2022Q3"), preset("two_levels"))]
    assert rule_for(q("2021Q4"), rules) == ScoringRule.default()
    assert rule_for(q("2022Q3"), rules) == preset("two_levels")
    assert rule_for(q("2030Q1"), rules) == preset("two_levels")
    assert rule_for(q("2020Q4"), rules) is None
    with pytest.raises(ValidationError, match="不是同一种统计期"):
        rule_for(q("2022M01"), rules)


def _sheet(rule, rows):
    g = GroupSheet(Group(1, "镇办", 1), rule, [Row(i, n, v) for i, (n, v) in enumerate(rows, 1)])
    return PeriodSheet(Period.parse("2021Q2"), rule, [g])


def test_preview_under_a_new_rule():
    old = _sheet(ScoringRule.default(), [("甲镇", (20, 2)), ("乙镇", (5, 4)), ("丙镇", (10, 2))])
    assert [(r.name, r.score, r.rank) for r in old.groups[0].ranked()] == [
        ("甲镇", Decimal("6"), 1), ("乙镇", Decimal("5"), 2), ("丙镇", Decimal("4"), 3)]
    new = rescored(old, rule_from_options(["报送信息=0", "采用信息=3"], caps=["采用信息<=报送信息"], rank="competition"))
    assert [(r.name, r.score, r.rank) for r in new.groups[0].ranked()] == [
        ("乙镇", 12, 1), ("甲镇", 6, 2), ("丙镇", 6, 2)]
    assert [r.counts for r in old.groups[0].in_unit_order()] == [(20, 2), (5, 4), (10, 2)]  # old untouched
    # a new metric starts at 0; a value that no longer fits is refused with the unit named
    three = preset("two_levels")
    assert carry_values(ScoringRule.default(), three, (7, 3)) == (7, 0, 0)
    counts_only = rule_from_options(["甲项=1"])
    with pytest.raises(ValidationError, match="乙镇"):
        carry_values(rule_from_options(["甲项=1"], decimals=["甲项"]), counts_only, (Decimal("2.5"),), unit="乙镇")


REPLAYS = [
    # file, options as `rule set` would take them (README's replay hints), rank method
    ("sichuan_land_2011.json", "competition"),
    ("zhalantun_2023q1.json", "dense"),
    ("zhalantun_2023q1.json", "competition"),
    ("huolingol_2018m01_02.json", "none"),
    ("tongzhou_forestry_2016m09.json", "none"),
]


@pytest.mark.parametrize("name, rank", REPLAYS)
def test_replay_through_the_rule_set_options(name, rank):
    """The same published tables as test_other_places, with the rule built from `rule set`-style
    options and every value given as the printed text (`set … --metric 名称=值`)."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    rule = rule_from_options(
        [f"{m['name']}={m['weight']}" for m in data["metrics"]],
        decimals=[m["name"] for m in data["metrics"] if m.get("decimal")],
        caps=[f"{m['name']}<={m['cap']}" for m in data["metrics"] if m.get("cap")],
        rank=rank,
    )
    from shangnan_desktop.domain import validate_counts

    group = data["groups"][0]
    rows = [Row(i, u["name"], validate_counts(rule, [u["values"][m.label] for m in rule.metrics], unit=u["name"]))
            for i, u in enumerate(group["units"], 1)]
    gs = GroupSheet(Group(1, group["name"], 1), rule, rows)
    slips = {s["unit"] for s in data.get("slips", []) if s["kind"] == "score"}
    got = {r.name: r for r in gs.ranked()}
    for u in group["units"]:
        if u["name"] in slips:  # 通州 城乡绿化科: printed 3, no count entered (see test_other_places)
            assert got[u["name"]].score == 0 and u["published_score"] == "3"
            continue
        assert got[u["name"]].score == Decimal(u["published_score"]), u["name"]
        assert got[u["name"]].rank == (None if rank == NONE else u["published_rank"]), u["name"]
    if rank == NONE:
        assert [r.name for r in gs.ranked()] == [u["name"] for u in group["units"]]


def test_rank_change_is_blank_when_the_period_is_not_ranked():
    from shangnan_desktop.domain.cumulative import Change

    assert Change(None, 3).text == "" and Change(None, 3).delta is None
    assert Change(2, 3).text == "↑1"
