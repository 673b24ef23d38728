"""``export``, ``import`` and ``register import``: annexes out, counts and the register in (preview first)."""

from __future__ import annotations

import datetime as _dt
import logging
from pathlib import Path

from shangnan_desktop.cli.common import CliError, open_store
from shangnan_desktop.domain import Period
from shangnan_desktop.domain.register import parse_date

logger = logging.getLogger(__name__)


def cmd_export(args) -> int:
    from shangnan_desktop.app import exports, history  # loaded when the command runs

    with open_store(args) as store:
        span = history.parse_spec(store, args.period)
        if not span.is_single and (args.filled or args.per_unit):
            raise CliError("--filled 和 --per-unit 只适用于单个期间，不适用于多期累计。")
        period = span.first
        if args.per_unit:
            files = _export_per_unit(store, period, args)
        else:
            if args.stale:
                raise CliError("--stale 只能与 --per-unit 一起使用（只为待更新的单位生成核对表）。")
            output = args.output if args.output is not None else Path(".")
            if args.filled:
                files = exports.export_period(store, period, args.annex, args.format, output, filled=True)
            else:
                files = history.export_span(store, args.period, args.annex, args.format, output,
                                            chart=args.chart, compare_previous=args.compare)
    for f in files:
        pages = f"（共{f.pages}页）" if f.pages else ""
        print(f"已导出{f.annex}：{f.path}{pages}")
    if args.filled or args.per_unit:
        print("注意：按登记表填写的附件含个人联系方式，为内部资料，请勿公开发布。")
    return 0


def _export_per_unit(store, period, args):
    from shangnan_desktop.app import register as register_app  # loaded when the command runs
    from shangnan_desktop.app import exports  # loaded when the command runs

    if args.filled:
        raise CliError("--filled 和 --per-unit 只能选一个。")
    number = exports.register_number(store, period)
    if args.annex.strip().lower() not in ("all", "全部") and exports.chosen_annexes(store, period, args.annex) != [number]:
        raise CliError(f"--per-unit 只适用于附件{number}（管理责任人登记表）。")
    folder = args.output if args.output is not None else Path(f"附件{number}_{register_app.FORMS_NAME}")
    return register_app.export_unit_forms(
        store, period, exports.chosen_formats(args.format), folder, stale_only=args.stale
    )


def cmd_import(args) -> int:
    from shangnan_desktop.app import imports  # loaded when the command runs

    with open_store(args) as store:
        period = Period.parse(args.period)
        preview = imports.preview_import(store, period, args.file)
        print(preview.as_text())
        if preview.bad:
            raise CliError(f"文件中有{len(preview.bad)}处错误，未导入任何数据。请改正后重新导入。")
        if not preview.changes:
            print("没有需要导入的变化，未写入任何数据。")
            return 0
        if not args.yes:
            print("以上为预览，尚未写入。确认无误后请加 --yes 重新运行以导入。")
            return 0
        if preview.other_period and not args.other_period_ok:
            raise CliError(
                "文件的标题或文件名是另一期的，未导入任何数据。如果确实要导入到"
                f"{period.label}，请加 --other-period-ok 重新运行。"
            )
        count = imports.apply_import(store, preview)
        print(f"已导入{period.label}：修改了{count}个单位的数据。")
        return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="导出附件（Excel和PDF）")
    p.add_argument("period", help="期间，如 2021Q2；累计排名如 2021、2021H1、2021Q1-2021Q3")
    p.add_argument("--annex", default="all", help="附件编号：1、2、3 或 all（默认全部）")
    p.add_argument("--format", default="both", choices=["xlsx", "pdf", "both"], help="导出格式（默认两种都导出）")
    p.add_argument(
        "-o", "--output", type=Path, default=None,
        help="保存位置：导出一个文件时可为文件名，多个文件时为文件夹（默认当前文件夹）",
    )
    p.add_argument(
        "--filled", action="store_true",
        help="附件3按登记表填写各单位的管理责任人（内部资料，每页标注“内部资料”，不得公开）",
    )
    p.add_argument(
        "--per-unit", action="store_true",
        help="为每个单位生成预填的核对表（一个PDF每单位一页，及每单位一个Excel），供核对、更正、盖章后交回（内部资料）",
    )
    p.add_argument("--stale", action="store_true", help="与 --per-unit 一起使用：只为未登记或长期未确认的单位生成")
    p.add_argument("--chart", action="store_true", help="PDF中每个统计表后加一页得分排名图")
    p.add_argument("--compare", action="store_true", help="统计表在排名后加上期排名和变化两列")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("import", help="从Excel导入报送和采用条数（先预览）")
    p.add_argument("period", help="导入到哪一期，如 2021Q3")
    p.add_argument("file", type=Path, help="Excel文件（.xlsx）：导出的附件1/附件2，或含 单位、报送信息、采用信息 列的表")
    p.add_argument("--yes", action="store_true", help="确认导入（不加时只显示预览，不写入）")
    p.add_argument("--other-period-ok", action="store_true",
                   help="文件标题或文件名是另一期的，仍然导入到指定的期间（不加时拒绝导入）")
    p.set_defaults(func=cmd_import)


def cmd_register_import(args) -> int:
    """``register import FILE.xlsx [--yes]``: preview a returned 附件3, store it only with ``--yes``."""
    from shangnan_desktop.app import imports  # loaded when the command runs

    confirmed = parse_date(args.date, _dt.date.today(), label="确认日期（--date）") if args.date else None
    with open_store(args) as store:
        preview = imports.preview_register_import(store, args.file, confirmed_on=confirmed, reconfirm=not args.changes_only)
        print(preview.as_text())
        if not preview.can_apply:
            print("没有需要导入的内容，未写入任何数据。")
            return 0
        if not args.yes:
            print("以上为预览，尚未写入。确认无误后请加 --yes 重新运行以导入。")
            return 0
        count = imports.apply_register_import(store, preview)
        refused = f"；{len(preview.refused)}行未导入，请按上面的原因改正后重新导入" if preview.refused else ""
        print(f"已导入登记表：保存了{count}个单位的登记信息{refused}。")
        return 0
