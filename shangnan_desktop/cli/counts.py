"""Counts and periods: ``init``, ``periods``, ``show``, ``set``, ``new-period``, ``summary``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from shangnan_desktop.app.workspace import create_county_workspace, create_workspace
from shangnan_desktop.domain.county import CountySetup, GroupSetup, unit_names
from shangnan_desktop.cli.common import (
    CliError, _db_path, _pad, _width, open_store, span_rows, table_rows, with_compare_rows,
)
from shangnan_desktop.domain import Period, format_decimal
from shangnan_desktop.domain.rule_change import split_assignment


def cmd_init(args) -> int:
    """``init``: create and seed the reference database at ``--db`` (or the default path)."""
    path = _db_path(args)
    if path.exists():
        raise CliError(f"“{path}”已存在，没有做任何改动。init 只用于新建数据库；要使用已有的数据库，直接运行其他命令即可。")
    if any(getattr(args, k, None) for k in ("county", "office", "first_period", "group")):
        return _init_county(args, path)
    periods = "、".join(create_workspace(path))
    print(f"已新建数据库：{path}（已载入参考数据：{periods}）。")
    return 0


def _init_county(args, path) -> int:
    """``init --county NAME [--office NAME] --first-period PERIOD --group NAME=FILE …``: a new county."""
    missing = [flag for flag, value in (("--county", args.county), ("--first-period", args.first_period),
                                        ("--group 名称=文件", args.group)) if not value]
    if missing:
        raise CliError(f"新建县（市、区）的数据库还需要：{'、'.join(missing)}。"
                       "如：init --county 扎兰屯市 --first-period 2023Q1 --group 市直各部门=部门.txt")
    groups = []
    for item in args.group:
        name, _eq, file = str(item).replace("＝", "=").partition("=")
        if not name.strip() or not file.strip():
            raise CliError(f"--group “{item}”的格式不对，请写成“分组名称=文件”，文件中每行一个单位名称。")
        try:
            text = Path(file.strip()).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CliError(f"单位名单文件“{file.strip()}”不是UTF-8编码的文本，请另存为UTF-8后重试。") from None
        groups.append(GroupSetup(name.strip(), unit_names(text)))
    setup = CountySetup(args.county, Period.parse(args.first_period), tuple(groups), office=args.office or "")
    periods = "、".join(create_county_workspace(path, setup))
    units = sum(len(g.units) for g in groups)
    print(f"已新建数据库：{path}（{setup.county.strip()}，{len(groups)}个分组、{units}个单位，首期：{periods}）。")
    return 0


def cmd_periods(args) -> int:
    from shangnan_desktop.app import counts  # loaded when the command runs

    with open_store(args) as store:
        infos = counts.periods(store)
    for info in infos:
        state = "  已定稿" if info.locked else ""
        print(f"{info.period.key}  {info.period.label}{state}")
    return 0


def cmd_show(args) -> int:
    """``show PERIOD``, ``show 2021`` / ``2021H1`` / ``2021Q1-2021Q3`` (cumulative), ``--compare`` adds 上期排名 and 变化."""
    from shangnan_desktop.app import counts, history  # loaded when the command runs

    compare = getattr(args, "compare", False)
    with open_store(args) as store:
        span = history.parse_spec(store, args.period)
        if not span.is_single:
            table = history.cumulative_table(store, span)
            changes = history.compare_span(store, table) if compare else None
            sheet = None
        else:
            sheet = counts.load_sheet(store, span.first)
            changes = history.compare_with_previous(store, span.first, sheet) if compare else None
    if sheet is None:
        if args.group:
            table.group(args.group)  # raises a clear error for an unknown group
        groups = span_rows(table, args.group)
        title_label, locked, notes = span.label, False, table.note()
    else:
        if args.group:
            sheet.group(args.group)  # raises a clear error for an unknown group
        groups = table_rows(sheet, args.group)
        title_label, locked, notes = sheet.period.label, sheet.locked, sheet.rule.note_line()
    if changes is not None:
        groups = with_compare_rows(groups, changes)
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
        print(g.group.title(title_label) + ("（已定稿）" if locked else ""))
        widths = [max(_width(r[c]) for r in [header, *rows]) for c in range(len(header))]
        for r in [header, *rows]:
            print("  ".join(_pad(v, w, right=c > 0) for c, (v, w) in enumerate(zip(r, widths))))
        print(notes)
    return 0


def cmd_set(args) -> int:
    from shangnan_desktop.app import counts  # loaded when the command runs

    if args.submitted is None and args.adopted is None and not args.metric:
        raise CliError("没有给出要录入的数值。请加 --submitted 条数、--adopted 条数 或 --metric 指标=条数，如："
                       "set 2021Q2 试马镇 --submitted 12 --adopted 3")
    given = {"submitted": args.submitted, "adopted": args.adopted}
    metrics = [split_assignment(item) for item in args.metric or []]
    with open_store(args) as store:
        period = Period.parse(args.period)
        saved = counts.set_counts(store, period, args.unit, given, metrics, group=getattr(args, "group", None))
    labels = "，".join(f"{m.label}{format_decimal(v) if m.decimal else v}" for m, v in zip(saved.rule.metrics, saved.counts))
    print(f"已保存：{period.label} {saved.unit_name} {labels}，得分{format_decimal(saved.rule.score(saved.counts))}")
    return 0


def cmd_new_period(args) -> int:
    from shangnan_desktop.app import counts  # loaded when the command runs

    with open_store(args) as store:
        period = Period.parse(args.period)
        counts.create_period(store, period)
    print(f"已新建{period.label}（{period.key}），单位名单和评分规则沿用上一期，条数均为0。")
    return 0


def cmd_summary(args) -> int:
    from shangnan_desktop.app import counts  # loaded when the command runs

    with open_store(args) as store:
        text = counts.summary_text(store, Period.parse(args.period))
    print(text)
    return 0
