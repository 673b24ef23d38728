"""Data safety: ``backup list|create|restore`` and ``audit``."""

from __future__ import annotations

import csv
import io
import logging
import sys
from pathlib import Path

from shangnan_desktop.app import backups
from shangnan_desktop.app.files import save_bytes
from shangnan_desktop.cli.common import CliError, _pad, _width, open_store
from shangnan_desktop.domain import Period
from shangnan_desktop.paths import default_db_path

logger = logging.getLogger(__name__)


def _db_path(args) -> Path:
    return Path(args.db or default_db_path())


def _size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def cmd_backup_list(args) -> int:
    path = _db_path(args)
    found = backups.list_backups(path)
    if not found:
        print(f"还没有备份（备份文件夹：{backups.backup_dir(path)}）。")
        return 0
    rows = [["序号", "时间", "类型", "大小", "状态", "文件名"]]
    for b in found:
        rows.append([str(b.seq), b.when_text, b.label, _size_text(b.size), "完好" if backups.is_good(b) else "已损坏",
                     b.name])
    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    for r in rows:
        print("  ".join(_pad(v, w, right=c in (0, 3)) for c, (v, w) in enumerate(zip(r, widths))).rstrip())
    print(f"共{len(found)}个备份，保存在：{backups.backup_dir(path)}")
    return 0


def cmd_backup_create(args) -> int:
    with open_store(args) as store:
        info = backups.create_backup(store, "manual")
    print(f"已创建备份：{info.path}")
    return 0


def cmd_backup_restore(args) -> int:
    path = _db_path(args)
    if args.latest == bool(args.name):
        raise CliError("请给出要恢复的备份名称（见 backup list），或使用 --latest 恢复最近的完好备份。")
    if args.latest:
        good = backups.good_backups(path)
        if not good:
            raise CliError("没有可用的完好备份。")
        backup = good[0]
    else:
        backup = backups.find_backup(path, args.name)
    result = backups.restore(path, backup)
    print(f"已从备份恢复：{backup.name}（{backup.when_text}，{backup.label}）")
    if result.aside is not None:
        state = "（已损坏）" if result.replaced_was_damaged else ""
        print(f"原数据库文件{state}已重命名保留为：{result.aside}")
    return 0


def cmd_audit(args) -> int:
    period = Period.parse(args.period) if args.period else None
    if args.limit is not None and args.limit <= 0:
        raise CliError("--limit 必须是正整数。")
    with open_store(args, readonly=True) as store:
        rows = backups.audit_table(store, period, args.limit)
    if args.format == "csv" or args.output:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n" if args.output else "\n")
        writer.writerow(backups.AUDIT_HEADER)
        writer.writerows([backups.safe_cell(v) for v in r] for r in rows)
        if args.output:
            # UTF-8 with BOM so that Excel shows the Chinese text correctly; never over the database.
            save_bytes(Path(args.output), buf.getvalue().encode("utf-8-sig"))
            print(f"已导出{len(rows)}条修改记录到：{args.output}")
        else:
            sys.stdout.write(buf.getvalue())
        return 0
    if not rows:
        print("没有修改记录。")
        return 0
    table = [list(backups.AUDIT_HEADER), *[list(r) for r in rows]]
    widths = [max(_width(r[c]) for r in table) for c in range(len(backups.AUDIT_HEADER))]
    for r in table:
        print("  ".join(_pad(v, w) for v, w in zip(r, widths)).rstrip())
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="数据库备份：列出、创建、恢复")
    sub = p.add_subparsers(dest="backup_command", metavar="操作", required=True, parser_class=type(p))
    q = sub.add_parser("list", help="列出所有备份（最新的在前）")
    q.set_defaults(func=cmd_backup_list)
    q = sub.add_parser("create", help="立即创建一个备份")
    q.set_defaults(func=cmd_backup_create)
    q = sub.add_parser("restore", help="从备份恢复（当前文件重命名保留，不会删除）")
    q.add_argument("name", nargs="?", help="备份文件名或序号（见 backup list）")
    q.add_argument("--latest", action="store_true", help="恢复最近的完好备份")
    q.set_defaults(func=cmd_backup_restore)

    p = subparsers.add_parser("audit", help="查看或导出修改记录（谁、何时、改了什么）")
    p.add_argument("--period", help="只看某一期，如 2021Q2")
    p.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    p.add_argument("--output", help="导出到CSV文件（Excel可直接打开）")
    p.add_argument("--limit", type=int, help="只显示最近的若干条")
    p.set_defaults(func=cmd_audit)
