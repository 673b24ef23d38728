"""Benchmarks of the item ledger: importing a 20,000-item article list and recounting a period.

Run by hand after the README's set-up (not in CI):  .venv/bin/python bench/ledger_bench.py [--items N] [--runs R]

Goals (issue 17): an article list of 20,000 items previewed within 2 s and 300 MB, in each format;
a period's counts recounted from its 20,000-item ledger within 50 ms. Each import runs in a fresh
child process (its wall time and peak RSS are the figures); the baseline in the same run is
openpyxl's read-only reading of the same .xlsx alone (no parsing, matching or counting), so the
ratio says what the import costs over merely opening the file the usual way. The recount is the
store's (``LedgerStore.recount`` on a stored 20,000-item ledger, bench/ledger_store_bench.py); its
baseline is the domain counting the same items already in memory. Figures are medians.
Peak RSS is the child's VmHWM (Linux; ru_maxrss would carry the parent's peak over the exec).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
GOALS = {"import": 2.0, "rss": 300.0, "recount": 0.050}

UNIT_NAMES = [f"县合成局{i:02d}" for i in range(60)] + ["商南县文化和旅游广电局", "金丝峡景区管理委员会"]
STATUSES = ["已采用", "已采用", "未采用", "退回"]


def spec(n: int):
    start = dt.datetime(2021, 4, 1, 8, 0)
    for i in range(n):
        when = start + dt.timedelta(minutes=6 * i)  # 20,000 items span 83 days: all inside Q2
        yield (
            i + 1, f"关于开展第{i}次文化和旅游市场安全检查工作的情况通报（{i % 97}）", UNIT_NAMES[i % len(UNIT_NAMES)],
            when, when + dt.timedelta(days=1), STATUSES[i % 4], "部门动态",
        )


HEADERS = ["序号", "文章标题", "信息来源", "报送时间", "发布时间", "审核状态", "所属栏目"]


def write_files(folder: Path, n: int) -> dict[str, Path]:
    import csv

    import openpyxl
    import xlwt

    rows = list(spec(n))
    files = {}
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("文章列表")
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row))
    files["xlsx"] = folder / "list.xlsx"
    wb.save(files["xlsx"])

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("文章列表")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for c, h in enumerate(HEADERS):
        sheet.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value, date_style) if isinstance(value, dt.datetime) else sheet.write(r, c, value)
    files["xls"] = folder / "list.xls"
    book.save(str(files["xls"]))

    for name, encoding in (("csv-gb18030", "gb18030"), ("csv-utf8", "utf-8-sig")):
        path = folder / f"list-{name}.csv"
        with open(path, "w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for row in rows:
                writer.writerow([v.strftime("%Y/%m/%d %H:%M") if isinstance(v, dt.datetime) else v for v in row])
        files[name] = path
    return files


IMPORT_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import UnitMatcher
from shangnan_desktop.reports.ledger_import import preview_ledger_import
imported = time.perf_counter()
names = [f"县合成局{i:02d}" for i in range(60)] + ["县文旅局", "金丝峡景区管委会"]
matcher = UnitMatcher(list(enumerate(names, start=1)))
t1 = time.perf_counter()
preview = preview_ledger_import(sys.argv[1], Period.parse("2021Q2"), matcher)
for u in preview.unknown():
    preview.choose(u.name, u.candidates[0].unit_id)
counts = preview.counts()
items = sum(c["submitted"] for c in counts.values())
t2 = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": t2 - t1, "modules": imported - t0, "items": items, "rows": len(preview.rows),
                  "problems": len(preview.problems), "rss": rss}))
"""

BASELINE_PROBE = r"""
import json, sys, time
import openpyxl
t1 = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb.worksheets[0]
ws.reset_dimensions()
rows = sum(1 for _ in ws.iter_rows(values_only=True, max_col=60))
wb.close()
t2 = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": t2 - t1, "rows": rows, "rss": rss}))
"""


def child(code: str, *args: str) -> dict:
    out = subprocess.run([PY, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_import(files: dict[str, Path], runs: int, n: int) -> dict:
    results = {}
    base = [child(BASELINE_PROBE, str(files["xlsx"])) for _ in range(runs)]
    results["baseline"] = {
        "seconds": statistics.median(r["seconds"] for r in base),
        "rss": statistics.median(r["rss"] for r in base),
    }
    for kind, path in files.items():
        got = [child(IMPORT_PROBE, str(path)) for _ in range(runs)]
        assert all(g["items"] == n and g["problems"] == 0 for g in got), got[0]
        results[kind] = {
            "seconds": statistics.median(g["seconds"] for g in got),
            "rss": statistics.median(g["rss"] for g in got),
            "size": path.stat().st_size,
        }
    return results


def bench_recount(n: int, runs: int) -> dict:
    """The store's recount of a period from its ``n``-item ledger, and the domain counting the same items
    in memory (the baseline): ``bench/ledger_store_bench.py``."""
    from bench.ledger_store_bench import measure

    m = measure(n, runs)
    return {"recount": m["recount"], "baseline": m["baseline"]}


def verdict(value: float, goal: float) -> str:
    return "ok" if value <= goal else ("near (within 10 %)" if value <= goal * 1.1 else "MISSED")


def run(items: int = 20_000, runs: int = 3) -> str:
    """Write the article lists, time the import previews and a recount; the report as text."""
    with tempfile.TemporaryDirectory() as tmp:
        files = write_files(Path(tmp), items)
        imports = bench_import(files, runs, items)
    recount = bench_recount(items, max(runs, 5) * 2)
    base = imports.pop("baseline")
    lines = [
        f"Item ledger, {items} items, median of {runs} runs (cpu count {os.cpu_count()}, "
        f"load {os.getloadavg()[0]:.1f})",
        f"{'what':<38}{'time':>9}{'peak RSS':>11}{'× baseline':>12}  goal",
        f"{'baseline: openpyxl read-only, .xlsx':<38}{base['seconds']:>8.3f}s{base['rss']:>9.0f}MB{1:>12.2f}",
    ]
    for kind, r in imports.items():
        ratio = r["seconds"] / base["seconds"]
        ok = verdict(r["seconds"], GOALS["import"]) + ", " + verdict(r["rss"], GOALS["rss"])
        lines.append(f"{'import preview ' + kind + f' ({r['size'] // 1024} KB)':<38}{r['seconds']:>8.3f}s"
                     f"{r['rss']:>9.0f}MB{ratio:>12.2f}  ≤ 2 s, ≤ 300 MB: {ok}")
    ratio = recount["recount"] / recount["baseline"]
    lines.append(f"{'recount a period from its ledger':<38}{recount['recount'] * 1000:>7.1f}ms{'':>11}{ratio:>12.2f}"
                 f"  ≤ 50 ms: {verdict(recount['recount'], GOALS['recount'])}")
    lines.append(f"{'baseline: domain counting in memory':<38}{recount['baseline'] * 1000:>7.1f}ms")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(run(args.items, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
