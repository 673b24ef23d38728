"""Counts and periods: read a quarter, type counts, create a quarter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import datetime as _dt

from shangnan_desktop.app.commands import CentrePublishedCommand, CountsCommand, CreatePeriodCommand, UnitIds, is_locked
from shangnan_desktop.domain import Period, PeriodSheet, ValidationError
from shangnan_desktop.domain.rule import ScoringRule
from shangnan_desktop.storage import PeriodInfo, Store
from shangnan_desktop.domain.ledger import CountSources
from shangnan_desktop.storage.ledger_store import LedgerStore


def periods(store: Store) -> list[PeriodInfo]:
    return list(store.periods())


def load_sheet(store: Store, period: Period) -> PeriodSheet:
    return store.load_sheet(period)


def summary_text(store: Store, period: Period) -> str:
    return store.load_sheet(period).summary().as_text()


def count_sources(store: Store, period: Period) -> CountSources:
    """Whether each unit's counts are typed totals or derived from its 台账 items."""
    return LedgerStore(store).sources(period)


def check_typed_edits(store: Store, period: Period, unit_ids: Iterable[int]) -> None:
    """Raise ``DerivedCountsError`` (Chinese, saying how to switch back) if any of the units is derived."""
    ls = LedgerStore(store)
    derived = ls.sources(period).derived
    for unit_id in unit_ids:
        if unit_id in derived:
            ls.check_typed_edit(period, unit_id)


def rule(store: Store, period: Period) -> ScoringRule:
    return store.rule(period)


def latest_period(store: Store) -> Period | None:
    return store.latest_period()


def next_period(store: Store, today: _dt.date | None = None) -> Period:
    """The quarter 新建季度 makes: after the latest one, else the quarter of ``today``."""
    latest = store.latest_period()
    if latest is not None:
        return latest.next()
    today = today or _dt.date.today()
    return Period(today.year, "Q", (today.month - 1) // 3 + 1)


def period_locked(store: Store, period: Period) -> bool:
    return is_locked(store, period)


def create_period(store: Store, period: Period) -> CreatePeriodCommand:
    """新建季度 (units and rule carried over, counts 0); undoing it deletes the still empty quarter."""
    store.create_period(period)
    return CreatePeriodCommand(store, period)


def set_locked(store: Store, period: Period, locked: bool) -> None:
    """定稿 (a backup is taken first) or 解除定稿. Not an undo step: it is what guards the undo steps."""
    store.set_locked(period, locked)


def edit_counts(
    store: Store, period: Period, before: dict, after: dict, text: str, *, ids: UnitIds | None = None,
    action: str = "修改条数",
) -> CountsCommand | None:
    """Store the counts ``after`` (unit id -> values) of some units in one transaction, or none.

    ``before`` holds the same units' counts as they were; None when nothing changes.
    """
    if not after:
        return None
    store.set_many(period, list(after.items()), action=action)
    return CountsCommand(store, period, before, after, text, ids or UnitIds())


def set_centre_published(store: Store, period: Period, value: object) -> CentrePublishedCommand | None:
    """The centre's own published count (empty clears it); None when it stays as it was."""
    before = store.load_sheet(period).centre_published
    after = store.set_centre_published(period, value)
    if after == before:
        return None
    return CentrePublishedCommand(store, period, before, after)


@dataclass(frozen=True)
class SavedCounts:
    unit_name: str
    rule: ScoringRule
    counts: tuple


def set_counts(store: Store, period: Period, unit_name: str, given: dict[str, object],
               metrics: list[tuple[str, object]] = (), *, group: str | None = None) -> SavedCounts:
    """Store the given values of one unit; the others stay as they are.

    ``given`` (key -> value) applies only the keys the quarter's rule has; every key in ``metrics`` must be
    in the rule (a clear error otherwise).
    """
    unit = store.find_unit(unit_name, period, group=group)
    LedgerStore(store).check_typed_edit(period, unit.id)  # derived counts are never typed over
    rule = store.rule(period)
    values = list(store.counts(period, unit.id))
    for key, value in given.items():
        if value is not None and key in rule.keys:
            values[rule.index(key)] = value
    for key, value in metrics:  # a metric by its key or its Chinese name (``--metric 县级采用=3``)
        key = str(key).strip()
        if key not in rule.keys:
            try:
                key = rule.metric(key).key
            except ValidationError:
                raise ValidationError(f"评分规则中没有指标“{key}”，可选：{'、'.join(m.label for m in rule.metrics)}。") from None
        values[rule.index(key)] = value
    stored = store.set_counts(period, unit.id, values)
    return SavedCounts(unit.name, rule, tuple(stored))
