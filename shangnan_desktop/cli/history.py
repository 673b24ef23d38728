"""``history UNIT``: one unit's counts, score and rank in every period (a renamed unit keeps its history)."""

from __future__ import annotations

import csv
import io
import sys

from shangnan_desktop.cli.common import open_store


def cmd_history(args) -> int:
    from shangnan_desktop.app import history  # loaded when the command runs

    with open_store(args) as store:
        result = history.unit_history_by_name(store, args.unit, group=getattr(args, "group", None))
    if args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.header())
        writer.writerows(result.rows())
        sys.stdout.write(buf.getvalue())
        return 0
    print(result.as_text())
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("history", help="显示某单位各期的报送和采用条数、得分和排名（更名的单位沿用原来的记录）")
    p.add_argument("unit", help="单位名称（现名或曾用名）")
    p.add_argument("--group", help="单位所在分组，如 镇办（名称在两个分组中都有时必须给出）")
    p.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    p.set_defaults(func=cmd_history)
