"""The Chinese argparse: headings, usage, help and every error in Chinese; ``--db`` before or after the subcommand."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2

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


_METAVARS = {
    "db": "数据库路径", "period": "期间", "unit": "单位", "file": "文件", "name": "备份", "group": "分组",
    "submitted": "条数", "adopted": "条数", "output": "保存位置", "limit": "条数", "date": "日期",
    "confirmed": "日期", "annex": "附件", "qq": "QQ号码", "alias": "别名", "map": "列名=字段",
}


def db_path(text: str) -> Path:
    """``--db``'s value: a path; an empty one (``--db=``, ``--db ""``) would be the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("数据库路径为空，请在 --db 后写出数据库文件的路径")
    return Path(text)


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
                    sub.add_argument("--db", type=db_path, default=argparse.SUPPRESS,
                                     help="数据库文件路径（也可写在子命令前面）")
                _db_after_subcommand(sub)


