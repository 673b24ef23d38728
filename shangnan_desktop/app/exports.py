"""Export and print: read the quarter (and the register) from the store, render through ``reports``."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from shangnan_desktop.app.register import register_number, register_units
from shangnan_desktop.domain import DomainError, Period, PeriodSheet
from shangnan_desktop.reports.export import ExportedFile, export, parse_annexes, parse_formats, tables_for
from shangnan_desktop.reports.annex import AnnexTable, annex_count, annex_table
from shangnan_desktop.reports.register_export import filled_register_table
from shangnan_desktop.storage import Store


def export_period(
    store: Store, period: Period, annexes: str = "all", fmt: str = "both", output: str | Path = ".", *,
    filled: bool = False,
) -> list[ExportedFile]:
    """The CLI's and the window's entry point: read the period from the store, export the chosen annexes.

    Public by default: 附件3 is the blank form. ``filled`` puts the register into 附件3, which makes
    that file internal (内部资料 on every page); the other annexes stay public.
    """
    sheet = store.load_sheet(period)
    numbers = parse_annexes(annexes, sheet)
    number = annex_count(sheet)
    if filled and number not in numbers:
        raise DomainError(f"按登记表填写只适用于附件{number}（管理责任人登记表）。")
    tables = tables_for(sheet, numbers)
    if filled:
        filled_table = filled_register_table(
            register_units(store), number, today=_dt.date.today(), period_key=period.key
        )
        tables = [filled_table if t.number == number else t for t in tables]
    return export(tables, parse_formats(fmt), output)


@dataclass(frozen=True)
class AnnexChoice:
    number: int
    label: str  # 附件N
    title: str


def annex_choices(sheet: PeriodSheet) -> list[AnnexChoice]:
    """The annexes a quarter has, for the export dialog's check boxes."""
    return [AnnexChoice(n, t.label, t.title) for n in range(1, annex_count(sheet) + 1) for t in [annex_table(sheet, n)]]


def annex_tables(sheet: PeriodSheet, numbers: Sequence[int]) -> list[AnnexTable]:
    """The chosen annexes as plain tables (read on the UI thread; writing them may then run in a worker)."""
    return tables_for(sheet, numbers)


def write_tables(tables: Sequence[AnnexTable], formats: Sequence[str], output: str | Path) -> list[ExportedFile]:
    """Write every table in every format into ``output``; each file appears whole or not at all."""
    return export(tables, formats, output)


def print_pages(sheet: PeriodSheet) -> bytes:
    """Every annex of the quarter as one PDF, page numbers continuing (safe in a worker thread)."""
    from shangnan_desktop.reports.pdf import render_pdf  # lazy: reportlab is heavy

    return render_pdf(tables_for(sheet, list(range(1, annex_count(sheet) + 1)))).data


def warm_up_fonts() -> None:
    """Parse and register the PDF fonts now (about 0.2 s, once per process), so the first export does not wait."""
    from shangnan_desktop.reports.fonts import font_set  # lazy: reportlab is heavy

    font_set()


def chosen_annexes(store: Store, period: Period, choice: str) -> list[int]:
    """The annex numbers ``choice`` names (``"2"``, ``"1,3"``, ``"all"``) for the quarter; a clear error otherwise."""
    return parse_annexes(choice, store.load_sheet(period))


def chosen_formats(choice: str) -> tuple[str, ...]:
    """``xlsx`` / ``pdf`` / ``both`` as the formats to write."""
    return parse_formats(choice)


def print_pdf(store: Store, period: Period, numbers: Sequence[int] | None = None) -> bytes:
    """The PDF to preview and print: the chosen annexes in one document, page numbers continuing."""
    from shangnan_desktop.reports.pdf import render_pdf  # lazy: reportlab is heavy

    sheet = store.load_sheet(period)
    numbers = list(numbers) if numbers else list(range(1, annex_count(sheet) + 1))
    return render_pdf(tables_for(sheet, numbers)).data


__all__ = [
    "AnnexChoice", "ExportedFile", "annex_choices", "annex_tables", "print_pages", "warm_up_fonts", "write_tables",
    "chosen_annexes", "chosen_formats", "export_period", "print_pdf", "register_number"]
