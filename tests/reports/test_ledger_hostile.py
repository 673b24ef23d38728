"""Hostile and odd article lists: refused in Chinese or read safely, within 5 s and 300 MB, each in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reports.ledger_files import write_xlsx
from tests.reports.test_hostile_import import NS, billion_laughs, corner_cells, million_rows, with_sheet, xxe, zip_bomb

MAX_SECONDS = 5
MAX_MB = 300
HEAD = ('<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c><c r="B1" t="inlineStr"><is><t>来源</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>报送时间</t></is></c><c r="D1" t="inlineStr"><is><t>状态</t></is></c></row>')


def _sheet(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{body}</sheetData></worksheet>'.encode()


def _item(r: int, title: str = "标题", unit: str = "县文旅局") -> str:
    return (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{title}{r}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>{unit}</t></is></c><c r="C{r}" t="inlineStr"><is><t>2021-04-03</t></is></c>'
            f'<c r="D{r}" t="inlineStr"><is><t>已采用</t></is></c></row>')


def ledger_million_rows(p: Path) -> Path:
    return with_sheet(write_xlsx(p, [], banner=""), _sheet(HEAD + "".join(_item(r) for r in range(2, 200_002))))


def ledger_far_cells(p: Path) -> Path:
    body = HEAD + _item(2) + '<row r="1048576"><c r="XFD1048576"><v>9</v></c></row>'
    return with_sheet(write_xlsx(p, [], banner=""), _sheet(body))


def ledger_huge_cell(p: Path) -> Path:
    return with_sheet(write_xlsx(p, [], banner=""), _sheet(HEAD + _item(2, "长" * 300_000)))


def truncated_xml(p: Path) -> Path:
    return with_sheet(write_xlsx(p, [], banner=""), _sheet(HEAD + _item(2))[:-40])


def huge_csv(p: Path) -> Path:
    p = p.with_suffix(".csv")
    with open(p, "w", encoding="utf-8") as fh:
        fh.write("标题,来源,报送时间,状态\n")
        fh.write("".join(f"标题{i},县文旅局,2021-04-03,已采用\n" for i in range(60_000)))
    return p


def csv_giant_field(p: Path) -> Path:
    p = p.with_suffix(".csv")
    p.write_text("标题,来源,报送时间,状态\n\"" + "长" * 3_000_000 + "\",县文旅局,2021-04-03,已采用\n", encoding="utf-8")
    return p


# name: (maker, True if it must be refused, words in the message or the preview)
CASES = {
    "billion_laughs": (billion_laughs, True, "不安全的XML"),
    "xxe": (xxe, True, "不安全的XML"),
    "zip_bomb": (zip_bomb, True, "可能是恶意文件"),
    "million_rows_other_table": (million_rows, True, "行数超过"),
    "million_items": (ledger_million_rows, True, "行数超过"),
    "corner_cells_other_table": (corner_cells, True, "没有找到文章列表的表头"),
    "far_cells": (ledger_far_cells, False, "可导入1条信息"),
    "huge_cell": (ledger_huge_cell, True, "超过32767个字"),  # the workbook guard refuses it before reading
    "truncated_xml": (truncated_xml, True, "已损坏"),
    "huge_csv": (huge_csv, True, "超过50000"),
    "csv_giant_field": (csv_giant_field, True, "不是有效的CSV"),
}

PROBE = r"""
import json, sys
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.ledger import UnitMatcher
from shangnan_desktop.reports.ledger_import import preview_ledger_import
try:
    preview = preview_ledger_import(sys.argv[1], Period.parse("2021Q2"), UnitMatcher([(1, "县文旅局")]))
    result = {"refused": False, "text": preview.as_text()}
except DomainError as exc:
    result = {"refused": True, "text": str(exc)}
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
result["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(result, ensure_ascii=False))
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for VmHWM"),
]


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_article_list(tmp_path, name):
    maker, refused, words = CASES[name]
    path = maker(tmp_path / f"{name}.xlsx")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["refused"] is refused, result["text"][:500]
    assert words in result["text"], result["text"][:500]
    assert seconds < MAX_SECONDS, f"{name} took {seconds:.1f} s"
    assert result["peak_mb"] < MAX_MB, f"{name}: {result['peak_mb']:.0f} MB"
