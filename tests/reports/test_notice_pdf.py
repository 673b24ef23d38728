"""The notice PDF: GB/T 9704 grid, bound figures, annexes on new pages, page numbers running on."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from shangnan_desktop.domain import notice as dn
from shangnan_desktop.reports.notice_model import BODY_SIZE, Block, Span
from shangnan_desktop.reports.notice_pdf import GRID, break_lines

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils (pdftotext) is not installed")

PAGE_WIDTH_PT = 595.3


def page_words(pdf, page: int) -> list[tuple[float, float, str]]:
    """(xMin, yMin, word) of one page, from ``pdftotext -bbox``."""
    out = subprocess.run([PDFTOTEXT, "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(x), float(y), w) for x, y, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


def page_text(pdf, page: int) -> str:
    return subprocess.run([PDFTOTEXT, "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_number_on(pdf, page: int) -> tuple[int, float] | None:
    """The ``— N —`` at the foot of a page: N and the x of its first dash, or None."""
    words = page_words(pdf, page)
    foot = sorted((w for w in words if w[1] > 740), key=lambda w: w[0])
    texts = [w[2] for w in foot]
    for i in range(len(texts) - 2):
        if texts[i] == "—" and texts[i + 1].isdigit() and texts[i + 2] == "—":
            return int(texts[i + 1]), foot[i][0]
    return None


@needs_poppler
def test_page_numbers_run_on_across_the_annexes(notice_files):
    pdf, result = notice_files["pdf"], notice_files["result"]
    assert result.pages == 8
    assert result.annex_first_pages == [5, 6, 8]  # 附件1, 附件2 (two pages), 附件3
    assert page_number_on(pdf, 1) is None  # 信函格式: 首页不显示页码
    for n in range(2, result.pages + 1):
        found = page_number_on(pdf, n)
        assert found is not None, f"no page number on page {n}"
        number, x = found
        assert number == n
        if n % 2:
            assert x > PAGE_WIDTH_PT / 2, f"odd page {n} number should be on the right"
        else:
            assert x < PAGE_WIDTH_PT / 3, f"even page {n} number should be on the left"
    for label, page in zip(("附件1", "附件2", "附件3"), result.annex_first_pages):
        text = page_text(pdf, page)
        assert text.lstrip().startswith(label)
    # the annex title and its note in full-width punctuation
    annex1 = page_text(pdf, 5).replace(" ", "")
    assert "2021年二季度各镇（办）向县政府网站" in annex1
    assert "注：每上报一条信息计0.2分，采用一条信息计1分。" in annex1


@needs_poppler
def test_first_page_and_bound_figures(notice_files):
    pdf = notice_files["pdf"]
    first = page_text(pdf, 1).replace(" ", "")
    assert "商南县人民政府办公室" in first and "商南政办函〔2021〕56号" in first
    assert "关于2021年二季度县政府网站信息报送及" in first
    body = "".join(page_text(pdf, n) for n in range(1, 5)).replace(" ", "").replace("\n", "")
    for sentence in ("共发布各类信息2315条", "镇办报送信息132条、部门报送信息528条，共采用546条",
                     "县电子政务中心采编发布1769条", "其中16个单位为信息零报送", "办结率100%",
                     "附件：1.2021年二季度各镇（办）", "2021年7月16日", "（此件公开发布）"):
        assert sentence in body, sentence


@needs_poppler
def test_body_pages_hold_22_lines_of_at_most_28_characters(notice_files):
    pdf = notice_files["pdf"]
    for page in (2, 3):
        words = [w for w in page_words(pdf, page) if w[1] < 740]
        lines = sorted({round(y) for _x, y, _w in words})
        assert len(lines) == 22
        steps = {round(b - a, 1) for a, b in zip(lines, lines[1:])}
        assert all(28.5 <= s <= 29.5 for s in steps), steps
        by_line: dict[int, str] = {}
        for _x, y, w in words:
            by_line[round(y)] = by_line.get(round(y), "") + w
        for text in by_line.values():
            width = sum(1 if ord(c) > 0x2000 else 0.5 for c in text)
            assert width <= 28, text


def _block(text: str) -> Block:
    return Block(dn.BODY, (Span(text),), first_indent=0)


def _chars(text: str):
    return [(c, "f", (BODY_SIZE if ord(c) > 0x2000 else BODY_SIZE / 2) + GRID - BODY_SIZE) for c in text]


def test_line_breaking_fills_28_cells_and_keeps_the_rules():
    width = GRID * 28
    assert len(break_lines(_chars("国" * 28), width, width)) == 1
    assert [len(line) for line in break_lines(_chars("国" * 29), width, width)] == [28, 1]
    # no line may start with ，: the 27th character moves down with it
    lines = break_lines(_chars("国" * 28 + "，国"), width, width)
    assert [c[0] for c in lines[1]][:2] == ["国", "，"] and len(lines[0]) == 27
    # no line may end with “
    lines = break_lines(_chars("国" * 27 + "“国”"), width, width)
    assert lines[0][-1][0] == "国" and lines[1][0][0] == "“"
    # numbers stay whole
    lines = break_lines(_chars("国" * 27 + "2315条"), width, width)
    assert len(lines[0]) == 27
    assert "".join(c[0] for c in lines[1]).startswith("2315")


def test_body_alone_without_annexes(notice_files):
    from shangnan_desktop.reports.notice_model import load_reference_notice, notice_document
    from shangnan_desktop.reports.notice_pdf import render_notice_pdf

    document = notice_document(load_reference_notice(), notice_files["sheet"], with_annexes=False)
    result = render_notice_pdf(document)
    assert result.annex_first_pages == []
    assert result.pages == notice_files["result"].annex_first_pages[0] - 1
    assert not any(b.role == dn.ANNEX_LIST and "附件4" in b.text for b in document.blocks)
    # the annex list still names the annexes (they are sent separately)
    assert sum(b.role == dn.ANNEX_LIST for b in document.blocks) == 3
