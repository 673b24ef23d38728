"""Annex tables as .xlsx (openpyxl): typed numbers, text that never turns into a formula, A4 print setup."""

from __future__ import annotations

import logging
import math
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from shangnan_desktop import APP_NAME
from shangnan_desktop.domain import format_decimal
from shangnan_desktop.reports.fonts import BODY, HEI, SONG, TITLE, xlsx_font_name
from shangnan_desktop.reports.annex import DECIMAL, INT, AnnexTable, Column, text_width
from shangnan_desktop.reports.safe_write import write_atomic

logger = logging.getLogger(__name__)

MM = 1 / 25.4  # openpyxl margins are in inches
WIDTH_BUDGET = 80.0  # Excel width units across the 156 mm type area (≈ 83, kept clear of fit-to-width scaling)
UNITS_PER_EM_PT = 0.19  # measured: a CJK character at n pt is ≈ 0.19·n width units (research §3.3)
LABEL_SIZE, TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = 16, 22, 12, 14
MARK_SIZE = 14  # 内部资料 in the page header of an internal export
SUBTITLE_SIZE = 14
HANDWRITTEN_ROW = 28
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_cell_text(text: str) -> str:
    """Text openpyxl accepts: control characters other than tab/newline removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def set_text(cell, text: str) -> None:
    """Store ``text`` as a string even if it starts with ``=``; Excel keeps it text when edited."""
    text = clean_cell_text(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS) or _looks_numeric(text):
        cell.quotePrefix = True


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _column_widths(table: AnnexTable) -> list[float]:
    total = sum(c.width for c in table.columns)
    budget = WIDTH_BUDGET * 225 / 156 if table.landscape else WIDTH_BUDGET  # landscape type area 225 mm
    return [round(budget * c.width / total, 2) for c in table.columns]


def _fits(text: str, size: float, width: float) -> bool:
    return all(text_width(line) * size * UNITS_PER_EM_PT + 1 <= width for line in text.split("\n"))


def _lines(text: str, size: float, width: float) -> int:
    per_line = max((width - 1) / (size * UNITS_PER_EM_PT), 1.0)
    return sum(max(1, math.ceil(text_width(line) / per_line)) for line in text.split("\n"))


def _header_size(table: AnnexTable, widths: list[float], body_size: float = BODY_SIZE) -> float:
    for size in (s for s in (BODY_SIZE, 11, 10.5, 10, 9) if s <= body_size):
        if all(_fits(c.text, size, sum(widths[c.col : c.col + c.colspan])) for c in table.header):
            return size
    return 9


def _write_value(cell, value, column: Column) -> None:
    if value is None:
        return
    if column.kind == INT and isinstance(value, int):
        cell.value = value
        cell.number_format = "0"
    elif column.kind == DECIMAL and isinstance(value, Decimal):
        cell.value = Decimal(format_decimal(value))  # 30.4, 6, 0: no trailing zeros in the file either
        cell.number_format = "General"
    else:
        set_text(cell, str(value))


def add_sheet(wb, table: AnnexTable, title: str | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    # An internal sheet says so on its tab (seen on screen) and in the page header (printed).
    ws = wb.create_sheet(title or table.sheet_title)
    ncols = len(table.columns)
    last = get_column_letter(ncols)
    widths = _column_widths(table)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body_size = min(BODY_SIZE, table.max_body_size or BODY_SIZE)
    body_font = Font(name=xlsx_font_name(BODY), size=body_size)
    header_size = _header_size(table, widths, body_size)
    header_font = Font(name=xlsx_font_name(HEI), size=header_size)

    ws["A1"] = table.label if table.show_label else None
    ws["A1"].font = Font(name=xlsx_font_name(HEI), size=LABEL_SIZE)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 30

    lines = table.title_lines()
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], "\n".join(lines))
    ws["A2"].font = Font(name=xlsx_font_name(TITLE), size=TITLE_SIZE, bold=xlsx_font_name(TITLE) == "宋体")
    ws["A2"].alignment = centre
    ws.row_dimensions[2].height = 30 * len(lines) + 26  # a blank half line above the table, as in the PDF

    first = 3
    if table.subtitle:
        ws.merge_cells(f"A3:{last}3")
        set_text(ws["A3"], table.subtitle)
        ws["A3"].font = Font(name=xlsx_font_name(BODY), size=SUBTITLE_SIZE)
        ws["A3"].alignment = Alignment(horizontal="left", vertical="center")
        ws.row_dimensions[3].height = 30
        first = 4
    n_header = table.header_rows
    for r in range(first, first + n_header):
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).border = box
    header_lines = [1] * n_header
    for hc in table.header:
        cell = ws.cell(row=first + hc.row, column=hc.col + 1)
        set_text(cell, hc.text)
        cell.font = header_font
        cell.alignment = centre
        if hc.rowspan > 1 or hc.colspan > 1:
            ws.merge_cells(
                start_row=first + hc.row, start_column=hc.col + 1,
                end_row=first + hc.row + hc.rowspan - 1, end_column=hc.col + hc.colspan,
            )
        if hc.rowspan == 1:
            room = sum(widths[hc.col : hc.col + hc.colspan])
            header_lines[hc.row] = max(header_lines[hc.row], _lines(hc.text, header_size, room))
    for r, n in enumerate(header_lines):
        ws.row_dimensions[first + r].height = max(24, n * header_size * 1.3 + 8)

    row_no = first + n_header
    section_font = Font(name=xlsx_font_name(HEI), size=body_size)
    section_fill = PatternFill("solid", fgColor="EBEBEB")
    row_height = table.row_height or (HANDWRITTEN_ROW if table.handwritten else 20)
    for row in table.rows:
        if row.section:
            for c in range(1, ncols + 1):
                ws.cell(row=row_no, column=c).border = box
                ws.cell(row=row_no, column=c).fill = section_fill
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
            cell = ws.cell(row=row_no, column=1)
            set_text(cell, str(row.values[0]))
            cell.font = section_font
            cell.alignment = Alignment(horizontal="left", vertical="center", indent=1)
            ws.row_dimensions[row_no].height = 22
            row_no += 1
            continue
        lines_needed = 1
        for c, (value, column) in enumerate(zip(row.values, table.columns), start=1):
            cell = ws.cell(row=row_no, column=c)
            _write_value(cell, value, column)
            cell.font = body_font
            cell.alignment = centre
            cell.border = box
            if value is not None:
                lines_needed = max(lines_needed, _lines(str(cell.value), body_size, widths[c - 1]))
        ws.row_dimensions[row_no].height = max(row_height, lines_needed * body_size * 1.3 + 6)
        row_no += 1
    last_row = row_no - 1
    for line in table.note_lines():
        ws.merge_cells(f"A{row_no}:{last}{row_no}")
        set_text(ws[f"A{row_no}"], line)
        ws[f"A{row_no}"].font = body_font
        ws[f"A{row_no}"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[row_no].height = 24 * _lines(line, body_size, sum(widths))
        last_row = row_no
        row_no += 1

    ws.freeze_panes = ws.cell(row=first + n_header, column=1)
    ws.print_title_rows = f"{first}:{first + n_header - 1}"
    ws.print_area = f"A1:{last}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if table.landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    if table.landscape:  # the type area turned with the page, as in the PDF
        ws.page_margins = PageMargins(
            left=37 * MM, right=35 * MM, top=28 * MM, bottom=26 * MM, header=12 * MM, footer=16 * MM
        )
    else:
        ws.page_margins = PageMargins(
            left=28 * MM, right=26 * MM, top=37 * MM, bottom=35 * MM, header=15 * MM, footer=25 * MM
        )
    hf = ws.HeaderFooter
    hf.differentOddEven = True
    hf.scaleWithDoc = False
    hf.alignWithMargins = True
    if table.marking:
        for header in (hf.oddHeader, hf.evenHeader, hf.firstHeader):
            header.right.text = table.marking
            header.right.font = f"{xlsx_font_name(HEI)},Regular"
            header.right.size = MARK_SIZE
    style = table.page_numbers
    if style is None:
        return
    page = style.template.replace("{n}", "&P")
    indent = "\u3000" * style.indent_chars
    for footer, side in ((hf.oddFooter, style.odd), (hf.evenFooter, style.even)):
        part = footer.right if side == "right" else footer.left
        part.text = page + indent if side == "right" else indent + page
        part.font = f"{xlsx_font_name(SONG)},Regular"
        part.size = PAGE_NUMBER_SIZE


def build_workbook(tables: Sequence[AnnexTable]):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        add_sheet(wb, table)
    wb.properties.creator = APP_NAME
    wb.properties.title = "；".join(t.title for t in tables)
    return wb


def write_xlsx(tables: Sequence[AnnexTable], path: str | Path) -> Path:
    wb = build_workbook(tables)
    return write_atomic(path, wb.save)
