"""Validation of counts: whole numbers, not negative, bounded, adopted ≤ submitted.

One parser serves the command line, typing in the table, pasting and importing,
so a value is read the same way wherever it comes from. A count written as text
is ASCII or full-width digits with optional spaces around them — nothing else:
``1,2`` is refused (it looks like two numbers, not twelve), as are ``1e3``,
``1_0``, ``3.0``, signs and other scripts' digits.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Sequence

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.rule import ScoringRule
from shangnan_desktop.domain.text import clean_text

MAX_COUNT = 9999  # no unit writes ten thousand items in one period
_SHOWN = 20  # characters of a refused value quoted back in a message

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Exactly ASCII or full-width digits; not ``\d`` (which admits Arabic-Indic, Devanagari … digits).
_COUNT = re.compile(r"[0-9０-９]+")
_TWO_NUMBERS = re.compile(r"[0-9０-９]+(?:\s*[,，、;；/／\s]\s*[0-9０-９]+)+")
_NEGATIVE = re.compile(r"[-－−﹣][0-9０-９]+")
_FRACTION = re.compile(r"[0-9０-９]*[.．。][0-9０-９]+|[0-9０-９]+[.．。]")


def _quote(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def parse_count_text(text: str, *, label: str = "数量") -> int:
    """A count typed or pasted as text (see the module docstring); ``""`` is 0."""
    cleaned = clean_text(text)
    if cleaned == "":
        return 0
    if _COUNT.fullmatch(cleaned):
        return _bounded(int(cleaned.translate(_DIGITS)), label)
    shown = _quote(cleaned)
    if _TWO_NUMBERS.fullmatch(cleaned):
        raise ValidationError(
            f"{label}“{shown}”看起来是两个数,不是一个数(数字中间不能有逗号、顿号或空格)。请只输入一个整数,如 12。"
        )
    if _NEGATIVE.fullmatch(cleaned):
        raise ValidationError(f"{label}不能为负数(输入了{shown})。")
    if _FRACTION.fullmatch(cleaned):
        raise ValidationError(f"{label}“{shown}”不是整数,请输入整数条数。")
    raise ValidationError(f"{label}“{shown}”不是数字,请只用数字0~9输入整数条数,如 12。")


def _bounded(number: int, label: str) -> int:
    if number < 0:
        raise ValidationError(f"{label}不能为负数(输入了{number})。")
    if number > MAX_COUNT:
        raise ValidationError(f"{label}{number}过大,不可能超过{MAX_COUNT}条,请核对。")
    return number


def parse_count(value: object, *, label: str = "数量") -> int:
    """A count from typed, pasted or imported input; ``ValidationError`` otherwise.

    Text goes through ``parse_count_text``. Numbers (a workbook's numeric cell)
    must be whole: ``3`` and Excel's ``3.0`` are 3, ``2.5`` is refused.
    ``None`` (an empty cell) is 0.
    """
    if isinstance(value, bool):
        raise ValidationError(f"{label}必须是整数。")
    if value is None:
        return 0
    if isinstance(value, str):
        return parse_count_text(value, label=label)
    if isinstance(value, int):
        return _bounded(value, label)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{label}必须是整数。")
        if not value.is_integer():
            raise ValidationError(f"{label}“{value:g}”不是整数,请输入整数条数。")
        return _bounded(int(value), label)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{label}必须是整数。")
        if value != value.to_integral_value():
            raise ValidationError(f"{label}“{value}”不是整数,请输入整数条数。")
        return _bounded(int(value), label)
    raise ValidationError(f"{label}必须是整数。")


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
