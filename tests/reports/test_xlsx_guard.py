"""The guard in front of openpyxl: hostile and broken workbooks are refused or read within limits."""

from __future__ import annotations

import time
import zipfile

import openpyxl
import pytest

from shangnan_desktop.reports import xlsx_guard
from shangnan_desktop.reports.xlsx_guard import Limits, UnsafeFileError, check_xlsx, read_rows

SHEET = "xl/worksheets/sheet1.xml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(path, rows=(("单位", "报送信息", "采用信息"),)):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def replace_entry(path, name, data: bytes, extra: dict[str, bytes] | None = None):
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    entries[name] = data
    entries.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries.items():
            z.writestr(n, d)
    return path


def sheet_xml(body: str, dimension: str = "A1") -> bytes:
    return (HEAD + f'<worksheet {NS}><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>').encode()


def test_zip_bomb_is_refused_by_ratio(tmp_path):
    path = workbook(tmp_path / "bomb.xlsx")
    padded = HEAD + f"<worksheet {NS}>" + " " * (3 * 2**20) + "<sheetData/></worksheet>"
    replace_entry(path, SHEET, padded.encode())
    with pytest.raises(UnsafeFileError, match="压缩比"):
        check_xlsx(path)


def test_size_and_entry_limits(tmp_path):
    path = workbook(tmp_path / "a.xlsx")
    check_xlsx(path)
    with pytest.raises(UnsafeFileError, match="解压后过大"):
        check_xlsx(path, Limits(max_uncompressed=1000))
    with pytest.raises(UnsafeFileError, match="过大"):
        check_xlsx(path, Limits(max_file_bytes=100))
    many = replace_entry(workbook(tmp_path / "m.xlsx"), "docProps/x0", b"", {f"x/{i}": b"" for i in range(30)})
    with pytest.raises(UnsafeFileError, match="部件过多"):
        check_xlsx(many, Limits(max_entries=20))


def test_lying_dimension_neither_pads_nor_hides(tmp_path):
    big = replace_entry(workbook(tmp_path / "big.xlsx"), SHEET,
                        sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c></row>', "A1:XFD1048576"))
    rows = read_rows(big)["Sheet"]
    assert len(rows) == 1 and len(rows[0][1]) <= xlsx_guard.MAX_COLS
    small = replace_entry(workbook(tmp_path / "small.xlsx"), SHEET, sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="C5"><v>7</v></c></row>', "A1"))
    rows = read_rows(small)["Sheet"]
    assert [n for n, _ in rows] == [1, 5] and rows[1][1][2] == 7


def test_far_away_cell_does_not_make_a_million_rows(tmp_path):
    path = replace_entry(workbook(tmp_path / "corner.xlsx"), SHEET, sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))
    start = time.monotonic()
    rows = read_rows(path)["Sheet"]
    assert [n for n, _ in rows] == [1]
    assert time.monotonic() - start < 5


def test_row_cap(tmp_path):
    path = workbook(tmp_path / "rows.xlsx", [(f"单位{i}", i, 0) for i in range(30)])
    with pytest.raises(UnsafeFileError, match="行数超过"):
        read_rows(path, limits=Limits(max_rows=10))


def test_entity_expansion_is_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    path = replace_entry(workbook(tmp_path / "lol.xlsx"), SHEET, laughs.encode())
    with pytest.raises(UnsafeFileError):
        read_rows(path)


def test_defusedxml_must_be_active(tmp_path, monkeypatch):
    assert openpyxl.DEFUSEDXML
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(UnsafeFileError, match="defusedxml"):
        read_rows(workbook(tmp_path / "a.xlsx"))


def test_damaged_zip(tmp_path):
    path = workbook(tmp_path / "a.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnsafeFileError):
        read_rows(path)
