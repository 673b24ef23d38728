"""Hostile and odd workbooks through the real import command: refused or read safely, in under
5 s and 300 MB, and nothing reaches the database unless every cell is good.

Each file is generated here; the import runs in a child process so its time and peak memory are its own.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from shangnan_desktop.storage import Store

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c><c r="B1" t="inlineStr"><is><t>报送信息</t></is></c><c r="C1" t="inlineStr"><is><t>采用信息</t></is></c></row>'
MAX_SECONDS = 5
MAX_MB = 300


def base_workbook(path: Path, rows=()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "报送信息", "采用信息"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def with_sheet(path: Path, xml: bytes, *, stored: bool = False) -> Path:
    """Replace sheet1.xml; ``stored`` keeps it uncompressed in the zip."""
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    entries[SHEET] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored and name == SHEET else zipfile.ZIP_DEFLATED)
    return path


def sheet(body: str, dimension: str = "A1:C2", doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet {NS}><dimension ref="{dimension}"/>'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def billion_laughs(p: Path) -> Path:
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return with_sheet(base_workbook(p), sheet(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>',
                                              doctype=f"<!DOCTYPE x [{ents}]>"))


def xxe(p: Path) -> Path:
    return with_sheet(base_workbook(p), sheet(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>',
                                              doctype='<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>'))


def zip_bomb(p: Path) -> Path:
    rows = '<row><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>' * 1_000_000
    return with_sheet(base_workbook(p), sheet(HEADER + rows, "A1:E1000001"))


def million_rows(p: Path) -> Path:
    rows = "".join(f'<row><c t="inlineStr"><is><t>单位{i}</t></is></c><c><v>{i % 50}</v></c><c><v>0</v></c></row>'
                   for i in range(1_000_000))
    return with_sheet(base_workbook(p), sheet(HEADER + rows, "A1:C1000001"))


def absurd_dimension(p: Path) -> Path:
    body = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>试马镇</t></is></c><c r="B2"><v>5</v></c><c r="C2"><v>4</v></c></row>'
    return with_sheet(base_workbook(p), sheet(body, "A1:XFD1048576"))


def corner_cells(p: Path) -> Path:
    body = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>试马镇</t></is></c><c r="B2"><v>5</v></c><c r="C2"><v>4</v></c></row>'
    body += '<row r="1048576"><c r="XFD1048576"><v>9</v></c></row>'
    return with_sheet(base_workbook(p), sheet(body, "A1"))


def formulas(p: Path) -> Path:
    return base_workbook(p, [("试马镇", "=2+3", "=1+1"), ("青山镇", 12, 5)])


def dates(p: Path) -> Path:
    return base_workbook(p, [("试马镇", dt.datetime(2021, 7, 1), 1), ("青山镇", 12, 5)])


def merged_cells(p: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2021年三季度统计表", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["单位", "报送信息", "采用信息"])
    ws.append(["试马镇", 5, 4])
    ws.merge_cells("A5:C6")  # a merged block under the table, as people draw for a signature
    wb.save(p)
    return p


def words_in_counts(p: Path) -> Path:
    return base_workbook(p, [("试马镇", "十", 1), ("青山镇", -1, 0), ("富水镇", 3.5, 1), ("湘河镇", 2, 3)])


# name: (maker, expected exit status of `import --yes`, words in the output)
CASES = {
    "billion_laughs": (billion_laughs, 2, "不安全的XML"),
    "xxe": (xxe, 2, "不安全的XML"),
    "zip_bomb": (zip_bomb, 2, "可能是恶意文件"),
    "million_rows": (million_rows, 2, ""),
    "absurd_dimension": (absurd_dimension, 0, "试马镇"),
    "corner_cells": (corner_cells, 0, "试马镇"),
    "formulas": (formulas, 2, "公式"),
    "dates_for_numbers": (dates, 2, "试马镇"),
    "merged_cells": (merged_cells, 0, "试马镇"),
    "words_in_counts": (words_in_counts, 2, "十"),
}


def entries(db: Path):
    conn = Store.open(db).conn
    return conn.execute("SELECT * FROM entries ORDER BY period_id, unit_id").fetchall()


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_workbook_refused_or_read_safely(tmp_path, name):
    maker, status, words = CASES[name]
    path = maker(tmp_path / f"{name}.xlsx")
    db = tmp_path / "db.sqlite3"
    store = Store.open(db)
    store.create_period(store.latest_period().next())
    store.close()
    before = entries(db)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shangnan_desktop", "--db", str(db), "import", "2021Q3", str(path), "--yes"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    out, err = proc.communicate(timeout=60)
    seconds = time.perf_counter() - t0
    text = (out + err).decode("utf-8")
    assert proc.returncode == status, text[-1500:]
    assert words in text, text[-1500:]
    assert "Traceback" not in text
    assert seconds < MAX_SECONDS, f"{name} took {seconds:.1f} s"
    after = entries(db)
    if status == 0:
        changed = [a for a, b in zip(after, before) if a != b]
        assert len(changed) == 1 and changed[0][4:6] == (5, 4)  # only 试马镇's row, as in the file
    else:
        assert after == before  # nothing stored


# Peak memory of the import's own process: VmHWM is per address space, reset at exec (ru_maxrss of a
# child is not: Linux carries the parent's high-water mark across fork and exec).
PEAK_PROBE = """
import sys
from shangnan_desktop.cli import main
status = main(sys.argv[1:])
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
sys.stderr.write("PEAK_KB %s\\n" % hwm.split()[1])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for VmHWM")
@pytest.mark.parametrize("name", ["zip_bomb", "million_rows", "billion_laughs", "corner_cells", "absurd_dimension"])
def test_hostile_workbook_peak_memory(tmp_path, name):
    maker = CASES[name][0]
    path = maker(tmp_path / f"{name}.xlsx")
    db = tmp_path / "db.sqlite3"
    store = Store.open(db)
    store.create_period(store.latest_period().next())
    store.close()
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_PROBE, "--db", str(db), "import", "2021Q3", str(path)],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    peak_mb = int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < MAX_MB, f"{name}: {peak_mb:.0f} MB"
