"""Benchmarks across periods: comparison columns, a 5-year cumulative table, a unit's history (issue 15).

On 5 years × 4 quarters × 62 units (2021Q1-2025Q4, made from the 2021Q2 reference with a deterministic
variation, through the real Store), each figure is the median time from the database to the finished
annex description (or history), goal ≤ 50 ms each. The baseline in the same run is loading one quarter's
sheet, which is what the window does to show a quarter today.

Run alone:  .venv/bin/python bench/history_bench.py [--quick]
From bench/run.py:  results = history_bench.run(workdir, runs); lines = history_bench.report_rows(results)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"compare": 0.050, "cumulative": 0.050, "history": 0.050}
YEARS = 5
FIRST_YEAR = 2021
HISTORY_UNIT = "县文旅局"


def vary(submitted: int, adopted: int, unit_index: int, step: int) -> tuple[int, int]:
    """Counts of another quarter made from the reference ones: deterministic, adopted ≤ submitted.

    ``step`` is the quarter's distance from 2021Q2 (0 keeps the reference); some zero units stay zero.
    """
    if step == 0:
        return submitted, adopted
    if submitted == 0 and (unit_index + step) % 3:
        return 0, 0
    s = max(0, submitted + (unit_index * 7 + step * 13) % 11 - 5)
    a = max(0, min(s, adopted + (unit_index * 5 + step * 11) % 9 - 4))
    return s, a


def make_history_db(path: Path, years: int = YEARS, first_year: int = FIRST_YEAR) -> Path:
    """The seeded database grown to every quarter of ``years`` years from ``first_year``."""
    from shangnan_desktop.domain import Period
    from shangnan_desktop.storage import Store

    store = Store.open(path)
    try:
        reference = Period(2021, "Q", 2)
        base = store.load_sheet(reference)
        ref_counts = {}
        for gs in base.groups:
            for row in gs.rows:
                ref_counts[row.unit_id] = row.counts
        order = {u.id: i for i, u in enumerate(store.units())}
        existing = {p.period for p in store.periods()}
        for year in range(first_year, first_year + years):
            for q in range(1, 5):
                period = Period(year, "Q", q)
                step = (year - 2021) * 4 + q - 2
                if period not in existing:
                    store.create_period(period)
                if step == 0:
                    continue
                store.set_many(period, [
                    (uid, vary(s, a, order[uid], step)) for uid, (s, a) in ref_counts.items()
                ], action="基准测试数据")
    finally:
        store.close()
    return path


def _median_time(fn, runs: int) -> tuple[float, float]:
    """(first call, median of the following ``runs`` calls) in seconds."""
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times)


def run(workdir: Path, runs: int = 20) -> dict:
    """Build the 5-year database in ``workdir`` and time the three operations from the store."""
    from shangnan_desktop.domain import Period
    from shangnan_desktop.domain.cumulative import PeriodRun, compare, cumulative, unit_history
    from shangnan_desktop.domain.span import parse_span, previous_period
    from shangnan_desktop.reports.cumulative import cumulative_annexes, with_compare
    from shangnan_desktop.reports.annex import ranking_table
    from shangnan_desktop.storage import Store

    db = make_history_db(Path(workdir) / "history-5y.sqlite3")
    store = Store.open(db, readonly=True)
    try:
        latest = store.latest_period()
        span = parse_span(f"{FIRST_YEAR}-{FIRST_YEAR + YEARS - 1}")
        unit = store.find_unit(HISTORY_UNIT)
        units = store.units()
        n_units = len(units)

        def baseline():
            return store.load_sheet(latest)

        def compare_columns():
            current = store.load_sheet(latest)
            previous = store.load_sheet(previous_period(latest))
            changes = compare(current, previous)
            return [with_compare(ranking_table(current, i), changes) for i in range(len(current.groups))]

        def cumulative_table():
            periods = [p.period for p in store.periods()]
            table = cumulative(PeriodRun.load(span, store.load_sheet, periods, store.units()))
            return cumulative_annexes(table)

        def history():
            sheets = [store.load_sheet(p.period) for p in store.periods()]
            return unit_history(unit.id, sheets, name=unit.name)

        # the computations alone, from sheets already in memory (what the window holds after a load)
        sheets = {p.period: store.load_sheet(p.period) for p in store.periods()}
        run_in_memory = PeriodRun(span, tuple(sheets[p] for p in span.members), tuple(units))

        results = {"periods": len(store.periods()), "units": n_units, "runs": runs}
        results["baseline"] = _median_time(baseline, runs)
        results["compare"] = _median_time(compare_columns, runs)
        results["cumulative"] = _median_time(cumulative_table, runs)
        results["history"] = _median_time(history, runs)
        results["compare_memory"] = _median_time(
            lambda: compare(sheets[latest], sheets[previous_period(latest)]), runs)
        results["cumulative_memory"] = _median_time(lambda: cumulative(run_in_memory), runs)
        results["history_memory"] = _median_time(
            lambda: unit_history(unit.id, list(sheets.values()), name=unit.name), runs)
        # a check that the figures are of real work: the 5-year table holds every unit
        table = cumulative(run_in_memory)
        assert sum(len(g.rows) for g in table.groups) == n_units
        assert len(history().points) == results["periods"]
        assert latest == Period(FIRST_YEAR + YEARS - 1, "Q", 4)
    finally:
        store.close()
    return results


def verdict(value: float, goal: float) -> str:
    if value <= goal:
        return "达标 met"
    return f"missed by {(value / goal - 1) * 100:.0f}%" if value < 1.5 * goal else f"missed by {value / goal:.1f}×"


def report_rows(results: dict) -> list[str]:
    """Rows for docs/benchmarks.md's table (| what | measured | goal | verdict |) and a short paragraph."""
    shape = f"{results['periods'] // 4} years × 4 quarters × {results['units']} units"
    rows = [
        ("compare", f"上期排名 and 变化 columns for both groups, from the database ({shape})"),
        ("cumulative", f"5-year cumulative ranking, both annex tables, from the database ({shape})"),
        ("history", f"one unit's history over every period, from the database ({shape})"),
    ]
    lines = []
    for key, what in rows:
        value = results[key][1]
        lines.append(f"| {what} | {value * 1000:.1f} ms | ≤ 50 ms | {verdict(value, GOALS[key])} |")
    base = results["baseline"][1]
    extra = [
        "",
        (f"Across periods (median of {results['runs']} warm runs; baseline in the same run: loading one "
        f"quarter's sheet from the database, {base * 1000:.2f} ms): the comparison columns take "
        f"{results['compare'][1] / base:.1f}× the baseline, the 5-year cumulative table "
        f"{results['cumulative'][1] / base:.1f}×, a unit's history {results['history'][1] / base:.1f}×. "
        f"The computations alone, from sheets already in memory: comparison "
        f"{results['compare_memory'][1] * 1000:.2f} ms, cumulative {results['cumulative_memory'][1] * 1000:.2f} ms, "
        f"history {results['history_memory'][1] * 1000:.2f} ms; the rest is reading the periods from SQLite. "
        f"First call in the process: comparison {results['compare'][0] * 1000:.1f} ms, cumulative "
        f"{results['cumulative'][0] * 1000:.1f} ms, history {results['history'][0] * 1000:.1f} ms."),
    ]
    return lines + extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shangnan-history-bench-") as tmp:
        import os

        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        results = run(Path(tmp), 5 if args.quick else 20)
    print("| what | measured | goal | verdict |")
    print("|---|---|---|---|")
    print("\n".join(report_rows(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
