"""``notice PERIOD --format docx|pdf|both -o DIR [--no-annexes]``: the whole notice (通报) with its annexes."""

from __future__ import annotations

from pathlib import Path

from shangnan_desktop.cli.common import open_store
from shangnan_desktop.domain import Period


def cmd_notice(args) -> int:
    from shangnan_desktop.app import notice as notice_app  # loaded when the command runs

    with open_store(args) as store:
        period = Period.parse(args.period)
        bound = notice_app.read_notice(store, period)
        output = args.output if args.output is not None else Path(".")
        files = notice_app.export_notice(store, period, args.format, output, with_annexes=not args.no_annexes)
    what = "通报正文" if args.no_annexes else "通报及附件"
    for f in files:
        pages = f"（共{f.pages}页）" if f.pages else ""
        print(f"已导出{what}：{f.path}{pages}")
    if not bound.stored:
        print(f"提示：{period.label}的通报尚未保存，以上按上一期通报的文字生成；在窗口的“通报”页打开即可保存并修改。")
    for problem in bound.problems:
        print(f"请注意：{problem}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("notice", help="导出某期的通报（含附件1—3，页码连续），Word（.docx）和/或PDF")
    p.add_argument("period", help="期间，如 2021Q2")
    p.add_argument("--format", choices=["docx", "pdf", "both"], default="both", help="文件格式（默认 both：两种都导出）")
    p.add_argument("-o", "--output", type=Path, help="保存到的文件夹（默认当前文件夹）")
    p.add_argument("--no-annexes", action="store_true", help="只导出通报正文，不含附件")
    p.set_defaults(func=cmd_notice)
