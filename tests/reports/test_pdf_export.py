"""PDF exports read back: titles, every row, the note, page count, page numbers, embedded fonts."""

from __future__ import annotations

import shutil
import subprocess
import pytest
from pypdf import PdfReader

from shangnan_desktop.domain import format_decimal
from shangnan_desktop.reports.annex import (
    INT,
    TEXT,
    AnnexTable,
    Column,
    HeaderCell,
    TableRow,
    annex_table,
)
from shangnan_desktop.reports.pdf import render_pdf


def _fonts(reader: PdfReader) -> list[dict]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


@pytest.mark.parametrize("annex", [1, 2])
def test_ranking_pdf_holds_every_row(exported, pdf_text, annex):
    path = exported["files"][(annex, "pdf")]
    pages = pdf_text.pages(path)
    words = pdf_text.tokens("\n".join(pages))
    table = annex_table(exported["sheet"], annex)
    assert pages[0].count(table.label) == 1
    for line in table.title_lines():
        assert line in pages[0].replace(" ", "")
    for row in table.rows:
        name, submitted, adopted, score, rank = row.values
        expected = [name, str(submitted), str(adopted), format_decimal(score), str(rank)]
        assert pdf_text.contains_run(words, expected), name
    assert "注：每上报一条信息计0.2分，采用一条信息计1分。" in pages[-1].replace(" ", "")


def test_department_annex_takes_two_pages_and_repeats_its_header(exported, pdf_text):
    pages = pdf_text.pages(exported["files"][(2, "pdf")])
    assert len(pages) <= 2
    assert len(pages) == 2  # 52 rows do not fit one A4 page at a readable size
    second = pdf_text.tokens(pages[1])
    assert pdf_text.contains_run(second, ["单位", "报送信息", "采用信息", "得分", "排名"])
    assert "— 1 —" in pages[0] and "— 2 —" in pages[1]


def test_single_page_annexes(exported, pdf_text):
    assert len(pdf_text.pages(exported["files"][(1, "pdf")])) == 1
    form = pdf_text.pages(exported["files"][(3, "pdf")])
    assert len(form) == 1
    text = form[0].replace(" ", "")
    for word in ("附件3", "商南县政府网站管理责任人登记表", "序号", "单位名称", "（加盖公章）", "分管领导", "管理人员",
                 "联系电话", "（手机和固话）", "QQ号码"):
        assert word in text


@pytest.mark.parametrize("annex", [1, 2, 3])
def test_every_font_is_embedded_and_no_helvetica(exported, annex):
    reader = PdfReader(str(exported["files"][(annex, "pdf")]))
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        assert "Helvetica" not in str(font["/BaseFont"])
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdffonts_reports_embedded_subsets(exported):
    out = subprocess.run(["pdffonts", str(exported["files"][(2, "pdf")])], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def _tiny_table(names: list[str]) -> AnnexTable:
    columns = (Column("unit", "单位", TEXT, 10), Column("n", "数量", INT, 4))
    return AnnexTable(
        number=9, kind="ranking", title="测试表", columns=columns,
        header=tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(columns)),
        rows=tuple(TableRow((n, i)) for i, n in enumerate(names)), note="注：测试。",
    )


def test_markup_in_unit_names_is_printed_literally(pdf_text, tmp_path):
    names = ["A<b>B&amp;", "<font size=40>大</font>", "张喆、孙堃、刘玥、陈赟、赵镕"]
    result = render_pdf([_tiny_table(names)])
    path = tmp_path / "t.pdf"
    path.write_bytes(result.data)
    text = pdf_text.pages(path)[0]
    for name in names:
        assert name in text
    assert not result.missing


def test_a_character_no_font_has_is_reported(tmp_path):
    result = render_pdf([_tiny_table(["县\U0001F600局"])])
    assert result.missing == {"\U0001F600"}


def test_several_annexes_in_one_document_continue_page_numbers(exported, pdf_text, tmp_path):
    sheet = exported["sheet"]
    result = render_pdf([annex_table(sheet, n) for n in (1, 2, 3)], first_page=5)
    path = tmp_path / "all.pdf"
    path.write_bytes(result.data)
    pages = pdf_text.pages(path)
    assert result.pages == len(pages) == 4
    for i, page in enumerate(pages):
        assert f"— {5 + i} —" in page
    assert "附件2" in pages[1] and "附件3" in pages[3]


def test_long_tables_shrink_before_adding_pages():
    table = _tiny_table([f"单位{i}" for i in range(30)])  # too long for the roomy layout, fits a tighter one
    result = render_pdf([table])
    assert result.pages == 1
    assert result.layouts != ["comfortable"]
    many = _tiny_table([f"单位{i}" for i in range(200)])
    assert render_pdf([many]).pages >= 4


def test_scores_are_exact(exported, pdf_text):
    words = pdf_text.tokens("\n".join(pdf_text.pages(exported["files"][(1, "pdf")])))
    assert "30.4" in words and "6" in words
    assert not any(w.startswith("30.39") or w.endswith("0000001") for w in words)
