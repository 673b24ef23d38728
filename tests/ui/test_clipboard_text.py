"""Clipboard text as Excel/WPS write it, and paste plans checked cell by cell (no Qt needed)."""

from __future__ import annotations

from shangnan_desktop.domain import ScoringRule
from shangnan_desktop.ui.clipboard import TargetRow, format_tsv, parse_tsv, plan_paste, trim_block

RULE = ScoringRule.default()
ROWS = [TargetRow(1, "甲镇", (5, 2)), TargetRow(2, "乙镇", (0, 0)), TargetRow(3, "丙镇", (9, 9))]


def test_parse_excel_clipboard_text():
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_tsv("7\n8\n9\n") == [["7"], ["8"], ["9"]]  # a copied column
    assert parse_tsv('"a\nb"\t"say ""hi"""\n') == [["a\nb", 'say "hi"']]
    assert parse_tsv("") == [] and parse_tsv("\n") == []
    assert parse_tsv("\t\n") == [["", ""]]


def test_format_round_trips():
    rows = [["县文旅局", "60", "54"], ['带"引号', "a\tb", ""]]
    assert parse_tsv(format_tsv(rows)) == rows
    assert format_tsv([["1", "2"]]) == "1\t2\r\n"


def test_trim_header_and_blank_rows():
    block = [["报送信息", "采用信息"], ["1", "1"], ["", ""], ["  ", ""]]
    assert trim_block(block, ["报送信息", "采用信息", "得分"]) == [["1", "1"]]
    assert trim_block([["1"], ["2"]], ["报送信息"]) == [["1"], ["2"]]


def test_plan_keeps_unchanged_rows_out_and_parses_full_width_digits():
    plan = plan_paste(RULE, ROWS, 0, [["5", "2"], ["１２", "３"]])
    assert plan.ok and plan.changes == [(2, (12, 3))]


def test_plan_lists_every_bad_cell_and_stores_nothing():
    plan = plan_paste(RULE, ROWS, 0, [["-1", "x"], ["2", "3"], ["9999", "3.0"]])
    assert not plan.ok and plan.changes == []
    assert plan.problems == [
        "“甲镇”的报送信息不能为负数（输入了-1）。",
        "“甲镇”的采用信息“x”不是数字，请只用数字0~9输入整数条数，如 12。",
        "“乙镇”的采用信息（3）不能多于报送信息（2），请核对。",
        "“丙镇”的采用信息“3.0”不是整数，请输入整数条数。",  # text: digits only (issue 12)
    ]


def test_plan_refuses_blocks_that_do_not_fit():
    assert "只有3行" in plan_paste(RULE, ROWS, 0, [["1"]] * 4).problems[0]
    assert "只有1列" in plan_paste(RULE, ROWS, 1, [["1", "1"]]).problems[0]
    assert "不在条数列" in plan_paste(RULE, ROWS, -1, [["甲镇", "1"]]).problems[0]
    assert "不在条数列" in plan_paste(RULE, ROWS, 2, [["1"]]).problems[0]
