"""The dispute answer: one unit's items with status, as xlsx and PDF; all units as one file per unit."""

import datetime as dt
import re

import openpyxl
import pytest
from pypdf import PdfReader

from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import LedgerItem, PeriodLedger
from shangnan_desktop.reports.ledger_statement import (
    statement_note,
    statement_table,
    write_all_statements,
    write_statement,
)

Q2 = Period.parse("2021Q2")
D = dt.date
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
ASCII_NEXT_TO_CJK = re.compile(rf"{CJK}[:,;()?!]|[:,;()?!]{CJK}")


def ledger():
    items = [
        LedgerItem.create(1, "县文旅局开展“五一”文化和旅游市场安全检查", D(2021, 4, 28), "已采用", D(2021, 4, 29), "部门动态"),
        LedgerItem.create(1, "我县举办非遗展演活动", D(2021, 5, 6), "未采用", None, "部门动态"),
        LedgerItem.create(1, "县文旅局召开党史学习教育专题组织生活会", D(2021, 5, 20), "退回"),
        LedgerItem.create(1, "我县举办非遗展演活动！", D(2021, 5, 8), "采用", D(2021, 5, 9), "部门动态"),  # repeat
        LedgerItem.create(1, "县文旅局部署汛期景区安全工作", D(2021, 7, 2), "采用", D(2021, 7, 3)),  # July
        LedgerItem.create(2, "金丝峡景区迎来客流高峰", D(2021, 6, 1), "采用", D(2021, 6, 2), "景区"),
    ]
    return PeriodLedger(Q2, items)


def test_statement_table_lists_counted_items_then_the_others_with_why():
    table = statement_table(ledger(), 1, "县文旅局")
    assert table.title == "县文旅局2021年二季度政务信息报送明细"
    assert [c.header for c in table.columns] == ["序号", "标题", "报送日期", "状态", "发布日期", "栏目"]
    rows = table.display_rows()
    assert rows[0] == ["1", "县文旅局开展“五一”文化和旅游市场安全检查", "2021-04-28", "采用", "2021-04-29", "部门动态"]
    # by date; the adopted copy of the repeated item is counted, the earlier 未采用 one listed below
    assert [(r[1], r[2]) for r in rows[:3]] == [
        ("县文旅局开展“五一”文化和旅游市场安全检查", "2021-04-28"),
        ("我县举办非遗展演活动！", "2021-05-08"),
        ("县文旅局召开党史学习教育专题组织生活会", "2021-05-20"),
    ]
    sections = [r.values[0] for r in table.rows if r.section]
    assert sections == ["以下1条与上列信息重复（同一标题），未计入：", "以下1条的日期不在本期，未计入："]
    assert table.note == "共报送3条，采用2条。另有2条重复或日期不在本期，未计入。"
    assert table.label == ""  # no 附件N: a statement is no annex of the notice


def test_note_without_uncounted_items():
    assert statement_note(5, 3) == "共报送5条，采用3条。"


def test_statement_files(tmp_path):
    paths = write_statement(ledger(), 1, "县文旅局", tmp_path)
    assert sorted(p.name for p in paths) == ["县文旅局2021年二季度政务信息报送明细.pdf", "县文旅局2021年二季度政务信息报送明细.xlsx"]
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["报送明细"]
    ws = wb["报送明细"]
    assert ws["A1"].value is None
    assert ws["A2"].value == "县文旅局2021年二季度政务信息报送明细"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0] == ["序号", "标题", "报送日期", "状态", "发布日期", "栏目"]
    assert values[1] == [1, "县文旅局开展“五一”文化和旅游市场安全检查", "2021-04-28", "采用", "2021-04-29", "部门动态"]
    texts = [str(v) for row in values for v in row if v is not None]
    assert "共报送3条，采用2条。另有2条重复或日期不在本期，未计入。" in texts
    assert not [t for t in texts if ASCII_NEXT_TO_CJK.search(t)]

    pdf = next(p for p in paths if p.suffix == ".pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "县文旅局2021年二季度政务信息报送明细" in text
    assert "共报送3条，采用2条。" in text
    assert "附件" not in text
    assert not ASCII_NEXT_TO_CJK.search(text)


def test_all_units_one_file_per_unit(tmp_path):
    units = [(1, "县文旅局"), (2, "金丝峡景区管委会"), (3, "县公安局")]
    paths = write_all_statements(ledger(), units, tmp_path / "明细", formats=("pdf",))
    assert [p.name for p in paths] == [
        "县文旅局2021年二季度政务信息报送明细.pdf",
        "金丝峡景区管委会2021年二季度政务信息报送明细.pdf",
        "县公安局2021年二季度政务信息报送明细.pdf",
    ]
    text = PdfReader(paths[2]).pages[0].extract_text().replace(" ", "")
    assert "共报送0条，采用0条。" in text  # a unit without items gets its (empty) statement too
    text = PdfReader(paths[1]).pages[0].extract_text().replace(" ", "")
    assert "金丝峡景区迎来客流高峰" in text and "共报送1条，采用1条。" in text


def test_a_long_statement_runs_over_pages_with_the_header_repeated(tmp_path):
    items = [LedgerItem.create(1, f"县文旅局第{k}条信息：关于开展文化和旅游市场安全检查的通知", D(2021, 4, 1) + dt.timedelta(days=k % 90),
                               "采用" if k % 2 else "未采用") for k in range(120)]
    paths = write_statement(PeriodLedger(Q2, items), 1, "县文旅局", tmp_path, formats=("pdf",))
    reader = PdfReader(paths[0])
    assert len(reader.pages) > 2
    assert all("报送日期" in page.extract_text().replace(" ", "") for page in reader.pages)
    assert "共报送120条，采用60条。" in reader.pages[-1].extract_text().replace(" ", "")


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_statement(ledger(), 1, "县文旅局", tmp_path, formats=("doc",))
