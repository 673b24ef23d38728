"""The item ledger (信息台账): ``ledger import``, ``ledger show``, ``ledger statement``, ``ledger source``;
``alias add``, ``alias list``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from shangnan_desktop.cli.common import CliError, _pad, _width, open_store
from shangnan_desktop.cli.parser import _Parser
from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import DERIVED, TYPED, DerivedCountsError, format_date, source_label

SHOW_HEADER = ["单位", "标题", "报送日期", "状态", "发布日期", "栏目", "备注", "计入"]


def cmd_ledger_import(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    period = Period.parse(args.period)
    with open_store(args) as store:
        preview = ledger_app.preview_ledger(store, period, args.file, mapping=args.map or None)
        print(preview.as_text())
        if not args.yes:
            print("以上为预览，没有写入任何数据。确认无误后加 --yes 导入。")
            return 0
        if not preview.can_apply:
            raise CliError("未导入任何数据：请先用“alias add 单位 别名”为未匹配的名称指定单位，然后重新导入。"
                           if preview.unresolved() else "未导入任何数据：文件中没有可导入的信息。")
        step = ledger_app.apply_ledger_import(store, preview)
        names = ledger_app.unit_names(store)
        counts = step.result.counts
    print(f"已导入{len(step.result.item_ids)}条信息到{period.label}台账（导入前已备份）。")
    for unit_id, values in counts.items():
        print(f"  {names.get(unit_id, '')}：按台账统计，{'，'.join(str(v) for v in values)}")
    return 0


def cmd_ledger_show(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    period = Period.parse(args.period)
    with open_store(args) as store:
        unit_id = ledger_app.find_unit_id(store, args.unit, period) if args.unit else None
        rows = ledger_app.ledger_rows(store, period, unit_id)
        sources = ledger_app.sources(store, period)
        sheet_counts = {u: store.counts(period, u) for u in sorted(sources.derived)}
        names = ledger_app.unit_names(store)
    table = [
        [r.unit, r.item.title, format_date(r.item.submitted_on), r.item.status, format_date(r.item.published_on),
         r.item.column, r.item.note, "是" if r.counted else f"否（{r.reason}）"]
        for r in rows
    ]
    if args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(SHOW_HEADER)
        writer.writerows(table)
        sys.stdout.write(buf.getvalue())
        return 0
    print(f"{period.label}台账：{len(rows)}条信息")
    if table:
        cut = [[v if _width(v) <= 40 else v[:19] + "…" for v in r] for r in table]
        widths = [max(_width(r[c]) for r in [SHOW_HEADER, *cut]) for c in range(len(SHOW_HEADER))]
        for r in [SHOW_HEADER, *cut]:
            print("  ".join(_pad(v, w) for v, w in zip(r, widths)).rstrip())
    shown = [u for u in sheet_counts if unit_id is None or u == unit_id]
    if shown:
        print(f"条数{source_label('derived')}的单位：")
        for u in shown:
            print(f"  {names.get(u, '')}：{'，'.join(str(v) for v in sheet_counts[u])}（{source_label('derived')}）")
    return 0


def cmd_ledger_statement(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    period = Period.parse(args.period)
    with open_store(args) as store:
        if args.all:
            written = ledger_app.write_unit_statements(store, period, args.output)
        else:
            written = ledger_app.write_unit_statement(store, period, args.unit, args.output)
    for path in written:
        print(f"已保存：{path}")
    return 0


def cmd_ledger_source(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    period = Period.parse(args.period)
    with open_store(args) as store:
        change = ledger_app.set_unit_source(store, period, args.unit, args.source)
    counts = "，".join(f"{name}{value}" for name, value in zip(change.labels, change.counts))
    label = source_label(change.new)
    if change.step is None:
        print(f"“{change.unit_name}”{period.label}的条数来源已是“{label}”，没有改动（{counts}）。")
    elif change.new == TYPED:
        print(f"已将“{change.unit_name}”{period.label}的条数来源改为“{label}”：条数保持{counts}，"
              f"可用“set {period.key} {_arg(change.unit_name)} --submitted 条数 --adopted 条数”修改；"
              f"台账中的{change.items}条信息保留，但不再用于统计。")
    else:
        before = "，".join(f"{name}{value}" for name, value in zip(change.labels, change.previous))
        print(f"已将“{change.unit_name}”{period.label}的条数来源改为“{label}”：按台账中的{change.items}条信息"
              f"统计为{counts}" + ("。" if change.previous == change.counts else
                                 f"（原来直接输入的是{before}，已记入操作记录）。"))
    return 0


def _arg(text: str) -> str:
    """A value as the clerk types it on the command line (quoted if it holds a space)."""
    return f'"{text}"' if any(c.isspace() for c in text) else text


def typed_hint(exc: Exception) -> str:
    """For a refused typed edit of a derived unit: the command that switches it back to typed totals."""
    if not isinstance(exc, DerivedCountsError) or exc.period is None or not exc.unit_name:
        return ""
    return f"命令行中可用“ledger source {exc.period.key} --unit {_arg(exc.unit_name)} {TYPED}”切换。"


def cmd_alias_add(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    with open_store(args) as store:
        unit, alias = ledger_app.add_alias(store, args.unit, args.alias)
    print(f"已记住：“{alias}”即“{unit}”。")
    return 0


def cmd_alias_list(args) -> int:
    from shangnan_desktop.app import ledger as ledger_app  # loaded when the command runs

    with open_store(args) as store:
        rows = ledger_app.alias_list(store)
    if not rows:
        print("还没有别名。可用“alias add 单位 别名”添加。")
        return 0
    width = max(_width(name) for _u, name, _a in rows)
    for _unit_id, name, alias in rows:
        print(f"{_pad(name, width)}  {alias}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("ledger", help="信息台账：导入文章列表、查看、生成单位报送明细")
    led = p.add_subparsers(dest="ledger_command", metavar="操作", parser_class=_Parser, required=True)
    q = led.add_parser("import", help="导入网站后台导出的文章列表（.xlsx、.xls、.csv，先预览）")
    q.add_argument("period", help="期间，如 2021Q2")
    q.add_argument("file", type=Path, help="文章列表文件")
    q.add_argument("--map", action="append", metavar="列名=字段",
                   help="列对应，如 文章标题=标题；字段：标题、单位、报送日期、状态、发布日期、栏目、备注、不导入")
    q.add_argument("--yes", action="store_true", help="确认导入（不加时只显示预览，不写入）")
    q.set_defaults(func=cmd_ledger_import)
    q = led.add_parser("show", help="显示某期的台账")
    q.add_argument("period", help="期间，如 2021Q2")
    q.add_argument("--unit", help="只显示一个单位")
    q.add_argument("--format", choices=["text", "csv"], default="text", help="输出格式")
    q.set_defaults(func=cmd_ledger_show)
    q = led.add_parser("statement", help="生成单位的报送明细（.xlsx 和 .pdf）")
    q.add_argument("period", help="期间，如 2021Q2")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="单位名称")
    who.add_argument("--all", action="store_true", help="台账中有信息的每个单位各一份")
    q.add_argument("-o", "--output", type=Path, required=True, help="保存到的文件夹")
    q.set_defaults(func=cmd_ledger_statement)
    q = led.add_parser("source", help="切换单位的条数来源：直接输入（typed）或按台账统计（derived）")
    q.add_argument("period", help="期间，如 2021Q2")
    q.add_argument("--unit", required=True, help="单位名称（或别名）")
    q.add_argument("source", choices=[TYPED, DERIVED], metavar="typed|derived",
                   help=f"{TYPED}：{source_label(TYPED)}条数；{DERIVED}：{source_label(DERIVED)}")
    q.set_defaults(func=cmd_ledger_source)

    p = sub.add_parser("alias", help="单位别名（文章列表中单位的其他叫法）")
    al = p.add_subparsers(dest="alias_command", metavar="操作", parser_class=_Parser, required=True)
    q = al.add_parser("add", help="为单位添加别名")
    q.add_argument("unit", help="单位名称")
    q.add_argument("alias", help="别名")
    q.set_defaults(func=cmd_alias_add)
    q = al.add_parser("list", help="列出所有别名")
    q.set_defaults(func=cmd_alias_list)
