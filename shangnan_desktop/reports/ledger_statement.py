"""The dispute answer: one unit's items of a period with their status, as xlsx and PDF.

“县文旅局2021年二季度政务信息报送明细”: 序号·标题·报送日期·状态·发布日期·栏目, the items that count
first (by date), then (under their own heading) those that do not and why, and the note
“共报送N条，采用M条。”. For all units at once: one file per unit into a folder.
"""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import PeriodLedger, format_date
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.reports.annex import (
    INT,
    PUBLIC,
    TEXT,
    AnnexTable,
    Column,
    HeaderCell,
    TableRow,
    safe_file_name,
)

logger = logging.getLogger(__name__)

STATEMENT = "ledger_statement"
TITLE_TEMPLATE = "{unit}{period}政务信息报送明细"
TAB = "报送明细"
XLSX, PDF = "xlsx", "pdf"
FORMATS = (XLSX, PDF)

COLUMNS = (
    Column("seq", "序号", INT, 3.0),
    Column("title", "标题", TEXT, 18.0),
    Column("submitted_on", "报送日期", TEXT, 7.0),
    Column("status", "状态", TEXT, 4.2),
    Column("published_on", "发布日期", TEXT, 7.0),
    Column("column", "栏目", TEXT, 6.2),
)
HEADER = tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(COLUMNS))
# Items that do not count, under a heading saying why.
SECTIONS = (
    ("重复", "以下{n}条与上列信息重复（同一标题），未计入："),
    ("不在本期", "以下{n}条的日期不在本期，未计入："),
)


@dataclass(frozen=True)
class StatementTable(AnnexTable):
    """A table that is no annex of the notice: no 附件N line above the title."""

    @property
    def label(self) -> str:
        return ""


def statement_title(unit_name: str, period: Period) -> str:
    return TITLE_TEMPLATE.format(unit=unit_name, period=period.label)


def statement_table(ledger: PeriodLedger, unit_id: int, unit_name: str) -> StatementTable:
    """One unit's items of the ledger's period: counted ones, then the others with the reason."""
    items = ledger.items
    counted_set = set(ledger.counted())
    # By date (submission, else publication), undated last; ledger order among equals.
    mine = sorted(ledger.unit_items(unit_id), key=lambda i: (items[i].date or _dt.date.max, i))
    counted = [i for i in mine if i in counted_set]
    others = [i for i in mine if i not in counted_set]
    rows: list[TableRow] = []
    for seq, i in enumerate(counted, start=1):
        item = items[i]
        rows.append(TableRow(
            (seq, item.title, format_date(item.submitted_on) or None, item.status,
             format_date(item.published_on) or None, item.column or None),
            unit_id,
        ))
    seq = len(counted)
    for reason, heading in SECTIONS:
        group = [i for i in others if ledger.not_counted_reason(i) == reason]
        if not group:
            continue
        filler = (None,) * (len(COLUMNS) - 1)
        rows.append(TableRow((heading.format(n=len(group)), *filler), section=True))
        for i in group:
            seq += 1
            item = items[i]
            rows.append(TableRow(
                (seq, item.title, format_date(item.submitted_on) or None, item.status,
                 format_date(item.published_on) or None, item.column or None),
                unit_id,
            ))
    counts = ledger.unit_counts(unit_id)
    note = statement_note(counts[SUBMITTED], counts[ADOPTED], len(others))
    return StatementTable(
        number=0,
        kind=STATEMENT,
        title=statement_title(unit_name, ledger.period),
        columns=COLUMNS,
        header=HEADER,
        rows=tuple(rows),
        note=note,
        period_key=ledger.period.key,
        audience=PUBLIC,  # titles and dates of the unit's own items: sent to the unit
        max_body_size=10.5,
        name=statement_title(unit_name, ledger.period),
    )


def statement_note(submitted: int, adopted: int, not_counted: int = 0) -> str:
    note = f"共报送{submitted}条，采用{adopted}条。"
    if not_counted:
        note += f"另有{not_counted}条重复或日期不在本期，未计入。"
    return note


def statement_stem(unit_name: str, period: Period) -> str:
    return safe_file_name(statement_title(unit_name, period))


def _write_xlsx(table: StatementTable, path: Path) -> Path:
    from openpyxl import Workbook

    from shangnan_desktop import APP_NAME
    from shangnan_desktop.reports.safe_write import write_atomic
    from shangnan_desktop.reports.xlsx import add_sheet

    wb = Workbook()
    wb.remove(wb.active)
    add_sheet(wb, table, title=TAB)
    ws = wb[TAB]
    ws["A1"].value = None  # no 附件N line: the writer's first row stays, empty and low
    ws.row_dimensions[1].height = 8
    wb.properties.creator = APP_NAME
    wb.properties.title = table.title
    return write_atomic(path, wb.save)


def write_statement(
    ledger: PeriodLedger, unit_id: int, unit_name: str, out_dir: str | Path, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """The unit's statement into ``out_dir`` as ``<title>.xlsx`` and/or ``.pdf``; returns the paths written."""
    from shangnan_desktop.reports.pdf import write_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = statement_table(ledger, unit_id, unit_name)
    stem = statement_stem(unit_name, ledger.period)
    written = []
    for fmt in formats:
        if fmt == XLSX:
            written.append(_write_xlsx(table, out / f"{stem}.xlsx"))
        elif fmt == PDF:
            path = out / f"{stem}.pdf"
            write_pdf([table], path)
            written.append(path)
        else:
            raise ValueError(f"unknown format {fmt!r}")
    logger.info("statement of unit %s for %s: %d file(s)", unit_id, ledger.period.key, len(written))
    return written


def write_all_statements(
    ledger: PeriodLedger,
    units: Iterable[tuple[int, str]],
    out_dir: str | Path,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """One statement per unit (in the order given) into ``out_dir``, ready to send."""
    written: list[Path] = []
    for unit_id, name in units:
        written.extend(write_statement(ledger, unit_id, name, out_dir, formats))
    return written
