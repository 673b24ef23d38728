"""Article lists as website back-ends export them, written in each format and encoding for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

HEADERS = ("序号", "文章标题", "信息来源", "报送时间", "发布时间", "审核状态", "所属栏目")


def rows_for(spec):
    """``spec``: (title, unit name, submitted, published, status, column); numbered rows as in an export."""
    return [(i, *r) for i, r in enumerate(spec, start=1)]


def _text(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def write_csv(path: Path, spec, *, encoding="utf-8", headers=HEADERS, delimiter=",") -> Path:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows_for(spec):
        writer.writerow([_text(v) for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, spec, *, headers=HEADERS, banner="文章列表（导出）") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "文章列表"
    if banner:
        ws.append([banner])
    ws.append(list(headers))
    for row in rows_for(spec):
        ws.append(list(row))
    wb.save(path)
    return path


def write_xls(path: Path, spec, *, headers=HEADERS) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("文章列表")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for c, h in enumerate(headers):
        ws.write(0, c, h)
    for r, row in enumerate(rows_for(spec), start=1):
        for c, value in enumerate(row):
            if isinstance(value, (dt.date, dt.datetime)):
                ws.write(r, c, value, date_style)
            elif value is not None:
                ws.write(r, c, value)
    wb.save(str(path))
    return path
