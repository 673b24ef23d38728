"""Cumulative annexes and compare columns, described once and rendered by the existing xlsx and PDF writers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from shangnan_desktop.domain import Period, format_decimal
from shangnan_desktop.domain.cumulative import PeriodRun, compare, cumulative
from shangnan_desktop.domain.span import parse_span
from shangnan_desktop.reports.cumulative import compared_annex, cumulative_annex, cumulative_annexes, with_compare
from shangnan_desktop.reports.annex import ranking_table

Q1, Q2, Q3, Q4 = (Period(2021, "Q", n) for n in (1, 2, 3, 4))


def _vary(s: int, a: int, i: int, step: int) -> tuple[int, int]:
    """Another quarter's counts made from the reference: deterministic, adopted ≤ submitted, some zeros kept."""
    if s == 0 and (i + step) % 3:
        return 0, 0
    s2 = max(0, s + (i * 7 + step * 13) % 11 - 5)
    return s2, max(0, min(s2, a + (i * 5 + step * 11) % 9 - 4))


@pytest.fixture
def year_store(store):
    """2021 made of four quarters: Q2 the notice, Q1, Q3, Q4 varied from it."""
    q2 = store.load_sheet(Q2)
    reference = [(row.unit_id, row.counts) for gs in q2.groups for row in gs.rows]
    for step, period in ((-1, Q1), (1, Q3), (2, Q4)):
        store.create_period(period)
        store.set_many(period, [(uid, _vary(s, a, i, step)) for i, (uid, (s, a)) in enumerate(reference)])
    return store


def load(store, spec):
    return cumulative(PeriodRun.load(parse_span(spec), store.load_sheet,
                                     [p.period for p in store.periods()], store.units()))


@pytest.mark.parametrize(
    "spec, title",
    [
        ("2021", "2021年度县直有关部门向县政府网站报送政务信息情况统计表"),
        ("2021H1", "2021年上半年县直有关部门向县政府网站报送政务信息情况统计表"),
        ("2021Q1-2021Q3", "2021年1-3季度县直有关部门向县政府网站报送政务信息情况统计表"),
    ],
)
def test_cumulative_annex_titles(year_store, spec, title):
    annex = cumulative_annex(load(year_store, spec), 1)
    assert annex.title == title
    assert annex.label == "附件2"
    assert annex.period_key == parse_span(spec).key
    assert [c.header for c in annex.columns] == ["单位", "报送信息", "采用信息", "得分", "排名"]


def test_annual_annex_rows_are_the_sums_of_the_quarters(year_store):
    sheets = [year_store.load_sheet(p) for p in (Q1, Q2, Q3, Q4)]
    annex = cumulative_annex(load(year_store, "2021"), 1)
    assert len(annex.rows) == 52
    for row in annex.rows:
        _name, submitted, adopted, score, _rank = row.values
        per_quarter = [s.group("县直部门").rows[s.group("县直部门").index_of(row.unit_id)].counts for s in sheets]
        assert submitted == sum(c[0] for c in per_quarter)
        assert adopted == sum(c[1] for c in per_quarter)
        assert score == sum((D("0.2") * c[0] + c[1] for c in per_quarter), D(0))
    scores = [r.values[3] for r in annex.rows]
    assert scores == sorted(scores, reverse=True)
    assert annex.note_lines()[0] == "注：每上报一条信息计0.2分，采用一条信息计1分。得分为2021年一季度至四季度4期得分之和。"


def test_compare_columns_on_a_period_annex(year_store):
    q3, q2 = year_store.load_sheet(Q3), year_store.load_sheet(Q2)
    plain = ranking_table(q3, 1)
    annex = with_compare(plain, compare(q3, q2))
    assert [c.header for c in annex.columns] == ["单位", "报送信息", "采用信息", "得分", "排名", "上期排名", "变化"]
    assert annex.rows[0].values[:5] == plain.rows[0].values  # the annex itself unchanged
    depts = q2.groups[1]
    q2_rank = {row.unit_id: depts.rank(i) for i, row in enumerate(depts.rows)}
    for row in annex.rows:
        rank, previous, text = row.values[4], row.values[5], row.values[6]
        assert previous == q2_rank[row.unit_id]
        assert text == ("持平" if rank == previous else f"↑{previous - rank}" if rank < previous
                        else f"↓{rank - previous}")
    assert with_compare(annex, {}) is annex  # not added twice
    assert compared_annex(q3, 1, q2) == annex


def test_compare_marks_a_new_unit(year_store):
    depts = year_store.group_by_name("县直部门").id
    year_store.add_unit(depts, "县数据局", Q4)
    q4 = year_store.load_sheet(Q4)
    annex = with_compare(ranking_table(q4, 1), compare(q4, year_store.load_sheet(Q3)))
    row = next(r for r in annex.rows if r.values[0] == "县数据局")
    assert row.values[-2:] == (None, "新增")
    assert annex.display_rows()[annex.rows.index(row)][-2:] == ["", "新增"]


def test_cumulative_annexes_with_compare_against_the_previous_span(year_store):
    h2 = load(year_store, "2021H2")
    h1 = load(year_store, "2021H1")
    annexes = cumulative_annexes(h2, changes=compare(h2, h1))
    assert [a.label for a in annexes] == ["附件1", "附件2"]
    assert annexes[0].title.startswith("2021年下半年各镇")
    first = annexes[1].rows[0]
    assert first.values[5] == h1.row(first.unit_id).rank


def test_marked_units_show_their_mark_in_the_name_cell(year_store):
    shuili = year_store.find_unit("县水利局").id
    year_store.set_unit_active(shuili, False)
    year_store.create_period(Period(2022, "Q", 1))
    year_store.add_unit(year_store.group_by_name("县直部门").id, "县数据局", Period(2022, "Q", 1))
    annex = cumulative_annex(load(year_store, "2021Q4-2022Q1"), 1)
    names = [r.values[0] for r in annex.rows]
    assert "县水利局（至2021年四季度，已停用）" in names
    assert "县数据局（2022年一季度起）" in names
    assert any("自该期起参加排名" in line for line in annex.note_lines())


def test_annual_annex_renders_to_xlsx(year_store, tmp_path):
    import openpyxl

    from shangnan_desktop.reports.xlsx import write_xlsx

    table = load(year_store, "2021")
    annex = with_compare(cumulative_annex(table, 1), compare(table, None))
    path = write_xlsx([annex], tmp_path / "annual.xlsx")
    ws = openpyxl.load_workbook(path)["附件2"]
    assert ws["A2"].value == annex.title_lines()[0] + "\n" + annex.title_lines()[1]
    assert [ws.cell(row=3, column=c).value for c in range(1, 8)] == [
        "单位", "报送信息", "采用信息", "得分", "排名", "上期排名", "变化"
    ]
    first = annex.rows[0].values
    assert [ws.cell(row=4, column=c).value for c in (1, 2, 3, 5, 7)] == [first[0], first[1], first[2], 1, "新增"]
    assert format_decimal(D(str(ws.cell(row=4, column=4).value))) == format_decimal(first[3])


def test_annual_annex2_pdf_with_its_chart_page(year_store, tmp_path, pdf_text):
    from shangnan_desktop.reports.pdf import render_pdf, write_pdf

    table = load(year_store, "2021")
    annex = cumulative_annex(table, 1)
    plain = render_pdf([annex])
    result = write_pdf([annex], tmp_path / "annual.pdf", chart=True)
    assert result.pages == plain.pages + 1  # one chart page for 52 units
    assert not result.missing
    pages = pdf_text.pages(tmp_path / "annual.pdf")
    assert "2021年度县直有关部门向县政府网站" in pages[0].replace(" ", "")
    words = pdf_text.tokens("\n".join(pages[: plain.pages]))
    for row in annex.rows:
        name, submitted, adopted, score, rank = row.values
        assert pdf_text.contains_run(words, [name, str(submitted), str(adopted), format_decimal(score), str(rank)])
    chart = pages[-1].replace(" ", "")
    assert "得分排名图" in chart
    zeros = sum(1 for r in annex.rows if r.values[3] == 0)
    assert zeros > 0
    assert f"共52个单位，其中{zeros}个单位得分为0（灰色）" in chart
    top = annex.rows[0]
    assert top.values[0] in chart and format_decimal(top.values[3]) in chart
    assert f"—{plain.pages + 1}—" in chart  # page numbers continue onto the chart page
