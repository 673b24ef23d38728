"""Building, describing and applying a changed rule: what ``rule set``/``rule show`` and the rule
editor need, as plain Python (the CLI and the window only pass strings through).

- ``rule_from_options``: the rule ``rule set PERIOD --metric 名称=权重 [--decimal 名称] [--cap 名称<=名称]
  --rank dense|competition|none`` describes (names become keys; 报送信息/采用信息 keep the keys
  ``submitted``/``adopted`` so zero-submission lists and 共发布 totals still work).
- ``describe_rule``: the lines ``rule show`` prints.
- ``rule_for``: which stored rule applies to a period ("from this period on").
- ``carry_values`` / ``rescored``: the current table under a new rule, for the editor's preview.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Sequence

from shangnan_desktop.domain.counts import validate_counts
from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.period import Period
from shangnan_desktop.domain.rule import (
    ADOPTED,
    COMPETITION,
    DENSE,
    NONE,
    RANK_METHODS,
    SUBMITTED,
    Metric,
    ScoringRule,
    format_decimal,
    make_metric,
)
from shangnan_desktop.domain.sheet import GroupSheet, PeriodSheet, Row

RANK_NAMES = {DENSE: "中国式排名", COMPETITION: "竞争排名", NONE: "不排名"}
_STANDARD_KEYS = {"报送信息": SUBMITTED, "采用信息": ADOPTED}


def split_assignment(text: str, *, what: str = "指标") -> tuple[str, str]:
    """``名称=值`` (also full-width ＝) → (名称, 值), both stripped; a Chinese message otherwise."""
    normal = str(text).replace("＝", "=")
    if normal.count("=") != 1:
        raise ValidationError(f"“{text}”的格式不对，请写成“名称=数值”，如“采用信息=1”。")
    name, value = (part.strip() for part in normal.split("="))
    if not name:
        raise ValidationError(f"“{text}”缺少{what}名称，请写成“名称=数值”。")
    if not value:
        raise ValidationError(f"“{text}”缺少数值，请写成“名称=数值”。")
    return name, value


def split_cap(text: str) -> tuple[str, str]:
    """``采用信息<=报送信息`` (also ≤, ＜＝) → (capped name, bounding name)."""
    normal = str(text).replace("≤", "<=").replace("＜＝", "<=").replace("＜=", "<=").replace("<＝", "<=")
    if normal.count("<=") != 1:
        raise ValidationError(f"上限“{text}”的格式不对，请写成“采用信息<=报送信息”。")
    left, right = (part.strip() for part in normal.split("<="))
    if not left or not right or left == right:
        raise ValidationError(f"上限“{text}”需要两个不同的指标名称，如“采用信息<=报送信息”。")
    return left, right


def rule_from_options(
    metrics: Sequence[str],
    *,
    decimals: Iterable[str] = (),
    caps: Iterable[str] = (),
    rank: str = DENSE,
    rate: str | None = None,
    previous: ScoringRule | None = None,
) -> ScoringRule:
    """The rule the CLI options (or the editor's fields) describe; ``ValidationError`` with every problem.

    ``metrics``: ``名称=权重`` in column order; ``decimals``: names whose values are decimal scores;
    ``caps``: ``名称<=名称``; ``rank``: dense, competition or none; ``rate``: ``采用<=报送``-style pair
    ``采用名称/报送名称`` for the 采用率 column, or None. A metric that ``previous`` also has (same name)
    keeps its key and note wording, so stored values and the notice's phrasing carry over.
    """
    problems: list[str] = []
    pairs: list[tuple[str, str]] = []
    for text in metrics:
        try:
            pairs.append(split_assignment(text))
        except ValidationError as exc:
            problems.append(str(exc).rstrip("。"))
    names = [n for n, _w in pairs]
    if not pairs and not problems:
        problems.append("评分规则至少需要一个指标（--metric 名称=权重）")
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"指标“{dup}”重复")
    decimal_names = set()
    for name in decimals:
        name = str(name).strip()
        if name not in names:
            problems.append(f"--decimal 指定的“{name}”不是本规则的指标")
        decimal_names.add(name)
    cap_of: dict[str, str] = {}
    for text in caps:
        try:
            left, right = split_cap(text)
        except ValidationError as exc:
            problems.append(str(exc).rstrip("。"))
            continue
        for side in (left, right):
            if side not in names:
                problems.append(f"上限“{text}”中的“{side}”不是本规则的指标")
        if left in names and right in names:
            if names.index(right) > names.index(left):
                problems.append(f"上限指标“{right}”必须排在“{left}”前面")
            cap_of[left] = right
    if rank not in RANK_METHODS:
        problems.append(f"排名方式“{rank}”未知，请用 dense（中国式排名）、competition（竞争排名）或 none（不排名）")
    old = {m.label: m for m in previous.metrics} if previous else {}
    keys = {n: (old[n].key if n in old else _STANDARD_KEYS.get(n, n)) for n in names}
    built: list[Metric] = []
    for name, weight in pairs:
        try:
            metric = make_metric(name, weight, decimal=name in decimal_names,
                                 cap=keys.get(cap_of.get(name, ""), None), key=keys[name])
            if (name in old and old[name].note and old[name].decimal == metric.decimal
                    and metric.weight != 0):  # weight 0 is said by leaving the phrase out
                metric = replace(metric, note=old[name].note)
            built.append(metric)
        except ValidationError as exc:
            problems.append(f"指标“{name}”：" + str(exc).rstrip("。"))
    rate_keys = None
    if rate:
        try:
            adopted, submitted = (p.strip() for p in str(rate).replace("／", "/").split("/"))
            rate_keys = (keys[adopted], keys[submitted])
        except (ValueError, KeyError):
            problems.append(f"采用率“{rate}”需写成“采用指标/报送指标”，且两者都是本规则的指标")
    if problems:
        raise ValidationError("评分规则有误：" + "；".join(dict.fromkeys(problems)) + "。")
    return ScoringRule(tuple(built), rank, rate_keys)


def describe_rule(rule: ScoringRule) -> list[str]:
    """What ``rule show`` prints, one line each: metrics, rank method, 采用率, the note line."""
    labels = {m.key: m.label for m in rule.metrics}
    lines = []
    for m in rule.metrics:
        kind = "分值（最多2位小数）" if m.decimal else "条数"
        if m.weight == 0:
            each = "不计分"
        elif m.decimal:
            each = "按分值计入" if m.weight == 1 else f"按分值的{format_decimal(m.weight)}倍计入"
        else:
            each = f"每条计{format_decimal(m.weight)}分"
        line = f"{m.label}：{kind}，{each}"
        if m.bounded_by:
            line += f"，不超过{labels[m.bounded_by]}"
        lines.append(line + "。")
    lines.append(f"排名方式：{RANK_NAMES[rule.rank_method]}。")
    if rule.rate:
        lines.append(f"采用率：{labels[rule.rate[0]]}÷{labels[rule.rate[1]]}，保留1位小数（四舍五入）。")
    note = rule.note_line()
    if note:
        from shangnan_desktop.domain.text import to_fullwidth_punct

        lines.append(to_fullwidth_punct(note))
    return lines


def rule_for(period: Period, rules: Iterable[tuple[Period, ScoringRule]]) -> ScoringRule | None:
    """The rule in force for ``period``: the one set from the latest start not after it
    (rules apply "from this period on"); None when every start is later."""
    best: tuple[Period, ScoringRule] | None = None
    for start, rule in rules:
        if start.kind != period.kind:
            raise ValidationError(f"评分规则的起始期{start.label}与{period.label}不是同一种统计期。")
        if start <= period and (best is None or start >= best[0]):
            best = (start, rule)
    return None if best is None else best[1]


def carry_values(old: ScoringRule, new: ScoringRule, values: Sequence[int | Decimal], *,
                 unit: str = "") -> tuple[int | Decimal, ...]:
    """One unit's values moved to the new rule: matched by metric key, a new metric starts at 0;
    checked against the new rule (a decimal in what is now a count, or a broken cap, is refused
    with the unit named)."""
    by_key = dict(zip(old.keys, values))
    return validate_counts(new, [by_key.get(k, 0) for k in new.keys], unit=unit)


def rescored(sheet: PeriodSheet, rule: ScoringRule) -> PeriodSheet:
    """The same period, units and values under another rule: the editor's preview beside the
    current table. ``ValidationError`` (naming the unit) when a stored value does not fit it."""
    groups = []
    for g in sheet.groups:
        rows = [Row(r.unit_id, r.name, carry_values(sheet.rule, rule, r.counts, unit=r.name)) for r in g.rows]
        groups.append(GroupSheet(g.group, rule, rows))
    return PeriodSheet(sheet.period, rule, groups, locked=sheet.locked, centre_published=sheet.centre_published)
