"""The register of responsible persons (附件3): ``register show|set|import|contact``."""

from __future__ import annotations

import csv
import datetime as _dt
import sys

from shangnan_desktop.cli.common import CliError, open_store
from shangnan_desktop.domain.register import FIELDS, is_stale, parse_date


def cmd_register_show(args) -> int:
    from shangnan_desktop.app import register as register_app  # loaded when the command runs

    with open_store(args) as store:
        overview = register_app.register_overview(store)
    today = _dt.date.today()
    max_age = overview.max_age_days
    header = ["分组", "单位", *(label for _, label in FIELDS), "确认日期", "状态"]
    rows = []
    for line in overview.lines:
        entry = line.entry
        if args.stale and not is_stale(entry, today, max_age):
            continue
        values = [entry.display(k) if entry else "" for k, _ in FIELDS]
        confirmed = entry.confirmed_on.isoformat() if entry and entry.confirmed_on else ""
        if entry is None or entry.is_blank:
            state = "未登记"
        elif is_stale(entry, today, max_age):
            state = f"超过{max_age}天未确认"
        else:
            state = "正常"
        rows.append([line.group_name, line.unit.name, *values, confirmed, state])
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        for r in rows:
            print("  ".join(v or "-" for v in r))
    return 0


def cmd_register_set(args) -> int:
    from shangnan_desktop.app import register as register_app  # loaded when the command runs

    given = {
        "leader_name": args.leader, "leader_title": args.leader_title, "leader_phones": args.leader_phone,
        "admin_name": args.admin, "admin_title": args.admin_title, "admin_phones": args.admin_phone,
        "qq": args.qq,
    }
    given = {k: v for k, v in given.items() if v is not None}
    today = _dt.date.today()
    confirmed = parse_date(args.confirmed, today) if args.confirmed is not None else None
    if not given and confirmed is None:
        raise CliError("没有给出要登记的内容。请加 --leader、--admin-phone、--qq、--confirmed 等选项，如："
                       "register set 试马镇 --qq 987654321")
    with open_store(args) as store:
        name, changed = register_app.edit_register(
            store, args.unit, given, today, confirmed=confirmed, group=getattr(args, "group", None)
        )
    print(f"已保存{name}的登记信息。" if changed else f"{name}的登记信息没有变化。")
    return 0


def cmd_register_contact(args) -> int:
    """``register contact [--deadline 7月23日] [--room 125室] [--name 张群] [--fax 6322055]``: the 核对表's return line."""
    from shangnan_desktop.app import register as register_app  # loaded when the command runs

    given = {k: getattr(args, k) for k in ("deadline", "room", "name", "fax") if getattr(args, k) is not None}
    with open_store(args) as store:
        contact, saved = register_app.update_contact(store, given)
    if saved:
        print("已保存核对表的交回要求。")
    print(f"核对表写明：{contact.line()}")
    return 0
