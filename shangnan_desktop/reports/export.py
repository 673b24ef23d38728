"""Exports a period's annexes to .xlsx and PDF files: one file, or all of them into a folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from shangnan_desktop.domain import DomainError, PeriodSheet
from shangnan_desktop.reports.annex import AnnexTable, annex_count, annex_table
from shangnan_desktop.reports.safe_write import ExportError

logger = logging.getLogger(__name__)

XLSX = "xlsx"
PDF = "pdf"
FORMATS = {"xlsx": (XLSX,), "pdf": (PDF,), "both": (XLSX, PDF)}


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    annex: str  # 附件N
    fmt: str
    pages: int | None = None  # PDF only


def parse_annexes(choice: str, sheet: PeriodSheet) -> list[int]:
    """``"2"`` → [2]; ``"all"`` → every annex of the period; a clear message otherwise."""
    total = annex_count(sheet)
    text = str(choice).strip().lower()
    if text in ("all", "全部"):
        return list(range(1, total + 1))
    numbers = []
    for part in text.replace("，", ",").split(","):
        part = part.strip().removeprefix("附件")
        if not part.isdigit() or not 1 <= int(part) <= total:
            raise DomainError(f"附件编号“{choice}”无效，请输入1至{total}之间的数字或 all。")
        numbers.append(int(part))
    return numbers


def parse_formats(choice: str) -> tuple[str, ...]:
    try:
        return FORMATS[str(choice).strip().lower()]
    except KeyError:
        raise DomainError(f"导出格式“{choice}”无效，可选：xlsx、pdf、both。") from None


def tables_for(sheet: PeriodSheet, numbers: Sequence[int]) -> list[AnnexTable]:
    return [annex_table(sheet, n) for n in numbers]


def plan_targets(
    tables: Sequence[AnnexTable], formats: Sequence[str], output: Path
) -> list[tuple[AnnexTable, str, Path]]:
    """Where each file goes: ``output`` itself for one file, else default names inside the folder ``output``."""
    output = Path(output)
    jobs = [(t, f) for t in tables for f in formats]
    single = len(jobs) == 1
    suffixes = {"." + f for f in FORMATS["both"]}
    if single and not output.is_dir() and output.suffix.lower() in suffixes:
        table, fmt = jobs[0]
        if output.suffix.lower() != "." + fmt:
            raise ExportError(f"文件名“{output.name}”的扩展名与导出格式不符，应为 .{fmt}。")
        return [(table, fmt, output)]
    if output.suffix.lower() in suffixes and not output.is_dir():
        raise ExportError(f"一次导出{len(jobs)}个文件时，请指定一个文件夹而不是文件“{output.name}”。")
    if output.exists() and not output.is_dir():
        raise ExportError(f"“{output}”已存在且不是文件夹，请指定一个文件夹。")
    return [(t, f, output / f"{t.file_stem()}.{f}") for t, f in jobs]


def export(
    tables: Sequence[AnnexTable], formats: Sequence[str], output: str | Path, *, chart: bool = False
) -> list[ExportedFile]:
    """Write every table in every format; each file appears whole or not at all.

    ``chart``: each ranking annex's PDF ends with its chart page (``chart_pdf``)."""
    from shangnan_desktop.reports.pdf import write_pdf  # lazy: reportlab is heavy
    from shangnan_desktop.reports.xlsx import write_xlsx  # lazy: openpyxl is heavy

    plan = plan_targets(tables, formats, Path(output))
    folder = plan[0][2].parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise ExportError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}。请换一个位置。") from exc
    done: list[ExportedFile] = []
    for table, fmt, path in plan:
        if fmt == PDF:
            result = write_pdf([table], path, chart=chart)
            done.append(ExportedFile(path, table.label, fmt, result.pages))
        else:
            write_xlsx([table], path)
            done.append(ExportedFile(path, table.label, fmt))
    return done
