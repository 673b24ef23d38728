"""Reads returned 附件3 workbooks (the annex layout or a per-unit form) into a preview against the register."""

from __future__ import annotations

import datetime as _dt
import itertools
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from shangnan_desktop.domain import DomainError, ValidationError
from shangnan_desktop.domain.register import FIELD_LABELS, FIELDS, RegisterEntry
from shangnan_desktop.domain.text import clean_text, match_key
from shangnan_desktop.reports import xlsx_guard
from shangnan_desktop.reports.importer import EXTRA_ROWS, MAX_LISTED, Problem, _check_cancel, _where, problem_lines
from shangnan_desktop.reports.register_export import (
    FORM_CORRECTION_HEADER,
    FORM_CURRENT_HEADER,
    FORM_ITEM_HEADER,
    UNIT_ITEM,
)

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30
ANNEX = "annex"  # 附件3 as published or filled: one row per unit
FORM = "form"  # one unit's form: 项目 · 登记信息 · 更正
NO_CORRECTION = {"", "无", "同上", "无变化", "/", "-", "—", "——", "、"}
_LABEL_KEYS = {match_key(label): key for key, label in FIELDS}
# Labels as units retype them: 分管领导 / 管理人员 (管理员) × 姓名 / 职务 / 联系电话 (电话, 手机 …), QQ号码 / QQ号 / QQ.
_PERSON_PREFIXES = {"leader": ("分管领导", "分管负责人", "分管领导同志"),
                    "admin": ("管理人员", "管理员", "网站管理员", "网站管理人员", "信息管理员")}
_PART_WORDS = {"name": ("姓名", "名字", "名称", ""), "title": ("职务", "职位", "职称"),
               "phones": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "联系号码")}
_QQ_LABELS = ("qq号码", "qq号", "qq", "qq号码选填", "qq账号", "qq帐号")
_IGNORED_ITEMS = ("注", "说明", "备注", "填表", "单位盖章", "盖章", "签字", "签名", "负责人签字", "日期", "审核")


def label_key(text: str) -> str:
    """A form label after normalisation: NFKC, no spaces, no case, no trailing colon or bracketed remark."""
    import re

    key = match_key(text).casefold()
    key = re.sub(r"[(（\[【].*?[)）\]】]", "", key)
    return key.rstrip(":：*").strip()  # punct-ok: both colons


def _label_aliases() -> dict[str, str]:
    aliases = {label_key(label): key for key, label in FIELDS}
    for prefix_key, prefixes in _PERSON_PREFIXES.items():
        for prefix in prefixes:
            for part, words in _PART_WORDS.items():
                for word in words:
                    aliases.setdefault(label_key(prefix + word), f"{prefix_key}_{part}")
    for label in _QQ_LABELS:
        aliases[label_key(label)] = "qq"
    return aliases


_LABEL_ALIASES = _label_aliases()


def field_for_label(text: str) -> str | None:
    """The register field a form label names (after normalisation and common variants), else ``None``."""
    return _LABEL_ALIASES.get(label_key(text))
_SUB_HEADERS = ("姓名", "职务", "联系电话")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RegisterChange:
    """A unit's entry as the file has it, against the register's current one."""

    unit_id: int
    unit: str
    group: str
    old: RegisterEntry | None
    new: RegisterEntry
    fields: tuple[FieldChange, ...]
    where: str

    def as_text(self) -> str:
        if not self.fields:
            return f"{self.unit}：内容相同，记为{self.new.confirmed_on}已确认"
        parts = [f"{f.label}“{f.old or '空'}”→“{f.new or '空'}”" for f in self.fields]
        return f"{self.unit}：" + "，".join(parts)


@dataclass
class RegisterImportPreview:
    """What an import would store; nothing is written until ``app.imports.apply_register_import``."""

    path: Path
    confirmed_on: _dt.date
    sheets: list[str] = field(default_factory=list)
    changes: list[RegisterChange] = field(default_factory=list)  # data differs from the register
    confirmations: list[RegisterChange] = field(default_factory=list)  # same data: the date is renewed
    unchanged: list[str] = field(default_factory=list)  # same data, not re-confirmed
    empty: list[str] = field(default_factory=list)  # units whose row was left blank: skipped
    refused: list[Problem] = field(default_factory=list)  # rows that will not be imported, with the reason

    @property
    def to_store(self) -> list[RegisterChange]:
        return self.changes + self.confirmations

    @property
    def can_apply(self) -> bool:
        return bool(self.to_store)

    def as_text(self) -> str:
        lines = [f"导入预览：{self.path.name}（工作表：{'、'.join(self.sheets)}）→ 网站管理责任人登记表"]
        if self.changes:
            lines.append(f"将修改{len(self.changes)}个单位：")
            lines.extend(f"  {c.as_text()}" for c in self.changes[:MAX_LISTED])
        else:
            lines.append("没有需要修改的登记信息。")
        if self.confirmations:
            names = "、".join(c.unit for c in self.confirmations)
            lines.append(f"内容相同、将记为{self.confirmed_on}已确认的单位{len(self.confirmations)}个：{names}")
        if self.unchanged:
            lines.append(f"内容相同、无需修改的单位{len(self.unchanged)}个")
        if self.empty:
            lines.append(f"未填写的单位{len(self.empty)}个（保持不变）：{'、'.join(self.empty)}")
        if self.refused:
            lines.append(f"有{len(self.refused)}行不能导入（其余各行不受影响）：")
            lines.extend(problem_lines(self.refused, "行"))
        return "\n".join(lines)


def _join(messages: list[str]) -> str:
    return "；".join(m.rstrip("。") for m in messages) + "。"


# ---- reading cells ----------------------------------------------------------


def _key(cell) -> str:
    value = getattr(cell, "value", None)
    return match_key(value) if isinstance(value, str) else ""


def _cell(cells: tuple, col: int | None):
    return cells[col] if col is not None and col < len(cells) else None


class _CellError(Exception):
    pass


def _text(cell, label: str) -> str:
    """A cell as text: numbers typed into Excel (13912345678, 1.2345678e10) come back as digits."""
    if cell is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        raise _CellError(f"{label}是公式，不能导入，请改为文字。")
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _CellError(f"{label}“{value}”不是有效内容。")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        if value == int(value):
            return str(int(value))
        raise _CellError(f"{label}“{value}”不是有效号码。")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        raise _CellError(f"{label}被Excel识别成了日期，请把单元格设为文本后重新填写。")
    return clean_text(str(value))


# ---- finding the layout -----------------------------------------------------


@dataclass(frozen=True)
class _AnnexColumns:
    unit: int
    fields: dict[str, int]  # field key -> column


def _find_annex(rows: list[tuple[int, tuple]]) -> tuple[int, _AnnexColumns] | None:
    """(index of the first data row, columns) for the 附件3 two-level header."""
    for i, (_n, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [_key(c) for c in cells]
        unit = next((k for k, key in enumerate(keys) if key.startswith("单位名称") or key == "单位"), None)
        leader = next((k for k, key in enumerate(keys) if key == "分管领导"), None)
        admin = next((k for k, key in enumerate(keys) if key == "管理人员"), None)
        qq = next((k for k, key in enumerate(keys) if key.startswith("QQ")), None)
        if None in (unit, leader, admin, qq) or i + 1 >= len(rows):
            continue
        sub = [_key(c) for c in rows[i + 1][1]]
        columns = {"qq": qq}
        for prefix, start in (("leader", leader), ("admin", admin)):
            for offset, (label, key) in enumerate(zip(_SUB_HEADERS, ("name", "title", "phones"))):
                col = start + offset
                if col >= len(sub) or not sub[col].startswith(label):
                    raise ValidationError(
                        f"表头不符：“{rows[i + 1][0]}”行应依次为姓名、职务、联系电话。请使用本程序导出的登记表。"
                    )
                columns[f"{prefix}_{key}"] = col
        return i + 2, _AnnexColumns(unit, columns)
    return None


def _find_form(rows: list[tuple[int, tuple]]) -> tuple[int, tuple[int, int, int]] | None:
    """(index of the first data row, (item, current, correction) columns) for a per-unit form."""
    item_key, current_key, correction_key = (
        match_key(FORM_ITEM_HEADER), match_key(FORM_CURRENT_HEADER)[:4], match_key(FORM_CORRECTION_HEADER)[:2]
    )
    for i, (_n, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [_key(c) for c in cells]
        item = next((k for k, key in enumerate(keys) if key == item_key), None)
        current = next((k for k, key in enumerate(keys) if key.startswith(current_key)), None)
        correction = next((k for k, key in enumerate(keys) if key.startswith(correction_key)), None)
        if None not in (item, current, correction):
            return i + 1, (item, current, correction)
    return None


# ---- the preview --------------------------------------------------------------


class _Context:
    def __init__(self, units, groups, current, preview: RegisterImportPreview, reconfirm: bool) -> None:
        self.preview = preview
        self.reconfirm = reconfirm
        self.current = current
        groups = {g.id: g.name for g in groups}
        self.units: dict[str, tuple[int, str, str, bool]] = {}
        for unit in units:
            key = match_key(unit.name)
            if key not in self.units or unit.active:
                self.units[key] = (unit.id, unit.name, groups.get(unit.group_id, ""), unit.active)
        self.seen: dict[int, str] = {}

    def unit(self, name: str, where: str):
        found = self.units.get(match_key(name))
        if found is None:
            self.preview.refused.append(Problem(where, name, "找不到该单位，请核对单位名称。"))
            return None
        unit_id, stored, group, active = found
        if not active:
            self.preview.refused.append(Problem(where, name, "该单位已停用，不再登记。"))
            return None
        if unit_id in self.seen:
            self.preview.refused.append(Problem(where, name, f"该单位在文件中出现了两次（另一处在{self.seen[unit_id]}）。"))
            return None
        self.seen[unit_id] = where
        return unit_id, stored, group

    def add(self, name: str, where: str, raw: dict[str, str], errors: list[str], *, partial: bool = False) -> None:
        """One unit's values from the file: refused, skipped as blank, or compared with the register.

        With ``partial`` (a form) fields absent from the file keep their registered values.
        """
        found = self.unit(name, where)
        if found is None:
            return
        unit_id, stored, group = found
        if errors:
            self.preview.refused.append(Problem(where, stored, _join(errors)))
            return
        if not any(raw.values()):
            self.preview.empty.append(stored)
            return
        old_entry = self.current.get(unit_id)
        if partial and old_entry is not None:
            raw = {**{k: old_entry.display(k) for k, _ in FIELDS}, **raw}
        problems = []
        for key, value in raw.items():  # every field checked, so every problem of the row is listed
            try:
                RegisterEntry.build(unit_id, **{key: value})
            except ValidationError as exc:
                problems.append(str(exc))
        if problems:
            self.preview.refused.append(Problem(where, stored, _join(problems)))
            return
        new = RegisterEntry.build(unit_id, self.preview.confirmed_on, **raw)
        old = old_entry
        fields = tuple(
            FieldChange(label, old.display(key) if old else "", new.display(key))
            for key, label in FIELDS
            if (old.display(key) if old else "") != new.display(key)
        )
        change = RegisterChange(unit_id, stored, group, old, new, fields, where)
        if fields:
            self.preview.changes.append(change)
        elif self.reconfirm and (old is None or old.confirmed_on != new.confirmed_on):
            self.preview.confirmations.append(change)
        else:
            self.preview.unchanged.append(stored)


def _read_annex(title: str, rows, cols: _AnnexColumns, ctx: _Context) -> None:
    for number, cells in rows:
        unit_cell = _cell(cells, cols.unit)
        raw: dict[str, str] = {}
        errors: list[str] = []
        for key, col in cols.fields.items():
            try:
                raw[key] = _text(_cell(cells, col), FIELD_LABELS[key])
            except _CellError as exc:
                errors.append(str(exc))
        try:
            name = _text(unit_cell, "单位名称")
        except _CellError as exc:
            ctx.preview.refused.append(Problem(_where(title, number, cols.unit), "", str(exc)))
            continue
        if not name and not any(raw.values()) and not errors:
            continue  # a note, a blank numbered row or a group heading: the rows after it are still read
        if not name:
            ctx.preview.refused.append(Problem(_where(title, number), "", "有登记内容但没有单位名称。"))
            continue
        ctx.add(name, _where(title, number), raw, errors)


def _read_form(title: str, rows, cols: tuple[int, int, int], ctx: _Context) -> None:
    """One unit's form. Only the fields whose labelled rows are present are read: a deleted or
    relabelled row never clears a field; a field is cleared only when its own row is there and empty.
    Labels are matched after normalisation and common variants (QQ号码 / QQ号 / QQ); a label that
    names no field but carries a value is listed as a problem."""
    item_col, current_col, correction_col = cols
    name = ""
    where = ""
    raw: dict[str, str] = {}
    errors: list[str] = []
    for number, cells in rows:
        item_cell = _cell(cells, item_col)
        item_text = getattr(item_cell, "value", None)
        item_text = clean_text(str(item_text))[:100] if item_text is not None else ""
        if label_key(item_text) in (label_key(UNIT_ITEM), "单位", "单位全称"):
            try:
                name = _text(_cell(cells, current_col), "单位名称")
            except _CellError as exc:
                errors.append(str(exc))
            where = _where(title, number, current_col)
            continue
        key = field_for_label(item_text)
        if key is None:
            if not item_text or item_text.startswith(_IGNORED_ITEMS):
                continue  # the notes and the signature lines under the form
            try:
                values = [_text(_cell(cells, current_col), item_text), _text(_cell(cells, correction_col), item_text)]
            except _CellError:
                values = ["?"]
            if any(v not in NO_CORRECTION for v in values):
                errors.append(
                    f"第{number}行的项目“{item_text}”无法识别，其中的内容没有导入；"
                    "请改回导出时的项目名称（如“QQ号码”“管理人员联系电话”）后重新导入"
                )
            continue
        label = FIELD_LABELS[key]
        if key in raw:
            errors.append(f"项目“{label}”出现了两次（第{number}行）")
            continue
        try:
            current = _text(_cell(cells, current_col), label)
            correction = _text(_cell(cells, correction_col), f"{label}的更正")
        except _CellError as exc:
            errors.append(str(exc))
            continue
        raw[key] = current if correction in NO_CORRECTION else correction
    if not name:
        ctx.preview.refused.append(Problem(_where(title, rows[0][0]) if rows else title, "", "核对表中没有单位名称。"))
        return
    ctx.add(name, where, raw, errors, partial=True)


def read_register_import(
    path: str | Path, *, units, groups, current, confirmed_on: _dt.date | None = None, reconfirm: bool = True,
    progress=None, cancel=None,
) -> RegisterImportPreview:
    """Read a returned 附件3 workbook and compare it with the register; raises ``DomainError`` if unusable.

    ``units`` (every unit, retired too), ``groups`` and ``current`` (unit id -> its register entry) are the
    data to compare with; the application layer reads them from the store.

    Entries are dated ``confirmed_on`` (today by default): the day the unit vouched for them.
    With ``reconfirm`` a unit whose data is unchanged is marked confirmed on that day.
    ``progress(rows_read, sheet)`` and ``cancel`` work as in ``importer.preview_import``.
    """
    path = Path(path)
    _check_cancel(cancel)
    preview = RegisterImportPreview(path, confirmed_on or _dt.date.today())
    ctx = _Context(units, groups, current, preview, reconfirm)
    wb = xlsx_guard.open_workbook(path, data_only=False)  # formulas are seen as formulas and refused
    try:
        limit = HEADER_SCAN_ROWS + len(ctx.units) + EXTRA_ROWS
        for ws in xlsx_guard.worksheets(wb):
            it = xlsx_guard.iter_rows(ws)
            rows = list(itertools.islice(it, HEADER_SCAN_ROWS))
            if _find_annex(rows) is None and _find_form(rows) is None:
                continue  # no header in its first rows: not a register sheet, read no further
            _check_cancel(cancel)
            rows += list(itertools.islice(it, limit - len(rows)))
            _check_cancel(cancel)
            if progress is not None:
                progress(len(rows), ws.title)
            if next(it, None) is not None:
                raise ValidationError(
                    f"工作表“{ws.title}”的行数超过{limit}行，远多于单位数，不是登记表的格式，已停止读取。请检查是否选错了文件。"
                )
            found = _find_annex(rows)
            if found is not None:
                preview.sheets.append(ws.title)
                _read_annex(ws.title, rows[found[0]:], found[1], ctx)
                continue
            form = _find_form(rows)
            if form is not None:
                preview.sheets.append(ws.title)
                _read_form(ws.title, rows[form[0]:], form[1], ctx)
    finally:
        wb.close()
    if not preview.sheets:
        raise ValidationError(
            f"“{path.name}”不是本程序导出的管理责任人登记表或单位核对表：没有找到“单位名称、分管领导、管理人员、QQ号码”"
            f"或“{FORM_ITEM_HEADER}、{FORM_CURRENT_HEADER}、{FORM_CORRECTION_HEADER}”表头。"
        )
    return preview
