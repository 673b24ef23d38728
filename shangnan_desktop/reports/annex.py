"""One description of each annex table (附件N), built from the domain: screen, Excel, PDF and print agree."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from shangnan_desktop.domain import GroupSheet, NotFoundError, PeriodSheet, RankedRow, ScoringRule, format_decimal
from shangnan_desktop.domain.rule import RATE_LABEL, format_rate
from shangnan_desktop.domain.text import to_fullwidth_punct

logger = logging.getLogger(__name__)

TEXT = "text"
INT = "int"
DECIMAL = "decimal"

RANKING = "ranking"
REGISTER = "register"
UNIT_FORM = "unit_form"  # one unit's entry, to check, correct, stamp and return

# Who may read an export. Public: published with the notice (此件公开发布), never a name,
# phone or QQ number from the register. Internal: the centre's own use, marked on every page.
PUBLIC = "public"
INTERNAL = "internal"
AUDIENCES = (PUBLIC, INTERNAL)
INTERNAL_MARK = "内部资料\u3000注意保存"  # one full-width space between, as an office marks it

REGISTER_TITLE = "商南县政府网站管理责任人登记表"  # 附件3 of the notice: the blank 登记表
REGISTER_SUMMARY_TITLE = "商南县政府网站管理责任人汇总表"  # the internal compiled list of 登记信息
REGISTER_CHECK_TITLE = "商南县政府网站管理责任人登记信息核对表"  # one unit's sheet, to check and return
REGISTER_MIN_ROWS = 16  # blank numbered rows: one printed page to fill in by hand
TITLE_MAX_EM = 20.0  # 22 pt 二号 characters per line in the 156 mm type area

Value = str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """A leaf column: what it holds, its header text and its relative width in characters."""

    key: str
    header: str
    kind: str = TEXT
    width: float = 4.0


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the (possibly two-level) header; ``\\n`` in ``text`` is a preferred line break."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableRow:
    values: tuple[Value, ...]
    unit_id: int | None = None
    section: bool = False  # a group heading (its first value) set across the whole width


@dataclass(frozen=True)
class PageNumberStyle:
    """GB/T 9704 page numbers: ``— 5 —``, odd pages on the right, even on the left, one character in."""

    template: str = "— {n} —"
    odd: str = "right"
    even: str = "left"
    indent_chars: int = 1

    def text(self, n: int) -> str:
        return self.template.format(n=n)

    def side(self, n: int) -> str:
        return self.odd if n % 2 else self.even


@dataclass(frozen=True)
class AnnexTable:
    """Everything an annex shows, in the order it shows it; renderers only lay it out."""

    number: int
    kind: str
    title: str
    columns: tuple[Column, ...]
    header: tuple[HeaderCell, ...]
    rows: tuple[TableRow, ...]
    note: str = ""
    period_key: str | None = None
    group: str | None = None
    handwritten: bool = False  # rows are filled in by hand: taller rows
    page_numbers: PageNumberStyle | None = field(default_factory=PageNumberStyle)  # None: a form, unnumbered
    audience: str = PUBLIC  # PUBLIC or INTERNAL: see the module's constants
    subtitle: str = ""  # a line between the title and the table
    row_height: float | None = None  # points; overrides the default body row height
    max_body_size: float | None = None  # points: a dense table asks for 五号 (10.5) at most
    name: str = ""  # file name part after the label (default: the title)
    show_label: bool = True  # False: not an annex of the notice (汇总表, 核对表): no 附件N line
    landscape: bool = False  # A4 landscape (GB/T 9704 allows it for a wide table)
    tab: str = ""  # workbook tab of a table that is no annex (default 附件N)

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {AUDIENCES}, not {self.audience!r}")

    @property
    def label(self) -> str:
        """``附件3``; a table that is no annex goes by its short name (``汇总表``, ``核对表``)."""
        if not self.show_label and self.tab:
            return self.tab
        return f"附件{self.number}"

    @property
    def internal(self) -> bool:
        return self.audience == INTERNAL

    @property
    def marking(self) -> str:
        """The words every page of an internal export carries in its header; empty for public ones."""
        return INTERNAL_MARK if self.internal else ""

    @property
    def sheet_title(self) -> str:
        """The workbook tab: ``附件1``; an internal table says so: ``附件3（内部资料）``, ``汇总表（内部资料）``."""
        base = self.label
        return f"{base}（内部资料）" if self.internal else base

    def note_lines(self) -> list[str]:
        return [line for line in self.note.split("\n") if line.strip()]

    @property
    def header_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.header)

    def title_lines(self, max_em: float = TITLE_MAX_EM) -> tuple[str, ...]:
        return split_title(self.title, max_em)

    def display(self, value: Value, column: Column) -> str:
        return display_value(value, column)

    def display_rows(self) -> list[list[str]]:
        """Rows as the clerk reads them: ``30.4``, ``6``, ``0``; blanks as ``""``."""
        return [[display_value(v, c) for v, c in zip(r.values, self.columns)] for r in self.rows]


    def file_stem(self) -> str:
        """``附件2_2021年二季度县直有关部门…统计表``, safe as a Windows file name; without the label
        for a table that is no annex (``商南县政府网站管理责任人汇总表（内部资料）``)."""
        if not self.show_label:
            return safe_file_name(self.name or self.title)
        return safe_file_name(f"{self.label}_{self.name or self.title}")


def display_value(value: Value, column: Column | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def text_width(text: str) -> float:
    """Width in em of the body size: CJK and full-width characters 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


_BREAK_BEFORE = ("报送", "向县", "情况统计", "管理责任人")
_BREAK_AFTER = ("网站", ")", "）", "部门")


def _good_breaks(title: str) -> set[int]:
    good = set()
    for token in _BREAK_BEFORE:
        good.update(m.start() for m in re.finditer(re.escape(token), title))
    for token in _BREAK_AFTER:
        good.update(m.end() for m in re.finditer(re.escape(token), title))
    return {i for i in good if 0 < i < len(title)}


def split_title(title: str, max_em: float = TITLE_MAX_EM) -> tuple[str, ...]:
    """Title lines as the notice sets them: one line if it fits, else break at a word boundary.

    The first line is kept as long as possible (the notice's ``…向县政府网站`` /
    ``报送政务信息情况统计表``); a break inside a word is the last resort.
    """
    title = title.strip()
    if text_width(title) <= max_em or len(title) < 2:
        return (title,)
    good = _good_breaks(title)
    fitting = [i for i in range(1, len(title)) if text_width(title[:i]) <= max_em]
    choices = [i for i in fitting if i in good] or fitting or [1]
    cut = max(choices)
    return (title[:cut], *split_title(title[cut:], max_em))


_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_file_name(text: str, limit: int = 120) -> str:
    name = _BAD_FILE_CHARS.sub("_", text).strip(" .")
    return name[:limit] or "附件"


# ---- building the tables ------------------------------------------------


def rule_columns(rule: ScoringRule) -> list[Column]:
    """The columns after the unit's name, as the rule has them: one per metric (a decimal score
    is a DECIMAL column, a count an INT one), 采用率 when the rule shows it, 得分, and 排名 unless
    the rank method is none."""
    columns = []
    for metric in rule.metrics:
        kind = DECIMAL if metric.decimal else INT
        columns.append(Column(metric.key, metric.label, kind, max(text_width(metric.label) + 1.5, 5.0)))
    if rule.rate is not None:
        columns.append(Column(RATE_KEY, RATE_LABEL, TEXT, 5.5))
    columns.append(Column("score", "得分", DECIMAL, 5.5))
    if rule.ranked:
        columns.append(Column("rank", "排名", INT, 4.5))
    return columns


def rule_values(rule: ScoringRule, row: RankedRow) -> tuple[Value, ...]:
    """A ranked row's values for ``rule_columns``: the rate as printed (``57.1%``, “—” for 0 ÷ 0)."""
    values: list[Value] = list(row.counts)
    if rule.rate is not None:
        values.append(format_rate(row.rate))
    values.append(row.score)
    if rule.ranked:
        values.append(row.rank)
    return tuple(values)


RATE_KEY = "rate"


def ranking_table(sheet: PeriodSheet, group_index: int) -> AnnexTable:
    """附件N for the N-th group: rows in rank order, ties in unit order, the rule's note."""
    group_sheet: GroupSheet = sheet.groups[group_index]
    group = group_sheet.group
    rule = sheet.rule
    ranked = group_sheet.ranked()
    name_width = max([text_width(r.name) for r in ranked] + [text_width(group.unit_header), 8.0])
    columns = [Column("unit", group.unit_header, TEXT, min(name_width, 16.0) + 2)]
    columns.extend(rule_columns(rule))
    header = tuple(HeaderCell(c.header, 0, i) for i, c in enumerate(columns))
    rows = tuple(TableRow((r.name, *rule_values(rule, r)), r.unit_id) for r in ranked)
    return AnnexTable(
        number=group_index + 1,
        kind=RANKING,
        # Titles and notes are data (a database from an earlier version holds 各镇(办), 注:…,…):
        # printed with full-width punctuation whatever is stored.
        title=to_fullwidth_punct(group.title(sheet.period.label)),
        columns=tuple(columns),
        header=header,
        rows=rows,
        note=to_fullwidth_punct(rule.note_line()),
        period_key=sheet.period.key,
        group=group.name,
        audience=PUBLIC,  # counts and scores only: published with the notice
    )


REGISTER_COLUMNS = (
    Column("seq", "序号", INT, 3.5),
    Column("unit", "单位名称\n（加盖公章）", TEXT, 9.5),
    Column("leader_name", "姓名", TEXT, 4.5),
    Column("leader_title", "职务", TEXT, 4.5),
    Column("leader_phone", "联系电话\n（手机和固话）", TEXT, 8.5),
    Column("admin_name", "姓名", TEXT, 4.5),
    Column("admin_title", "职务", TEXT, 4.5),
    Column("admin_phone", "联系电话\n（手机和固话）", TEXT, 8.5),
    Column("qq", "QQ号码", TEXT, 5.5),
)
REGISTER_HEADER = (
    HeaderCell("序号", 0, 0, rowspan=2),
    HeaderCell("单位名称\n（加盖公章）", 0, 1, rowspan=2),
    HeaderCell("分管领导", 0, 2, colspan=3),
    HeaderCell("管理人员", 0, 5, colspan=3),
    HeaderCell("QQ号码", 0, 8, rowspan=2),
    HeaderCell("姓名", 1, 2),
    HeaderCell("职务", 1, 3),
    HeaderCell("联系电话\n（手机和固话）", 1, 4),
    HeaderCell("姓名", 1, 5),
    HeaderCell("职务", 1, 6),
    HeaderCell("联系电话\n（手机和固话）", 1, 7),
)


def register_table(number: int, *, min_rows: int = REGISTER_MIN_ROWS, period_key: str | None = None) -> AnnexTable:
    """附件3 as the notice sends it: the blank registration form, numbered rows up to ``min_rows`` (public).

    The form filled from the register (internal) is ``reports.register_export.filled_register_table``.
    """
    rows = tuple(TableRow((i,) + (None,) * (len(REGISTER_COLUMNS) - 1)) for i in range(1, min_rows + 1))
    return AnnexTable(
        number=number,
        kind=REGISTER,
        title=REGISTER_TITLE,
        columns=REGISTER_COLUMNS,
        header=REGISTER_HEADER,
        rows=rows,
        period_key=period_key,
        handwritten=True,
        audience=PUBLIC,
    )


def annex_count(sheet: PeriodSheet) -> int:
    """One annex per group, then the registration form."""
    return len(sheet.groups) + 1


def annex_table(sheet: PeriodSheet, number: int) -> AnnexTable:
    """附件``number`` (1-based): the N-th group's ranking, or the form after the last group."""
    if 1 <= number <= len(sheet.groups):
        return ranking_table(sheet, number - 1)
    if number == len(sheet.groups) + 1:
        return register_table(number, period_key=sheet.period.key)
    raise NotFoundError(f"没有附件{number}，本期共有附件1至附件{annex_count(sheet)}。")


def annex_tables(sheet: PeriodSheet) -> list[AnnexTable]:
    return [annex_table(sheet, n) for n in range(1, annex_count(sheet) + 1)]
