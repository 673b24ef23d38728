"""Published tables of other places replayed through the domain (issue 16).

Each test builds the rule and the group sheet from ``tests/data/other_places/*.json`` (see its
README; ``verify.py`` checked the same files with ``fractions.Fraction``), reads every value
through the strict parsers the app uses, and compares every published score, partial score,
rank and rate. A published slip is noted where it is asserted, as the 2021 Q2 test does.
"""

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
    Row,
    ScoringRule,
    format_decimal,
    format_rate,
    make_metric,
    validate_counts,
)
from shangnan_desktop.reports.annex import ranking_table
from shangnan_desktop.domain.sheet import PeriodSheet

DATA = Path(__file__).resolve().parents[1] / "data" / "other_places"


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def rule_of(data: dict, method: str) -> ScoringRule:
    """The rule a file states: its metrics by name (weight 0 where the table has no score)."""
    metrics = tuple(
        make_metric(m["name"], m["weight"] or "0", decimal=bool(m.get("decimal")), cap=m.get("cap"))
        for m in data["metrics"]
    )
    rate = data.get("rate")
    return ScoringRule(metrics, method, (rate["numerator"], rate["denominator"]) if rate else None)


def sheet_of(data: dict, rule: ScoringRule, group_index: int = 0) -> GroupSheet:
    g = data["groups"][group_index]
    rows = []
    for i, u in enumerate(g["units"], 1):
        values = validate_counts(rule, [u["values"][m.label] for m in rule.metrics], unit=u["name"])
        rows.append(Row(i, u["name"], values))
    return GroupSheet(Group(1, g["name"], 1, g.get("header", "单位")), rule, rows)


def published(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_sichuan_land_2011_decimal_scores_summed_competition_ranks():
    """附件2 “2011年市级国土资源管理部门政务信息网上公开情况排名表” (fsou.com copy, page 3):
    five decimal item scores summed; 阿坝州 and 泸州市 tie at 67, both 9th, the next is 11th."""
    data = load("sichuan_land_2011.json")
    rule = rule_of(data, COMPETITION)
    assert all(m.decimal for m in rule.metrics)
    assert Period.parse(data["period"]["machine"]).label == "2011年度"
    sheet = sheet_of(data, rule)
    units = data["groups"][0]["units"]
    assert len(units) == 21
    by_name = {r.name: r for r in sheet.ranked()}
    for u in units:
        row = by_name[u["name"]]
        assert row.score == published(u["published_score"]), u["name"]
        assert row.rank == u["published_rank"], u["name"]
    # printed in rank order; the tie keeps the published (unit) order
    assert [r.name for r in sheet.ranked()] == [u["name"] for u in units]
    assert format_decimal(by_name["成都市"].score) == "96.4"
    ranks = [by_name[n].rank for n in ("阿坝州", "泸州市", "遂宁市")]
    assert ranks == [9, 9, 11]
    # dense ranking would not reproduce the table
    dense = sheet_of(data, rule_of(data, DENSE))
    assert {r.name: r.rank for r in dense.ranked()}["遂宁市"] == 10


@pytest.mark.parametrize("method", [DENSE, COMPETITION])
def test_zhalantun_2023q1_two_adoption_levels(method):
    """扎兰屯市政府门户网站1-3月信息报送及采用情况通报 (2023年4月13日), 附件1 市直各部门:
    5 per item adopted by the city portal, 10 per item adopted by 呼伦贝尔市's; no ties among
    the 5 transcribed rows, so either rank method gives the printed 1-5."""
    data = load("zhalantun_2023q1.json")
    assert Period.parse(data["period"]["machine"]).key == "2023Q1"
    rule = rule_of(data, method)
    sheet = sheet_of(data, rule)
    units = data["groups"][0]["units"]
    by_name = {r.name: r for r in sheet.ranked()}
    for u in units:
        row = by_name[u["name"]]
        assert row.score == published(u["published_score"]), u["name"]
        assert row.rank == u["published_rank"], u["name"]
        for m, col in zip(data["metrics"], u["published_partial_scores"]):
            assert rule.metric(m["name"]).weight * row.counts[rule.index(m["name"])] == Decimal(
                u["published_partial_scores"][m["partial_score_column"]]
            )
    assert rule.note_line() == "注：每条扎兰屯市政府网采用条数计5分，每条呼伦贝尔市政府网采用条数计10分。"


def test_huolingol_2018_adoption_only_rank_none():
    """霍政办字〔2018〕29号 (2018年3月6日), table (一) 各街道办事处: 5 points per item adopted by the
    city, no rank column, rows in unit order. The period 2018年1-2月份 is replayed as 2018M02."""
    data = load("huolingol_2018m01_02.json")
    rule = rule_of(data, NONE)
    sheet = sheet_of(data, rule)
    units = data["groups"][0]["units"]
    rows = sheet.ranked()
    assert [r.name for r in rows] == [u["name"] for u in units]
    assert [format_decimal(r.score) for r in rows] == ["5", "15", "5", "10", "25"]
    assert [r.score for r in rows] == [published(u["published_score"]) for u in units]
    assert all(r.rank is None for r in rows)
    table = ranking_table(PeriodSheet(Period.parse("2018M02"), rule, [sheet]), 0)
    assert [c.header for c in table.columns][-1] == "得分"  # no 排名 column


def test_tongzhou_forestry_2016m09_with_the_published_slip():
    """通州区园林绿化局办公室 “2016年9月信息报送及采用情况通报” (2016年10月8日), 附件1 局机关科室:
    1 per item submitted, 3 per item adopted by 园林动态, adopted ≤ submitted, no rank column."""
    data = load("tongzhou_forestry_2016m09.json")
    assert Period.parse(data["period"]["machine"]).label == "2016年9月"
    rule = rule_of(data, NONE)
    assert rule.metrics[1].bounded_by == "本月报送条数"
    sheet = sheet_of(data, rule)
    units = data["groups"][0]["units"]
    rows = sheet.ranked()
    assert [r.name for r in rows] == [u["name"] for u in units]
    slips = {s["unit"] for s in data["slips"]}
    assert slips == {"城乡绿化科"}
    for r, u in zip(rows, units):
        partial = u["published_partial_scores"]
        if u["name"] in slips:
            # Published slip: the notice prints 采用分数 3 and 本月分数 3 with no submission and no
            # adoption entered in the row; scoring from the counts gives 0.
            assert (published(u["published_score"]), r.score) == (Decimal(3), Decimal(0))
            assert partial["采用分数"] == "3" and r.counts == (0, 0)
            continue
        assert r.score == published(u["published_score"]), u["name"]
        assert Decimal(partial["报送分数"]) == r.counts[0]
        assert Decimal(partial["采用分数"]) == 3 * r.counts[1]


def test_xining_chengzhong_2017m04_adoption_rate_half_up():
    """西宁市城中区人民政府办公室, 2017年4月份区政府门户网站信息报送情况通报 (2017年5月8日):
    采纳率 = 采纳数 ÷ 报送信息数 as a percentage rounded half-up to one decimal (16 ÷ 28 → 57.1,
    printed 57.10%); the notice prints 0 for 0 ÷ 0 (区统计局), the app “—”."""
    data = load("xining_chengzhong_2017m04.json")
    rule = rule_of(data, NONE)
    sheet = sheet_of(data, rule)
    units = data["groups"][0]["units"]
    checked = 0
    for r, u in zip(sheet.ranked(), units):
        if r.counts[0] == 0:
            assert u["published_rate"] == "0" and r.rate is None and format_rate(r.rate) == "—"
            continue
        assert r.rate == Decimal(u["published_rate"].rstrip("%")), u["name"]
        checked += 1
    assert checked == len(units) - 1 == 12
    table = ranking_table(PeriodSheet(Period.parse("2017M04"), rule, [sheet]), 0)
    rate_col = [c.header for c in table.columns].index("采用率")
    assert table.display_rows()[1][rate_col] == "57.1%"
