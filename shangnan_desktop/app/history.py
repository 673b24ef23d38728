"""Across periods: cumulative tables over a span, the comparison with the previous period, a unit's history.

Each use case reads the periods it needs from the store and returns the domain results of
``domain.cumulative``; the annexes of a span go through ``reports.cumulative`` and the ordinary writers.
Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from shangnan_desktop.domain import DomainError, NotFoundError, Period, PeriodSheet, ValidationError
from shangnan_desktop.domain.cumulative import (
    Change,
    CumulativeTable,
    PeriodRun,
    UnitHistory,
    compare,
    cumulative,
    unit_history,
)
from shangnan_desktop.domain.span import Span, parse_span, previous_period, single
from shangnan_desktop.reports.annex import AnnexTable
from shangnan_desktop.reports.cumulative import cumulative_annexes, with_compare
from shangnan_desktop.reports.export import ExportedFile, export, parse_annexes, parse_formats, tables_for
from shangnan_desktop.storage import Store


def database_kind(store: Store) -> str:
    """The kind of the database's periods (``Q`` when it has none yet)."""
    infos = store.periods()
    return infos[-1].period.kind if infos else "Q"


def parse_spec(store: Store, text: str) -> Span:
    """A span as the clerk typed it, in the database's kind: ``2021``, ``2021H1``, ``2021Q1-2021Q3``, ``2021Q2``.

    A period of the database's own kind is a span of one (its messages as ``Period.parse`` words them:
    ``2021Q9`` → 季度只能是1到4); anything else is read as a run of the database's periods.
    """
    kind = database_kind(store)
    try:
        period = Period.parse(text)
    except ValidationError as exc:
        try:
            return parse_span(text, kind)
        except ValidationError:
            if any(ch in str(text) for ch in "-~至到—–－～"):
                raise
            raise exc from None
    if period.kind == kind:
        return single(period)
    return parse_span(text, kind)


def available_periods(store: Store) -> list[Period]:
    return [info.period for info in store.periods()]


def load_run(store: Store, span: Span) -> PeriodRun:
    """Every member's sheet; a Chinese message naming the members that do not exist yet."""
    return PeriodRun.load(span, store.load_sheet, available_periods(store), store.units())


def cumulative_table(store: Store, span: Span) -> CumulativeTable:
    return cumulative(load_run(store, span))


def previous_sheet(store: Store, period: Period) -> PeriodSheet | None:
    """The period just before of the same kind, or None when the database does not have it."""
    try:
        before = previous_period(period)
    except DomainError:
        return None
    return store.load_sheet(before) if before in set(available_periods(store)) else None


def compare_with_previous(store: Store, period: Period, sheet: PeriodSheet | None = None) -> dict[int, Change]:
    """上期排名 and 变化 for every unit of ``period`` (all 新增 when there is no previous period)."""
    sheet = sheet if sheet is not None else store.load_sheet(period)
    return compare(sheet, previous_sheet(store, period))


def compare_span(store: Store, table: CumulativeTable) -> dict[int, Change]:
    """Ranks over the span against the run of the same length just before (all 新增 when it is incomplete)."""
    try:
        before = table.span.previous()
    except DomainError:
        return compare(table, None)
    if before.missing(available_periods(store)):
        return compare(table, None)
    return compare(table, cumulative_table(store, before))


def find_unit_id(store: Store, name: str, *, group: str | None = None) -> int:
    """A unit by its current name, or by any name it had in a period (a renamed unit keeps its history)."""
    try:
        return store.find_unit(name, group=group).id
    except NotFoundError:
        for info in reversed(store.periods()):
            try:
                return store.find_unit(name, info.period, group=group).id
            except NotFoundError:
                continue
        raise


def history_of(store: Store, unit_id: int) -> UnitHistory:
    """Every period the unit took part in, in time order: its name then, counts, score and rank."""
    unit = store.unit(unit_id)
    sheets = [store.load_sheet(p) for p in available_periods(store)]
    return unit_history(unit_id, sheets, name=unit.name)


def unit_history_by_name(store: Store, name: str, *, group: str | None = None) -> UnitHistory:
    return history_of(store, find_unit_id(store, name, group=group))


# ---- what ``show`` and ``export`` print or write for a span ---------------------------------------
@dataclass(frozen=True)
class SpanTables:
    """The ranking tables of a span (one per group), with the compare columns when asked."""

    span: Span
    tables: tuple[AnnexTable, ...]
    table: CumulativeTable | None  # None for a single period (its own sheet's annexes)


def span_annexes(store: Store, span: Span, *, compare_previous: bool = False) -> SpanTables:
    """The annexes of a span: a single period's ranking annexes, or the cumulative ones."""
    if span.is_single:
        from shangnan_desktop.reports.annex import ranking_table

        sheet = store.load_sheet(span.first)
        tables = [ranking_table(sheet, i) for i in range(len(sheet.groups))]
        if compare_previous:
            changes = compare_with_previous(store, span.first, sheet)
            tables = [with_compare(t, changes) for t in tables]
        return SpanTables(span, tuple(tables), None)
    table = cumulative_table(store, span)
    changes = compare_span(store, table) if compare_previous else None
    return SpanTables(span, tuple(cumulative_annexes(table, changes=changes)), table)


def export_span(
    store: Store, spec: str, annexes: str = "all", fmt: str = "both", output: str | Path = ".", *,
    chart: bool = False, compare_previous: bool = False,
) -> list[ExportedFile]:
    """``export SPEC``: a period's annexes as before, or the cumulative annexes of a span; ``chart`` adds the
    chart page after each ranking annex in the PDFs, ``compare_previous`` the 上期排名 and 变化 columns."""
    span = parse_spec(store, spec)
    formats = parse_formats(fmt)
    if span.is_single and not compare_previous:
        sheet = store.load_sheet(span.first)
        tables = tables_for(sheet, parse_annexes(annexes, sheet))
        return export(tables, formats, output, chart=chart)
    found = span_annexes(store, span, compare_previous=compare_previous)
    numbers = _span_numbers(annexes, found.tables)
    if span.is_single:  # compare: the ranking annexes carry the columns, the others as they are
        sheet = store.load_sheet(span.first)
        by_number = {t.number: t for t in found.tables}
        tables = [by_number.get(n) or tables_for(sheet, [n])[0] for n in parse_annexes(annexes, sheet)]
    else:
        tables = [t for t in found.tables if t.number in numbers]
    return export(tables, formats, output, chart=chart)


def _span_numbers(choice: str, tables: Sequence[AnnexTable]) -> list[int]:
    text = str(choice).strip().lower()
    total = len(tables)
    if text in ("all", "全部"):
        return [t.number for t in tables]
    numbers = []
    for part in text.replace("，", ",").split(","):
        part = part.strip().removeprefix("附件")
        if not part.isdigit() or not 1 <= int(part) <= total:
            raise DomainError(f"附件编号“{choice}”无效，请输入1至{total}之间的数字或all。")
        numbers.append(int(part))
    return numbers


def span_chart_pdf(tables: Sequence[AnnexTable]) -> bytes:
    """The tables with their chart pages as one PDF (print preview of a span)."""
    from shangnan_desktop.reports.pdf import render_pdf  # lazy: reportlab is heavy

    return render_pdf(list(tables), chart=True).data


def changes_by_unit(changes: Mapping[int, Change]) -> dict[int, tuple[str, str]]:
    """(上期排名, 变化) as display text per unit id, what the window's extra columns show."""
    return {uid: ("" if c.previous_rank is None else str(c.previous_rank), c.text) for uid, c in changes.items()}


__all__ = [
    "SpanTables", "available_periods", "changes_by_unit", "compare_span", "compare_with_previous",
    "cumulative_table", "database_kind", "export_span", "find_unit_id", "history_of", "load_run", "parse_spec",
    "previous_sheet", "span_annexes", "span_chart_pdf", "unit_history_by_name",
]
