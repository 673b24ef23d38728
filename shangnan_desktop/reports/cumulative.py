"""Annex descriptions across periods: the cumulative ranking tables and the 上期排名/变化 columns.

The tables are ordinary ``AnnexTable``s in the period annex's layout, so the existing xlsx and PDF
writers render them unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from shangnan_desktop.domain import NotFoundError, PeriodSheet
from shangnan_desktop.domain.cumulative import Change, CumulativeTable, compare
from shangnan_desktop.reports.annex import (
    DECIMAL,
    INT,
    PUBLIC,
    RANKING,
    TEXT,
    AnnexTable,
    Column,
    HeaderCell,
    TableRow,
    ranking_table,
    text_width,
)

PREVIOUS_RANK = "previous_rank"
CHANGE = "change"
COMPARE_COLUMNS = (
    Column(PREVIOUS_RANK, "上期排名", INT, 4.5),
    Column(CHANGE, "变化", TEXT, 4.0),
)


def cumulative_annex(
    table: CumulativeTable, group_index: int, *, changes: Mapping[int, Change] | None = None
) -> AnnexTable:
    """附件N for the N-th group over the span: 2021年度各镇（办）向县政府网站报送政务信息情况统计表."""
    if not 0 <= group_index < len(table.groups):
        raise NotFoundError(f"没有附件{group_index + 1}，共有附件1至附件{len(table.groups)}。")
    cg = table.groups[group_index]
    group = cg.group
    names = [r.name + r.mark for r in cg.rows]
    name_width = max([text_width(n) for n in names] + [text_width(group.unit_header), 8.0])
    columns = [Column("unit", group.unit_header, TEXT, min(name_width, 16.0) + 2)]
    for metric in table.metrics:
        columns.append(Column(metric.key, metric.label, INT, max(text_width(metric.label) + 1.5, 5.0)))
    columns.append(Column("score", "得分", DECIMAL, 5.5))
    columns.append(Column("rank", "排名", INT, 4.5))
    rows = tuple(
        TableRow((name, *r.counts, r.score, r.rank), r.unit_id) for name, r in zip(names, cg.rows)
    )
    annex = AnnexTable(
        number=group_index + 1,
        kind=RANKING,
        title=group.title(table.span.label),
        columns=tuple(columns),
        header=tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(columns)),
        rows=rows,
        note=table.note(),
        period_key=table.span.key,
        group=group.name,
        audience=PUBLIC,  # counts and scores only, as the period annexes
    )
    return with_compare(annex, changes) if changes is not None else annex


def cumulative_annexes(
    table: CumulativeTable, *, changes: Mapping[int, Change] | None = None
) -> list[AnnexTable]:
    """One annex per group, numbered from 1 (the register form does not belong to a span)."""
    return [cumulative_annex(table, i, changes=changes) for i in range(len(table.groups))]


def with_compare(annex: AnnexTable, changes: Mapping[int, Change]) -> AnnexTable:
    """The same annex with 上期排名 and 变化 after 排名 (blank previous rank for a unit new this period).

    Works for a period's ranking annex (``model.ranking_table``) and a cumulative one alike.
    """
    if annex.kind != RANKING:
        raise ValueError("only ranking tables have a previous rank")
    if any(c.key in (PREVIOUS_RANK, CHANGE) for c in annex.columns):
        return annex
    rows = []
    for row in annex.rows:
        if row.section or row.unit_id is None:
            rows.append(replace(row, values=row.values + (None, None)))
            continue
        change = changes.get(row.unit_id)
        extra = (change.previous_rank, change.text) if change else (None, None)
        rows.append(replace(row, values=row.values + extra))
    # the two narrow columns take room from the names: give the name column one character back
    columns = tuple(replace(c, width=c.width + 1) if c.key == "unit" else c for c in annex.columns)
    columns += COMPARE_COLUMNS
    header = annex.header + tuple(
        HeaderCell(c.header, 0, len(annex.columns) + i, rowspan=annex.header_rows)
        for i, c in enumerate(COMPARE_COLUMNS)
    )
    return replace(annex, columns=columns, header=header, rows=tuple(rows))


def compared_annex(sheet: PeriodSheet, group_index: int, previous: PeriodSheet | None) -> AnnexTable:
    """A period's ranking annex with 上期排名 and 变化 against ``previous`` (None: every unit 新增)."""
    return with_compare(ranking_table(sheet, group_index), compare(sheet, previous))
