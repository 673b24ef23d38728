"""Validation of counts: whole numbers, not negative, bounded, adopted ≤ submitted."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Sequence

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.rule import ScoringRule
from shangnan_desktop.domain.text import clean_text, fold_digits

MAX_COUNT = 9999  # no unit writes ten thousand items in one period


def parse_count(value: object, *, label: str = "数量") -> int:
    """A count from typed, pasted or imported input; ``ValidationError`` otherwise.

    Accepts ints, integral floats (Excel's 3.0), and text with 全角 digits or
    thousands separators. Refuses negatives, fractions, words and huge numbers.
    """
    if isinstance(value, bool):
        raise ValidationError(f"{label}必须是整数。")
    if value is None:
        return 0
    if isinstance(value, int):
        number = value
    elif isinstance(value, (float, Decimal)):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(f"{label}必须是整数。")
        if value != int(value):
            raise ValidationError(f"{label}“{value}”不是整数,请输入整数条数。")
        number = int(value)
    elif isinstance(value, str):
        text = fold_digits(clean_text(value)).replace(",", "").replace(" ", "")
        if text == "":
            return 0
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{label}“{clean_text(value)[:20]}”不是数字,请输入整数条数。") from None
        if not dec.is_finite():
            raise ValidationError(f"{label}必须是整数。")
        if dec != dec.to_integral_value():
            raise ValidationError(f"{label}“{text}”不是整数,请输入整数条数。")
        number = int(dec)
    else:
        raise ValidationError(f"{label}必须是整数。")
    if number < 0:
        raise ValidationError(f"{label}不能为负数(输入了{number})。")
    if number > MAX_COUNT:
        raise ValidationError(f"{label}{number}过大,不可能超过{MAX_COUNT}条,请核对。")
    return number


def validate_counts(rule: ScoringRule, values: Sequence[object], *, unit: str = "") -> tuple[int, ...]:
    """Parse and check one unit's counts against the rule; returns ints in metric order."""
    prefix = f"“{unit}”的" if unit else ""
    if len(values) != len(rule.metrics):
        raise ValidationError(f"{prefix}数据列数不对:应有{len(rule.metrics)}项。")
    parsed = tuple(
        parse_count(v, label=prefix + m.label) for m, v in zip(rule.metrics, values)
    )
    keys = rule.keys
    for metric, value in zip(rule.metrics, parsed):
        if metric.bounded_by is not None:
            bound = parsed[keys.index(metric.bounded_by)]
            limit_label = rule.metrics[keys.index(metric.bounded_by)].label
            if value > bound:
                raise ValidationError(
                    f"{prefix}{metric.label}({value})不能多于{limit_label}({bound}),请核对。"
                )
    return parsed
