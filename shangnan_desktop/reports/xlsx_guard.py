"""Opens a user's .xlsx safely: zip pre-flight, defused XML, read-only streaming, row and column caps."""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from shangnan_desktop.domain import DomainError

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 2**20
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 100 * 2**20
MAX_RATIO = 100  # real sheets compress 5-20×; zip bombs hundreds of times
RATIO_FLOOR = 2**20  # small entries may compress well without being suspicious
MAX_SHEETS = 20
MAX_COLS = 30
MAX_ROWS = 5000  # non-empty rows per sheet
MAX_SHARED_STRINGS = 50_000  # an annex holds a few hundred texts
# Excel's own limit is 32,767 characters a cell: a longer text between two tags is not a real workbook.
MAX_TEXT_CHARS = 32_767
MAX_TEXT_BYTES = MAX_TEXT_CHARS * 4
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeFileError(DomainError):
    """A file that cannot or must not be read; ``str(err)`` explains it in Chinese."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_entries: int = MAX_ENTRIES
    max_uncompressed: int = MAX_UNCOMPRESSED
    max_ratio: float = MAX_RATIO
    max_sheets: int = MAX_SHEETS
    max_cols: int = MAX_COLS
    max_rows: int = MAX_ROWS
    max_shared_strings: int = MAX_SHARED_STRINGS
    max_text_bytes: int = MAX_TEXT_BYTES


DEFAULT_LIMITS = Limits()


def require_defusedxml() -> None:
    """openpyxl parses with defusedxml only if it was importable (and not disabled) at import time."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise UnsafeFileError("缺少安全组件defusedxml（或已被禁用），为防止恶意文件，暂不能读取Excel文件。请重新安装本程序。")


def check_xlsx(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse, before openpyxl sees it, anything that is not a plausible .xlsx of sane size."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except FileNotFoundError:
        raise UnsafeFileError(f"找不到文件“{path}”。") from None
    except IsADirectoryError:
        raise UnsafeFileError(f"“{path}”是一个文件夹，请选择一个Excel文件。") from None
    except OSError as exc:
        raise UnsafeFileError(f"无法读取文件“{name}”：{exc.strerror or exc}。") from None
    if magic == OLE2_MAGIC:
        raise UnsafeFileError(f"“{name}”是旧版Excel（.xls）或WPS格式，请在Excel或WPS中“另存为”.xlsx后再导入。")
    if size > limits.max_file_bytes:
        raise UnsafeFileError(f"“{name}”过大（{size // 2**20} MB），超出统计表的读取限度，已拒绝读取。")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnsafeFileError(f"“{name}”不是有效的Excel（.xlsx）文件，或文件已损坏。") from None
    if len(infos) > limits.max_entries:
        raise UnsafeFileError(f"“{name}”内部结构异常（部件过多），已拒绝读取。")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise UnsafeFileError(f"“{name}”解压后过大，可能是恶意文件，已拒绝读取。")
    for info in infos:
        if info.file_size > RATIO_FLOOR and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise UnsafeFileError(f"“{name}”压缩比异常，可能是恶意文件，已拒绝读取。")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnsafeFileError(f"“{name}”不是Excel（.xlsx）工作簿。")
    _scan_xml_parts(path, infos, limits)


_CHUNK = 1 << 20


def _si(data: bytes) -> int:
    return data.count(b"<si>") + data.count(b"<si ") + data.count(b"<x:si>") + data.count(b"<x:si ")


def _scan_xml_parts(path: Path, infos, limits: Limits) -> None:
    """Stream every XML part once, in C-speed passes: refuse absurd shared-string tables and giant texts.

    openpyxl loads the whole shared-string table when it opens a workbook, so this must
    happen before it does: 2 million strings, or one 20-million-character cell, would cost
    minutes and gigabytes there, and a few hundred milliseconds here.
    """
    import re

    name = path.name
    long_run = re.compile(rb"[^<]{%d,}" % (limits.max_text_bytes + 1))
    with zipfile.ZipFile(path) as archive:
        for info in infos:
            part = info.filename
            if not part.endswith(".xml") or not part.startswith("xl/"):
                continue
            shared = part.endswith("sharedStrings.xml")
            count = 0
            carry = b""
            with archive.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    data = carry + chunk
                    if shared:
                        count += _si(data) - _si(carry)
                        if count > limits.max_shared_strings:
                            raise UnsafeFileError(
                                f"“{name}”中的文字条目超过{limits.max_shared_strings}条，超出统计表的读取限度，已拒绝读取。"
                            )
                    if long_run.search(data):
                        raise UnsafeFileError(
                            f"“{name}”中有超过{MAX_TEXT_CHARS}个字的单元格文字，超出统计表的读取限度，已拒绝读取。"
                        )
                    # What follows the last tag may continue in the next chunk (it is shorter than the limit).
                    cut = data.rfind(b"<")
                    carry = data[cut:] if cut >= 0 else data


def open_workbook(path: str | Path, *, data_only: bool = True, limits: Limits = DEFAULT_LIMITS):
    """A read-only workbook after the pre-flight checks; the caller closes it (``wb.close()``)."""
    require_defusedxml()
    check_xlsx(path, limits)
    import openpyxl

    try:
        with _no_dimension_scan():
            return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except UnsafeFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on a user's file is "cannot read it"
        logger.warning("openpyxl could not open %s: %r", path, exc)
        if _is_xml_attack(exc):
            raise UnsafeFileError(
                f"“{Path(path).name}”含有不安全的XML内容（实体定义），可能是恶意文件，已拒绝读取。"
            ) from None
        raise UnsafeFileError(f"无法读取“{Path(path).name}”：文件已损坏、受密码保护或不是.xlsx格式。") from None


_load_guard = __import__("threading").Lock()


class _no_dimension_scan:
    """While a workbook opens, its read-only sheets skip openpyxl's size probe.

    openpyxl looks for each sheet's ``<dimension>`` tag when it opens a workbook, and
    when a sheet has none it parses the whole sheet to find it: 20 sheets of 5,000 rows
    cost 35 s before a single cell is read. ``iter_rows`` ignores the tag anyway
    (``reset_dimensions``), so the probe is skipped.
    """

    def __enter__(self):
        from openpyxl.reader import excel
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        class _Unsized(ReadOnlyWorksheet):
            def _get_size(self):  # noqa: D401 - see the class docstring
                return None

        _load_guard.acquire()
        self.saved = excel.ReadOnlyWorksheet
        excel.ReadOnlyWorksheet = _Unsized
        return self

    def __exit__(self, *exc):
        from openpyxl.reader import excel

        excel.ReadOnlyWorksheet = self.saved
        _load_guard.release()


def _is_xml_attack(exc: BaseException) -> bool:
    """defusedxml refused a DTD, an entity or an external reference (seen directly or as a cause)."""
    from defusedxml import DefusedXmlException

    while exc is not None:
        if isinstance(exc, DefusedXmlException) or "Entities" in type(exc).__name__ or "entit" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def iter_rows(ws, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) of the non-empty rows of a read-only sheet, at most ``max_cols`` wide,
    ignoring its dimension tag.

    Gaps of empty rows, however long, are passed over (rows after them are read: openpyxl
    yields one shared tuple per missing row, so a gap costs next to nothing); too many
    non-empty rows is an error.
    """
    ws.reset_dimensions()  # a lying <dimension> must neither pad rows nor hide cells
    filled = 0
    empty: object = None
    try:
        for number, cells in enumerate(ws.iter_rows(max_col=limits.max_cols), start=1):
            if cells is empty:
                continue
            if all(getattr(c, "value", None) in (None, "") for c in cells):
                empty = cells
                continue
            filled += 1
            if filled > limits.max_rows:
                raise UnsafeFileError(f"工作表“{ws.title}”的行数超过{limits.max_rows}行，超出统计表的读取限度，已拒绝读取。")
            yield number, tuple(cells)
    except UnsafeFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only mode parses lazily: errors surface here
        logger.warning("reading sheet %s failed: %r", ws.title, exc)
        if _is_xml_attack(exc):
            raise UnsafeFileError(f"工作表“{ws.title}”含有不安全的XML内容（实体定义），可能是恶意文件，已拒绝读取。") from None
        raise UnsafeFileError(f"读取工作表“{ws.title}”时出错：文件已损坏或含有不安全的内容。") from None


def worksheets(wb, limits: Limits = DEFAULT_LIMITS) -> list:
    """The first ``max_sheets`` visible worksheets (chart sheets, hidden and very hidden sheets are skipped:
    Excel does not show them, so their values are not what the clerk sees)."""
    sheets = [
        ws for ws in wb.worksheets
        if hasattr(ws, "iter_rows") and getattr(ws, "sheet_state", "visible") in (None, "visible")
    ]
    if len(sheets) > limits.max_sheets:
        logger.info("only the first %d of %d sheets are read", limits.max_sheets, len(sheets))
    return sheets[: limits.max_sheets]


def read_rows(path: str | Path, *, data_only: bool = True, limits: Limits = DEFAULT_LIMITS):
    """Every sheet's rows as values: ``{sheet title: [(row number, values), ...]}``."""
    wb = open_workbook(path, data_only=data_only, limits=limits)
    try:
        return {
            ws.title: [(n, tuple(c.value for c in cells)) for n, cells in iter_rows(ws, limits)]
            for ws in worksheets(wb, limits)
        }
    finally:
        wb.close()
