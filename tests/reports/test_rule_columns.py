"""Annexes follow the rule (issue 16): headers, decimal values, 采用率, no 排名 under rank method none,
the note line in full-width punctuation, period labels of every kind — on screen, in xlsx and PDF."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from shangnan_desktop.domain import (
    COMPETITION,
    NONE,
    Group,
    GroupSheet,
    Period,
    PeriodSheet,
    Row,
    ScoringRule,
    make_metric,
    preset,
    validate_counts,
)
from shangnan_desktop.domain.text import ascii_punct_next_to_chinese
from shangnan_desktop.reports.annex import ranking_table
from shangnan_desktop.reports.pdf import write_pdf
from shangnan_desktop.reports.xlsx import write_xlsx
from tests.pdf_fonts import bundled_fonts

GROUP = Group(1, "市直各部门", 1, "单位", "{period}{group}信息采用情况统计表")


def table_for(rule: ScoringRule, rows: list[tuple[str, list[str]]], period: str = "2023M01"):
    parsed = [Row(i, name, validate_counts(rule, values, unit=name)) for i, (name, values) in enumerate(rows, 1)]
    sheet = PeriodSheet(Period.parse(period), rule, [GroupSheet(GROUP, rule, parsed)])
    return ranking_table(sheet, 0)


def test_two_levels_headers_note_and_title():
    table = table_for(preset("two_levels"), [("水利局", ["40", "30", "6"]), ("农牧局", ["9", "2", "0"])])
    assert [c.header for c in table.columns] == ["单位", "报送信息", "县级采用", "市级采用", "得分", "排名"]
    assert table.note == "注：每条县级采用计5分，每条市级采用计10分。"
    assert table.title == "2023年1月市直各部门信息采用情况统计表"
    assert table.display_rows() == [["水利局", "40", "30", "6", "210", "1"], ["农牧局", "9", "2", "0", "10", "2"]]
    assert not ascii_punct_next_to_chinese(table.note)


@pytest.mark.parametrize(
    "period, title",
    [("2023H1", "2023年上半年市直各部门信息采用情况统计表"), ("2023", "2023年度市直各部门信息采用情况统计表"),
     ("2011年度", "2011年度市直各部门信息采用情况统计表"), ("2023Q1", "2023年一季度市直各部门信息采用情况统计表")],
)
def test_annex_titles_follow_the_period_kind(period, title):
    assert table_for(preset("adopt_only"), [("水利局", ["1", "1"])], period).title == title


def test_decimal_scores_competition_and_the_sum_note(tmp_path):
    rule = ScoringRule(
        tuple(make_metric(n, "1", decimal=True) for n in ("政务公开得分", "在线服务得分", "公开率得分")), COMPETITION
    )
    table = table_for(
        rule,
        [("成都市", ["74.4", "8", "3"]), ("阿坝州", ["60", "4.5", "2.5"]), ("泸州市", ["61.25", "3.75", "2"]),
         ("遂宁市", ["60", "3", "2.6"])],
        "2011",
    )
    assert table.note == "注：得分为各项得分之和。"
    assert table.display_rows() == [
        ["成都市", "74.4", "8", "3", "85.4", "1"],
        ["阿坝州", "60", "4.5", "2.5", "67", "2"],
        ["泸州市", "61.25", "3.75", "2", "67", "2"],
        ["遂宁市", "60", "3", "2.6", "65.6", "4"],
    ]
    path = tmp_path / "a.xlsx"
    write_xlsx([table], path)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[3]] == ["单位", "政务公开得分", "在线服务得分", "公开率得分", "得分", "排名"]
    cells = [c.value for c in ws[6]]
    assert cells[0] == "泸州市" and Decimal(str(cells[1])) == Decimal("61.25") and Decimal(str(cells[2])) == Decimal("3.75")
    assert ws.cell(row=4 + len(table.rows), column=1).value == "注：得分为各项得分之和。"


def test_rate_column_and_rank_none(tmp_path, pdf_text):
    base = preset("adopt_only")
    rule = ScoringRule(base.metrics, NONE, ("adopted", "submitted"))
    table = table_for(rule, [("区统计局", ["0", "0"]), ("仓门街办事处", ["28", "16"]), ("总寨镇", ["16", "1"])])
    assert [c.header for c in table.columns] == ["单位", "报送信息", "采用信息", "采用率", "得分"]
    assert table.display_rows() == [
        ["区统计局", "0", "0", "—", "0"],  # unit order kept: rank method none
        ["仓门街办事处", "28", "16", "57.1%", "48"],
        ["总寨镇", "16", "1", "6.3%", "3"],  # 6.25 rounds half-up
    ]
    with bundled_fonts():
        write_pdf([table], tmp_path / "a.pdf")
    text = " ".join(pdf_text.pages(tmp_path / "a.pdf"))
    tokens = pdf_text.tokens(text)
    assert pdf_text.contains_run(tokens, ["仓门街办事处", "28", "16", "57.1%", "48"])
    assert "排名" not in text and "注：每条采用信息计3分。" in text.replace(" ", "")


def test_the_reference_rule_annex_is_unchanged():
    table = table_for(ScoringRule.default(), [("城关街道办", ["10", "5"])], "2021Q2")
    assert [c.header for c in table.columns] == ["单位", "报送信息", "采用信息", "得分", "排名"]
    assert [c.kind for c in table.columns] == ["text", "int", "int", "decimal", "int"]
    assert table.note == "注：每上报一条信息计0.2分，采用一条信息计1分。"
