#!/usr/bin/env python3
"""Regenerates the pictures of the exported 2021 Q2 annexes in docs/annex/ (PDF pages and the .xlsx via LibreOffice).

Usage (from the repository root):
    SHANGNAN_BUNDLED_FONTS=1 python docs/annex/make_pictures.py

Needs poppler-utils (pdftoppm) and LibreOffice (soffice). For the .xlsx pictures a
scratch fontconfig maps the Windows font names in the workbook (仿宋, 黑体, 宋体)
to Noto CJK, the way Windows would show them; with fonts-crosextra-carlito
installed the column widths are measured like Excel's (Calibri metrics).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

FONTCONFIG = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
ALIAS = """<match target="pattern"><test name="family"><string>{name}</string></test>
  <edit name="family" mode="assign" binding="strong"><string>{to}</string></edit></match>"""
MAP = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}


def _png(pdf: Path, prefix: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)


def main() -> int:
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    from shangnan_desktop.domain import Period
    from shangnan_desktop.reports.export import export_period
    from shangnan_desktop.storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        store = Store.open(tmp_path / "demo.db")
        files = export_period(store, Period.parse("2021Q2"), "all", "both", tmp_path / "out")
        store.close()
        for old in HERE.glob("annex*.png"):
            old.unlink()
        for f in files:
            number = f.annex.removeprefix("附件")
            if f.fmt == "pdf":
                _png(f.path, HERE / f"annex{number}-pdf")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            conf = tmp_path / "fonts.conf"
            conf.write_text(
                FONTCONFIG.format(aliases="\n  ".join(ALIAS.format(name=k, to=v) for k, v in MAP.items())),
                encoding="utf-8",
            )
            env = dict(os.environ, FONTCONFIG_FILE=str(conf))
            lo_out = tmp_path / "lo"
            xlsx = [str(f.path) for f in files if f.fmt == "xlsx"]
            subprocess.run(
                [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(lo_out), *xlsx],
                check=True, env=env, stdout=subprocess.DEVNULL,
            )
            for f in files:
                if f.fmt == "xlsx":
                    pdf = lo_out / (f.path.stem + ".pdf")
                    number = f.annex.removeprefix("附件")
                    _png(pdf, HERE / f"annex{number}-xlsx")
        else:
            print("LibreOffice not found: .xlsx pictures not made", file=sys.stderr)
    for png in sorted(HERE.glob("annex*.png")):
        print(png.relative_to(ROOT), png.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
