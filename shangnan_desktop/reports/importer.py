"""Reads counts from an exported 附件 workbook or a plain 单位·报送信息·采用信息 sheet: preview first, then store."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from shangnan_desktop.domain import (
    DomainError,
    Period,
    PeriodSheet,
    ValidationError,
    parse_value,
    validate_counts,
)
from shangnan_desktop.domain.text import clean_text, match_key
from shangnan_desktop.reports import xlsx_guard

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30
# Rows after a header that can belong to an annex: one per unit, plus notes, totals, renamed or
# misspelt units. Beyond that a sheet is not an annex and the file is refused (read no further).
EXTRA_ROWS = 200
MAX_NAME_CELL = 200  # characters of a unit-name cell that are looked at
PROGRESS_EVERY = 200  # rows between progress reports
UNIT_HEADERS = {"单位", "单位名称", "镇办", "镇（办）", "镇办名称", "部门", "部门名称", "名称", "单位名称（加盖公章）"}
MAX_LISTED = 200  # problems listed in a preview; the rest are counted


@dataclass(frozen=True)
class CountChange:
    unit_id: int
    name: str  # as stored in the period
    group: str
    old: tuple[int, ...]
    new: tuple[int, ...]
    where: str


@dataclass(frozen=True)
class Problem:
    where: str
    unit: str
    message: str


class ImportCancelled(DomainError):
    """The clerk cancelled the import while the file was being read; nothing was stored."""


_CN_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4,
                "１": 1, "２": 2, "３": 3, "４": 4}
_PERIOD_TEXT = re.compile(
    r"(?P<year>20\d\d)\s*年\s*(?:第?\s*(?P<q>[一二三四1-4１-４])\s*季度|(?P<m>\d{1,2})\s*月|(?P<y>度|全年))"
    r"|(?P<kyear>20\d\d)\s*[Qq]\s*(?P<kq>[1-4])(?!\d)"
)


def periods_named_in(text: str) -> list[Period]:
    """Periods a title or file name names: ``2021年二季度``, ``2021年第3季度``, ``2021年7月``, ``2021Q2``, ``2021年度``."""
    found: list[Period] = []
    for m in _PERIOD_TEXT.finditer(text or ""):
        try:
            if m.group("kyear"):
                period = Period(int(m.group("kyear")), "Q", int(m.group("kq")))
            elif m.group("q"):
                period = Period(int(m.group("year")), "Q", _CN_QUARTERS[m.group("q")])
            elif m.group("m"):
                period = Period(int(m.group("year")), "M", int(m.group("m")))
            else:
                period = Period(int(m.group("year")), "Y", 1)
        except (ValidationError, KeyError, ValueError):
            continue
        if period not in found:
            found.append(period)
    return found


def other_period_warning(target: Period, file_name: str, titles: list[str]) -> str | None:
    """A warning when the workbook's title or file name names a period other than ``target``."""
    named: list[Period] = []
    for text in [*titles, file_name]:
        for period in periods_named_in(text):
            if period not in named:
                named.append(period)
    if not named:
        return None
    def same(p: Period) -> bool:
        if p == target:
            return True
        if p.kind == "Y":  # a yearly title fits every period of the year
            return p.year == target.year
        if p.kind == "M" and target.kind == "Q":  # a month of that quarter
            return p.year == target.year and (p.number - 1) // 3 + 1 == target.number
        return False
    others = [p for p in named if not same(p)]
    if not others:
        return None
    names = "、".join(p.label for p in others)
    return (
        f"注意：该文件的标题或文件名是{names}的，而现在要导入到{target.label}。"
        "如果选错了文件或期间，请取消；确认无误才继续。"
    )


def problem_lines(problems: list[Problem], rest: str) -> list[str]:
    """Indented preview lines for the first MAX_LISTED problems, then how many ``rest`` were left out."""
    lines = []
    for p in problems[:MAX_LISTED]:
        unit = f"“{p.unit}”" if p.unit else ""
        lines.append(f"  {p.where}{unit}:{p.message}")
    if len(problems) > MAX_LISTED:
        lines.append(f"  ……另有{len(problems) - MAX_LISTED}{rest}未列出")
    return lines


@dataclass
class ImportPreview:
    """What an import would do; nothing is stored until ``app.imports.apply_import``."""

    period: Period
    path: Path
    labels: tuple[str, ...]
    sheets: list[str] = field(default_factory=list)
    changes: list[CountChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unknown: list[Problem] = field(default_factory=list)  # names that match no unit: skipped
    bad: list[Problem] = field(default_factory=list)  # cells that block the import
    not_in_file: list[str] = field(default_factory=list)  # units of the period the file does not mention
    other_period: str | None = None  # the title or file name names another period (shown in red)

    @property
    def can_apply(self) -> bool:
        return not self.bad and bool(self.changes)

    def as_text(self) -> str:
        lines = [f"导入预览：{self.path.name} → {self.period.label}（工作表：{'、'.join(self.sheets)}）"]
        if self.other_period:
            lines.append(self.other_period)
        if self.changes:
            lines.append(f"将修改{len(self.changes)}个单位：")
            for c in self.changes:
                old = "，".join(f"{lab}{v}" for lab, v in zip(self.labels, c.old))
                new = "，".join(f"{lab}{v}" for lab, v in zip(self.labels, c.new))
                lines.append(f"  {c.name}({c.group}):{old} → {new}")
        else:
            lines.append("没有需要修改的数据。")
        if self.unchanged:
            lines.append(f"数据相同、无需修改的单位：{len(self.unchanged)}个")
        if self.unknown:
            lines.append(f"未匹配的单位{len(self.unknown)}个（不会导入，请核对名称）：")
            lines.extend(f"  {p.where}：“{p.unit}”" for p in self.unknown[:MAX_LISTED])
        if self.not_in_file:
            lines.append(f"文件中没有的单位{len(self.not_in_file)}个（保持不变）：{'、'.join(self.not_in_file)}")
        if self.bad:
            lines.append(f"有{len(self.bad)}处错误，必须改正后才能导入：")
            lines.extend(problem_lines(self.bad, "处错误"))
        return "\n".join(lines)


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _where(sheet: str, row: int, col: int | None = None) -> str:
    cell = f"{_col_letter(col)}{row}" if col is not None else f"第{row}行"
    return f"工作表“{sheet}”{cell}"


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _header_key(value: object) -> str:
    return match_key(value) if isinstance(value, str) else ""


def find_header(rows: list[tuple[int, tuple]], labels: tuple[str, ...], unit_headers: set[str]):
    """(index into rows, unit column, metric columns) of the first header row, or None."""
    unit_keys = {match_key(h) for h in unit_headers}
    label_keys = [match_key(label) for label in labels]
    for i, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [_header_key(getattr(c, "value", None)) for c in cells]
        unit_col = next((k for k, key in enumerate(keys) if key in unit_keys), None)
        if unit_col is None:
            continue
        metric_cols = []
        for label in label_keys:
            col = next((k for k, key in enumerate(keys) if key == label), None)
            if col is None:
                col = next((k for k, key in enumerate(keys) if key.startswith(label)), None)
            metric_cols.append(col)
        if all(c is not None for c in metric_cols):
            return i, unit_col, metric_cols
    return None


_AMBIGUOUS = (0, "", "", ())


def _unit_index(all_units, sheet: PeriodSheet) -> dict[str, tuple[int, str, str, tuple[int, ...]]]:
    """match key → (unit id, name in the period, group, counts), by period name and current name.

    A key shared by two units (look-alike names in two groups, from before names had to be
    unique) maps to ``_AMBIGUOUS``: such a row is refused rather than given to one of them.
    """
    index: dict[str, tuple[int, str, str, tuple[int, ...]]] = {}
    by_id = {}

    def put(key, entry):
        known = index.get(key)
        if known is None:
            index[key] = entry
        elif known is not _AMBIGUOUS and known[0] != entry[0]:
            index[key] = _AMBIGUOUS

    for group in sheet.groups:
        for row in group.rows:
            entry = (row.unit_id, row.name, group.name, row.counts)
            by_id[row.unit_id] = entry
            put(match_key(row.name), entry)
    for unit in all_units:
        if unit.id in by_id:
            key = match_key(unit.name)
            if key not in index:
                index[key] = by_id[unit.id]
    return index


def _check_cancel(cancel) -> None:
    if cancel is None:
        return
    cancelled = cancel.is_set() if hasattr(cancel, "is_set") else cancel()
    if cancelled:
        raise ImportCancelled("已取消导入，没有写入任何数据。")


def read_import(
    path: str | Path, *, sheet: PeriodSheet, all_units, progress=None, cancel=None
) -> ImportPreview:
    """Read ``path`` and compare it with the quarter's ``sheet``; raises ``DomainError`` if the file is unusable.

    ``all_units`` are every unit (retired too): a row may use a unit's current name.

    Bounded: hidden sheets are skipped, a sheet without a header in its first rows is left
    after those rows, and a sheet with far more rows than there are units refuses the file
    at once. ``progress(rows_read, sheet_title)`` is called now and then; ``cancel`` (a
    ``threading.Event`` or a callable returning ``True``) stops the reading with
    ``ImportCancelled``. Safe to run off the UI thread: it only reads the data it is given.
    """
    path = Path(path)
    period = sheet.period
    all_units = list(all_units)
    rule = sheet.rule
    labels = tuple(m.label for m in rule.metrics)
    unit_headers = UNIT_HEADERS | {g.group.unit_header for g in sheet.groups}
    units = _unit_index(all_units, sheet)
    max_rows = len(all_units) + EXTRA_ROWS
    preview = ImportPreview(period, path, labels)
    seen: dict[int, str] = {}
    titles: list[str] = []
    counter = [0]

    def tick(title: str) -> None:
        counter[0] += 1
        if counter[0] % PROGRESS_EVERY == 0:
            _check_cancel(cancel)
            if progress is not None:
                progress(counter[0], title)

    _check_cancel(cancel)
    # data_only=False: a formula is seen as a formula (data_type "f") and refused, never
    # taken from its cached result; openpyxl evaluates nothing in either mode.
    wb = xlsx_guard.open_workbook(path, data_only=False)
    try:
        for ws in xlsx_guard.worksheets(wb):
            _check_cancel(cancel)
            rows = xlsx_guard.iter_rows(ws)
            head: list[tuple[int, tuple]] = []
            for item in rows:
                head.append(item)
                tick(ws.title)
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            found = find_header(head, labels, unit_headers)
            if found is None:
                continue  # not an annex: its first rows hold no header; read no further in it
            start, unit_col, metric_cols = found
            titles.extend(_texts(head[:start]))
            preview.sheets.append(ws.title)

            def body(rows=rows, head=head, start=start, title=ws.title):
                yield from head[start + 1:]
                for item in rows:
                    tick(title)
                    yield item

            if not _read_sheet(ws.title, body(), unit_col, metric_cols, rule, units, seen, preview, max_rows):
                break  # this sheet cannot be an annex: the file is refused, read no further
    finally:
        wb.close()
    if not preview.sheets:
        wanted = "、".join(f"“{x}”" for x in ("单位", *labels))
        raise ValidationError(f"“{path.name}”中没有找到表头：需要一个含有{wanted}列的可见工作表。")
    preview.other_period = other_period_warning(period, path.name, titles)
    mentioned = set(seen)
    preview.not_in_file = [r.name for g in sheet.groups for r in g.rows if r.unit_id not in mentioned]
    if progress is not None:
        progress(counter[0], "")
    return preview


def _texts(rows: list[tuple[int, tuple]]) -> list[str]:
    out = []
    for _number, cells in rows:
        for c in cells:
            value = getattr(c, "value", None)
            if isinstance(value, str):
                out.append(value[:MAX_NAME_CELL])
    return out


def _cell(cells: tuple, col: int):
    return cells[col] if col < len(cells) else None


def _read_sheet(title, rows, unit_col, metric_cols, rule, units, seen, preview: ImportPreview,
                max_rows: int) -> bool:
    """Read one annex sheet into ``preview``; ``False`` if it has more rows than an annex can have."""
    data_rows = 0
    for number, cells in rows:
        name_cell = _cell(cells, unit_col)
        raw_name = getattr(name_cell, "value", None)
        value_cells = [_cell(cells, c) for c in metric_cols]
        raw_values = [getattr(c, "value", None) for c in value_cells]
        if isinstance(raw_name, str) and len(raw_name) > MAX_NAME_CELL:
            raw_name = raw_name[:MAX_NAME_CELL]
        name = clean_text(str(raw_name)) if raw_name is not None else ""
        no_values = all(v in (None, "") for v in raw_values)
        if no_values and not name:
            continue
        data_rows += 1
        if data_rows > max_rows:
            preview.bad.insert(0, Problem(  # first: it explains the rest
                _where(title, number), "",
                f"表头以下的行数超过{max_rows}行，远多于单位数，不是附件统计表的格式，已停止读取。请检查是否选错了文件。",
            ))
            return False
        if no_values and name.startswith(("注", "说明", "备注", "填表", "制表")):
            continue  # a note line, under the table or between its parts: the rows after it are still read
        if name.replace(" ", "") in ("合计", "总计", "小计"):
            continue
        if _is_formula(name_cell):
            preview.bad.append(Problem(_where(title, number, unit_col), "", "单位名称是公式，不能导入，请改为文字。"))
            continue
        if not name:
            if not no_values:
                preview.bad.append(Problem(_where(title, number), "", "有数据但没有单位名称。"))
            continue
        if match_key(name) in _HEADER_KEYS and no_values:
            continue
        values: list[int | Decimal] = []
        row_ok = True
        for metric, cell, col, raw in zip(rule.metrics, value_cells, metric_cols, raw_values):
            where = _where(title, number, col)
            if _is_formula(cell):
                preview.bad.append(Problem(where, name, f"{metric.label}是公式，不能导入，请改为数字。"))
                row_ok = False
                continue
            try:
                values.append(parse_value(metric, raw))
            except ValidationError as exc:
                preview.bad.append(Problem(where, name, str(exc)))
                row_ok = False
        entry = units.get(match_key(name))
        if entry is _AMBIGUOUS:
            preview.bad.append(Problem(_where(title, number, unit_col), name,
                                       "该名称对应两个分组中的两个单位，无法确定是哪一个；请先在单位名单中更名，使名称不再重复。"))
            continue
        if entry is None:
            if len(name) > 40:
                name = name[:40] + "…"
            preview.unknown.append(Problem(_where(title, number, unit_col), name, "找不到该单位"))
            continue
        unit_id, stored_name, group, old = entry
        if unit_id in seen:
            preview.bad.append(
                Problem(_where(title, number), name, f"该单位在文件中出现了两次（另一处在{seen[unit_id]}）。")
            )
            continue
        seen[unit_id] = _where(title, number)
        if not row_ok:
            continue
        try:
            new = validate_counts(rule, values, unit=stored_name)
        except ValidationError as exc:
            preview.bad.append(Problem(_where(title, number), name, str(exc)))
            continue
        if new == tuple(old):
            preview.unchanged.append(stored_name)
        else:
            preview.changes.append(CountChange(unit_id, stored_name, group, tuple(old), new, _where(title, number)))
    return True


_HEADER_KEYS = {match_key(h) for h in UNIT_HEADERS}
