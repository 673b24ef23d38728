#!/usr/bin/env python3
"""Pictures of the register's internal forms (the 汇总表 and a per-unit 核对表) from made-up persons.

Usage (from the repository root):
    SHANGNAN_BUNDLED_FONTS=1 python docs/annex/make_register_pictures.py

Every name, phone and QQ number in the pictures is invented here; needs poppler-utils (pdftoppm).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
TITLES = ("副镇长", "副局长", "党组成员、副主任", "办公室主任", "信息员", "综合股股长")


def fill(store) -> None:
    from shangnan_desktop.domain.register import RegisterEntry
    from shangnan_desktop.storage.register_store import RegisterStore

    entries = []
    for i, unit in enumerate(store.units(include_retired=False)):
        if unit.name == "县水利局":
            continue  # one unit not registered yet: an empty line in the list
        entries.append(RegisterEntry.build(
            unit.id, dt.date(2021, 7, 20),
            leader_name=SURNAMES[i % 20] + GIVEN[i % 20] + GIVEN[(i * 7 + 3) % 20],
            leader_title=TITLES[i % len(TITLES)],
            leader_phones=f"139{i:08d}" + (f"、0914-63{i:05d}" if i % 3 == 0 else ""),
            admin_name=SURNAMES[(i + 7) % 20] + GIVEN[(i * 3 + 1) % 20],
            admin_title=TITLES[(i + 3) % len(TITLES)],
            admin_phones=f"158{i + 100:08d}",
            qq=f"8{i:07d}1",
        ))
    RegisterStore(store).set_many(entries)


def main() -> int:
    os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")
    from shangnan_desktop.reports.register_export import ReturnContact, export_filled, export_unit_forms
    from shangnan_desktop.storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        store = Store.open(tmp_path / "demo.db")
        fill(store)
        # The return line as the notice writes it, set once: register contact --deadline … --fax …
        ReturnContact.build(deadline="7月23日", room="125室", name="张群", fax="6322055").save(store)
        today = dt.date.today()  # the 汇总表's note: 截至<today>
        filled_file = export_filled(store, None, ("pdf",), tmp_path / "filled.pdf", today=today)[0]
        filled = filled_file.path
        forms = export_unit_forms(store, None, ("pdf",), tmp_path / "forms", today=today)[0].path
        store.close()
        # named register-*: make_pictures.py replaces every annex*.png
        for old in HERE.glob("register-*.png"):
            old.unlink()
        pages = ((filled, 1, "register-filled-pdf-1"), (filled, filled_file.pages, "register-filled-pdf-last"),
                 (forms, 1, "register-form-pdf-1"))
        for pdf, page, name in pages:
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                 str(HERE / name)],
                check=True,
            )
    for png in sorted(HERE.glob("register-*.png")):
        print(png.relative_to(ROOT), png.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
