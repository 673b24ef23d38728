"""The register's printed forms: the internal 汇总表 of all 登记信息, the per-unit 核对表 to check and return."""

from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Sequence

from shangnan_desktop.domain import DomainError, Group, Period, Unit, ValidationError
from shangnan_desktop.domain.register import FIELDS, RegisterEntry, is_stale, normalise_person
from shangnan_desktop.domain.text import clean_text, fold_digits
from shangnan_desktop.reports.export import PDF, XLSX, ExportedFile, export
from shangnan_desktop.reports.annex import (
    INTERNAL,
    REGISTER,
    REGISTER_CHECK_TITLE,
    REGISTER_COLUMNS,
    REGISTER_HEADER,
    REGISTER_SUMMARY_TITLE,
    TEXT,
    UNIT_FORM,
    AnnexTable,
    Column,
    HeaderCell,
    TableRow,
    annex_count,
    safe_file_name,
)
from shangnan_desktop.reports.safe_write import ExportError

logger = logging.getLogger(__name__)

FILLED_NAME = f"{REGISTER_SUMMARY_TITLE}（内部资料）"
FORMS_NAME = f"{REGISTER_CHECK_TITLE}（各单位）"
UNIT_ITEM = "单位名称"
FORM_ITEM_HEADER = "项目"
FORM_CURRENT_HEADER = "登记信息（请核对）"
FORM_CORRECTION_HEADER = "更正（有误或有变化时填写）"
FORM_ROW_HEIGHT = 34  # points: room to write a correction by hand

# The 汇总表 is read, not written on: 五号 (10.5 pt) on A4 landscape, widths in points of the 225 mm
# (638 pt) type area, measured with the bundled serif: 序号 whole (21 pt + padding), a unit name of up
# to 12 characters on one line (none of the 62 needs three), a four-character name, five characters
# of a title a line, a landline 0914-6322055 (73 pt with the padding), a 10-digit QQ number (63).
FILLED_BODY_SIZE = 10.5
FILLED_WIDTHS = {
    "seq": 30, "unit": 132, "leader_name": 48, "leader_title": 60, "leader_phone": 78,
    "admin_name": 48, "admin_title": 60, "admin_phone": 78, "qq": 66,
}
PHONE_KEYS = ("leader_phones", "admin_phones")
FORM_COLUMNS = (
    Column("item", FORM_ITEM_HEADER, TEXT, 10.0),
    Column("current", FORM_CURRENT_HEADER, TEXT, 14.0),
    Column("correction", FORM_CORRECTION_HEADER, TEXT, 13.0),
)
FORM_NOTE_LINES = (
    "说明：1.请逐项核对“登记信息”栏；有误或有变化的，在“更正”栏填写正确内容，无误的不填。",
    "2.手机号为1开头的11位数字，固定电话请带区号（如0914-6322055）；多个号码之间用“、”分隔。",
    "3.核对无误后加盖单位公章，{return_line}。",
    "填表人：______________　联系电话：__________________",
    "单位（盖章）：__________________　日期：________年_____月_____日",
)
CENTRE = "县电子政务中心"
# The 汇总表's header: a compiled list, nobody stamps it.
SUMMARY_HEADER = tuple(
    HeaderCell("单位名称", c.row, c.col, c.rowspan, c.colspan) if c.col == 1 else c for c in REGISTER_HEADER
)


@dataclass(frozen=True)
class ReturnContact:
    """Where and by when a unit returns its 核对表, as the notice writes it; set once by the clerk.

    ``请于7月23日前报县电子政务中心125室（联系人：张群，传真：6322055）``
    """

    deadline: str = ""  # 7月23日
    room: str = ""  # 125室
    name: str = ""  # 张群
    fax: str = ""  # 6322055

    KEYS = {"deadline": "register_return_deadline", "room": "register_return_room",
            "name": "register_contact_name", "fax": "register_contact_fax"}

    @classmethod
    def build(cls, **values: str) -> "ReturnContact":
        """Validated values; a clear message for each kind of slip."""
        clean = {k: clean_text(str(v or "")).replace(" ", "") for k, v in values.items()}
        deadline = clean.get("deadline", "")
        if deadline and not re.fullmatch(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日", fold_digits(deadline)):
            raise ValidationError(f"交回期限“{deadline}”无法识别，请写成“7月23日”的形式。")
        room = clean.get("room", "")
        if len(room) > 20:
            raise ValidationError(f"房间号“{room}”过长（最多20个字），请写成“125室”的形式。")
        if room and room.isdigit():
            room += "室"
        name = normalise_person(clean["name"], label="联系人") if clean.get("name") else ""
        fax = fold_digits(clean.get("fax", ""))
        if fax and not re.fullmatch(r"[0-9][0-9\-]{4,18}", fax):
            raise ValidationError(f"传真号码“{fax}”含有非数字字符，请只填写号码，如“6322055”或“0914-6322055”。")
        return cls(fold_digits(deadline), room, name, fax)

    @classmethod
    def from_settings(cls, values: dict[str, str | None]) -> "ReturnContact":
        """From the stored settings (setting key → value; missing or empty: unset)."""
        return cls(**{f.name: values.get(cls.KEYS[f.name]) or "" for f in fields(cls)})

    def settings(self) -> dict[str, str]:
        """The setting key → value pairs to store."""
        return {self.KEYS[f.name]: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        """``请于7月23日前报县电子政务中心125室（联系人：张群，传真：6322055）``; unset parts left out."""
        when = f"请于{self.deadline}前报" if self.deadline else "请报"
        who = "，".join(p for p in (
            f"联系人：{self.name}" if self.name else "", f"传真：{self.fax}" if self.fax else "") if p)
        return f"{when}{CENTRE}{self.room}" + (f"（{who}）" if who else "")


def form_note(contact: ReturnContact | None = None) -> str:
    return "\n".join(FORM_NOTE_LINES).replace("{return_line}", (contact or ReturnContact()).line())


@dataclass(frozen=True)
class RegisterUnit:
    """An active unit with its group and its current register entry (``None``: never registered)."""

    group: Group
    unit: Unit
    entry: RegisterEntry | None


def _date(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def filled_register_table(
    units: Sequence[RegisterUnit], number: int, *, today: _dt.date, period_key: str | None = None
) -> AnnexTable:
    """附件3 filled from the register, one row per unit under its group's heading: internal."""
    columns = tuple(
        Column(c.key, c.header, c.kind, FILLED_WIDTHS.get(c.key, c.width)) for c in REGISTER_COLUMNS
    )
    rows: list[TableRow] = []
    filler = (None,) * (len(columns) - 1)
    seq = 0
    group_id = None
    registered = 0
    for item in units:
        if item.group.id != group_id:
            group_id = item.group.id
            rows.append(TableRow((item.group.name, *filler), section=True))
        seq += 1
        entry = item.entry
        if entry is not None and not entry.is_blank:
            registered += 1
            values = [item.unit.name] + [
                "\n".join(entry.leader_phones if key == "leader_phones" else entry.admin_phones)
                if key in PHONE_KEYS else entry.display(key)
                for key, _ in FIELDS
            ]  # one number a line: a phone number is never broken
        else:
            values = [item.unit.name] + [""] * len(FIELDS)
        rows.append(TableRow((seq, *(v or None for v in values)), item.unit.id))
    missing = seq - registered
    note = f"注：本表根据截至{_date(today)}的登记信息汇总，共{seq}个单位，" + (
        f"其中已登记{registered}个、未登记{missing}个（空白行）。" if missing else "均已登记。"
    )
    return AnnexTable(
        number=number,
        kind=REGISTER,
        title=REGISTER_SUMMARY_TITLE,
        columns=columns,
        header=SUMMARY_HEADER,
        rows=tuple(rows),
        note=note,
        period_key=period_key,
        audience=INTERNAL,
        name=FILLED_NAME,
        max_body_size=FILLED_BODY_SIZE,
        show_label=False,  # an internal compilation, not an annex of the notice
        landscape=True,  # every unit name on at most two lines, 序号 whole
        tab="汇总表",
    )


def unit_form_table(item: RegisterUnit, number: int, contact: ReturnContact | None = None) -> AnnexTable:
    """One unit's 核对表: its 登记信息 to check, correct, stamp and return by the deadline; one page, internal."""
    entry = item.entry
    rows = [TableRow((UNIT_ITEM, item.unit.name, None), item.unit.id)]
    for key, label in FIELDS:
        value = entry.display(key) if entry is not None else ""
        rows.append(TableRow((label, value or None, None), item.unit.id))
    if entry is None or entry.is_blank:
        state = "本单位尚未登记，请在“更正”栏填写。"
    elif entry.confirmed_on:
        state = f"以下为{_date(entry.confirmed_on)}确认的登记信息。"
    else:
        state = "以下为现有登记信息。"
    return AnnexTable(
        number=number,
        kind=UNIT_FORM,
        title=REGISTER_CHECK_TITLE,
        columns=FORM_COLUMNS,
        header=tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(FORM_COLUMNS)),
        rows=tuple(rows),
        note=form_note(contact),
        handwritten=True,
        page_numbers=None,
        audience=INTERNAL,
        subtitle=f"{item.unit.name}：{state}",
        row_height=FORM_ROW_HEIGHT,
        name=f"{REGISTER_CHECK_TITLE}_{item.unit.name}",
        show_label=False,  # sent to the unit on its own, not as an annex of a notice
        tab="核对表",
    )


def select_units(units: Sequence[RegisterUnit], *, stale_only: bool, today: _dt.date, max_age: int):
    if not stale_only:
        return list(units)
    return [u for u in units if is_stale(u.entry, today, max_age)]


def export_filled(
    units: Sequence[RegisterUnit], number: int, period: Period | None, formats: Sequence[str], output: str | Path,
    *, today: _dt.date,
) -> list[ExportedFile]:
    """附件3 filled from the register (内部资料 on every page), as .xlsx and/or PDF."""
    table = filled_register_table(units, number, today=today, period_key=period.key if period else None)
    return export([table], formats, output)


def export_unit_forms(
    units: Sequence[RegisterUnit],
    number: int,
    contact: ReturnContact | None,
    formats: Sequence[str],
    folder: str | Path,
) -> list[ExportedFile]:
    """Per-unit forms into ``folder``: one PDF with a page per unit, and/or one .xlsx per unit."""
    from shangnan_desktop.reports.pdf import write_pdf  # lazy: reportlab is heavy
    from shangnan_desktop.reports.xlsx import write_xlsx  # lazy: openpyxl is heavy

    folder = Path(folder)
    if folder.suffix.lower() in (".pdf", ".xlsx") or (folder.exists() and not folder.is_dir()):
        raise ExportError(f"各单位核对表是多个文件，请指定一个文件夹而不是“{folder.name}”。")
    if not units:
        raise DomainError("没有需要核对的单位：所有单位的登记信息都在有效期内。")
    tables = [unit_form_table(u, number, contact) for u in units]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}。请换一个位置。") from exc
    done: list[ExportedFile] = []
    label = tables[0].label
    if PDF in formats:
        path = folder / f"{safe_file_name(FORMS_NAME)}.pdf"
        result = write_pdf(tables, path)
        done.append(ExportedFile(path, label, PDF, result.pages))
    if XLSX in formats:
        for table in tables:
            path = folder / f"{table.file_stem()}.xlsx"
            write_xlsx([table], path)
            done.append(ExportedFile(path, label, XLSX))
    logger.info("wrote %d per-unit forms into %s", len(tables), folder)
    return done
