"""Helpers every command group shares: the error type, column widths, the database path, the store."""

from __future__ import annotations

import contextlib
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from shangnan_desktop.app.workspace import workspace
from shangnan_desktop.domain import PeriodSheet, format_decimal
from shangnan_desktop.paths import default_db_path


class CliError(Exception):
    """An error the command line reports in Chinese with exit status 2."""


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
            [r.name, *(format_decimal(c) if isinstance(c, Decimal) else str(c) for c in r.counts),
             format_decimal(r.score), "" if r.rank is None else str(r.rank)]
            for r in g.ranked()
        ]
        out.append((g, header, rows))
    return out


def span_rows(table, group_name: str | None = None):
    """(group, header, rows) per group of a cumulative table, rank order, a unit's mark after its name."""
    out = []
    for g in table.groups:
        if group_name and g.name != group_name:
            continue
        header = [g.group.unit_header] + [m.label for m in table.metrics] + ["得分", "排名"]
        rows = [[r.name + r.mark, *(str(c) for c in r.counts), format_decimal(r.score), str(r.rank)] for r in g.rows]
        out.append((g, header, rows))
    return out


def with_compare_rows(groups, changes):
    """The same tables with 上期排名 and 变化 after 排名 (blank previous rank for a unit new this period)."""
    out = []
    for g, header, rows in groups:
        ids = [r.unit_id for r in (g.ranked() if hasattr(g, "ranked") else g.rows)]
        extra = []
        for uid, row in zip(ids, rows):
            change = changes.get(uid)
            previous = "" if change is None or change.previous_rank is None else str(change.previous_rank)
            extra.append([*row, previous, change.text if change else ""])
        out.append((g, [*header, "上期排名", "变化"], extra))
    return out


def _db_path(args) -> Path:
    """The database path: ``--db`` if given, else the default one (created on first use)."""
    return Path(args.db) if getattr(args, "db", None) is not None else default_db_path()


def _check_explicit_db(args) -> Path:
    """An explicit ``--db`` must name an existing file: a typo never creates a new database."""
    path = _db_path(args)
    if getattr(args, "db", None) is not None and not path.exists():
        raise CliError(
            f"数据库文件“{path}”不存在。请检查 --db 后的路径是否写错；"
            f"如确实要在这里新建数据库，请先运行：shangnan-desktop init --db \"{path}\""
        )
    return path


@contextlib.contextmanager
def open_store(args, *, readonly: bool = False) -> Iterator:
    """The store named by ``--db`` (which must exist when given), closed when the block ends."""
    with workspace(_check_explicit_db(args), readonly=readonly) as store:
        yield store
