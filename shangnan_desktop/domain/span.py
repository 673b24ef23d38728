"""Runs of periods: a year (``2021``), a half-year (``2021H1``), a range (``2021Q1-2021Q3``) or one period."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.period import HALF_NAMES, QUARTER_NAMES, Period
from shangnan_desktop.domain.text import clean_text

PER_YEAR = {"Q": 4, "M": 12, "H": 2, "Y": 1}
KIND_NAMES = {"Q": "季度", "M": "月份", "H": "半年", "Y": "年度"}

YEAR = "year"
HALF = "half"
RANGE = "range"
SINGLE = "single"

_SEPARATORS = "-~至到—–"  # after NFKC: 全角 －/～ fold to - and ~
_HALF_WORDS = {"上": 1, "下": 2}
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
               "十一": 11, "十二": 12}

_YEAR_RE = re.compile(r"^(\d{4})(?:年|年度|年全年|全年)?$")
_HALF_RE = re.compile(r"^(\d{4})H([12])$")
_HALF_CN_RE = re.compile(r"^(\d{4})年?(上|下)半年(?:度)?$")
# 2021年1-3季度, 2021年一至三季度, 2021年1-6月
_CN_RANGE_RE = re.compile(
    r"^(\d{4})年第?([一二三四五六七八九十]+|\d{1,2})(?:季度)?[-~至到—–]第?([一二三四五六七八九十]+|\d{1,2})(季度|月)(?:份)?$"
)

FORMAT_HINT = "2021（全年）、2021H1（上半年）、2021H2（下半年）、2021Q1-2021Q3（范围）或2021Q2（单个季度）"
RANGE_EXAMPLES = {"Q": "2021Q1-2021Q3", "M": "2021M01-2021M06", "H": "2020H2-2021H1", "Y": "2017-2021"}


def previous_period(period: Period) -> Period:
    """The period just before, of the same kind: 2021Q1 → 2020Q4, 2021M01 → 2020M12, 2021 → 2020."""
    if period.number > 1:
        return Period(period.year, period.kind, period.number - 1)
    if period.year <= 2000:
        raise ValidationError(f"{period.label}之前没有可比较的期间。")
    return Period(period.year - 1, period.kind, PER_YEAR[period.kind])


def _ordinal(period: Period) -> int:
    return period.year * PER_YEAR[period.kind] + period.number - 1


def _from_ordinal(kind: str, ordinal: int) -> Period:
    year, index = divmod(ordinal, PER_YEAR[kind])
    return Period(year, kind, index + 1)


def _short_label(period: Period) -> str:
    """The label without its year: 三季度, 7月."""
    if period.kind == "Q":
        return QUARTER_NAMES[period.number]
    if period.kind == "M":
        return f"{period.number}月"
    if period.kind == "H":
        return HALF_NAMES[period.number]
    return f"{period.year}年"


@dataclass(frozen=True)
class Span:
    """Consecutive periods of one kind, first to last inclusive."""

    first: Period
    last: Period

    def __post_init__(self) -> None:
        if self.first.kind != self.last.kind:
            raise ValidationError("期间范围的两端必须是同一种期间（同为季度或同为月份）。")
        if self.last < self.first:
            raise ValidationError(
                f"期间范围的结束期（{self.last.label}）早于开始期（{self.first.label}），请把较早的期间写在前面。"
            )

    # ---- what it holds --------------------------------------------------
    @property
    def kind(self) -> str:
        return self.first.kind

    @property
    def members(self) -> tuple[Period, ...]:
        start, end = _ordinal(self.first), _ordinal(self.last)
        return tuple(_from_ordinal(self.kind, o) for o in range(start, end + 1))

    def __len__(self) -> int:
        return _ordinal(self.last) - _ordinal(self.first) + 1

    def __contains__(self, period: object) -> bool:
        return (
            isinstance(period, Period) and period.kind == self.kind
            and _ordinal(self.first) <= _ordinal(period) <= _ordinal(self.last)
        )

    @property
    def form(self) -> str:
        """YEAR, HALF, SINGLE or RANGE, whatever the spelling it was typed in."""
        per = PER_YEAR[self.kind]
        if len(self) == 1 and per != 1:
            return SINGLE
        same_year = self.first.year == self.last.year
        if same_year and self.first.number == 1 and self.last.number == per:
            return YEAR
        if same_year and per % 2 == 0 and len(self) == per // 2 and self.first.number in (1, per // 2 + 1):
            return HALF
        return RANGE

    @property
    def within_one_year(self) -> bool:
        return self.first.year == self.last.year

    @property
    def is_single(self) -> bool:
        return self.form == SINGLE

    # ---- how it is written ----------------------------------------------
    @property
    def key(self) -> str:
        """Canonical spelling: ``2021``, ``2021H1``, ``2021Q1-2021Q3``, ``2017-2021``, ``2021Q2``."""
        form = self.form
        if form == SINGLE:
            return self.first.key
        if form == YEAR:
            return f"{self.first.year}"
        if form == HALF:
            return f"{self.first.year}H{1 if self.first.number == 1 else 2}"
        if self._whole_years():
            return f"{self.first.year}-{self.last.year}"
        return f"{self.first.key}-{self.last.key}"

    @property
    def label(self) -> str:
        """As a title writes it: 2021年度, 2021年上半年, 2021年1-3季度, 2020年四季度至2021年二季度."""
        form = self.form
        if form == SINGLE:
            return self.first.label
        if form == YEAR:
            return f"{self.first.year}年度"
        if form == HALF:
            return f"{self.first.year}年{'上' if self.first.number == 1 else '下'}半年"
        if self._whole_years():
            return f"{self.first.year}-{self.last.year}年度"
        if self.within_one_year and self.kind in ("Q", "M"):
            unit = "季度" if self.kind == "Q" else "月"
            return f"{self.first.year}年{self.first.number}-{self.last.number}{unit}"
        return f"{self.first.label}至{self.last.label}"

    def short_label(self, period: Period) -> str:
        """A member's label as a note inside this span says it: without the year when the span is one year."""
        return _short_label(period) if self.within_one_year and period.kind != "Y" else period.label

    def _whole_years(self) -> bool:
        return self.first.number == 1 and self.last.number == PER_YEAR[self.kind]

    def __str__(self) -> str:
        return self.key

    # ---- neighbours and availability ------------------------------------
    def previous(self) -> Span:
        """The run of the same length just before: 2021 → 2020, 2021H1 → 2020H2, 2021Q2 → 2021Q1."""
        n = len(self)
        start = _ordinal(self.first) - n
        if start < _ordinal(Period(2000, self.kind, 1)):
            raise ValidationError(f"{self.label}之前没有可比较的期间。")
        return Span(_from_ordinal(self.kind, start), _from_ordinal(self.kind, start + n - 1))

    def missing(self, available: Iterable[Period]) -> list[Period]:
        have = set(available)
        return [p for p in self.members if p not in have]

    def require(self, available: Iterable[Period]) -> tuple[Period, ...]:
        """The members, or a ValidationError naming every member that has no data yet."""
        have = set(available)
        absent = [p for p in self.members if p not in have]
        if not absent:
            return self.members
        names = "、".join(p.label for p in absent)
        text = f"{self.label}的数据不完整：缺少{names}，请先新建并录入{'这些期间' if len(absent) > 1 else '该期间'}"
        present = []
        for p in self.members:
            if p not in have:
                break
            present.append(p)
        if present:
            hint = Span(present[0], present[-1]).key
            text += f"，或改为只统计已有的期间（如“{hint}”）"
        raise ValidationError(text + "。")


def single(period: Period) -> Span:
    return Span(period, period)


def year_span(year: int, kind: str = "Q") -> Span:
    per = PER_YEAR[kind]
    return Span(Period(year, kind, 1), Period(year, kind, per))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUMBERS.get(text, 0)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", clean_text(str(text))).replace(" ", "")
    return text.upper()


def _unrecognised(text: object) -> ValidationError:
    return ValidationError(f"无法识别期间“{clean_text(str(text))[:30]}”。请按{FORMAT_HINT}的格式输入。")


def _endpoint(text: str, kind: str | None, *, end: bool) -> Period:
    """One side of a range: a period of the base kind, or a whole year (its first or last member)."""
    period = Period.parse(text)
    if period.kind == "Y" and kind != "Y":
        base = kind or "Q"
        return Period(period.year, base, PER_YEAR[base] if end else 1)
    if period.kind == "H" and kind != "H":  # 2021H1 as a range end: its first or last base period
        half = _half(period.year, period.number, kind or "Q")
        return half.last if end else half.first
    return period


def parse_span(text: object, kind: str | None = None) -> Span:
    """A span from what the clerk typed; ``kind`` is the base kind of the database's periods (default quarters).

    ``2021`` (or 2021年、2021年度), ``2021H1``/``2021H2`` (or 2021年上半年), ``2021Q1-2021Q3``
    (or 2021Q1-Q3, 2021年1-3季度, 2021年一至三季度), ``2017-2021``, or one period (``2021Q2``).
    """
    if kind is not None and kind not in PER_YEAR:
        raise ValueError(kind)
    raw = _normalise(text)
    if not raw:
        raise ValidationError(f"请输入期间，如{FORMAT_HINT}。")
    base = kind or "Q"
    if m := _YEAR_RE.match(raw):
        return year_span(_year(m.group(1)), base)
    if (m := _HALF_RE.match(raw)) or (m := _HALF_CN_RE.match(raw)):
        year = _year(m.group(1))
        half = _HALF_WORDS.get(m.group(2)) or int(m.group(2))
        return _half(year, half, base)
    if m := _CN_RANGE_RE.match(raw):
        unit_kind = "Q" if m.group(4) == "季度" else "M"
        if kind is not None and kind != unit_kind:
            raise _kind_mismatch(text, unit_kind, kind)
        year = _year(m.group(1))
        a, b = _number(m.group(2)), _number(m.group(3))
        if not (1 <= a <= PER_YEAR[unit_kind] and 1 <= b <= PER_YEAR[unit_kind]):
            raise ValidationError(
                f"“{clean_text(str(text))}”中的{KIND_NAMES[unit_kind]}只能是1到{PER_YEAR[unit_kind]}，请核对。"
            )
        return Span(Period(year, unit_kind, a), Period(year, unit_kind, b))
    parts = _split_range(raw)
    if parts is None:
        try:
            period = Period.parse(raw)
        except ValidationError:
            raise _unrecognised(text) from None
        if period.kind == "Y":
            return year_span(period.year, base)
        if kind is not None and period.kind != kind:
            raise _kind_mismatch(text, period.kind, kind)
        return single(period)
    left, right = parts
    if not left or not right:
        raise _unrecognised(text)
    if not right[:4].isdigit():  # 2021Q1-Q3: the year of the first end
        right = left[:4] + right
    try:
        first = _endpoint(left, kind, end=False)
        last = _endpoint(right, kind, end=True)
    except ValidationError as exc:
        raise ValidationError(f"期间范围“{clean_text(str(text))}”有误：{exc}") from None
    if first.kind != last.kind:
        raise ValidationError(
            f"期间范围“{clean_text(str(text))}”的两端不是同一种期间（{KIND_NAMES[first.kind]}与"
            f"{KIND_NAMES[last.kind]}），请统一按{KIND_NAMES[first.kind]}输入。"
        )
    if kind is not None and first.kind != kind:
        raise _kind_mismatch(text, first.kind, kind)
    return Span(first, last)


def _year(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年份{year}不合理，请输入2000至2100之间的年份。")
    return year


def _half(year: int, half: int, kind: str) -> Span:
    per = PER_YEAR[kind]
    if per % 2:
        raise ValidationError("按年度记录的数据不能按半年统计，请输入整年（如“2021”）。")
    size = per // 2
    start = 1 if half == 1 else size + 1
    return Span(Period(year, kind, start), Period(year, kind, start + size - 1))


def _split_range(raw: str) -> tuple[str, str] | None:
    for i, ch in enumerate(raw):
        if ch in _SEPARATORS:
            return raw[:i], raw[i + 1 :]
    return None


def _kind_mismatch(text: object, given: str, kind: str) -> ValidationError:
    return ValidationError(
        f"“{clean_text(str(text))}”是按{KIND_NAMES[given]}的期间，而数据按{KIND_NAMES[kind]}记录，"
        f"请按{KIND_NAMES[kind]}输入（如“{RANGE_EXAMPLES[kind]}”）。"
    )
