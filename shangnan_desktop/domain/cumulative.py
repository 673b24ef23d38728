"""Across periods: cumulative rankings over a span, rank changes against the previous period, a unit's history.

Plain Python over the per-period domain objects: a ``PeriodRun`` is one ``PeriodSheet`` per member period
(each with its own rule) plus the units as they stand now. Units are followed by id, so a renamed unit keeps
its history; scores are exact decimals, each period scored under its own rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from shangnan_desktop.domain.errors import NotFoundError, ValidationError
from shangnan_desktop.domain.period import Period
from shangnan_desktop.domain.ranking import rank, ranked_order
from shangnan_desktop.domain.rule import RANK_METHODS, Metric, ScoringRule, format_decimal
from shangnan_desktop.domain.sheet import PeriodSheet
from shangnan_desktop.domain.span import Span, single
from shangnan_desktop.domain.units import Group, Unit

NEW = "新增"
SAME = "持平"


# ---- the input ------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodRun:
    """What a cumulative table or a history is computed from: one sheet per member period, in order.

    ``units`` (optional) are the units as they stand now: their order breaks ties and their
    ``active`` flag tells a retired unit. The application layer fills it from storage with ``load``.
    """

    span: Span
    sheets: tuple[PeriodSheet, ...]
    units: tuple[Unit, ...] = ()

    def __post_init__(self) -> None:
        got = tuple(s.period for s in self.sheets)
        if got != self.span.members:
            missing = [p for p in self.span.members if p not in got]
            if missing:
                self.span.require(got)  # names the missing periods
            raise ValueError(f"sheets {[p.key for p in got]} do not match the span {self.span.key}")

    @classmethod
    def load(
        cls,
        span: Span,
        load_sheet: Callable[[Period], PeriodSheet],
        available: Iterable[Period],
        units: Sequence[Unit] = (),
    ) -> PeriodRun:
        """Check every member exists (else a message naming the missing ones), then load them."""
        members = span.require(available)
        return cls(span, tuple(load_sheet(p) for p in members), tuple(units))

    @property
    def periods(self) -> tuple[Period, ...]:
        return self.span.members


# ---- cumulative ranking ---------------------------------------------------------------
@dataclass(frozen=True)
class CumulativeRow:
    unit_id: int
    name: str  # the name it had in the last period of the span it took part in
    counts: tuple[int, ...]  # summed, in the order of ``CumulativeTable.metrics``
    score: Decimal  # the sum of each period's own score
    rank: int
    present: tuple[Period, ...]  # the member periods it took part in
    retired: bool = False
    former_names: tuple[str, ...] = ()  # earlier names within the span, oldest first
    mark: str = ""  # ``（三季度起）``, ``（至二季度，已停用）``: empty for a unit present throughout


@dataclass(frozen=True)
class CumulativeGroup:
    group: Group
    rows: tuple[CumulativeRow, ...]  # rank order, ties in unit order
    totals: tuple[int, ...]

    @property
    def name(self) -> str:
        return self.group.name


@dataclass(frozen=True)
class CumulativeTable:
    span: Span
    metrics: tuple[Metric, ...]
    groups: tuple[CumulativeGroup, ...]
    rules: tuple[tuple[Period, ScoringRule], ...]
    rank_method: str

    @property
    def rule_changed(self) -> bool:
        """Whether the periods were scored differently (metrics or weights; the rank method apart)."""
        first = _scoring(self.rules[0][1])
        return any(_scoring(rule) != first for _p, rule in self.rules[1:])

    def group(self, name_or_id: str | int) -> CumulativeGroup:
        for g in self.groups:
            if g.group.name == name_or_id or g.group.id == name_or_id:
                return g
        names = "、".join(g.group.name for g in self.groups)
        raise NotFoundError(f"没有名为“{name_or_id}”的分组，可选：{names}。")

    def row(self, unit_id: int) -> CumulativeRow:
        for g in self.groups:
            for r in g.rows:
                if r.unit_id == unit_id:
                    return r
        raise NotFoundError(f"该单位在{self.span.label}没有数据。")

    def ranks(self) -> dict[int, int]:
        return {r.unit_id: r.rank for g in self.groups for r in g.rows}

    def note(self) -> str:
        """The note under the table: rules (each period's own when they changed), marks and renamings."""
        span = self.span
        n = len(span)
        rules = self.rules
        if not self.rule_changed:
            phrases = _phrases(rules[0][1])
            total = "" if n == 1 else f"得分为{_span_words(span)}{n}期得分之和。"
            lines = [f"注：{phrases}。{total}" if phrases else f"注：{total}"]
        else:
            runs = _rule_runs(rules)
            parts = [f"{_periods_words(span, periods)}{_phrases(rule) or '按当期规则计分'}" for periods, rule in runs]
            lines = [
                f"注：得分为{_span_words(span)}{n}期得分之和，各期按当期评分规则计分（期间内评分规则有调整）："
                + "；".join(parts) + "。"
            ]
        methods = {rule.rank_method for _p, rule in rules}
        if len(methods) > 1:
            method = RANK_METHODS[self.rank_method].split("（")[0]
            lines.append(f"各期排名方式不同，累计排名按{method}。")
        rows = [r for g in self.groups for r in g.rows]
        if any(r.mark for r in rows):
            lines.append(
                "单位名称后注“（…起）”的单位自该期起参加排名，注“（至…）”的单位此后未再参加（已停用的另行注明），"
                "其得分只计所参加各期。"
            )
        renamed = [r for r in rows if r.former_names]
        if renamed:
            lines.append("；".join(f"{r.name}原名{'、'.join(r.former_names)}" for r in renamed) + "。")
        return "\n".join(lines)


def _phrases(rule: ScoringRule) -> str:
    return "，".join(m.note_phrase() for m in rule.metrics if m.note)


def _span_words(span: Span) -> str:
    """``2021年一季度至四季度``: the members named for a note."""
    if len(span) == 1:
        return span.first.label
    return f"{span.first.label}至{span.short_label(span.last) if span.within_one_year else span.last.label}"


def _periods_words(span: Span, periods: Sequence[Period]) -> str:
    if len(periods) == 1:
        return span.short_label(periods[0]) if span.within_one_year else periods[0].label
    first, last = periods[0], periods[-1]
    if span.within_one_year:
        return f"{span.short_label(first)}至{span.short_label(last)}"
    return f"{first.label}至{last.label}"


def _scoring(rule: ScoringRule) -> tuple[tuple[str, object], ...]:
    return tuple((m.key, m.weight) for m in rule.metrics)


def _rule_runs(rules: Sequence[tuple[Period, ScoringRule]]) -> list[tuple[list[Period], ScoringRule]]:
    runs: list[tuple[list[Period], ScoringRule]] = []
    for period, rule in rules:
        if runs and _scoring(runs[-1][1]) == _scoring(rule):
            runs[-1][0].append(period)
        else:
            runs.append(([period], rule))
    return runs


def _merged_metrics(per_period: Sequence[Sequence[Metric]]) -> tuple[Metric, ...]:
    """The latest period's metrics, then any metric only earlier periods counted."""
    metrics: list[Metric] = []
    seen: set[str] = set()
    for period_metrics in reversed(per_period):
        for m in period_metrics:
            if m.key not in seen:
                seen.add(m.key)
                metrics.append(m)
    return tuple(metrics)


def _mark(span: Span, present: Sequence[Period], retired: bool) -> str:
    members = span.members
    if len(present) == len(members):
        return ""
    words = []
    first, last = present[0], present[-1]
    there = set(present)
    inner = [p for p in members if first <= p <= last and p not in there]
    if first != members[0] and last != members[-1]:
        words.append(f"仅{span.short_label(first)}" if first == last
                     else f"{span.short_label(first)}至{span.short_label(last)}")
    elif first != members[0]:
        words.append(f"{span.short_label(first)}起")
    elif last != members[-1]:
        words.append(f"至{span.short_label(last)}")
    if inner:
        words.append("缺" + "、".join(span.short_label(p) for p in inner))
    if retired and last != members[-1]:
        words.append("已停用")
    return "（" + "，".join(words) + "）"


def cumulative(run: PeriodRun) -> CumulativeTable:
    """Counts summed per unit, each period's own score summed, dense (or the rule's) rank per group."""
    span = run.span
    rules = tuple((s.period, s.rule) for s in run.sheets)
    metrics = _merged_metrics([r.metrics for _p, r in rules])
    position = {m.key: i for i, m in enumerate(metrics)}
    width = len(metrics)
    rank_method = rules[-1][1].rank_method

    counts: dict[int, list[int]] = {}
    scores: dict[int, Decimal] = {}
    present: dict[int, list[Period]] = {}
    names: dict[int, list[str]] = {}
    group_of: dict[int, Group] = {}
    appearance: dict[int, int] = {}
    groups: dict[int, Group] = {}
    group_order: list[int] = []
    for sheet in reversed(run.sheets):  # latest first: the latest group wording and unit order win
        for gs in sheet.groups:
            if gs.group.id not in groups:
                groups[gs.group.id] = gs.group
                group_order.append(gs.group.id)
            for row in gs.rows:
                appearance.setdefault(row.unit_id, len(appearance))
                group_of.setdefault(row.unit_id, gs.group)
    for sheet in run.sheets:
        slots = [position[k] for k in sheet.rule.keys]
        period = sheet.period
        for gs in sheet.groups:
            for row, score in zip(gs.rows, gs.scores):
                uid = row.unit_id
                total = counts.get(uid)
                if total is None:
                    total = counts[uid] = [0] * width
                    scores[uid] = Decimal(0)
                    present[uid] = []
                    names[uid] = []
                for slot, value in zip(slots, row.counts):
                    total[slot] += value
                scores[uid] += score
                present[uid].append(period)
                if not names[uid] or names[uid][-1] != row.name:
                    names[uid].append(row.name)

    unit_order = {u.id: i for i, u in enumerate(run.units)}
    retired = {u.id for u in run.units if not u.active}
    offset = len(unit_order)

    def order_key(uid: int) -> tuple[int, int]:
        return (0, unit_order[uid]) if uid in unit_order else (1, offset + appearance[uid])

    by_group: dict[int, list[int]] = {gid: [] for gid in group_order}
    for uid in sorted(counts, key=order_key):
        by_group[group_of[uid].id].append(uid)

    out = []
    for gid in group_order:
        uids = by_group[gid]
        group_scores = [scores[u] for u in uids]
        ranks = rank(group_scores, rank_method)
        rows = []
        for i in ranked_order(group_scores):
            uid = uids[i]
            rows.append(CumulativeRow(
                unit_id=uid,
                name=names[uid][-1],
                counts=tuple(counts[uid]),
                score=scores[uid],
                rank=ranks[i],
                present=tuple(present[uid]),
                retired=uid in retired,
                former_names=tuple(dict.fromkeys(n for n in names[uid][:-1] if n != names[uid][-1])),
                mark=_mark(span, present[uid], uid in retired),
            ))
        totals = tuple(sum(counts[u][k] for u in uids) for k in range(width))
        out.append(CumulativeGroup(groups[gid], tuple(rows), totals))
    return CumulativeTable(span, metrics, tuple(out), rules, rank_method)


# ---- comparison with the previous period ----------------------------------------------
@dataclass(frozen=True)
class Change:
    """A unit's rank now and in the previous period (None: it was not there)."""

    rank: int | None  # None under rank method none
    previous_rank: int | None

    @property
    def delta(self) -> int | None:
        """Places gained (positive: rose), None for a unit new in this period or without ranks."""
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def text(self) -> str:
        """``↑3``, ``↓2``, ``持平``, ``新增``; empty when this period is not ranked (rank method none)."""
        if self.rank is None:
            return ""
        d = self.delta
        if d is None:
            return NEW
        if d == 0:
            return SAME
        return f"↑{d}" if d > 0 else f"↓{-d}"


def sheet_ranks(sheet: PeriodSheet) -> dict[int, int]:
    """Each unit's rank within its group in one period."""
    out: dict[int, int] = {}
    for gs in sheet.groups:
        for i, row in enumerate(gs.rows):
            out[row.unit_id] = gs.rank(i)
    return out


def compare_ranks(current: Mapping[int, int], previous: Mapping[int, int] | None) -> dict[int, Change]:
    previous = previous or {}
    return {uid: Change(r, previous.get(uid)) for uid, r in current.items()}


def compare(current: PeriodSheet | CumulativeTable, previous: PeriodSheet | CumulativeTable | None) -> dict[int, Change]:
    """上期排名 and 变化 for every unit of ``current``; ``previous`` None makes every unit 新增."""

    def ranks(x) -> dict[int, int]:
        return x.ranks() if isinstance(x, CumulativeTable) else sheet_ranks(x)

    return compare_ranks(ranks(current), ranks(previous) if previous is not None else None)


# ---- a unit's history -----------------------------------------------------------------
@dataclass(frozen=True)
class HistoryPoint:
    period: Period
    name: str  # the name it had then
    group: str
    metrics: tuple[Metric, ...]  # that period's rule
    counts: tuple[int, ...]
    score: Decimal
    rank: int
    of: int  # units ranked in its group that period
    change: Change | None = None  # against the point just before, when that is the previous period

    def count(self, key: str) -> int | None:
        for m, v in zip(self.metrics, self.counts):
            if m.key == key:
                return v
        return None


@dataclass(frozen=True)
class UnitHistory:
    unit_id: int
    name: str  # its name now (or in its latest period)
    points: tuple[HistoryPoint, ...] = field(default=())

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return _merged_metrics([p.metrics for p in self.points])

    def header(self) -> list[str]:
        return ["期间", "单位名称", *(m.label for m in self.metrics), "得分", "排名", "本组单位数", "变化"]

    def rows(self) -> list[list[str]]:
        """One line per period as text cells (the CSV and the text table share them)."""
        out = []
        for p in self.points:
            counts = [p.count(m.key) for m in self.metrics]
            out.append([
                p.period.label, p.name, *("" if c is None else str(c) for c in counts),
                format_decimal(p.score), str(p.rank), str(p.of), p.change.text if p.change else "",
            ])
        return out

    def as_text(self) -> str:
        if not self.points:
            return f"{self.name}：没有任何期间的数据。"
        lines = [f"{self.name}各期报送情况"]
        for p, cells in zip(self.points, self.rows()):
            counts = "，".join(f"{m.label}{c}条" for m, c in zip(self.metrics, cells[2:-4]) if c != "")
            line = f"{cells[0]}：{counts}，得分{cells[-4]}，{p.group}第{p.rank}名（共{p.of}个单位）"
            if p.name != self.name:
                line += f"，时称{p.name}"
            if p.change:
                line += f"，较上期{p.change.text}"
            lines.append(line + "。")
        return "\n".join(lines)


def unit_history(unit_id: int, sheets: Sequence[PeriodSheet], *, name: str | None = None) -> UnitHistory:
    """Every period (in the order given) the unit took part in: its name then, counts, score and rank.

    Each point's change is against the period just before when that period is among ``sheets``
    (新增 if the unit was not in it); otherwise unknown (None).
    """
    points: list[HistoryPoint] = []
    ranks_in: dict[Period, int | None] = {}
    for sheet in sheets:
        found = None
        for gs in sheet.groups:
            if gs.has_unit(unit_id):
                found = gs
                break
        if found is None:
            ranks_in[sheet.period] = None
            continue
        i = found.index_of(unit_id)
        row = found.rows[i]
        r = found.rank(i)
        before = _previous(sheet.period)
        change = Change(r, ranks_in[before]) if before in ranks_in else None
        ranks_in[sheet.period] = r
        points.append(HistoryPoint(
            sheet.period, row.name, found.name, sheet.rule.metrics, tuple(row.counts), found.scores[i], r,
            len(found), change,
        ))
    if name is None:
        if not points:
            raise NotFoundError("该单位在所选期间没有任何数据。")
        name = points[-1].name
    return UnitHistory(unit_id, name, tuple(points))


def _previous(period: Period) -> Period | None:
    from shangnan_desktop.domain.span import previous_period

    try:
        return previous_period(period)
    except ValidationError:
        return None


def single_run(sheet: PeriodSheet, units: Sequence[Unit] = ()) -> PeriodRun:
    """A run of one period (the cumulative of one quarter is that quarter)."""
    return PeriodRun(single(sheet.period), (sheet,), tuple(units))
