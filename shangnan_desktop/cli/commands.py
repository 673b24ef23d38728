"""The command line: the parser, and ``main`` running one subcommand (or the window without one)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from shangnan_desktop import APP_NAME, __version__
from shangnan_desktop.cli import counts, exchange, history, ledger, notice, register, rules, safety
from shangnan_desktop.cli.common import CliError
from shangnan_desktop.cli.parser import EXIT_USAGE, _db_after_subcommand, _Parser, db_path
from shangnan_desktop.domain import DomainError
from shangnan_desktop.domain.errors import os_error_text

logger = logging.getLogger(__name__)



def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="shangnan-desktop", description=f"{APP_NAME}（不带子命令时打开主窗口）")
    parser.add_argument("--db", type=db_path, help="数据库文件路径（默认在用户数据文件夹中）")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="显示程序版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=_Parser)

    p = sub.add_parser("init", help="新建数据库并载入参考数据（路径由 --db 指定，默认在用户数据文件夹中）")
    p.add_argument("--county", metavar="名称", help="新建其他县（市、区）的数据库：县（市、区）名称")
    p.add_argument("--office", metavar="名称", help="发文机关，如 某县人民政府办公室")
    p.add_argument("--first-period", metavar="统计期", help="首期，如 2023M01、2023Q1、2023H1、2023")
    p.add_argument("--group", action="append", metavar="名称=文件",
                   help="分组及其单位名单文件（UTF-8，每行一个单位，按顺序），可多次给出")
    p.set_defaults(func=counts.cmd_init)

    p = sub.add_parser("periods", help="列出所有期间")
    p.set_defaults(func=counts.cmd_periods)

    p = sub.add_parser("show", help="显示某期的得分和排名表，或多期的累计排名")
    p.add_argument("period", help="期间，如 2021Q2；累计排名如 2021（全年）、2021H1（上半年）、2021Q1-2021Q3")
    p.add_argument("--group", help="只显示一个分组，如 镇办 或 县直部门")
    p.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    p.add_argument("--compare", action="store_true", help="在排名后加上期排名和变化两列（与上一期比较）")
    p.set_defaults(func=counts.cmd_show)

    p = sub.add_parser("set", help="录入某单位的报送和采用条数")
    p.add_argument("period", help="期间，如 2021Q2")
    p.add_argument("unit", help="单位名称")
    p.add_argument("--submitted", help="报送信息条数")
    p.add_argument("--adopted", help="采用信息条数")
    p.add_argument("--metric", action="append", metavar="名称=值",
                   help="评分规则中的指标及其数值（条数，或规则允许时的小数分值），可多次给出")
    p.add_argument("--group", help="单位所在分组，如 镇办（名称在两个分组中都有时必须给出）")
    p.set_defaults(func=counts.cmd_set)

    p = sub.add_parser("new-period", help="新建下一期（沿用单位名单和评分规则，条数为0）")
    p.add_argument("period", help="期间，如 2021Q3")
    p.set_defaults(func=counts.cmd_new_period)

    p = sub.add_parser("summary", help="显示某期的汇总")
    p.add_argument("period", help="期间，如 2021Q2")
    p.set_defaults(func=counts.cmd_summary)
    p = sub.add_parser("register", help="网站管理责任人登记表（附件3）")
    reg = p.add_subparsers(dest="register_command", metavar="操作", parser_class=_Parser, required=True)
    q = reg.add_parser("show", help="显示登记表")
    q.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    q.add_argument("--stale", action="store_true", help="只列出未登记或长期未确认的单位")
    q.set_defaults(func=register.cmd_register_show)
    q = reg.add_parser("set", help="登记或修改某单位的责任人")
    q.add_argument("unit", help="单位名称")
    q.add_argument("--group", help="单位所在分组，如 镇办（名称在两个分组中都有时必须给出）")
    q.add_argument("--leader", help="分管领导姓名")
    q.add_argument("--leader-title", help="分管领导职务")
    q.add_argument("--leader-phone", help="分管领导联系电话（多个用、分隔）")
    q.add_argument("--admin", help="管理人员姓名")
    q.add_argument("--admin-title", help="管理人员职务")
    q.add_argument("--admin-phone", help="管理人员联系电话（多个用、分隔）")
    q.add_argument("--qq", help="QQ号码")
    q.add_argument("--confirmed", help="确认日期，如 2021-07-20（默认今天）")
    q.set_defaults(func=register.cmd_register_set)
    q = reg.add_parser("import", help="导入各单位交回的登记表或核对表（.xlsx，先预览）")
    q.add_argument("file", type=Path, help="本程序导出的附件3登记表或单位核对表（.xlsx）")
    q.add_argument("--yes", action="store_true", help="确认导入（不加时只显示预览，不写入）")
    q.add_argument("--date", help="确认日期，即单位盖章交回的日期，如 2021-07-20（默认今天）")
    q.add_argument("--changes-only", action="store_true", help="只导入有变化的单位，内容相同的不记为已确认")
    q.set_defaults(func=exchange.cmd_register_import)
    q = reg.add_parser("contact", help="核对表的交回期限和联系方式（填写一次，以后每次导出核对表都写明）")
    q.add_argument("--deadline", help="交回期限，如 7月23日")
    q.add_argument("--room", help="交回地点的房间号，如 125室")
    q.add_argument("--name", help="联系人姓名，如 张群")
    q.add_argument("--fax", help="传真号码，如 6322055")
    q.set_defaults(func=register.cmd_register_contact)

    rules.register(sub)  # rule show, rule set
    exchange.register(sub)  # export, import
    safety.register(sub)  # backup, audit
    history.register(sub)  # history
    ledger.register(sub)  # ledger, alias
    notice.register(sub)  # 通报
    _db_after_subcommand(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
    root = logging.getLogger()
    if not root.handlers:  # log records are for developers: never English lines on the clerk's console
        root.addHandler(logging.NullHandler())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _run_gui(args)
    try:
        return args.func(args)
    except (DomainError, CliError) as exc:
        print(f"错误：{exc}{ledger.typed_hint(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # output piped into ``head``
            sys.stderr.close()
            return 0
        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"错误：无法读写文件{where}：{os_error_text(exc)}。请检查路径、权限和磁盘空间后重试。", file=sys.stderr)
        return EXIT_USAGE


def _run_gui(args) -> int:
    """No subcommand (``--db`` after other options the fast path in ``cli/__init__`` leaves to the parser)."""
    from shangnan_desktop.cli.window import run_window

    status = run_window(args.db)
    if status is None:  # a build without the window
        build_parser().print_help()
        return 0
    return status
