"""One period's counts, scores, ranks and summary, updated one edit at a time."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from shangnan_desktop.domain.errors import LockedError, NotFoundError
from shangnan_desktop.domain.period import Period
from shangnan_desktop.domain.ranking import RankIndex, ranked_order
from shangnan_desktop.domain.rule import SUBMITTED, ScoringRule, format_decimal
from shangnan_desktop.domain.units import Group


@dataclass
class Row:
    """A unit as it stands in one period: the name it had then, its counts."""

    unit_id: int
    name: str
    counts: tuple[int | Decimal, ...]  # ints for counts, Decimals for decimal scores


@dataclass(frozen=True)
class RankedRow:
    unit_id: int
    name: str
    counts: tuple[int | Decimal, ...]
    score: Decimal
    rank: int | None  # None under rank method none
    rate: Decimal | None = None  # 采用率 (percent, one decimal) when the rule has it; None for 0 ÷ 0


class GroupSheet:
    """The rows of one group in unit order, with exact scores and live ranks."""

    def __init__(self, group: Group, rule: ScoringRule, rows: Iterable[Row]) -> None:
        self.group = group
        self.rule = rule
        self.rows: list[Row] = list(rows)
        self._index_of = {r.unit_id: i for i, r in enumerate(self.rows)}
        self.scores: list[Decimal] = [rule.score(r.counts) for r in self.rows]
        self._ranks = RankIndex(self.scores, rule.rank_method)
        width = len(rule.metrics)
        self.totals = [sum(r.counts[k] for r in self.rows) for k in range(width)]
        self._zero_key = rule.index(SUBMITTED) if SUBMITTED in rule.keys else None

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def name(self) -> str:
        return self.group.name

    def index_of(self, unit_id: int) -> int:
        try:
            return self._index_of[unit_id]
        except KeyError:
            raise NotFoundError("该单位不在本期名单中。") from None

    def has_unit(self, unit_id: int) -> bool:
        return unit_id in self._index_of

    def rank(self, row: int) -> int | None:
        return self._ranks.rank_of(self.scores[row])

    def set_counts(self, row: int, counts: Sequence[int | Decimal]) -> tuple[Decimal, Decimal]:
        """Replace a row's (already validated) counts; returns the old and new score."""
        old_counts = self.rows[row].counts
        counts = tuple(counts)
        self.rows[row].counts = counts
        for k, (a, b) in enumerate(zip(old_counts, counts)):
            self.totals[k] += b - a
        old = self.scores[row]
        new = self.rule.score(counts)
        self.scores[row] = new
        self._ranks.replace(old, new)
        return old, new

    def is_zero(self, row: int) -> bool:
        counts = self.rows[row].counts
        if self._zero_key is not None:
            return counts[self._zero_key] == 0
        return not any(counts)

    def zero_rows(self) -> list[int]:
        """Rows of units that submitted nothing, in unit order."""
        return [i for i in range(len(self.rows)) if self.is_zero(i)]

    def top(self, n: int) -> list[int]:
        """The first ``n`` rows in rank order, without sorting the whole group."""
        scores = self.scores
        return heapq.nsmallest(n, range(len(scores)), key=lambda i: (-scores[i], i))

    def ranked(self) -> list[RankedRow]:
        """Rows in rank order, ties keeping the unit order; rank method none: unit order."""
        if not self.rule.ranked:
            return self.in_unit_order()
        return [self.ranked_row(i) for i in ranked_order(self.scores)]

    def ranked_row(self, i: int) -> RankedRow:
        r = self.rows[i]
        return RankedRow(r.unit_id, r.name, r.counts, self.scores[i], self.rank(i), self.rule.rate_of(r.counts))

    def in_unit_order(self) -> list[RankedRow]:
        return [self.ranked_row(i) for i in range(len(self.rows))]


@dataclass(frozen=True)
class GroupSummary:
    name: str
    units: int
    totals: tuple[int | Decimal, ...]
    zero_units: tuple[str, ...]
    top_units: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    period: Period
    rule: ScoringRule
    groups: tuple[GroupSummary, ...]
    totals: tuple[int, ...]
    centre_published: int | None
    zero_units: tuple[str, ...] = field(default=())

    @property
    def units(self) -> int:
        return sum(g.units for g in self.groups)

    def total(self, key: str) -> int:
        return self.totals[self.rule.index(key)]

    @property
    def total_published(self) -> int | None:
        """Adopted items plus the centre's own (546 + 1769 = 2315 in 2021 Q2)."""
        if self.centre_published is None or "adopted" not in self.rule.keys:
            return None
        return self.total("adopted") + self.centre_published

    def _amounts(self, totals: Sequence[int | Decimal]) -> str:
        """``报送信息132条，采用信息107条``; a decimal score's total in 分: ``公开率得分60.5分``."""
        return "，".join(
            f"{m.label}{format_decimal(Decimal(v))}分" if m.decimal else f"{m.label}{v}条"
            for m, v in zip(self.rule.metrics, totals)
        )

    def as_text(self) -> str:
        lines = [f"{self.period.label}信息报送汇总"]
        for g in self.groups:
            counts = self._amounts(g.totals)
            lines.append(f"{g.name}：{g.units}个单位，{counts}")
            if g.top_units:
                lines.append(f"  前三名：{'、'.join(g.top_units)}")
        counts = self._amounts(self.totals)
        lines.append(f"合计：{self.units}个单位，{counts}")
        if self.zero_units:
            lines.append(f"零报送单位{len(self.zero_units)}个：{'、'.join(self.zero_units)}")
        else:
            lines.append("零报送单位：无")
        if self.centre_published is None:
            lines.append("县电子政务中心采编发布：未录入")
        else:
            lines.append(f"县电子政务中心采编发布{self.centre_published}条")
            lines.append(f"共发布各类信息{self.total_published}条")
        return "\n".join(lines)


class PeriodSheet:
    """Everything shown for one period: its rule, lock state and one sheet per group."""

    def __init__(
        self,
        period: Period,
        rule: ScoringRule,
        groups: Sequence[GroupSheet],
        *,
        locked: bool = False,
        centre_published: int | None = None,
    ) -> None:
        self.period = period
        self.rule = rule
        self.groups = list(groups)
        self.locked = locked
        self.centre_published = centre_published

    def group(self, name_or_id: str | int) -> GroupSheet:
        for g in self.groups:
            if g.group.name == name_or_id or g.group.id == name_or_id:
                return g
        names = "、".join(g.group.name for g in self.groups)
        raise NotFoundError(f"没有名为“{name_or_id}”的分组，可选：{names}。")

    def locate(self, unit_id: int) -> tuple[GroupSheet, int]:
        for g in self.groups:
            if g.has_unit(unit_id):
                return g, g.index_of(unit_id)
        raise NotFoundError("该单位不在本期名单中。")

    def check_editable(self) -> None:
        if self.locked:
            raise LockedError(f"{self.period.label}已定稿，不能修改。如需修改，请先解除定稿。")

    def summary(self, top: int = 3) -> Summary:
        width = len(self.rule.metrics)
        groups = []
        zero: list[str] = []
        for g in self.groups:
            zero_names = tuple(g.rows[i].name for i in g.zero_rows())
            zero.extend(zero_names)
            top_names = tuple(g.rows[i].name for i in g.top(top) if g.scores[i] > 0)
            groups.append(GroupSummary(g.name, len(g), tuple(g.totals), zero_names, top_names))
        totals = tuple(sum(g.totals[k] for g in self.groups) for k in range(width))
        return Summary(self.period, self.rule, tuple(groups), totals, self.centre_published, tuple(zero))
