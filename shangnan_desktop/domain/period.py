"""Reporting periods: months (``2021M07``), quarters (``2021Q2``), half-years (``2021H1``) and years (``2021``).

A ``Period`` is ONE period of the database's kind, the unit in which counts are entered.
Do not confuse it with a ``span.Span`` (``domain/span.py``): a run of consecutive base periods
summed for a cumulative table. In a quarterly database ``parse_span("2021H1")`` is the run
2021Q1-2021Q2, whereas ``Period.parse("2021H1")`` is a half-year period of a half-yearly
database (``Period(2021, "H", 1)``); ``parse_span`` checks its own half-year and year forms
before it falls back to ``Period.parse``, so a span in a quarter database is never an H period.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from shangnan_desktop.domain.errors import ValidationError

QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
HALF_NAMES = {1: "上半年", 2: "下半年"}
_KINDS = {"M": 12, "Q": 4, "H": 2, "Y": 1}
KINDS = ("M", "Q", "H", "Y")  # monthly, quarterly, half-yearly, yearly
KIND_NAMES = {"M": "月份", "Q": "季度", "H": "半年", "Y": "年度"}
_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:([QqMmHh])\s*(\d{1,2}))?\s*$")
# As the clerk writes it: 2021年二季度, 2021年第二季度, 2021年第2季度, 2021年7月, 2021年度, 2021年.
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
               "十一": 11, "十二": 12}
_CN_QUARTER = re.compile(r"^(\d{4})年第?([一二三四1-4])季度$")
_CN_MONTH = re.compile(r"^(\d{4})年(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?$")
_CN_YEAR = re.compile(r"^(\d{4})年(?:度|全年)?$")
_CN_HALF = re.compile(r"^(\d{4})年?(上|下)半年(?:度)?$")


def _cn_number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUMBERS[text]


def _parse_chinese(text: str) -> "Period | None":
    compact = re.sub(r"\s+", "", text)
    if m := _CN_QUARTER.match(compact):
        return Period(int(m.group(1)), "Q", _cn_number(m.group(2)))
    if m := _CN_MONTH.match(compact):
        return Period(int(m.group(1)), "M", _cn_number(m.group(2)))
    if m := _CN_HALF.match(compact):
        return Period(int(m.group(1)), "H", 1 if m.group(2) == "上" else 2)
    if m := _CN_YEAR.match(compact):
        return Period(int(m.group(1)), "Y", 1)
    return None


@dataclass(frozen=True, order=True)
class Period:
    """A year plus a month, quarter or half number; ``kind`` is ``M``, ``Q``, ``H`` or ``Y``."""

    year: int
    kind: str = "Q"
    number: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValidationError(f"未知的统计期类型“{self.kind}”。")
        if not 2000 <= self.year <= 2100:
            raise ValidationError(f"年份{self.year}不合理，请输入2000至2100之间的年份。")
        if not 1 <= self.number <= _KINDS[self.kind]:
            what = {"Q": "季度", "M": "月份", "H": "半年", "Y": "年度"}[self.kind]
            raise ValidationError(f"{what}只能是1到{_KINDS[self.kind]}（输入了{self.number}），请核对后重新输入。")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``2021Q2``, ``2021M7``, ``2021H1``, ``2021`` or as the clerk writes it
        (``2021年第二季度``, ``2021年7月``, ``2021年上半年``, ``2021年度``); a clear message otherwise."""
        m = _PATTERN.match(str(text))
        if not m:
            found = _parse_chinese(str(text))
            if found is not None:
                return found
            raise ValidationError(
                f"无法识别统计期“{text}”，请按“2021Q2”或“2021年二季度”（季度）、“2021M07”或“2021年7月”（月份）、"
                "“2021H1”或“2021年上半年”（半年）、“2021”或“2021年度”（年度）的格式输入。"
            )
        year = int(m.group(1))
        if m.group(2) is None:
            return cls(year, "Y", 1)
        return cls(year, m.group(2).upper(), int(m.group(3)))

    @property
    def key(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "M":
            return f"{self.year}M{self.number:02d}"
        if self.kind == "H":
            return f"{self.year}H{self.number}"
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """How the notice writes it: ``2021年二季度``."""
        if self.kind == "Y":
            return f"{self.year}年度"
        if self.kind == "M":
            return f"{self.year}年{self.number}月"
        if self.kind == "H":
            return f"{self.year}年{HALF_NAMES[self.number]}"
        return f"{self.year}年{QUARTER_NAMES[self.number]}"

    @property
    def days(self) -> tuple[_dt.date, _dt.date]:
        """First and last day of the month, quarter, half-year or year."""
        if self.kind == "Y":
            return _dt.date(self.year, 1, 1), _dt.date(self.year, 12, 31)
        months = 12 // _KINDS[self.kind]
        first_month, last_month = months * (self.number - 1) + 1, months * self.number
        start = _dt.date(self.year, first_month, 1)
        after = _dt.date(self.year + 1, 1, 1) if last_month == 12 else _dt.date(self.year, last_month + 1, 1)
        return start, after - _dt.timedelta(days=1)

    def next(self) -> "Period":
        if self.kind == "Y":
            return Period(self.year + 1, "Y", 1)
        if self.number == _KINDS[self.kind]:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    def __str__(self) -> str:
        return self.key
