"""The command line: the same operations as the window, for scripts and for checking."""

from __future__ import annotations

import argparse
import csv
import io
import logging
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

from shangnan_desktop import APP_NAME, __version__
from shangnan_desktop.domain import DomainError, Period, PeriodSheet, format_decimal
from shangnan_desktop.paths import default_db_path

logger = logging.getLogger(__name__)
EXIT_USAGE = 2


class CliError(Exception):
    """An error the command line reports in Chinese with exit status 2."""


# argparse's own words (Python 3.12), in Chinese: usage, headings, help of -h, and its errors.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面需要给出一个值",
    "expected at most one argument": "后面最多给出一个值",
    "expected at least one argument": "后面至少给出一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": "无效的选项 %(option)r",
}
_ARGPARSE_ZH_PLURAL = {
    "expected %s argument": "后面需要给出%s个值",
    "expected %s arguments": "后面需要给出%s个值",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return _ARGPARSE_ZH_PLURAL.get(singular if n == 1 else plural, singular if n == 1 else plural)


class _chinese_argparse:
    """While active, argparse looks its words up in ``_ARGPARSE_ZH`` (it calls ``argparse._`` at run time)."""

    depth = 0

    def __enter__(self):
        if _chinese_argparse.depth == 0:
            self.saved = (argparse._, argparse.ngettext)
            argparse._, argparse.ngettext = _zh, _zh_n
        _chinese_argparse.depth += 1

    def __exit__(self, *exc):
        _chinese_argparse.depth -= 1
        if _chinese_argparse.depth == 0:
            argparse._, argparse.ngettext = self.saved


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: headings, usage, help of -h and every error."""

    def __init__(self, *args, **kwargs) -> None:
        with _chinese_argparse():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        with _chinese_argparse():
            return super().add_argument(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            text = super().format_help()
        for heading in ("位置参数", "选项"):  # argparse adds a half-width colon after headings
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text

    def error(self, message: str) -> None:  # argparse speaks English; the clerk does not
        with _chinese_argparse():
            self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"参数错误：{message}\n请用 --help 查看用法。\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def table_rows(sheet: PeriodSheet, group_name: str | None = None):
    """(group, header, rows) per group in rank order, rows as display strings."""
    out = []
    for g in sheet.groups:
        if group_name and g.name != group_name:
            continue
        header = [g.group.unit_header] + [m.label for m in sheet.rule.metrics] + ["得分", "排名"]
        rows = [
            [r.name, *(str(c) for c in r.counts), format_decimal(r.score), str(r.rank)] for r in g.ranked()
        ]
        out.append((g, header, rows))
    return out


def _db_path(args) -> Path:
    """The database path: ``--db`` if given, else the default one (created on first use)."""
    return Path(args.db) if getattr(args, "db", None) is not None else default_db_path()


def _check_explicit_db(args) -> Path:
    """An explicit ``--db`` must name an existing file: a typo never creates a new database."""
    path = _db_path(args)
    if getattr(args, "db", None) is not None and not path.exists():
        raise CliError(
            f"数据库文件“{path}”不存在。请检查 --db 后的路径是否写错;"
            f"如确实要在这里新建数据库,请先运行:shangnan-desktop init --db \"{path}\""
        )
    return path


def _open_store(args, *, readonly: bool = False):
    from shangnan_desktop.storage import Store

    return Store.open(_check_explicit_db(args), readonly=readonly)


def _find_unit(store, args, period=None):
    return store.find_unit(args.unit, period, group=getattr(args, "group", None))


def cmd_init(args) -> int:
    """``init``: create and seed the reference database at ``--db`` (or the default path)."""
    from shangnan_desktop.storage import Store

    path = _db_path(args)
    if path.exists():
        raise CliError(f"“{path}”已存在,没有做任何改动。init 只用于新建数据库;要使用已有的数据库,直接运行其他命令即可。")
    store = Store.open(path)
    try:
        periods = "、".join(info.period.label for info in store.periods())
    finally:
        store.close()
    print(f"已新建数据库:{path}(已载入参考数据:{periods})。")
    return 0


def cmd_periods(args) -> int:
    store = _open_store(args)
    for info in store.periods():
        state = "  已定稿" if info.locked else ""
        print(f"{info.period.key}  {info.period.label}{state}")
    return 0


def cmd_show(args) -> int:
    store = _open_store(args)
    sheet = store.load_sheet(Period.parse(args.period))
    if args.group:
        sheet.group(args.group)  # raises a clear error for an unknown group
    groups = table_rows(sheet, args.group)
    if args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for i, (g, header, rows) in enumerate(groups):
            if len(groups) > 1:
                if i:
                    buf.write("\n")
                buf.write(f"# {g.name}\n")
            writer.writerow(["单位", *header[1:]])
            writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
        return 0
    for i, (g, header, rows) in enumerate(groups):
        if i:
            print()
        print(g.group.title(sheet.period.label) + ("(已定稿)" if sheet.locked else ""))
        widths = [max(_width(r[c]) for r in [header, *rows]) for c in range(len(header))]
        for r in [header, *rows]:
            print("  ".join(_pad(v, w, right=c > 0) for c, (v, w) in enumerate(zip(r, widths))))
        print(sheet.rule.note_line())
    return 0


def cmd_set(args) -> int:
    if args.submitted is None and args.adopted is None and not args.metric:
        raise CliError("没有给出要录入的数值。请加 --submitted 条数、--adopted 条数 或 --metric 指标=条数,如:"
                       "set 2021Q2 试马镇 --submitted 12 --adopted 3")
    store = _open_store(args)
    period = Period.parse(args.period)
    unit = _find_unit(store, args, period)
    current = store.counts(period, unit.id)
    rule = store.rule(period)
    values = list(current)
    given = {"submitted": args.submitted, "adopted": args.adopted}
    for key, value in given.items():
        if value is not None and key in rule.keys:
            values[rule.index(key)] = value
    for item in args.metric or []:
        key, _, value = item.partition("=")
        if key not in rule.keys:
            raise CliError(f"评分规则中没有指标“{key}”,可选:{'、'.join(rule.keys)}。")
        values[rule.index(key)] = value
    stored = store.set_counts(period, unit.id, values)
    labels = ",".join(f"{m.label}{v}" for m, v in zip(rule.metrics, stored))
    print(f"已保存:{period.label} {unit.name} {labels},得分{format_decimal(rule.score(stored))}")
    return 0


def cmd_new_period(args) -> int:
    store = _open_store(args)
    period = Period.parse(args.period)
    store.create_period(period)
    print(f"已新建{period.label}({period.key}),单位名单和评分规则沿用上一期,数量均为0。")
    return 0


def cmd_summary(args) -> int:
    store = _open_store(args)
    print(store.load_sheet(Period.parse(args.period)).summary().as_text())
    return 0


def cmd_register_show(args) -> int:
    import datetime as _dt

    from shangnan_desktop.domain.register import FIELDS, is_stale
    from shangnan_desktop.storage.register_store import RegisterStore

    store = _open_store(args)
    register = RegisterStore(store)
    current = register.current()
    today = _dt.date.today()
    max_age = register.max_age_days()
    header = ["分组", "单位", *(label for _, label in FIELDS), "确认日期", "状态"]
    groups = {g.id: g.name for g in store.groups()}
    rows = []
    for unit in store.units(include_retired=False):
        entry = current.get(unit.id)
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
        rows.append([groups[unit.group_id], unit.name, *values, confirmed, state])
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        for r in rows:
            print("  ".join(v or "-" for v in r))
    return 0


def cmd_register_set(args) -> int:
    import datetime as _dt

    from shangnan_desktop.domain.register import edited_entry, parse_date
    from shangnan_desktop.storage.register_store import RegisterStore

    given = {
        "leader_name": args.leader, "leader_title": args.leader_title, "leader_phones": args.leader_phone,
        "admin_name": args.admin, "admin_title": args.admin_title, "admin_phones": args.admin_phone,
        "qq": args.qq,
    }
    given = {k: v for k, v in given.items() if v is not None}
    today = _dt.date.today()
    confirmed = parse_date(args.confirmed, today) if args.confirmed is not None else None
    if not given and confirmed is None:
        raise CliError("没有给出要登记的内容。请加 --leader、--admin-phone、--qq、--confirmed 等选项,如:"
                       "register set 试马镇 --qq 987654321")
    store = _open_store(args)
    unit = _find_unit(store, args)
    register = RegisterStore(store)
    entry = edited_entry(unit.id, register.entry(unit.id), given, today,
                         date=confirmed or today, date_given=True)
    changed = register.set(entry)
    print(f"已保存{unit.name}的登记信息。" if changed else f"{unit.name}的登记信息没有变化。")
    return 0


def cmd_register_import(args) -> int:
    from shangnan_desktop.reports.cli_commands import cmd_register_import as run

    return run(args)


def cmd_register_contact(args) -> int:
    """``register contact [--deadline 7月23日] [--room 125室] [--name 张群] [--fax 6322055]``: the 核对表's return line."""
    from dataclasses import asdict

    from shangnan_desktop.reports.register_export import ReturnContact

    store = _open_store(args)
    try:
        given = {k: getattr(args, k) for k in ("deadline", "room", "name", "fax") if getattr(args, k) is not None}
        contact = ReturnContact.load(store)
        if given:
            contact = ReturnContact.build(**{**asdict(contact), **given})
            contact.save(store)
            print("已保存核对表的交回要求。")
        print(f"核对表写明：{contact.line()}")
    finally:
        store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="shangnan-desktop", description=f"{APP_NAME}(不带子命令时打开主窗口)")
    parser.add_argument("--db", type=Path, help="数据库文件路径(默认在用户数据文件夹中)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="显示程序版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=_Parser)

    p = sub.add_parser("init", help="新建数据库并载入参考数据(路径由 --db 指定,默认在用户数据文件夹中)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("periods", help="列出所有期间")
    p.set_defaults(func=cmd_periods)

    p = sub.add_parser("show", help="显示某期的得分和排名表")
    p.add_argument("period", help="期间,如 2021Q2")
    p.add_argument("--group", help="只显示一个分组,如 镇办 或 县直部门")
    p.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("set", help="录入某单位的报送和采用条数")
    p.add_argument("period", help="期间,如 2021Q2")
    p.add_argument("unit", help="单位名称")
    p.add_argument("--submitted", help="报送信息条数")
    p.add_argument("--adopted", help="采用信息条数")
    p.add_argument("--metric", action="append", metavar="指标=条数", help="其他指标(评分规则中有的)")
    p.add_argument("--group", help="单位所在分组,如 镇办(名称在两个分组中都有时必须给出)")
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("new-period", help="新建下一期(沿用单位名单和评分规则,数量为0)")
    p.add_argument("period", help="期间,如 2021Q3")
    p.set_defaults(func=cmd_new_period)

    p = sub.add_parser("summary", help="显示某期的汇总")
    p.add_argument("period", help="期间,如 2021Q2")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("register", help="网站管理责任人登记表(附件3)")
    reg = p.add_subparsers(dest="register_command", metavar="操作", parser_class=_Parser, required=True)
    q = reg.add_parser("show", help="显示登记表")
    q.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    q.add_argument("--stale", action="store_true", help="只列出未登记或长期未确认的单位")
    q.set_defaults(func=cmd_register_show)
    q = reg.add_parser("set", help="登记或修改某单位的责任人")
    q.add_argument("unit", help="单位名称")
    q.add_argument("--group", help="单位所在分组,如 镇办(名称在两个分组中都有时必须给出)")
    q.add_argument("--leader", help="分管领导姓名")
    q.add_argument("--leader-title", help="分管领导职务")
    q.add_argument("--leader-phone", help="分管领导联系电话(多个用、分隔)")
    q.add_argument("--admin", help="管理人员姓名")
    q.add_argument("--admin-title", help="管理人员职务")
    q.add_argument("--admin-phone", help="管理人员联系电话(多个用、分隔)")
    q.add_argument("--qq", help="QQ号码")
    q.add_argument("--confirmed", help="确认日期,如 2021-07-20(默认今天)")
    q.set_defaults(func=cmd_register_set)
    q = reg.add_parser("import", help="导入各单位交回的登记表或核对表(.xlsx,先预览)")
    q.add_argument("file", type=Path, help="本程序导出的附件3登记表或单位核对表(.xlsx)")
    q.add_argument("--yes", action="store_true", help="确认导入(不加时只显示预览,不写入)")
    q.add_argument("--date", help="确认日期,即单位盖章交回的日期,如 2021-07-20(默认今天)")
    q.add_argument("--changes-only", action="store_true", help="只导入有变化的单位,内容相同的不记为已确认")
    q.set_defaults(func=cmd_register_import)
    q = reg.add_parser("contact", help="核对表的交回期限和联系方式（填写一次，以后每次导出核对表都写明）")
    q.add_argument("--deadline", help="交回期限，如 7月23日")
    q.add_argument("--room", help="交回地点的房间号，如 125室")
    q.add_argument("--name", help="联系人姓名，如 张群")
    q.add_argument("--fax", help="传真号码，如 6322055")
    q.set_defaults(func=cmd_register_contact)

    from shangnan_desktop.reports import cli_commands as report_commands
    from shangnan_desktop.storage import cli_commands as storage_commands

    report_commands.register(sub)  # export, import
    storage_commands.register(sub)  # backup, audit
    _db_after_subcommand(parser)
    return parser


_METAVARS = {
    "db": "数据库路径", "period": "期间", "unit": "单位", "file": "文件", "name": "备份", "group": "分组",
    "submitted": "条数", "adopted": "条数", "output": "保存位置", "limit": "条数", "date": "日期",
    "confirmed": "日期", "annex": "附件", "qq": "QQ号码",
}


def _db_after_subcommand(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db`` after the subcommand too (``set … --db x``), as well as before it.

    Also names every value in usage lines and messages in Chinese (期间, 单位 …, not PERIOD, UNIT).
    """
    for action in parser._actions:
        if action.metavar is None and action.choices is None and action.nargs != 0:
            action.metavar = _METAVARS.get(action.dest, "值")
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                if not any("--db" in a.option_strings for a in sub._actions):
                    sub.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                                     help="数据库文件路径(也可写在子命令前面)")
                _db_after_subcommand(sub)


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
        print(f"错误:{exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # output piped into ``head``
            sys.stderr.close()
            return 0
        from shangnan_desktop.storage.db import os_error_text

        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"错误:无法读写文件{where}:{os_error_text(exc)}。请检查路径、权限和磁盘空间后重试。", file=sys.stderr)
        return EXIT_USAGE


def _run_gui(args) -> int:
    import importlib.util

    if importlib.util.find_spec("shangnan_desktop.ui.app") is None:
        build_parser().print_help()
        return 0
    from shangnan_desktop.ui.app import run

    return run(args.db)
