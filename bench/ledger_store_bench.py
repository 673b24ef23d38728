"""Benchmarks of the ledger's storage: applying a 20,000-item import, recounting the period from the
stored ledger, undoing the import.

Run by hand after the README's set-up (not in CI):  .venv/bin/python bench/ledger_store_bench.py [--items N] [--runs R]

Goal (issue 17): a period recounted from its 20,000-item ledger within 50 ms. The baseline in the
same run is the domain alone counting the same items already in memory (``PeriodLedger.counts``); the
store's recount lets SQLite count them (one covering index) and writes the changed counts, so a ratio
below 1 says the store counts faster than the domain could even with the items already read.
The recount is checked against the domain's counts on every run. Figures are medians.
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


def measure(n: int = 20_000, runs: int = 7) -> dict[str, float]:
    """Median seconds of applying an ``n``-item import, recounting the period (five units typed over
    first, so the recount writes), counting the same items in memory (the baseline) and undoing the import."""
    from shangnan_desktop.domain import Period
    from shangnan_desktop.domain.ledger import PeriodLedger
    from shangnan_desktop.reports.ledger_import import preview_ledger_import
    from shangnan_desktop.storage import Store
    from shangnan_desktop.storage.ledger_store import LedgerStore

    with tempfile.TemporaryDirectory(prefix="ledger-store-bench-") as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "bench.sqlite3")
        period = Period.parse("2021Q3")
        store.create_period(period)
        names = [u.name for u in store.units()]
        lines = ["标题,报送单位,报送时间,状态"] + [
            f"信息{i},{names[i % len(names)]},2021-{7 + i % 3:02d}-{1 + i % 28:02d},{'已采用' if i % 3 else '未采用'}"
            for i in range(n)
        ]
        (folder / "list.csv").write_text("\n".join(lines), encoding="utf-8")
        ledger = LedgerStore(store)
        times: dict[str, list[float]] = {"apply": [], "recount": [], "baseline": [], "undo": []}
        for _ in range(runs):
            preview = preview_ledger_import(folder / "list.csv", period, ledger.matcher(), existing=ledger.items(period))
            t0 = time.perf_counter()
            result = ledger.apply_import(preview)
            times["apply"].append(time.perf_counter() - t0)
            for unit_id in list(result.counts)[:5]:  # five units typed over: the recount rewrites them
                store.set_counts(period, unit_id, (0, 0))
            t0 = time.perf_counter()
            changed = ledger.recount(period)
            times["recount"].append(time.perf_counter() - t0)
            assert len(changed) == 5
            items = ledger.items(period)
            t0 = time.perf_counter()
            counts = PeriodLedger(period, items).counts()
            times["baseline"].append(time.perf_counter() - t0)
            assert sum(c["submitted"] for c in counts.values()) == n
            assert {u: (c["submitted"], c["adopted"]) for u, c in counts.items()} == {
                u: store.counts(period, u) for u in counts
            }
            t0 = time.perf_counter()
            ledger.undo_import(result)
            times["undo"].append(time.perf_counter() - t0)
        store.close()
    return {what: statistics.median(values) for what, values in times.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    m = measure(args.items, args.runs)
    print(f"{args.items} items, {args.runs} runs (medians)")
    print(f"apply import     {m['apply'] * 1000:8.1f} ms")
    print(f"recount period   {m['recount'] * 1000:8.1f} ms  (goal 50 ms)  "
          f"= {m['recount'] / m['baseline']:.2f} × the domain counting in memory ({m['baseline'] * 1000:.1f} ms)")
    print(f"undo import      {m['undo'] * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
