"""Builds the one-folder bundle with the spec and proves it works frozen.

Run from the repository root after `pip install -e .[build]`:  python build/smoke_test.py [--no-build]
Checks: the frozen CLI exports 附件2 to PDF against a new database (every unit name and number is
in the PDF's text, fonts embedded) and the whole notice to .docx and PDF (python-docx's templates bundled), the frozen window starts offscreen and shows 2021Q2, neither
opens an internet socket (strace, when installed), and the folder stays under the size budget.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_MB = 200
APP_NAME = "商南县政府网站信息报送统计"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def biggest(path: Path, n: int = 6) -> list[str]:
    files = sorted((p for p in path.rglob("*") if p.is_file() and not p.is_symlink()), key=lambda p: p.stat().st_size)
    return [f"{p.stat().st_size / 2**20:.1f} MB {p.relative_to(path)}" for p in files[-n:][::-1]]


def run(args, env, strace_log: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    if strace_log is not None:
        args = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(strace_log), *args]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)


def internet_connects(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line for line in log.read_text().splitlines() if "AF_INET" in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in build/dist")
    args = parser.parse_args()
    dist = ROOT / "build" / "dist"
    bundle = dist / "shangnan-desktop"
    exe = ".exe" if sys.platform == "win32" else ""
    if not args.no_build:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", str(dist), "--workpath", str(ROOT / "build" / "work"),
             str(ROOT / "build" / "shangnan-desktop.spec")],
            check=True, cwd=ROOT,
        )
        print(f"build: {time.perf_counter() - t0:.0f} s")
    size = folder_mb(bundle)
    print(f"bundle: {size:.0f} MB (budget {BUDGET_MB} MB); largest files:")
    for line in biggest(bundle):
        print("  " + line)

    from shangnan_desktop.storage import Store

    failures = []
    use_strace = shutil.which("strace") is not None and sys.platform != "win32"
    with tempfile.TemporaryDirectory(prefix="shangnan-smoke-") as tmp:
        tmp = Path(tmp)
        env = {
            "QT_QPA_PLATFORM": "offscreen", "PATH": os.environ.get("PATH", ""),
            "SHANGNAN_DB": str(tmp / "new.sqlite3"), "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_STATE_HOME": str(tmp / "state"), "XDG_CONFIG_HOME": str(tmp / "config"),
            "SHANGNAN_BUNDLED_FONTS": "1", "LANG": "C.UTF-8",
        }
        pdf = tmp / "附件2.pdf"
        cli = run([str(bundle / f"shangnan-cli{exe}"), "export", "2021Q2", "--annex", "2", "--format", "pdf",
                   "-o", str(pdf)], env, tmp / "cli.strace" if use_strace else None)
        if cli.returncode != 0 or not pdf.exists():
            failures.append(f"frozen CLI export failed ({cli.returncode}): {cli.stderr[-1500:]}")
        else:
            from pypdf import PdfReader

            reader = PdfReader(str(pdf))
            text = "".join(page.extract_text() for page in reader.pages)
            compact = re.sub(r"\s+", "", text)
            sheet = Store.open(tmp / "new.sqlite3").load_sheet(Store.open(tmp / "new.sqlite3").latest_period())
            for row in sheet.group("县直部门").ranked():
                if row.name not in compact:
                    failures.append(f"PDF lacks {row.name}")
            if "2021年二季度县直有关部门向县政府网站" not in compact or "68.4" not in compact:
                failures.append("PDF lacks its title or a score")
            fonts = set()
            for page in reader.pages:
                for font in (page["/Resources"].get("/Font") or {}).values():
                    font = font.get_object()
                    descendants = font.get("/DescendantFonts") or [font]
                    for d in descendants:
                        descriptor = d.get_object().get("/FontDescriptor")
                        if descriptor and "/FontFile2" in descriptor.get_object():
                            fonts.add(str(font["/BaseFont"]))
            if not fonts:
                failures.append("no embedded font in the frozen PDF")
            print(f"frozen CLI: 附件2 PDF, {len(reader.pages)} pages, embedded fonts {sorted(fonts)}")
        notice_dir = tmp / "通报"
        cli = run([str(bundle / f"shangnan-cli{exe}"), "notice", "2021Q2", "--format", "both", "-o", str(notice_dir)],
                  env)
        notice_docx = list(notice_dir.glob("*.docx"))
        if cli.returncode != 0 or not notice_docx or not list(notice_dir.glob("*.pdf")):
            failures.append(f"frozen CLI notice failed ({cli.returncode}): {cli.stderr[-1500:]}")
        else:
            import docx

            text = "".join(p.text for p in docx.Document(str(notice_docx[0])).paragraphs)
            if "共发布各类信息2315条" not in text:
                failures.append("the frozen notice .docx lacks its bound figures")
            print(f"frozen CLI: notice .docx and PDF written ({cli.stdout.strip().splitlines()[-1]})")
        ready = tmp / "ready.txt"
        gui_env = dict(env, SHANGNAN_READY_FILE=str(ready))
        gui = run([str(bundle / f"{APP_NAME}{exe}")], gui_env, tmp / "gui.strace" if use_strace else None)
        if gui.returncode != 0 or not ready.exists():
            failures.append(f"frozen window did not start ({gui.returncode}): {gui.stderr[-1500:]}")
        else:
            _stamp, key, rows = ready.read_text().split()
            print(f"frozen window: showed {key} with {rows} rows")
            if key != "2021Q2" or int(rows) != 62:
                failures.append(f"frozen window showed {key} with {rows} rows")
        if use_strace:
            connects = internet_connects(tmp / "cli.strace") + internet_connects(tmp / "gui.strace")
            print(f"network: {len(connects)} internet socket connects (strace)")
            if connects:
                failures.append("the bundle opened internet sockets:\n" + "\n".join(connects[:5]))
        else:
            print("network: strace not available, connect() not traced")
    if size > BUDGET_MB:
        failures.append(f"bundle is {size:.0f} MB, over the {BUDGET_MB} MB budget")
    for failure in failures:
        print("FAIL:", failure)
    print("smoke test:", "FAILED" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
