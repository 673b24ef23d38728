"""The scoring rule, as data: a list of weighted metrics and a rank method."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Sequence

from shangnan_desktop.domain.errors import ValidationError

DENSE = "dense"  # 中国式排名: 1, 2, 2, 3
COMPETITION = "competition"  # Excel RANK: 1, 2, 2, 4
RANK_METHODS = {DENSE: "中国式排名(并列不占位)", COMPETITION: "竞争排名(并列占位,同Excel RANK)"}

SUBMITTED = "submitted"
ADOPTED = "adopted"


def format_decimal(value: Decimal) -> str:
    """A decimal as the notice prints it: no trailing zeros, no exponent (30.4, 6, 0)."""
    if value == 0:
        return "0"
    text = f"{value.normalize():f}"
    return text


def parse_weight(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValidationError("权重必须以文字形式给出(如“0.2”),以免产生二进制误差。")
    try:
        weight = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"权重“{value}”不是有效的数字。") from None
    if not weight.is_finite() or weight < 0 or weight > 1000:
        raise ValidationError(f"权重“{value}”必须在0到1000之间。")
    if weight.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValidationError(f"权重“{value}”最多保留4位小数。")
    return weight


@dataclass(frozen=True)
class Metric:
    """One counted quantity: its key, column header, weight and note phrase.

    ``bounded_by`` names another metric this one may not exceed
    (adopted items cannot outnumber submitted ones).
    """

    key: str
    label: str
    weight: Decimal
    note: str = ""
    bounded_by: str | None = None

    def note_phrase(self) -> str:
        return self.note.format(weight=format_decimal(self.weight))


@dataclass(frozen=True)
class ScoringRule:
    metrics: tuple[Metric, ...]
    rank_method: str = DENSE

    def __post_init__(self) -> None:
        keys = [m.key for m in self.metrics]
        if not keys:
            raise ValidationError("评分规则至少需要一个指标。")
        if len(set(keys)) != len(keys):
            raise ValidationError("评分规则中的指标重复。")
        for m in self.metrics:
            if m.bounded_by is not None and m.bounded_by not in keys[: keys.index(m.key)]:
                raise ValidationError(f"指标“{m.label}”的上限指标必须排在它前面。")
        if self.rank_method not in RANK_METHODS:
            raise ValidationError(f"未知的排名方式“{self.rank_method}”。")

    @classmethod
    def default(cls) -> "ScoringRule":
        """The notice's rule: 0.2 per item submitted, 1 per item adopted, dense ranks."""
        return cls(
            (
                Metric(SUBMITTED, "报送信息", Decimal("0.2"), "每上报一条信息计{weight}分"),
                Metric(ADOPTED, "采用信息", Decimal("1"), "采用一条信息计{weight}分", SUBMITTED),
            ),
            DENSE,
        )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.metrics)

    def index(self, key: str) -> int:
        return self.keys.index(key)

    def score(self, values: Sequence[int]) -> Decimal:
        """Exact score of one unit: the weighted sum of its counts."""
        total = Decimal(0)
        for metric, value in zip(self.metrics, values):
            total += metric.weight * value
        return total

    def note_line(self) -> str:
        """``注:每上报一条信息计0.2分,采用一条信息计1分。``"""
        phrases = [m.note_phrase() for m in self.metrics if m.note]
        return "注:" + ",".join(phrases) + "。"

    def to_json(self) -> str:
        return json.dumps(
            {
                "rank_method": self.rank_method,
                "metrics": [
                    {
                        "key": m.key,
                        "label": m.label,
                        "weight": format_decimal(m.weight),
                        "note": m.note,
                        "bounded_by": m.bounded_by,
                    }
                    for m in self.metrics
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "ScoringRule":
        try:
            data = json.loads(text)
            metrics = tuple(
                Metric(
                    str(m["key"]),
                    str(m["label"]),
                    parse_weight(m["weight"]),
                    str(m.get("note", "")),
                    m.get("bounded_by"),
                )
                for m in data["metrics"]
            )
            return cls(metrics, data.get("rank_method", DENSE))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"评分规则数据损坏:{exc}") from None
