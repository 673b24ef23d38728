"""Command-line ``export`` and ``import`` subcommands, registered into cli.py's parser."""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def cmd_export(args) -> int:
    from shangnan_desktop.cli import _open_store
    from shangnan_desktop.domain import Period
    from shangnan_desktop.reports.export import export_period

    store = _open_store(args)
    try:
        files = export_period(store, Period.parse(args.period), args.annex, args.format, args.output)
    finally:
        store.close()
    for f in files:
        pages = f"(共{f.pages}页)" if f.pages else ""
        print(f"已导出{f.annex}:{f.path}{pages}")
    return 0


def cmd_import(args) -> int:
    from shangnan_desktop.cli import CliError, _open_store
    from shangnan_desktop.domain import Period
    from shangnan_desktop.reports.importer import apply_import, preview_import

    store = _open_store(args)
    try:
        period = Period.parse(args.period)
        preview = preview_import(store, period, args.file)
        print(preview.as_text())
        if preview.bad:
            raise CliError(f"文件中有{len(preview.bad)}处错误,未导入任何数据。请改正后重新导入。")
        if not preview.changes:
            print("没有需要导入的变化,未写入任何数据。")
            return 0
        if not args.yes:
            print("以上为预览,尚未写入。确认无误后请加 --yes 重新运行以导入。")
            return 0
        count = apply_import(store, preview)
        print(f"已导入{period.label}:修改了{count}个单位的数据。")
        return 0
    finally:
        store.close()


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="导出附件(Excel和PDF)")
    p.add_argument("period", help="期间,如 2021Q2")
    p.add_argument("--annex", default="all", help="附件编号:1、2、3 或 all(默认全部)")
    p.add_argument("--format", default="both", choices=["xlsx", "pdf", "both"], help="导出格式(默认两种都导出)")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("."),
        help="保存位置:导出一个文件时可为文件名,多个文件时为文件夹(默认当前文件夹)",
    )
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("import", help="从Excel导入报送和采用条数(先预览)")
    p.add_argument("period", help="导入到哪一期,如 2021Q3")
    p.add_argument("file", type=Path, help="Excel文件(.xlsx):导出的附件1/附件2,或含 单位、报送信息、采用信息 列的表")
    p.add_argument("--yes", action="store_true", help="确认导入(不加时只显示预览,不写入)")
    p.set_defaults(func=cmd_import)
