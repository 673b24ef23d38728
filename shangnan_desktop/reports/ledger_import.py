"""Reads a website back-end's article list (.xlsx, .xls, .csv) into ledger items: a preview, nothing stored.

The columns are guessed from the header names (标题, 来源/报送单位, 报送时间, 发布时间, 状态, 栏目…) or
given as ``列名=字段`` (the CLI's ``--map``); dates in the common forms; each bad row reported with
its row number. The preview lists unknown unit names with the closest units, duplicates and items
dated outside the period. Bounded like the other imports: files up to 20 MB, at most 50,000 rows.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.ledger import (
    MAX_FIELD,
    MAX_NOTE,
    MAX_TITLE,
    Candidate,
    LedgerItem,
    PeriodLedger,
    UnitMatcher,
    format_date,
    parse_status,
)
from shangnan_desktop.domain.text import clean_text, fold_digits, match_key
from shangnan_desktop.reports import xlsx_guard
from shangnan_desktop.reports.xlsx_guard import OLE2_MAGIC, UnsafeFileError

logger = logging.getLogger(__name__)

# ---- the fields, named as the CLI's --map 列名=字段 names them -------------------------------
TITLE = "标题"
UNIT = "单位"
SUBMITTED_ON = "报送日期"
STATUS = "状态"
PUBLISHED_ON = "发布日期"
COLUMN = "栏目"
NOTE = "备注"
IGNORE = "不导入"  # --map 列名=不导入: leave a guessed column out
FIELDS = (TITLE, UNIT, SUBMITTED_ON, STATUS, PUBLISHED_ON, COLUMN, NOTE)
REQUIRED = (TITLE, UNIT, STATUS)

# Header names seen in article lists, best first; a header containing one of them also matches.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    TITLE: ("标题", "文章标题", "信息标题", "稿件标题", "题目", "文章名称", "信息名称"),
    UNIT: ("单位", "报送单位", "来源", "信息来源", "来源单位", "文章来源", "供稿单位", "投稿单位", "发布单位",
           "单位名称", "报送部门", "部门"),
    SUBMITTED_ON: ("报送日期", "报送时间", "提交时间", "提交日期", "投稿时间", "上报时间", "报送时期", "创建时间",
                   "录入时间", "添加时间"),
    STATUS: ("状态", "审核状态", "采用状态", "信息状态", "是否采用", "稿件状态", "发布状态"),
    PUBLISHED_ON: ("发布日期", "发布时间", "发表时间", "采用时间", "采用日期", "上线时间"),
    COLUMN: ("栏目", "所属栏目", "栏目名称", "发布栏目", "采用栏目"),
    NOTE: ("备注", "说明", "审核意见", "退回原因"),
}
_HEADER_KEYS = {f: tuple(match_key(n) for n in names) for f, names in HEADER_NAMES.items()}

# ---- bounds -------------------------------------------------------------------------------
MAX_FILE_BYTES = 20 * 2**20
MAX_ROWS = 50_000  # data rows; the benchmark reads 20,000 within 2 s
MAX_COLS = 60
MAX_CELL = 1000  # characters kept of any cell
HEADER_SCAN_ROWS = 20
MAX_LISTED = 200
LIMITS = xlsx_guard.Limits(max_rows=MAX_ROWS + HEADER_SCAN_ROWS, max_cols=MAX_COLS, max_sheets=5)

XLSX, XLS, CSV = "xlsx", "xls", "csv"


# ---- dates --------------------------------------------------------------------------------
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})[:：时](\d{1,2})分?(?:[:：]?(\d{1,2}(?:\.\d+)?)秒?)?)?\s*$"  # punct-ok: a pattern
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
EXCEL_EPOCH = _dt.date(1899, 12, 30)
SERIAL_RANGE = (20_000, 80_000)  # 1954 … 2119: anything else is no date


def parse_date(value: object, *, label: str = "日期") -> _dt.date | None:
    """A date from a cell: datetime/date, an Excel serial number, or 2021-04-03, 2021/4/3, 2021年4月3日,
    2021.04.03, 20210403, each with or without a time. Blank is ``None``; anything else raises."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        raise ValidationError(f"{label}“{value}”不是日期。")
    if isinstance(value, (int, float)):
        return _serial(value, label, str(value))
    text = fold_digits(clean_text(str(value))).replace("／", "/").replace("．", ".")
    if not text:
        return None
    shown = clean_text(str(value))[:30]
    m = _DATE.match(text) or _COMPACT.match(text)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValidationError(f"{label}“{shown}”不是有效日期，请核对年月日。") from None
    if _SERIAL.match(text):
        return _serial(float(text), label, shown)
    raise ValidationError(f"{label}“{shown}”无法识别，请写成如2021-04-03或2021年4月3日的日期。")


def _serial(number: float, label: str, shown: str) -> _dt.date:
    if number != number or not SERIAL_RANGE[0] <= number < SERIAL_RANGE[1]:
        raise ValidationError(f"{label}“{shown}”不是日期，请写成如2021-04-03的日期。")
    return EXCEL_EPOCH + _dt.timedelta(days=int(number))


# ---- reading the three formats --------------------------------------------------------------
Cell = object
RawRow = tuple[int, tuple[Cell, ...]]  # (row number in the file, cell values)


@dataclass
class RawTable:
    kind: str
    sheet: str
    rows: list[RawRow]
    encoding: str = ""


def _cap(value: Cell) -> Cell:
    if isinstance(value, str):
        return value[:MAX_CELL]
    return value


def _check_file(path: Path) -> bytes:
    """The file's first bytes, after the size and existence checks."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise UnsafeFileError(f"找不到文件“{path}”。") from None
    except IsADirectoryError:
        raise UnsafeFileError(f"“{path}”是一个文件夹，请选择文章列表文件。") from None
    except OSError as exc:
        raise UnsafeFileError(f"无法读取文件“{path.name}”：{exc.strerror or exc}。") from None
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(f"“{path.name}”过大（{size // 2**20} MB），超出文章列表的读取限度，已拒绝读取。")
    if size == 0:
        raise UnsafeFileError(f"“{path.name}”是空文件。")
    return head


def file_kind(path: Path, head: bytes) -> str:
    """By content, not only by name: platforms save CSV or HTML as “.xls”, WPS saves .xlsx as .xls."""
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head == OLE2_MAGIC:
        return XLS
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise UnsafeFileError(f"“{path.name}”不是有效的Excel（.xlsx）文件，或文件已损坏。")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<", b"<!doctype", b"<html", b"<table")):
        raise UnsafeFileError(
            f"“{path.name}”实际上是网页（HTML）格式，请用Excel或WPS打开后“另存为”.xlsx，再导入。"
        )
    if suffix == ".xls":
        # A .xls that is neither OLE2 nor zip: most platforms then wrote CSV text.
        return CSV
    if suffix in (".csv", ".txt", ""):
        return CSV
    raise UnsafeFileError(f"不支持“{path.suffix}”文件，请导入.xlsx、.xls或.csv格式的文章列表。")


def read_table(path: str | Path) -> RawTable:
    path = Path(path)
    head = _check_file(path)
    kind = file_kind(path, head)
    if kind == XLSX:
        return _read_xlsx(path)
    if kind == XLS:
        return _read_xls(path)
    return _read_csv(path)


def _read_xlsx(path: Path) -> RawTable:
    """The guard's pre-flight, then the lean streaming reader; openpyxl (read-only) if the lean one balks."""
    xlsx_guard.check_xlsx(path, LIMITS)
    try:
        return _read_xlsx_lean(path)
    except UnsafeFileError:
        raise
    except _NotLean as exc:
        logger.info("lean xlsx reader gave up on %s (%s); reading with openpyxl", path.name, exc)
    return _read_xlsx_openpyxl(path)


def _read_xlsx_openpyxl(path: Path) -> RawTable:
    wb = xlsx_guard.open_workbook(path, data_only=True, limits=LIMITS)
    try:
        first: RawTable | None = None
        for ws in xlsx_guard.worksheets(wb, LIMITS):
            rows = [
                (n, tuple(_cap(getattr(c, "value", None)) for c in cells))
                for n, cells in xlsx_guard.iter_rows(ws, LIMITS)
            ]
            table = RawTable(XLSX, ws.title, rows)
            if first is None:
                first = table
            if find_header(rows) is not None:
                return table
        return first or RawTable(XLSX, "", [])
    finally:
        wb.close()


# -- a lean .xlsx reader: expat over the sheet XML, values only ------------------------------
# openpyxl builds an object per cell and per shared string: 20,000 rows take it about 1.5 s.
# Reading the values straight from the XML takes a fifth of that. No DTD is accepted (so no
# entity can be defined: the XML attacks defusedxml guards against cannot happen), sizes are
# checked by xlsx_guard.check_xlsx first. Anything unexpected falls back to openpyxl.
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_DATE_CODE = re.compile(r"[ymdhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL_REF = re.compile(r"([A-Z]+)")
CHUNK = 1 << 16


class _NotLean(Exception):
    """The lean reader does not understand this workbook: use openpyxl."""


def _expat(start=None, end=None, chars=None):
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK

    def refuse(*_args):
        raise UnsafeFileError("文件含有不安全的XML内容（文档类型或实体定义），可能是恶意文件，已拒绝读取。")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    return parser


def _parse_part(archive, name: str, parser) -> None:
    import xml.parsers.expat

    try:
        with archive.open(name) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except KeyError:
        raise _NotLean(f"missing part {name}") from None
    except xml.parsers.expat.ExpatError as exc:
        raise _NotLean(f"{name}: {exc}") from None


def _part_path(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _workbook_parts(archive) -> tuple[list[tuple[str, str]], str | None, str | None, bool]:
    """([(sheet name, part)], shared strings part, styles part, 1904 date system)."""
    rels: dict[str, tuple[str, str]] = {}

    def rel(name, attrs):
        if name == f"{_PKG_REL_NS} Relationship":
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    _parse_part(archive, "xl/_rels/workbook.xml.rels", _expat(start=rel))
    sheets: list[tuple[str, str]] = []
    date1904 = [False]

    def wb(name, attrs):
        if name == f"{_MAIN_NS} sheet":
            target = rels.get(attrs.get(f"{_REL_NS} id", ""), ("", ""))[1]
            if target:
                sheets.append((attrs.get("name", ""), _part_path(target)))
        elif name == f"{_MAIN_NS} workbookPr":
            date1904[0] = attrs.get("date1904", "0") in ("1", "true")

    _parse_part(archive, "xl/workbook.xml", _expat(start=wb))
    if not sheets:
        raise _NotLean("no sheets")
    shared = next((_part_path(t) for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
    styles = next((_part_path(t) for kind, t in rels.values() if kind.endswith("/styles")), None)
    return sheets, shared, styles, date1904[0]


def _shared_strings(archive, name: str | None) -> list[str]:
    if name is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    depth = {"rph": 0, "t": False}
    si, t, rph = f"{_MAIN_NS} si", f"{_MAIN_NS} t", f"{_MAIN_NS} rPh"

    def start(tag, _attrs):
        if tag == t:
            depth["t"] = True
        elif tag == rph:
            depth["rph"] += 1
        elif tag == si:
            parts.clear()

    def end(tag):
        if tag == t:
            depth["t"] = False
        elif tag == rph:
            depth["rph"] -= 1
        elif tag == si:
            strings.append("".join(parts)[:MAX_CELL])

    def chars(text):
        if depth["t"] and not depth["rph"]:
            parts.append(text)

    _parse_part(archive, name, _expat(start, end, chars))
    return strings


def _date_styles(archive, name: str | None) -> set[int]:
    """Indices of the cell formats (``s`` of a cell) that show a number as a date."""
    if name is None:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"cellXfs": False}

    def start(tag, attrs):
        if tag == f"{_MAIN_NS} numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == f"{_MAIN_NS} cellXfs":
            state["cellXfs"] = True
        elif tag == f"{_MAIN_NS} xf" and state["cellXfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    def end(tag):
        if tag == f"{_MAIN_NS} cellXfs":
            state["cellXfs"] = False

    _parse_part(archive, name, _expat(start, end))

    def is_date(fmt_id: int) -> bool:
        if fmt_id in custom:
            return bool(_DATE_CODE.search(_QUOTED.sub("", custom[fmt_id]).replace("General", "")))
        return fmt_id in _BUILTIN_DATE_FORMATS

    return {i for i, fmt_id in enumerate(xfs) if is_date(fmt_id)}


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _sheet_rows(archive, name: str, title: str, shared: list[str], dates: set[int], date1904: bool) -> list[RawRow]:
    rows: list[RawRow] = []
    epoch = _dt.datetime(1904, 1, 1) if date1904 else _dt.datetime(1899, 12, 30)
    row_tag, c_tag, v_tag, t_tag, is_tag, rph_tag = (
        f"{_MAIN_NS} {x}" for x in ("row", "c", "v", "t", "is", "rPh")
    )
    # col, type, style, has a value, collecting characters, row number, next column, inside rPh
    state = {"col": 0, "type": "n", "style": -1, "has": False, "collect": False, "row": 0, "next": 0, "rph": 0}
    values: dict[int, object] = {}
    parts: list[str] = []

    def start(tag, attrs):
        if tag == c_tag:
            ref = attrs.get("r")
            state["col"] = _column_index(ref) if ref else state["next"]
            state["type"] = attrs.get("t", "n")
            style = attrs.get("s")
            state["style"] = int(style) if style else -1
            state["has"] = False
            parts.clear()
        elif tag == v_tag:
            state["has"] = state["collect"] = True
        elif tag == is_tag:
            state["has"] = True
        elif tag == t_tag:
            state["collect"] = not state["rph"]
        elif tag == rph_tag:
            state["rph"] += 1
        elif tag == row_tag:
            r = attrs.get("r")
            state["row"] = int(r) if r else state["row"] + 1
            state["next"] = 0
            values.clear()

    def chars(text):
        if state["collect"]:
            parts.append(text)

    def end(tag):
        if tag in (v_tag, t_tag):
            state["collect"] = False
        elif tag == rph_tag:
            state["rph"] -= 1
        elif tag == c_tag:
            col = state["col"]
            state["next"] = col + 1
            if col >= MAX_COLS or not state["has"]:
                return
            values[col] = _cell_value("".join(parts), state["type"], state["style"], shared, dates, epoch)
        elif tag == row_tag:
            if values and any(v not in (None, "") for v in values.values()):
                if len(rows) >= LIMITS.max_rows:
                    raise UnsafeFileError(
                        f"工作表“{title}”的行数超过{MAX_ROWS}行，超出文章列表的读取限度，已拒绝读取。"
                    )
                rows.append((state["row"], tuple(values.get(i) for i in range(max(values) + 1))))

    _parse_part(archive, name, _expat(start, end, chars))
    return rows


def _cell_value(raw: str, kind: str, style: int, shared: list[str], dates: set[int], epoch: _dt.datetime):
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise _NotLean("bad shared string index") from None
    if kind in ("inlineStr", "str"):
        return raw[:MAX_CELL]
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return "#错误"
    try:
        number = float(raw)
    except ValueError:
        return raw[:MAX_CELL] or None
    if style in dates and 0 <= number < 2_958_466:
        return epoch + _dt.timedelta(seconds=round(number * 86400))
    if number.is_integer():
        return int(number)
    return number


def _read_xlsx_lean(path: Path) -> RawTable:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        sheets, shared_part, styles_part, date1904 = _workbook_parts(archive)
        shared = _shared_strings(archive, shared_part)
        dates = _date_styles(archive, styles_part)
        first: RawTable | None = None
        for title, part in sheets[: LIMITS.max_sheets]:
            rows = _sheet_rows(archive, part, title, shared, dates, date1904)
            table = RawTable(XLSX, title, rows)
            if first is None:
                first = table
            if find_header(rows) is not None:
                return table
        return first or RawTable(XLSX, "", [])


def _read_xls(path: Path) -> RawTable:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency
        raise UnsafeFileError("缺少读取旧版Excel（.xls）的组件xlrd，请重新安装本程序，或把文件另存为.xlsx后导入。") from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO(), formatting_info=False)
    except Exception as exc:
        logger.warning("xlrd could not open %s: %r", path, exc)
        raise UnsafeFileError(
            f"无法读取“{path.name}”：文件已损坏、受密码保护或不是Excel（.xls）格式。"
            "请用Excel或WPS打开后“另存为”.xlsx，再导入。"
        ) from None
    try:
        first: RawTable | None = None
        for index in range(min(book.nsheets, LIMITS.max_sheets)):
            sheet = book.sheet_by_index(index)
            if sheet.nrows > MAX_ROWS + HEADER_SCAN_ROWS:
                raise UnsafeFileError(
                    f"工作表“{sheet.name}”的行数超过{MAX_ROWS}行，超出文章列表的读取限度，已拒绝读取。"
                )
            rows: list[RawRow] = []
            ncols = min(sheet.ncols, MAX_COLS)
            for r in range(sheet.nrows):
                values = []
                for c, cell in enumerate(sheet.row_slice(r, 0, ncols)):
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            value = f"#日期{value}"
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = "#错误"
                    elif cell.ctype == xlrd.XL_CELL_NUMBER and value == int(value):
                        value = int(value)
                    values.append(_cap(value))
                if any(v not in (None, "") for v in values):
                    rows.append((r + 1, tuple(values)))
            table = RawTable(XLS, sheet.name, rows)
            if first is None:
                first = table
            if find_header(rows) is not None:
                return table
        return first or RawTable(XLS, "", [])
    except UnsafeFileError:
        raise
    except Exception as exc:
        logger.warning("xlrd failed reading %s: %r", path, exc)
        raise UnsafeFileError(f"读取“{path.name}”时出错：文件已损坏或格式异常。") from None
    finally:
        book.release_resources()


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) if it decodes strictly, else GB18030."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 mark in front of GB18030 text: some tools add it whatever the encoding
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise UnsafeFileError(
            f"“{name}”的文字编码无法识别（不是UTF-8或GB18030），请用Excel或WPS打开后另存为.xlsx再导入。"
        ) from None


def _read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UnsafeFileError(f"“{path.name}”不是文本文件（也许是UTF-16编码），请另存为UTF-8的CSV或.xlsx后导入。")
    text, encoding = decode_text(data, path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";", "，"), key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[RawRow] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise UnsafeFileError(f"“{path.name}”的行数超过{MAX_ROWS}行，超出文章列表的读取限度，已拒绝读取。")
            values = tuple(c[:MAX_CELL] for c in cells[:MAX_COLS])
            if any(v.strip() for v in values):
                rows.append((number, values))
    except csv.Error as exc:
        why = "有一格内容过长" if "field larger" in str(exc) else "格式有误（如引号不成对）"
        raise UnsafeFileError(
            f"“{path.name}”不是有效的CSV文件（第{reader.line_num}行{why}），请检查是否选对了文章列表。"
        ) from None
    return RawTable(CSV, "", rows, encoding)


# ---- the column mapping -------------------------------------------------------------------
def header_text(value: Cell) -> str:
    return clean_text(str(value)) if value is not None else ""


def header_signature(headers: Sequence[str]) -> str:
    """A short key of a header row: the same platform's lists share it, so a mapping can be remembered."""
    joined = "\x1f".join(match_key(h) for h in headers if match_key(h))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index → field, from the header names: exact names first, then a header containing one."""
    keys = [match_key(h) for h in headers]
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for field_name in FIELDS:
            if field_name in taken:
                continue
            for name in _HEADER_KEYS[field_name]:
                col = next(
                    (i for i, k in enumerate(keys)
                     if i not in mapping and k and (k == name if exact else name in k)),
                    None,
                )
                if col is not None:
                    mapping[col] = field_name
                    taken.add(field_name)
                    break
    return dict(sorted(mapping.items()))


def find_header(rows: Sequence[RawRow]) -> int | None:
    """Index into ``rows`` of the header: the first row naming a title and one more field."""
    for i, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        guessed = set(guess_mapping([header_text(c) for c in cells]).values())
        if TITLE in guessed and len(guessed) >= 2:
            return i
    return None


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["文章标题=标题", "来源=单位"]`` → {header: field}; a clear message for a wrong pair."""
    out: dict[str, str] = {}
    names = "、".join(FIELDS)
    for pair in pairs:
        text = clean_text(pair).replace("＝", "=")
        if text.count("=") != 1:
            raise ValidationError(f"列对应“{pair}”的格式不对，请写成“列名=字段”，如“文章标题=标题”。")
        header, field_name = (part.strip() for part in text.split("="))
        if not header:
            raise ValidationError(f"列对应“{pair}”缺少列名，请写成“列名=字段”。")
        if field_name not in FIELDS and field_name != IGNORE:
            raise ValidationError(f"“{field_name}”不是台账的字段，字段只能是：{names}，或“{IGNORE}”。")
        if field_name != IGNORE and field_name in out.values():
            raise ValidationError(f"字段“{field_name}”对应了两列，请只保留一列。")
        out[header] = field_name
    return out


def apply_mapping(headers: Sequence[str], explicit: Mapping[str, str]) -> dict[int, str]:
    """The guess, overridden by ``explicit`` ({header: field}); a header that does not exist is an error."""
    mapping = guess_mapping(headers)
    keys = [match_key(h) for h in headers]
    for header, field_name in explicit.items():
        key = match_key(header)
        if key not in keys:
            shown = "、".join(f"“{h}”" for h in headers if h)
            raise ValidationError(f"文件中没有“{header}”列。文件的列有：{shown}。")
        col = keys.index(key)
        for other, f in list(mapping.items()):
            if f == field_name or other == col:
                del mapping[other]
        if field_name != IGNORE:
            mapping[col] = field_name
    return dict(sorted(mapping.items()))


def check_mapping(headers: Sequence[str], mapping: Mapping[int, str]) -> None:
    fields = set(mapping.values())
    missing = [f for f in REQUIRED if f not in fields]
    if not (fields & {SUBMITTED_ON, PUBLISHED_ON}):
        missing.append(f"{SUBMITTED_ON}或{PUBLISHED_ON}")
    if missing:
        shown = "、".join(f"“{h}”" for h in headers if h)
        raise ValidationError(
            f"没有找到{'、'.join(f'“{m}”' for m in missing)}列。文件的列有：{shown}。"
            "请用“列名=字段”指定对应关系，如“文章标题=标题”“信息来源=单位”。"
        )


# ---- the preview --------------------------------------------------------------------------
@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def text(self) -> str:
        return f"第{self.row}行：{self.message}"


@dataclass(frozen=True)
class ImportRow:
    """A readable row: the unit as the list names it, the rest already parsed."""

    row: int
    unit_name: str
    title: str
    submitted_on: _dt.date | None
    status: str
    published_on: _dt.date | None
    column: str
    note: str


@dataclass(frozen=True)
class DuplicatePair:
    """``repeat`` repeats ``counted`` (same unit and title within the period); ``*_new``: from this file."""

    repeat: LedgerItem
    counted: LedgerItem
    repeat_new: bool
    counted_new: bool

    @staticmethod
    def where(item: LedgerItem, new: bool) -> str:
        return f"第{item.source_row}行" if new and item.source_row else "台账中已有的一条"


@dataclass
class UnknownName:
    """A unit name that matches no unit and no alias: the clerk chooses, the choice becomes an alias."""

    name: str
    rows: list[int]
    candidates: tuple[Candidate, ...]


@dataclass
class LedgerPreview:
    """What an import would add to a period's ledger; nothing is stored by this module."""

    period: Period
    path: Path
    kind: str
    sheet: str
    encoding: str
    headers: list[str]
    mapping: dict[int, str]  # column index → field
    signature: str  # of the header row: key for remembering the mapping per source
    remembered: bool = False  # the mapping came from one remembered for this signature
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # rows left out, each with its reason
    matcher: UnitMatcher | None = None
    existing: list[LedgerItem] = field(default_factory=list)  # the period's ledger before the import
    chosen: dict[str, int] = field(default_factory=dict)  # name key → unit id, the clerk's choices
    _ledger: PeriodLedger | None = None
    _row_units: list[int | None] | None = None

    # -- the clerk's choices
    def choose(self, name: str, unit_id: int | None) -> None:
        """Map an unknown name to a unit (remembered as its alias when stored), or ``None`` to skip its rows."""
        key = match_key(name)
        if key not in {match_key(u.name) for u in self.unknown()}:
            raise ValidationError(f"“{name}”不是本次导入中未匹配的名称。")
        if unit_id is not None and unit_id not in self.matcher.names:
            raise ValidationError("没有这个单位，请从候选单位中选择。")
        if unit_id is None:
            self.chosen.pop(key, None)
        else:
            self.chosen[key] = unit_id
        self._ledger = self._row_units = None

    def mapping_by_header(self) -> dict[str, str]:
        """{header: field}: what the storage remembers under ``signature``."""
        return {self.headers[col]: f for col, f in self.mapping.items()}

    # -- derived views
    def row_units(self) -> list[int | None]:
        if self._row_units is None:
            out = []
            for row in self.rows:
                match = self.matcher.match(row.unit_name)
                out.append(match.unit_id if match.matched else self.chosen.get(match_key(row.unit_name)))
            self._row_units = out
        return self._row_units

    def unknown(self) -> list[UnknownName]:
        """Names matching no unit or alias, once each with their rows and candidates (chosen ones included)."""
        found: dict[str, UnknownName] = {}
        for row in self.rows:
            match = self.matcher.match(row.unit_name)
            if match.matched:
                continue
            key = match_key(row.unit_name)
            entry = found.get(key)
            if entry is None:
                found[key] = UnknownName(row.unit_name, [row.row], match.candidates)
            else:
                entry.rows.append(row.row)
        return list(found.values())

    def unresolved(self) -> list[UnknownName]:
        return [u for u in self.unknown() if match_key(u.name) not in self.chosen]

    def new_aliases(self) -> list[tuple[int, str]]:
        """(unit id, name) for each name the clerk mapped: stored as aliases with the import."""
        names = {match_key(u.name): u.name for u in self.unknown()}
        return [(unit_id, names[key]) for key, unit_id in self.chosen.items() if key in names]

    def items(self) -> list[LedgerItem]:
        """The new items: rows whose unit is known (matched or chosen)."""
        out = []
        for row, unit_id in zip(self.rows, self.row_units()):
            if unit_id is None:
                continue
            out.append(LedgerItem(
                unit_id=unit_id, title=row.title, submitted_on=row.submitted_on, status=row.status,
                published_on=row.published_on, column=row.column, note=row.note, source_row=row.row,
            ))
        return out

    def ledger(self) -> PeriodLedger:
        """The period's ledger as it would be after the import: existing items first, then the new ones."""
        if self._ledger is None:
            self._ledger = PeriodLedger(self.period, [*self.existing, *self.items()])
        return self._ledger

    def _new_indices(self, indices: Iterable[int]) -> list[LedgerItem]:
        base = len(self.existing)
        ledger = self.ledger()
        return [ledger.items[i] for i in indices if i >= base]

    def duplicates(self) -> list[DuplicatePair]:
        """Repeats involving a new item (of another new one or of one already in the ledger): counted once."""
        ledger = self.ledger()
        base = len(self.existing)
        return [
            DuplicatePair(ledger.items[d.index], ledger.items[d.first], d.index >= base, d.first >= base)
            for d in ledger.duplicates()
            if d.index >= base or d.first >= base
        ]

    def outside(self) -> list[LedgerItem]:
        """New items dated outside the period: listed, not counted unless the clerk keeps them."""
        return self._new_indices(self.ledger().outside())

    def counts(self) -> dict[int, dict[str, int]]:
        return self.ledger().counts()

    @property
    def can_apply(self) -> bool:
        return bool(self.items()) and not self.unresolved()

    def as_text(self) -> str:
        names = self.matcher.names
        where = f"工作表“{self.sheet}”" if self.sheet else (f"编码{self.encoding}" if self.encoding else "")
        lines = [f"导入预览：{self.path.name}（{where}）→ {self.period.label}台账"]
        lines.append(
            ("列对应（沿用上次的选择）：" if self.remembered else "列对应：")
            + "，".join(f"“{self.headers[c]}”→{f}" for c, f in self.mapping.items())
        )
        items = self.items()
        lines.append(f"可导入{len(items)}条信息（文件中共{len(self.rows) + len(self.problems)}条）。")
        base = len(self.existing)
        counted = [i for i in self.ledger().counted() if i >= base]
        adopted = sum(1 for i in counted if self.ledger().items[i].adopted)
        lines.append(f"其中计入{self.period.label}的{len(counted)}条，采用{adopted}条。")
        dups = self.duplicates()
        if dups:
            lines.append(f"重复的信息{len(dups)}条（同一单位、同一标题，只计1条）：")
            for pair in dups[:MAX_LISTED]:
                lines.append(
                    f"  “{pair.repeat.title}”（{names.get(pair.repeat.unit_id, '')}）："
                    f"{pair.where(pair.repeat, pair.repeat_new)}与{pair.where(pair.counted, pair.counted_new)}重复，"
                    f"计{pair.where(pair.counted, pair.counted_new)}"
                )
        outside = self.outside()
        if outside:
            lines.append(f"日期不在{self.period.label}的信息{len(outside)}条（不计入本期）：")
            lines.extend(
                f"  第{item.source_row}行“{item.title}”（{format_date(item.date)}）" for item in outside[:MAX_LISTED]
            )
        unknown = self.unknown()
        if unknown:
            lines.append(f"未匹配的单位名称{len(unknown)}个（请选择对应的单位，选择会记为别名）：")
            for u in unknown[:MAX_LISTED]:
                chosen = self.chosen.get(match_key(u.name))
                if chosen is not None:
                    tail = f"已选“{names[chosen]}”"
                elif u.candidates:
                    tail = "可能是：" + "、".join(c.name for c in u.candidates)
                else:
                    tail = "没有相近的单位"
                lines.append(f"  “{u.name}”（{len(u.rows)}条）：{tail}")
        unresolved = self.unresolved()
        if unresolved:
            lines.append(f"还有{len(unresolved)}个名称未选择单位：请选择对应的单位或跳过这些信息，然后才能导入。")
        if self.problems:
            lines.append(f"有{len(self.problems)}行无法导入（其余照常导入）：")
            lines.extend(f"  {p.text()}" for p in self.problems[:MAX_LISTED])
            if len(self.problems) > MAX_LISTED:
                lines.append(f"  ……另有{len(self.problems) - MAX_LISTED}行未列出")
        return "\n".join(lines)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return clean_text(str(value))


def _parse_rows(raw: Sequence[RawRow], mapping: Mapping[int, str]) -> tuple[list[ImportRow], list[RowProblem]]:
    cols = {f: c for c, f in mapping.items()}
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []

    def get(cells, name):
        col = cols.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    status_cache: dict[object, str] = {}
    for number, cells in raw:
        title = _text(get(cells, TITLE))
        unit = _text(get(cells, UNIT))
        if not title and not unit:
            continue
        if not title:
            problems.append(RowProblem(number, "没有标题。"))
            continue
        if not unit:
            problems.append(RowProblem(number, f"“{title[:30]}”没有报送单位。"))
            continue
        if len(title) > MAX_TITLE:
            problems.append(RowProblem(number, f"标题过长（{len(title)}个字，最多{MAX_TITLE}个字）。"))
            continue
        try:
            raw_status = get(cells, STATUS)
            status = status_cache.get(raw_status) if isinstance(raw_status, (str, type(None))) else None
            if status is None:
                status = parse_status(raw_status)
                if isinstance(raw_status, (str, type(None))):
                    status_cache[raw_status] = status
            submitted = parse_date(get(cells, SUBMITTED_ON), label=SUBMITTED_ON)
            published = parse_date(get(cells, PUBLISHED_ON), label=PUBLISHED_ON)
        except ValidationError as exc:
            problems.append(RowProblem(number, str(exc)))
            continue
        rows.append(ImportRow(
            number, unit, title, submitted, status, published,
            _text(get(cells, COLUMN))[:MAX_FIELD], _text(get(cells, NOTE))[:MAX_NOTE],
        ))
    return rows, problems


def preview_ledger_import(
    path: str | Path,
    period: Period,
    matcher: UnitMatcher,
    *,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    remembered: Mapping[str, Mapping[str, str]] | None = None,
    existing: Sequence[LedgerItem] = (),
) -> LedgerPreview:
    """Read an article list and show what importing it into ``period`` would do; stores nothing.

    ``remembered`` is {header signature: {header: field}}: the mappings the clerk chose for earlier
    lists; the one whose signature a row of this file has is applied (``LedgerPreview.remembered``
    says so). ``mapping`` ({header: field} or ``["列名=字段", …]``, the CLI's --map) overrides both it
    and the guess from the header names. Raises ``DomainError`` for an unusable file.
    """
    path = Path(path)
    table = read_table(path)
    if not table.rows:
        raise ValidationError(f"“{path.name}”中没有数据。")
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = parse_mapping(mapping)
    start, used = None, False
    for i, (_n, cells) in enumerate(table.rows[:HEADER_SCAN_ROWS] if remembered else ()):
        signature = header_signature([header_text(c) for c in cells])
        if signature in remembered:
            start, used = i, True
            mapping = {**remembered[signature], **(mapping or {})}
            break
    if start is None:
        start = find_header(table.rows)
    if start is None:
        if not mapping:
            first = "、".join(f"“{header_text(c)}”" for c in table.rows[0][1] if header_text(c))
            raise ValidationError(
                f"“{path.name}”中没有找到文章列表的表头（需要“标题”“来源”或“报送单位”“状态”等列）。"
                f"第一行是：{first}。如列名不同，请用“列名=字段”指定对应关系。"
            )
        start = _header_by_mapping(table.rows, mapping)
    headers = [header_text(c) for c in table.rows[start][1]]
    col_map = apply_mapping(headers, mapping or {})
    check_mapping(headers, col_map)
    rows, problems = _parse_rows(table.rows[start + 1 :], col_map)
    if len(rows) + len(problems) > MAX_ROWS:
        raise UnsafeFileError(f"“{path.name}”超过{MAX_ROWS}条，超出文章列表的读取限度，已拒绝读取。")
    preview = LedgerPreview(
        period=period, path=path, kind=table.kind, sheet=table.sheet, encoding=table.encoding,
        headers=headers, mapping=col_map, signature=header_signature(headers),
        rows=rows, problems=problems, matcher=matcher, existing=list(existing), remembered=used,
    )
    logger.info(
        "ledger preview %s: %d rows, %d problems, %d unknown names",
        path.name, len(rows), len(problems), len(preview.unknown()),
    )
    return preview


def _header_by_mapping(rows: Sequence[RawRow], mapping: Mapping[str, str]) -> int:
    wanted = {match_key(h) for h in mapping}
    for i, (_n, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if wanted <= {match_key(header_text(c)) for c in cells}:
            return i
    raise ValidationError("文件前20行中没有找到指定的列名，请核对“列名=字段”中的列名。")


__all__ = [
    "COLUMN", "FIELDS", "IGNORE", "NOTE", "PUBLISHED_ON", "REQUIRED", "STATUS", "SUBMITTED_ON", "TITLE", "UNIT",
    "DuplicatePair", "ImportRow", "LedgerPreview", "RowProblem", "UnknownName", "apply_mapping", "decode_text",
    "file_kind", "find_header", "guess_mapping", "header_signature", "parse_date", "parse_mapping",
    "preview_ledger_import", "read_table",
]
