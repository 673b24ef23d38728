"""Counts and periods: read a quarter, type counts, create a quarter."""

from __future__ import annotations

from dataclasses import dataclass

from shangnan_desktop.domain import Period, PeriodSheet, ValidationError
from shangnan_desktop.domain.rule import ScoringRule
from shangnan_desktop.storage import PeriodInfo, Store
from shangnan_desktop.storage.ledger_store import LedgerStore


def periods(store: Store) -> list[PeriodInfo]:
    return list(store.periods())


def load_sheet(store: Store, period: Period) -> PeriodSheet:
    return store.load_sheet(period)


def summary_text(store: Store, period: Period) -> str:
    return store.load_sheet(period).summary().as_text()


def create_period(store: Store, period: Period) -> None:
    store.create_period(period)


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
    for key, value in metrics:
        if key not in rule.keys:
            raise ValidationError(f"评分规则中没有指标“{key}”,可选:{'、'.join(rule.keys)}。")
        values[rule.index(key)] = value
    stored = store.set_counts(period, unit.id, values)
    return SavedCounts(unit.name, rule, tuple(stored))
