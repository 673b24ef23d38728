"""The .xlsx exports read back: typed numbers, text names, merged title, print setup, formula-proof names."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl
import pytest

from shangnan_desktop.reports.annex import INT, TEXT, AnnexTable, Column, HeaderCell, TableRow, annex_table
from shangnan_desktop.reports.xlsx import write_xlsx

MM = 1 / 25.4


@pytest.mark.parametrize("annex", [1, 2])
def test_ranking_workbook_holds_typed_rows(exported, annex):
    table = annex_table(exported["sheet"], annex)
    wb = openpyxl.load_workbook(exported["files"][(annex, "xlsx")])
    assert wb.sheetnames == [table.label]
    ws = wb.active
    assert ws["A1"].value == table.label
    assert ws["A2"].value.split("\n") == list(table.title_lines())
    assert "".join(ws["A2"].value.split("\n")) == table.title
    assert "A2:E2" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]] == [table.columns[0].header, "报送信息", "采用信息", "得分", "排名"]
    for i, row in enumerate(table.rows):
        cells = ws[4 + i]
        name, submitted, adopted, score, rank = (c.value for c in cells[:5])
        assert (name, submitted, adopted, rank) == (row.values[0], row.values[1], row.values[2], row.values[4])
        assert type(submitted) is int and type(adopted) is int and type(rank) is int
        assert isinstance(score, (int, float)) and Decimal(str(score)) == row.values[3]
        assert cells[0].data_type == "s"
        assert cells[3].number_format == "General"
    note_row = 4 + len(table.rows)
    assert ws.cell(row=note_row, column=1).value == "注：每上报一条信息计0.2分，采用一条信息计1分。"
    assert ws.max_row == note_row


def test_print_setup_follows_the_notice(exported):
    ws = openpyxl.load_workbook(exported["files"][(2, "xlsx")]).active
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_options.horizontalCentered
    assert ws.print_title_rows == "$3:$3"
    margins = ws.page_margins
    sides = (margins.top, margins.bottom, margins.left, margins.right)
    assert tuple(round(x / MM) for x in sides) == (37, 35, 28, 26)
    hf = ws.HeaderFooter
    assert hf.differentOddEven
    assert "&P" in hf.oddFooter.right.text and "—" in hf.oddFooter.right.text
    assert "&P" in hf.evenFooter.left.text
    widths = [ws.column_dimensions[c].width for c in "ABCDE"]
    assert sum(widths) <= 83  # inside the 156 mm type area: no fit-to-width shrinking
    assert widths[0] > widths[1]  # the name column is the wide one
    assert ws.freeze_panes == "A4"


def test_register_form_has_merged_two_level_header(exported):
    ws = openpyxl.load_workbook(exported["files"][(3, "xlsx")]).active
    assert ws["A1"].value == "附件3"
    assert ws["A2"].value == "商南县政府网站管理责任人登记表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:I2", "A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:I4"} <= merged
    assert ws["C3"].value == "分管领导" and ws["F3"].value == "管理人员" and ws["I3"].value == "QQ号码"
    assert [ws.cell(row=4, column=c).value for c in range(3, 9)] == [
        "姓名", "职务", "联系电话\n（手机和固话）", "姓名", "职务", "联系电话\n（手机和固话）"]
    numbers = [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 7
    assert all(ws.cell(row=r, column=c).value is None for r in range(5, ws.max_row + 1) for c in range(2, 10))
    assert ws.print_title_rows == "$3:$4"


def _table(names):
    columns = (Column("unit", "单位", TEXT, 10), Column("n", "数量", INT, 4))
    return AnnexTable(
        number=1, kind="ranking", title="测试", columns=columns,
        header=tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(columns)),
        rows=tuple(TableRow((n, i)) for i, n in enumerate(names)),
    )


def test_formula_looking_names_stay_text(tmp_path):
    names = ["=1+1", "+1", "-1", "@x", '=HYPERLINK("http://example.invalid","点我")', "=cmd|' /C calc'!A0", "123"]
    path = write_xlsx([_table(names)], tmp_path / "f.xlsx")
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = openpyxl.load_workbook(path).active
    for i, name in enumerate(names):
        cell = ws.cell(row=4 + i, column=1)
        assert cell.value == name and cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    plain = openpyxl.load_workbook(path, data_only=True).active
    assert [plain.cell(row=4 + i, column=1).value for i in range(len(names))] == names


def test_control_characters_are_stripped(tmp_path):
    path = write_xlsx([_table(["县\x0b民政\x00局"])], tmp_path / "c.xlsx")
    assert openpyxl.load_workbook(path).active["A4"].value == "县民政局"
