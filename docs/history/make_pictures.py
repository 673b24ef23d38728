#!/usr/bin/env python3
"""Regenerates the pictures in docs/history/: the annual 附件2 of 2021 (PDF, with its chart page) and a
quarter's 附件2 with the 上期排名/变化 columns.

Usage (from the repository root):
    SHANGNAN_BUNDLED_FONTS=1 python docs/history/make_pictures.py

The year is made of four quarters: 2021Q2 is the reference notice, 2021Q1, Q3 and Q4 are made from it
with the deterministic variation of bench/history_bench.py. Needs poppler-utils (pdftoppm).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _png(pdf: Path, prefix: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)


def main() -> int:
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    from history_bench import make_history_db

    from shangnan_desktop.domain import Period
    from shangnan_desktop.domain.cumulative import PeriodRun, compare, cumulative
    from shangnan_desktop.domain.span import parse_span
    from shangnan_desktop.reports.cumulative import cumulative_annex, with_compare
    from shangnan_desktop.reports.annex import ranking_table
    from shangnan_desktop.reports.pdf import write_pdf
    from shangnan_desktop.storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[var] = str(tmp_path / var.lower())
        store = Store.open(make_history_db(tmp_path / "2021.db", years=1))
        try:
            span = parse_span("2021")
            run = PeriodRun.load(span, store.load_sheet, [p.period for p in store.periods()], store.units())
            table = cumulative(run)
            annual = cumulative_annex(table, 1)
            write_pdf([annual], tmp_path / "annual.pdf", chart=True)
            q3, q2 = store.load_sheet(Period(2021, "Q", 3)), store.load_sheet(Period(2021, "Q", 2))
            quarter = with_compare(ranking_table(q3, 1), compare(q3, q2))
            write_pdf([quarter], tmp_path / "compare.pdf")
        finally:
            store.close()
        for old in HERE.glob("*-pdf-*.png"):  # the window pictures (make_window_pictures.py) stay
            old.unlink()
        _png(tmp_path / "annual.pdf", HERE / "annual-annex2-pdf")
        _png(tmp_path / "compare.pdf", HERE / "quarter-annex2-compare-pdf")
    for picture in sorted(HERE.glob("*.png")):
        print(picture.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
