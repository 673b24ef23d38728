#!/usr/bin/env python3
"""Regenerates the pictures of a unit's ledger statement (政务信息报送明细) in docs/ledger/.

Usage (from the repository root):
    SHANGNAN_BUNDLED_FONTS=1 python docs/ledger/make_pictures.py

Needs poppler-utils (pdftoppm); with LibreOffice (soffice) the .xlsx is pictured too.
The items are made up, in the style of the county website's 部门动态 for 2021 Q2: one item
repeated (the adopted copy counts) and one dated in July (listed, not counted).
"""
from __future__ import annotations

import datetime as dt
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
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>
"""
ALIAS = """<match target="pattern"><test name="family"><string>{name}</string></test>
  <edit name="family" mode="assign" binding="strong"><string>{to}</string></edit></match>"""
MAP = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}

ITEMS = [
    ("县文旅局开展“五一”假期文化和旅游市场安全检查", (4, 28), "采用", (4, 29), "部门动态"),
    ("我县举办2021年非物质文化遗产展演活动", (5, 6), "未采用", None, "部门动态"),
    ("我县举办2021年非物质文化遗产展演活动", (5, 8), "采用", (5, 9), "部门动态"),
    ("金丝峡景区荣获省级文明旅游示范单位称号", (4, 12), "采用", (4, 14), "旅游资讯"),
    ("县文旅局召开党史学习教育专题组织生活会", (4, 30), "退回", None, "部门动态"),
    ("商南茶文化旅游节筹备工作推进会召开", (5, 9), "采用", (5, 11), "旅游资讯"),
    ("县图书馆开展“世界读书日”全民阅读推广活动", (4, 23), "采用", (4, 25), "部门动态"),
    ("县文旅局开展安全生产大检查", (5, 27), "未采用", None, "部门动态"),
    ("县文化馆送戏下乡走进试马镇", (6, 3), "采用", (6, 4), "基层动态"),
    ("我县召开旅游市场秩序整治工作会议", (6, 10), "采用", (6, 11), "部门动态"),
    ("县文旅局组织收看建党100周年文艺演出", (6, 28), "采用", (6, 29), "部门动态"),
    ("县文旅局部署汛期景区安全工作", (7, 2), "采用", (7, 3), "部门动态"),
]


def main() -> int:
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    from shangnan_desktop.domain import Period
    from shangnan_desktop.domain.ledger import LedgerItem, PeriodLedger
    from shangnan_desktop.reports.ledger_statement import write_statement

    def day(md):
        return dt.date(2021, *md) if md else None

    items = [
        LedgerItem.create(1, title, day(sub), status, day(pub), column, source_row=i + 2)
        for i, (title, sub, status, pub, column) in enumerate(ITEMS)
    ]
    ledger = PeriodLedger(Period.parse("2021Q2"), items)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        paths = write_statement(ledger, 1, "县文旅局", tmp_path)
        for old in HERE.glob("statement-*.png"):
            old.unlink()
        pdf = next(p for p in paths if p.suffix == ".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(HERE / "statement-pdf")], check=True)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            xlsx = next(p for p in paths if p.suffix == ".xlsx")
            out = tmp_path / "lo"
            profile = (tmp_path / "profile").as_uri()
            # As docs/annex/make_pictures.py: the workbook's Windows font names shown with Noto CJK.
            conf = tmp_path / "fonts.conf"
            conf.write_text(FONTCONFIG.format(aliases="".join(ALIAS.format(name=k, to=v) for k, v in MAP.items())),
                            encoding="utf-8")
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                 str(out), str(xlsx)],
                check=True, capture_output=True, timeout=240, env=dict(os.environ, FONTCONFIG_FILE=str(conf)),
            )
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(out / (xlsx.stem + ".pdf")), str(HERE / "statement-xlsx")],
                check=True,
            )
    for png in sorted(HERE.glob("statement-*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
