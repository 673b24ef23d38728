#!/usr/bin/env python3
"""Regenerates the pictures of the 2021 Q2 notice in docs/notice/: every page of the PDF and of the .docx
as LibreOffice prints it.

Usage (from the repository root):
    SHANGNAN_BUNDLED_FONTS=1 python docs/notice/make_pictures.py

Needs poppler-utils (pdftoppm) and LibreOffice Writer (soffice). For the .docx pictures a scratch
fontconfig maps the Word font names in the document (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体,
宋体) to Noto CJK, the way a PC with those fonts would show them (there is no 楷体 face here: the
level-2 headings show in the serif).
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
  <edit name="family" mode="assign" binding="strong"><string>{to}</string></edit>{extra}</match>"""
BOLD = '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
MAP = {
    "仿宋_GB2312": ("Noto Serif CJK SC", ""), "仿宋": ("Noto Serif CJK SC", ""),
    "楷体_GB2312": ("Noto Serif CJK SC", ""), "楷体": ("Noto Serif CJK SC", ""),
    "宋体": ("Noto Serif CJK SC", ""), "方正小标宋简体": ("Noto Serif CJK SC", BOLD),
    "黑体": ("Noto Sans CJK SC", ""),
}


def _png(pdf: Path, prefix: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(prefix)], check=True)


def main() -> int:
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    from shangnan_desktop.domain import Period
    from shangnan_desktop.reports.notice_docx import write_notice_docx
    from shangnan_desktop.reports.notice_model import load_reference_notice, notice_document
    from shangnan_desktop.reports.notice_pdf import write_notice_pdf
    from shangnan_desktop.storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        store = Store.open(tmp_path / "demo.db")
        sheet = store.load_sheet(Period.parse("2021Q2"))
        store.close()
        document = notice_document(load_reference_notice(), sheet)
        pdf, docx = tmp_path / "notice.pdf", tmp_path / "notice.docx"
        write_notice_pdf(document, pdf)
        write_notice_docx(document, docx)
        for old in HERE.glob("notice-*.png"):
            old.unlink()
        _png(pdf, HERE / "notice-pdf")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            conf = tmp_path / "fonts.conf"
            aliases = "\n  ".join(ALIAS.format(name=k, to=v, extra=e) for k, (v, e) in MAP.items())
            conf.write_text(FONTCONFIG.format(aliases=aliases), encoding="utf-8")
            env = dict(os.environ, FONTCONFIG_FILE=str(conf))
            lo_out = tmp_path / "lo"
            subprocess.run(
                [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(lo_out), str(docx)],
                check=True, env=env, stdout=subprocess.DEVNULL,
            )
            _png(lo_out / "notice.pdf", HERE / "notice-docx")
        else:
            print("LibreOffice not found: .docx pictures not made", file=sys.stderr)
    for png in sorted(HERE.glob("notice-*.png")):
        print(png.relative_to(ROOT), png.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
