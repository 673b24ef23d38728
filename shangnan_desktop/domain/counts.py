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
from shangnan_desktop.domain.rule import SCORE_PLACES, Metric, ScoringRule
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


def parse_count_text(text: str, *, label: str = "条数") -> int:
    """A count typed or pasted as text (see the module docstring); ``""`` is 0."""
    cleaned = clean_text(text)
    if cleaned == "":
        return 0
    if _COUNT.fullmatch(cleaned):
        return _bounded(int(cleaned.translate(_DIGITS)), label)
    shown = _quote(cleaned)
    if _TWO_NUMBERS.fullmatch(cleaned):
        raise ValidationError(
            f"{label}“{shown}”看起来是两个数，不是一个数（数字中间不能有逗号、顿号或空格）。请只输入一个整数，如 12。"
        )
    if _NEGATIVE.fullmatch(cleaned):
        raise ValidationError(f"{label}不能为负数（输入了{shown}）。")
    if _FRACTION.fullmatch(cleaned):
        raise ValidationError(f"{label}“{shown}”不是整数，请输入整数条数。")
    raise ValidationError(f"{label}“{shown}”不是数字，请只用数字0~9输入整数条数，如 12。")


def _bounded(number: int, label: str) -> int:
    if number < 0:
        raise ValidationError(f"{label}不能为负数（输入了{number}）。")
    if number > MAX_COUNT:
        raise ValidationError(f"{label}“{number}”超出上限（最多{MAX_COUNT}条），请核对。")
    return number


def parse_count(value: object, *, label: str = "条数") -> int:
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
            raise ValidationError(f"{label}“{value:g}”不是整数，请输入整数条数。")
        return _bounded(int(value), label)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{label}必须是整数。")
        if value != value.to_integral_value():
            raise ValidationError(f"{label}“{value}”不是整数，请输入整数条数。")
        return _bounded(int(value), label)
    raise ValidationError(f"{label}必须是整数。")


MAX_SCORE = Decimal("9999.99")  # a decimal score is a mark, not a count of thousands
_SCORE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_SCORE_FRACTION_ONLY = re.compile(r"[.．][0-9０-９]+|[0-9０-９]+[.．]")
_NEGATIVE_SCORE = re.compile(r"[-－−﹣][0-9０-９]+(?:[.．][0-9０-９]+)?")
_TWO_SCORES = re.compile(r"[0-9０-９.．]+(?:\s*[,，、;；/／\s]\s*[0-9０-９.．]+)+")


def parse_score_text(text: str, *, label: str = "分值") -> Decimal:
    """A decimal score typed or pasted as text: ASCII or full-width digits, one optional decimal
    point (``.`` or ``．``) with digits on both sides, at most 2 places; ``""`` is 0.
    Refused, each with a Chinese message: ``1,2`` (two numbers), ``1e3``, ``1_0``, ``+1``, ``-1``,
    ``.5``, ``5.``, ``1.234``, other scripts' digits."""
    cleaned = clean_text(text)
    if cleaned == "":
        return Decimal(0)
    shown = _quote(cleaned)
    if _SCORE.fullmatch(cleaned):
        ascii_text = cleaned.translate(_DIGITS).replace("．", ".")
        if "." in ascii_text and len(ascii_text.split(".")[1]) > SCORE_PLACES:
            raise ValidationError(f"{label}“{shown}”最多保留{SCORE_PLACES}位小数，请核对。")
        return _bounded_score(Decimal(ascii_text), label)
    if _TWO_SCORES.fullmatch(cleaned):
        raise ValidationError(
            f"{label}“{shown}”看起来是两个数，不是一个数（数字中间不能有逗号、顿号或空格）。"
            "请只输入一个数，如 7.5。"
        )
    if _NEGATIVE_SCORE.fullmatch(cleaned):
        raise ValidationError(f"{label}不能为负数（输入了{shown}）。")
    if _SCORE_FRACTION_ONLY.fullmatch(cleaned):
        raise ValidationError(f"{label}“{shown}”的小数点前后都要有数字，如 0.5、5.0。")
    raise ValidationError(f"{label}“{shown}”不是数字，请只用数字0~9和小数点输入，如 7.5。")


def _bounded_score(number: Decimal, label: str) -> Decimal:
    if number < 0:
        raise ValidationError(f"{label}不能为负数（输入了{number}）。")
    if number > MAX_SCORE:
        raise ValidationError(f"{label}（{number}）过大，不能超过{MAX_SCORE}，请核对。")
    return number


def parse_score(value: object, *, label: str = "分值") -> Decimal:
    """A decimal score from typed, pasted or imported input; ``ValidationError`` otherwise.

    Text goes through ``parse_score_text``; an int is exact; a workbook's float cell is read
    through its shortest repr (``74.4``) and must then have at most 2 places; ``None`` is 0."""
    if isinstance(value, bool):
        raise ValidationError(f"{label}必须是数字。")
    if value is None:
        return Decimal(0)
    if isinstance(value, str):
        return parse_score_text(value, label=label)
    if isinstance(value, int):
        return _bounded_score(Decimal(value), label)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{label}必须是数字。")
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{label}必须是数字。")
        value = _bounded_score(value, label)
        if value.as_tuple().exponent < -SCORE_PLACES:  # type: ignore[operator]
            exact = value.quantize(Decimal(1).scaleb(-SCORE_PLACES))
            if exact != value:
                raise ValidationError(f"{label}“{value}”最多保留{SCORE_PLACES}位小数，请核对。")
            value = exact
        return value
    raise ValidationError(f"{label}必须是数字。")


def parse_value(metric: Metric, value: object, *, label: str | None = None) -> int | Decimal:
    """One value of a metric: a count (``parse_count``) or a decimal score (``parse_score``)."""
    name = metric.label if label is None else label
    if metric.decimal:
        return parse_score(value, label=name)
    return parse_count(value, label=name)


def validate_counts(
    rule: ScoringRule, values: Sequence[object], *, unit: str = ""
) -> tuple[int | Decimal, ...]:
    """Parse and check one unit's values against the rule; returns, in metric order, ints for
    counts and Decimals for decimal scores; a cap (采用 ≤ 报送) is enforced."""
    prefix = f"“{unit}”的" if unit else ""
    if len(values) != len(rule.metrics):
        raise ValidationError(f"{prefix}数据列数不对：应有{len(rule.metrics)}项。")
    parsed = tuple(
        parse_value(m, v, label=prefix + m.label) for m, v in zip(rule.metrics, values)
    )
    keys = rule.keys
    for metric, value in zip(rule.metrics, parsed):
        if metric.bounded_by is not None:
            bound = parsed[keys.index(metric.bounded_by)]
            limit_label = rule.metrics[keys.index(metric.bounded_by)].label
            if value > bound:
                raise ValidationError(
                    f"{prefix}{metric.label}（{value}）不能多于{limit_label}（{bound}），请核对。"
                )
    return parsed
