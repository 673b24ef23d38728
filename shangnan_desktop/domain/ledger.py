"""The item ledger (信息台账): every item a unit submitted in a period, and the counts derived from it.

Plain Python: a ledger item, a period's ledger with its duplicates and items outside the period's
dates, the per-unit source of counts (typed totals or derived from the ledger) and unit aliases
for the names article lists use.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from shangnan_desktop.domain.counts import MAX_COUNT
from shangnan_desktop.domain.errors import DomainError, NotFoundError, ValidationError
from shangnan_desktop.domain.period import Period
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.domain.text import clean_text, match_key, normalise_name

# ---- status -------------------------------------------------------------------------------
STATUS_ADOPTED = "采用"
STATUS_NOT_ADOPTED = "未采用"
STATUS_RETURNED = "退回"
STATUSES = (STATUS_ADOPTED, STATUS_NOT_ADOPTED, STATUS_RETURNED)

# How article lists and hand-kept 台账 write a status; matched after ``match_key``.
_STATUS_WORDS = {
    STATUS_ADOPTED: ("采用", "已采用", "采纳", "已采纳", "发布", "已发布", "已发表", "发表", "通过", "审核通过",
                     "已通过", "已审核", "上线", "已上线", "是"),
    STATUS_NOT_ADOPTED: ("未采用", "不采用", "未采纳", "未发布", "待审核", "未审核", "待审", "审核中", "待发布",
                         "未通过", "审核未通过", "否", "已报送", "报送", "待采用"),
    STATUS_RETURNED: ("退回", "已退回", "驳回", "已驳回", "退稿", "已退稿", "打回", "退回修改"),
}
_STATUS_INDEX = {match_key(word): status for status, words in _STATUS_WORDS.items() for word in words}

MAX_TITLE = 300  # characters; longer titles are cut by the import (and said so)
MAX_FIELD = 100  # 栏目
MAX_NOTE = 500


def parse_status(value: object) -> str:
    """采用, 未采用 or 退回 from what a list writes (已采用, 已发布, 审核通过, 驳回…); blank is 未采用."""
    if value is None:
        return STATUS_NOT_ADOPTED
    text = match_key(str(value))
    if not text:
        return STATUS_NOT_ADOPTED
    status = _STATUS_INDEX.get(text)
    if status is None:
        raise ValidationError(
            f"状态“{clean_text(str(value))[:20]}”无法识别，请改为“采用”“未采用”或“退回”。"
        )
    return status


# ---- titles and dates -----------------------------------------------------------------------
_TITLE_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """What makes two titles the same item: NFKC, case folded, spaces and punctuation removed."""
    return _TITLE_NOISE.sub("", unicodedata.normalize("NFKC", title).casefold())


def period_dates(period: Period) -> tuple[_dt.date, _dt.date]:
    """First and last day of a month, quarter, half-year or year."""
    return period.days


def format_date(day: _dt.date | None) -> str:
    return day.isoformat() if day else ""


# ---- items ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerItem:
    """One item a unit submitted: build it with ``LedgerItem.create`` (cleans and checks the text).

    ``keep`` is the clerk's override: the item counts even if it is flagged as a duplicate or
    dated outside the period. ``source_row`` is the row of the article list it came from
    (``None`` for an item added by hand); ``id`` is the storage's.
    """

    unit_id: int
    title: str
    submitted_on: _dt.date | None = None
    status: str = STATUS_NOT_ADOPTED
    published_on: _dt.date | None = None
    column: str = ""
    note: str = ""
    source_row: int | None = None
    keep: bool = False
    id: int | None = None
    key: str = field(default="", compare=False, repr=False)  # title_key(title), filled in

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValidationError(f"状态“{self.status}”无效，只能是“采用”“未采用”或“退回”。")
        if not self.title:
            raise ValidationError("标题不能为空，请填写信息标题。")
        if not self.key:
            object.__setattr__(self, "key", title_key(self.title))

    @classmethod
    def create(
        cls,
        unit_id: int,
        title: object,
        submitted_on: _dt.date | None = None,
        status: object = STATUS_NOT_ADOPTED,
        published_on: _dt.date | None = None,
        column: object = "",
        note: object = "",
        *,
        source_row: int | None = None,
        keep: bool = False,
        id: int | None = None,
    ) -> "LedgerItem":
        """An item from typed or imported values; ``ValidationError`` with a Chinese message otherwise."""
        text = clean_text(str(title)) if title is not None else ""
        if not text:
            raise ValidationError("标题不能为空，请填写信息标题。")
        if len(text) > MAX_TITLE:
            raise ValidationError(f"标题过长（{len(text)}个字，最多{MAX_TITLE}个字），请缩短后再输入。")
        if submitted_on and published_on and published_on < submitted_on:
            raise ValidationError(
                f"发布日期{format_date(published_on)}早于报送日期{format_date(submitted_on)}，请核对日期。"
            )
        return cls(
            unit_id=unit_id,
            title=text,
            submitted_on=submitted_on,
            status=parse_status(status) if status not in STATUSES else status,
            published_on=published_on,
            column=_short(column, MAX_FIELD),
            note=_short(note, MAX_NOTE),
            source_row=source_row,
            keep=keep,
            id=id,
        )

    @property
    def date(self) -> _dt.date | None:
        """The date that places the item in a period: its submission date, else its publication date."""
        return self.submitted_on or self.published_on

    @property
    def adopted(self) -> bool:
        return self.status == STATUS_ADOPTED


def _short(value: object, limit: int) -> str:
    return clean_text(str(value))[:limit] if value is not None else ""


# ---- a period's ledger ----------------------------------------------------------------------
@dataclass(frozen=True)
class Duplicate:
    """Item ``index`` repeats item ``first`` (same unit, same title within the period): not counted."""

    index: int
    first: int


class PeriodLedger:
    """A period's items; which count, which repeat, which lie outside the period's dates.

    An item counts unless it repeats an earlier one of the same unit and title, or its date lies
    outside the period — in both cases the clerk may keep it (``LedgerItem.keep``). Of repeated
    items the one counted is the first adopted one, else the first: a resubmitted and then
    adopted item counts as one adopted item. Items without any date count (nothing says otherwise).
    """

    def __init__(self, period: Period, items: Iterable[LedgerItem] = ()) -> None:
        self.period = period
        self.start, self.end = period_dates(period)
        self.items: tuple[LedgerItem, ...] = tuple(items)  # a new ledger for a changed list
        self._analyse()

    def _analyse(self) -> None:
        start, end = self.start, self.end
        outside: list[int] = []
        groups: dict[tuple[int, str], list[int]] = {}
        for i, item in enumerate(self.items):
            day = item.submitted_on or item.published_on
            if day is not None and not (start <= day <= end):
                outside.append(i)
                if not item.keep:
                    continue
            groups.setdefault((item.unit_id, item.key), []).append(i)
        self._outside = outside
        duplicates: list[Duplicate] = []
        counted: list[int] = []
        items = self.items
        for indices in groups.values():
            if len(indices) == 1:
                counted.append(indices[0])
                continue
            first = next((i for i in indices if items[i].status == STATUS_ADOPTED), indices[0])
            counted.append(first)
            for i in indices:
                if i == first:
                    continue
                duplicates.append(Duplicate(i, first))
                if items[i].keep:
                    counted.append(i)
        duplicates.sort(key=lambda d: d.index)
        counted.sort()
        self._duplicates = duplicates
        self._counted = counted
        self._counted_set = set(counted)
        self._outside_set = set(outside)
        self._counts: dict[int, dict[str, int]] | None = None

    # -- what the clerk is shown
    def outside(self) -> list[int]:
        """Indices of items dated outside the period (kept ones included: they are still listed)."""
        return list(self._outside)

    def duplicates(self) -> list[Duplicate]:
        """Every repeat of an earlier item, kept or not."""
        return list(self._duplicates)

    def undated(self) -> list[int]:
        return [i for i, item in enumerate(self.items) if item.date is None]

    def counted(self) -> list[int]:
        """Indices of the items that count, in ledger order."""
        return list(self._counted)

    def is_counted(self, index: int) -> bool:
        return index in self._counted_set

    def not_counted_reason(self, index: int) -> str:
        """Why item ``index`` does not count (``""`` if it does)."""
        if index in self._counted_set:
            return ""
        if index in self._outside_set:
            return "不在本期"
        return "重复"

    # -- counts
    def counts(self) -> dict[int, dict[str, int]]:
        """unit id → {submitted: items counted, adopted: of those with status 采用}."""
        if self._counts is not None:
            return {unit_id: dict(c) for unit_id, c in self._counts.items()}
        out: dict[int, dict[str, int]] = {}
        items = self.items
        for i in self._counted:
            item = items[i]
            entry = out.get(item.unit_id)
            if entry is None:
                entry = out[item.unit_id] = {SUBMITTED: 0, ADOPTED: 0}
            entry[SUBMITTED] += 1
            if item.status == STATUS_ADOPTED:
                entry[ADOPTED] += 1
        self._counts = out
        return {unit_id: dict(c) for unit_id, c in out.items()}

    def unit_counts(self, unit_id: int) -> dict[str, int]:
        if self._counts is None:
            self.counts()
        return dict(self._counts.get(unit_id, {SUBMITTED: 0, ADOPTED: 0}))

    def unit_items(self, unit_id: int) -> list[int]:
        """Indices of a unit's items, counted or not, in ledger order."""
        return [i for i, item in enumerate(self.items) if item.unit_id == unit_id]

    def units(self) -> list[int]:
        seen: dict[int, None] = {}
        for item in self.items:
            seen.setdefault(item.unit_id, None)
        return list(seen)


# ---- source of counts ---------------------------------------------------------------------
TYPED = "typed"  # the clerk types the totals (as before the ledger)
DERIVED = "derived"  # submitted and adopted are counted from the unit's ledger items
SOURCES = (TYPED, DERIVED)
SOURCE_LABELS = {TYPED: "直接输入", DERIVED: "按台账统计"}


class DerivedCountsError(DomainError):
    """Typing over counts that are derived from the ledger: ``unit_name`` and ``period`` say whose (the
    command line adds its own way to switch the unit back to typed totals)."""

    def __init__(self, message: str, unit_name: str = "", period: Period | None = None) -> None:
        super().__init__(message)
        self.unit_name = unit_name
        self.period = period


def source_label(source: str) -> str:
    return SOURCE_LABELS[source]


@dataclass
class CountSources:
    """Per unit of one period: typed totals (the default) or counts derived from the ledger."""

    derived: set[int] = field(default_factory=set)

    def source(self, unit_id: int) -> str:
        return DERIVED if unit_id in self.derived else TYPED

    def set_source(self, unit_id: int, source: str) -> None:
        if source not in SOURCES:
            raise ValidationError(f"条数来源“{source}”无效。")
        if source == DERIVED:
            self.derived.add(unit_id)
        else:
            self.derived.discard(unit_id)

    def check_typed_edit(self, unit_id: int, unit_name: str, period: Period) -> None:
        """Raise ``DerivedCountsError`` if the unit's counts come from the ledger."""
        if unit_id in self.derived:
            raise DerivedCountsError(
                f"“{unit_name}”{period.label}的报送信息和采用信息按台账统计，不能直接修改。"
                f"请在台账中增删或修改该单位的信息；如要直接输入条数，请先把该单位的条数来源"
                f"切换为“{SOURCE_LABELS[TYPED]}”（台账保留，但不再用于统计）。",
                unit_name, period,
            )

    def effective_counts(
        self, typed: Mapping[int, Mapping[str, int]], ledger: PeriodLedger
    ) -> dict[int, dict[str, int]]:
        """unit id → counts: typed totals, or the ledger's for units whose source is derived."""
        derived = ledger.counts() if self.derived else {}
        out = {unit_id: dict(counts) for unit_id, counts in typed.items()}
        for unit_id in self.derived:
            out[unit_id] = derived.get(unit_id, {SUBMITTED: 0, ADOPTED: 0})
        return out


# ---- unit names and aliases ---------------------------------------------------------------
EXACT = "exact"
ALIAS = "alias"
MAX_CANDIDATES = 5
MIN_SCORE = 0.3
TAIL_CHARS, TAIL_WEIGHT = 2, 0.1


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    name: str
    score: float


@dataclass(frozen=True)
class NameMatch:
    """How a name from an article list was matched: ``EXACT``, ``ALIAS`` or not at all (``how`` is "")."""

    name: str
    unit_id: int | None
    how: str = ""
    candidates: tuple[Candidate, ...] = ()

    @property
    def matched(self) -> bool:
        return self.unit_id is not None


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence: a Chinese abbreviation keeps its full name's characters in order."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            if ch == other:
                current.append(previous[j - 1] + 1)
            else:
                current.append(current[j - 1] if current[j - 1] > previous[j] else previous[j])
        previous = current
    return previous[-1]


def name_similarity(a: str, b: str) -> float:
    """0…1.1: the mean share of each name's characters in their common subsequence, plus a little for
    a common ending (the head noun: 局, 大队, 中心).

    商南县文化和旅游广电局 and 县文旅局 share 县文旅局 in order: all of the short name, a third
    of the long one; 县公安局 shares only 县…局. 商南县公安局交通警察大队 shares four characters with
    both 县公安局 and 交警大队; the ending 大队 decides for the brigade.
    """
    a, b = match_key(a), match_key(b)
    if not a or not b:
        return 0.0
    common = _lcs(a, b)
    tail = 0
    while tail < min(len(a), len(b), TAIL_CHARS) and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return (common / len(a) + common / len(b)) / 2 + TAIL_WEIGHT * tail / TAIL_CHARS


class UnitMatcher:
    """Matches names from article lists to units: exactly, then by alias, else offers the closest units."""

    def __init__(self, units: Iterable[tuple[int, str]], aliases: Mapping[int, Iterable[str]] | None = None) -> None:
        self.names: dict[int, str] = {}
        self._exact: dict[str, int] = {}
        self._alias: dict[str, int] = {}
        self.aliases: dict[int, list[str]] = {}
        self._cache: dict[str, NameMatch] = {}
        for unit_id, name in units:
            self.names[unit_id] = name
            self._exact.setdefault(match_key(name), unit_id)
        for unit_id, names in (aliases or {}).items():
            for alias in names:
                self.add_alias(unit_id, alias)

    def match(self, name: str) -> NameMatch:
        key = match_key(name)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._exact:
            result = NameMatch(name, self._exact[key], EXACT)
        elif key in self._alias:
            result = NameMatch(name, self._alias[key], ALIAS)
        else:
            result = NameMatch(name, None, "", tuple(self.candidates(name)))
        self._cache[key] = result
        return result

    def candidates(self, name: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """The closest units, best first (a unit's aliases count as its names)."""
        scored = []
        for unit_id, unit_name in self.names.items():
            score = max(name_similarity(name, n) for n in (unit_name, *self.aliases.get(unit_id, ())))
            if score >= MIN_SCORE:
                scored.append(Candidate(unit_id, unit_name, round(score, 3)))
        scored.sort(key=lambda c: (-c.score, c.unit_id))
        return scored[:limit]

    def add_alias(self, unit_id: int, alias: str) -> str:
        """Remember ``alias`` for the unit; returns it as stored. Refuses a name taken by another unit."""
        if unit_id not in self.names:
            raise NotFoundError("没有这个单位，请先在“单位”中新增。")
        stored = normalise_name(alias, what="别名")
        key = match_key(stored)
        owner = self._exact.get(key, self._alias.get(key))
        if owner is not None and owner != unit_id:
            raise ValidationError(
                f"“{stored}”已是“{self.names[owner]}”的名称或别名，不能再作为“{self.names[unit_id]}”的别名。"
            )
        if owner is None:
            self._alias[key] = unit_id
            self.aliases.setdefault(unit_id, []).append(stored)
        self._cache.pop(key, None)
        return stored

    def alias_list(self) -> list[tuple[int, str]]:
        return [(unit_id, alias) for unit_id, names in self.aliases.items() for alias in names]


def derived_rule_counts(counts: Mapping[str, int], keys: Sequence[str]) -> tuple[int, ...]:
    """Ledger counts in a scoring rule's metric order; a metric the ledger cannot count is refused."""
    unknown = [k for k in keys if k not in (SUBMITTED, ADOPTED)]
    if unknown:
        raise ValidationError("评分规则中有台账无法统计的项目，该单位请直接输入条数。")
    values = tuple(counts.get(k, 0) for k in keys)
    if max(values, default=0) > MAX_COUNT:
        raise ValidationError(
            f"台账中该单位本期计入{max(values)}条，超过{MAX_COUNT}条，不可能是一个单位的报送信息，请核对导入的文件。"
        )
    return values
