"""Unit names read from one column of an .xlsx (the new-county setup, issue 16): text cells in order,
empty cells skipped, a header cell left to the caller."""

from __future__ import annotations

from pathlib import Path

from shangnan_desktop.domain import ValidationError


def read_unit_column(path: str | Path, column: int = 1) -> list[str]:
    """The non-empty cells of ``column`` (1 = A) of the first sheet, as text, top to bottom."""
    from openpyxl import load_workbook  # heavy: only when a list is read from a workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(Path(path), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ValidationError(f"无法读取“{Path(path).name}”：它不是有效的.xlsx文件（{type(exc).__name__}）。") from None
    try:
        sheet = book.worksheets[0]
        names = []
        for (value,) in sheet.iter_rows(min_col=column, max_col=column, values_only=True):
            text = "" if value is None else str(value).strip()
            if text:
                names.append(text)
        return names
    finally:
        book.close()
