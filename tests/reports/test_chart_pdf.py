"""The PDF chart page: one bar per unit in rank order, zero scores in grey, long groups over several pages."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.reports.chart_pdf import ZERO_COLOUR, bars, chart_story, chart_title, nice_step
from shangnan_desktop.reports.fonts import font_set
from shangnan_desktop.reports.annex import annex_table
from shangnan_desktop.reports.pdf import BOTTOM, FRAME_WIDTH, PAGE_HEIGHT, TOP, render_pdf

Q2 = Period(2021, "Q", 2)


@pytest.fixture
def annex2(store):
    return annex_table(store.load_sheet(Q2), 2)


def _drawings(story):
    from reportlab.graphics.shapes import Drawing

    return [f for f in story if isinstance(f, Drawing)]


def _rects(drawing):
    from reportlab.graphics.shapes import Rect

    return [s for s in drawing.contents if isinstance(s, Rect)]


def test_bars_follow_the_annex_rank_order(annex2):
    got = bars(annex2)
    assert [(b.name, b.score, b.rank) for b in got] == [(r.values[0], r.values[3], r.values[4]) for r in annex2.rows]
    assert got[0].name == "县融媒体中心" and got[0].score == D("68.4")


def test_one_page_of_bars_zero_scores_in_grey(annex2):
    story = chart_story(annex2, font_set(), set(), FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM)
    (drawing,) = _drawings(story)
    rects = _rects(drawing)
    assert len(rects) == 52
    grey = [r for r in rects if tuple(r.fillColor.rgb()) == pytest.approx(ZERO_COLOUR)]
    assert len(grey) == 16  # the notice's 16 units that submitted nothing
    # bar lengths in proportion to the scores, the top score the longest
    coloured = [r for r in rects if r not in grey]
    widths = [r.width for r in coloured]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] / widths[-1] == pytest.approx(float(D("68.4") / D("0.2")), rel=1e-6)
    assert drawing.height <= PAGE_HEIGHT - TOP - BOTTOM


def test_a_long_group_continues_on_further_pages(annex2):
    from dataclasses import replace

    many = replace(annex2, rows=annex2.rows * 4)  # 208 bars
    story = chart_story(many, font_set(), set(), FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM)
    drawings = _drawings(story)
    assert len(drawings) > 1
    assert sum(len(_rects(d)) for d in drawings) == 208
    result = render_pdf([many], chart=True)
    assert result.pages == render_pdf([many]).pages + len(drawings)


def test_chart_title_and_scale():
    from shangnan_desktop.reports.annex import RANKING, AnnexTable, Column, HeaderCell

    t = AnnexTable(2, RANKING, "2021年度县直有关部门向县政府网站报送政务信息情况统计表",
                   (Column("unit", "单位"), Column("score", "得分")), (HeaderCell("单位", 0, 0),), ())
    assert chart_title(t) == "2021年度县直有关部门向县政府网站报送政务信息得分排名图"
    assert chart_story(t, font_set(), set(), FRAME_WIDTH, 600) == []  # no rows, no chart
    assert [nice_step(x) for x in (68.4, 268, 7.4, 0.8, 0)] == [20, 100, 2, 0.2, 1]


def test_no_chart_for_the_register_form(store):
    sheet = store.load_sheet(Q2)
    form = annex_table(sheet, 3)
    assert chart_story(form, font_set(), set(), FRAME_WIDTH, 600) == []
    assert render_pdf([form], chart=True).pages == render_pdf([form]).pages


def test_period_annexes_with_chart_pages(store, tmp_path, pdf_text):
    from shangnan_desktop.reports.pdf import write_pdf

    sheet = store.load_sheet(Q2)
    tables = [annex_table(sheet, 1), annex_table(sheet, 2)]
    result = write_pdf(tables, tmp_path / "q2.pdf", chart=True)
    pages = [p.replace(" ", "") for p in pdf_text.pages(tmp_path / "q2.pdf")]
    assert result.pages == 1 + 1 + 2 + 1  # 附件1, its chart, 附件2 on two pages, its chart
    assert "各镇(办)向县政府网站" in pages[1] or "各镇（办）向县政府网站" in pages[1]
    assert "得分排名图" in pages[1] and "共10个单位。" in pages[1]
    assert "得分排名图" in pages[4] and "其中16个单位得分为0（灰色）" in pages[4]


def test_a_group_that_scored_nothing_draws_only_grey(store):
    from dataclasses import replace

    from shangnan_desktop.reports.annex import TableRow

    table = annex_table(store.load_sheet(Q2), 1)
    zero = replace(table, rows=tuple(TableRow((r.values[0], 0, 0, D(0), 1), r.unit_id) for r in table.rows))
    (drawing,) = _drawings(chart_story(zero, font_set(), set(), FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM))
    rects = _rects(drawing)
    assert len(rects) == 10
    assert all(tuple(r.fillColor.rgb()) == pytest.approx(ZERO_COLOUR) for r in rects)
