"""Issue 12, bounded imports: each hostile workbook is read or refused within 2 s and 300 MB peak.

Run: ``.venv/bin/python bench/hostile_imports.py`` (builds the files in a temporary folder, about 20 s).
Each import runs in its own child process; the child reports the seconds spent in
``preview_import`` and its peak resident memory (``ru_maxrss``), Python itself included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIMIT_SECONDS = 2.0
LIMIT_MB = 300

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.app.imports import preview_import
from shangnan_desktop.storage import Store
store = Store.open(sys.argv[1])
start = time.perf_counter()
try:
    preview = preview_import(store, Period.parse("2021Q2"), Path(sys.argv[2]))
    outcome = "read: " + preview.as_text().splitlines()[0][:80] + (" (refused: %d errors)" % len(preview.bad) if preview.bad else "")
except DomainError as exc:
    outcome = "refused: " + str(exc)[:120]
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": rss}, ensure_ascii=False))
"""


CASES = {
    "20 sheets × 5,000 rows × 30 numbers": ("many_numbers", "numbers.xlsx", {}),
    "the same without a header row": ("many_numbers", "numbers2.xlsx", {"header": False}),
    "2.3 million shared strings": ("many_shared_strings", "shared.xlsx", {}),
    "one 20-million-character name on 10 rows": ("giant_name", "giant.xlsx", {}),
    "one 20-million-character inline name": ("giant_inline_name", "inline.xlsx", {}),
}


def build(folder: Path) -> dict[str, Path]:
    """Build each file in a child process: building takes memory, and a child started from a
    large process would inherit its peak (``ru_maxrss`` survives fork and exec on Linux)."""
    out = {}
    for name, (func, file, kwargs) in CASES.items():
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
                f"from tests.trust import hostile; hostile.{func}(Path({str(folder / file)!r}), **{kwargs!r})")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=600)
        out[name] = folder / file
    return out


def measure(db: Path, workbook: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(workbook)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run() -> list[tuple[str, int, dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "shangnan.sqlite3"
        subprocess.run([sys.executable, "-m", "shangnan_desktop", "--db", str(db), "init"], check=True,
                       cwd=ROOT, capture_output=True)
        results = []
        for name, path in build(folder).items():
            results.append((name, path.stat().st_size, measure(db, path)))
        return results


def main() -> int:
    ok = True
    for name, size, r in run():
        good = r["seconds"] <= LIMIT_SECONDS and r["peak_mb"] <= LIMIT_MB
        ok &= good
        print(f"{'ok  ' if good else 'SLOW'} {name} ({size / 2**20:.1f} MB): {r['seconds']:.2f} s, "
              f"peak {r['peak_mb']:.0f} MB — {r['outcome']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
