"""The scoring rule of a period: show it, preview the current table under a new one, set it from a
period on (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from shangnan_desktop.domain import Period, PeriodSheet, ScoringRule
from shangnan_desktop.domain.rule_change import describe_rule, rescored, rule_from_options
from shangnan_desktop.storage import Store


def show_rule(store: Store, period: Period) -> tuple[ScoringRule, list[str]]:
    """The period's rule and the lines describing it (``rule show``)."""
    rule = store.rule(period)
    return rule, describe_rule(rule)


def build_rule(store: Store, period: Period, metrics: Sequence[str], *, decimals: Sequence[str] = (),
               caps: Sequence[str] = (), rank: str = "dense", rate: str | None = None) -> ScoringRule:
    """The rule the options describe; metrics the period's rule already has keep their keys."""
    return rule_from_options(metrics, decimals=decimals, caps=caps, rank=rank, rate=rate,
                             previous=store.rule(period))


@dataclass(frozen=True)
class RulePreview:
    """The period's table under its current rule and under the new one, side by side."""

    old: PeriodSheet
    new: PeriodSheet


def preview_rule(store: Store, period: Period, rule: ScoringRule) -> RulePreview:
    """``ValidationError`` (naming the unit) when a stored value does not fit the new rule."""
    sheet = store.load_sheet(period)
    return RulePreview(sheet, rescored(sheet, rule))


@dataclass(frozen=True)
class RuleChange:
    """What ``set_rule_from`` did: the periods that now have ``rule``, and each one's rule before
    (to undo: ``restore_rules``)."""

    rule: ScoringRule
    periods: tuple[Period, ...]
    before: tuple[tuple[Period, ScoringRule], ...]


def set_rule_from(store: Store, period: Period, rule: ScoringRule) -> RuleChange:
    """Apply ``rule`` from ``period`` on (refused for a locked period; later locked periods keep theirs)."""
    before = tuple((info.period, store.rule(info.period)) for info in store.periods()
                   if info.period.kind == period.kind and info.period >= period and not info.locked)
    changed = store.set_rule_from(period, rule)
    return RuleChange(rule, tuple(changed), before)


def restore_rules(store: Store, change: RuleChange) -> None:
    """Undo ``set_rule_from``: every changed period gets its earlier rule back."""
    for period, rule in change.before:  # in period order: each later period gets its own back last
        store.set_rule_from(period, rule)
