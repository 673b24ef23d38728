"""The scoring rule, as data: a list of weighted metrics and a rank method."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Sequence

from shangnan_desktop.domain.errors import ValidationError

DENSE = "dense"  # 中国式排名: 1, 2, 2, 3
COMPETITION = "competition"  # Excel RANK: 1, 2, 2, 4
NONE = "none"  # no rank column: rows in unit order
RANK_METHODS = {
    DENSE: "中国式排名（并列不占位）",
    COMPETITION: "竞争排名（并列占位，同Excel RANK）",
    NONE: "不排名（按单位顺序）",
}

COUNT = "count"  # whole numbers of items (the default)
SCORE = "score"  # decimal scores, up to ``SCORE_PLACES`` places
VALUE_KINDS = {COUNT: "条数（整数）", SCORE: "分值（最多2位小数）"}
SCORE_PLACES = 2

SUBMITTED = "submitted"
ADOPTED = "adopted"


def format_decimal(value: Decimal) -> str:
    """A decimal as the notice prints it: no trailing zeros, no exponent (30.4, 6, 0)."""
    if value == 0:
        return "0"
    text = f"{value.normalize():f}"
    return text


RATE_LABEL = "采用率"
RATE_PLACES = 1
NO_RATE = "—"  # 0 ÷ 0: nothing submitted, nothing to rate


def adoption_rate(adopted: int | Decimal, submitted: int | Decimal) -> Decimal | None:
    """Adopted ÷ submitted as a percentage with one decimal, rounded half-up (exact: computed with
    ``Fraction``, as the Xining notice of 2017年4月 rounds 16 ÷ 28 → 57.1, 12 ÷ 33 → 36.4,
    20 ÷ 47 → 42.6); ``None`` when nothing was submitted (shown as “—”)."""
    if submitted == 0:
        return None
    ratio = Fraction(adopted) / Fraction(submitted) * 100 * 10**RATE_PLACES
    tenths = (2 * ratio.numerator + ratio.denominator) // (2 * ratio.denominator)  # floor(x + 1/2)
    return Decimal(tenths).scaleb(-RATE_PLACES)


def format_rate(rate: Decimal | None) -> str:
    """``57.1%``, ``50.0%``, ``100.0%``; “—” for 0 ÷ 0."""
    if rate is None:
        return NO_RATE
    return f"{rate:.{RATE_PLACES}f}%"


def parse_weight(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValidationError("权重必须以文字形式给出（如“0.2”），以免产生二进制误差。")
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
    value_kind: str = COUNT

    @property
    def decimal(self) -> bool:
        """True when the values are decimal scores (up to 2 places), not counts."""
        return self.value_kind == SCORE

    def note_phrase(self) -> str:
        return self.note.format(weight=format_decimal(self.weight))


@dataclass(frozen=True)
class ScoringRule:
    metrics: tuple[Metric, ...]
    rank_method: str = DENSE
    rate: tuple[str, str] | None = None  # (adopted key, submitted key): the 采用率 column

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
        for m in self.metrics:
            if m.value_kind not in VALUE_KINDS:
                raise ValidationError(f"指标“{m.label}”的数值类型“{m.value_kind}”未知。")
        if self.rate is not None:
            if len(self.rate) != 2 or any(k not in keys for k in self.rate) or self.rate[0] == self.rate[1]:
                raise ValidationError("采用率需要两个不同的指标：采用和报送。")

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

    def score(self, values: Sequence[int | Decimal]) -> Decimal:
        """Exact score of one unit: the weighted sum of its counts and decimal scores."""
        total = Decimal(0)
        for metric, value in zip(self.metrics, values):
            total += metric.weight * value
        return total

    def rate_of(self, values: Sequence[int | Decimal]) -> Decimal | None:
        """The 采用率 of one unit's values when the rule has the column; ``None`` otherwise or for 0 ÷ 0."""
        if self.rate is None:
            return None
        return adoption_rate(values[self.index(self.rate[0])], values[self.index(self.rate[1])])

    def note_line(self) -> str:
        """``注：每上报一条信息计0.2分，采用一条信息计1分。``"""
        phrases = [m.note_phrase() for m in self.metrics if m.note]
        if not phrases:
            if all(m.decimal and m.weight == 1 for m in self.metrics):
                return "注：得分为各项得分之和。"
            return ""
        return "注：" + "，".join(phrases) + "。"

    @property
    def ranked(self) -> bool:
        """False for rank method none: no rank column, rows in unit order."""
        return self.rank_method != NONE

    @property
    def has_decimals(self) -> bool:
        return any(m.decimal for m in self.metrics)

    def metric(self, key_or_label: str) -> Metric:
        """A metric by its key or its Chinese name."""
        for m in self.metrics:
            if m.key == key_or_label or m.label == key_or_label:
                return m
        names = "、".join(m.label for m in self.metrics)
        raise ValidationError(f"评分规则中没有指标“{key_or_label}”，现有指标：{names}。")

    def to_dict(self) -> dict:
        """A plain dict (JSON-ready); keys new in issue 16 appear only when not at their default,
        so a rule stored by an earlier version serialises exactly as before."""
        metrics = []
        for m in self.metrics:
            item = {
                "key": m.key,
                "label": m.label,
                "weight": format_decimal(m.weight),
                "note": m.note,
                "bounded_by": m.bounded_by,
            }
            if m.value_kind != COUNT:
                item["value_kind"] = m.value_kind
            metrics.append(item)
        data: dict = {"rank_method": self.rank_method, "metrics": metrics}
        if self.rate is not None:
            data["rate"] = list(self.rate)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: object) -> "ScoringRule":
        """The rule a dict describes; ``ValidationError`` listing every problem (see ``check_rule``)."""
        problems = check_rule(data)
        if problems:
            raise ValidationError("评分规则有误：" + "；".join(problems) + "。")
        assert isinstance(data, dict)
        metrics = tuple(
            Metric(
                str(m["key"]),
                str(m["label"]),
                parse_weight(m["weight"]),
                str(m.get("note") or ""),
                m.get("bounded_by") or None,
                m.get("value_kind") or COUNT,
            )
            for m in data["metrics"]
        )
        rate = data.get("rate")
        return cls(metrics, data.get("rank_method", DENSE), tuple(rate) if rate else None)

    @classmethod
    def from_json(cls, text: str) -> "ScoringRule":
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"评分规则数据损坏：{exc}") from None
        return cls.from_dict(data)


def check_rule(data: object) -> list[str]:
    """Every problem of a rule given as a dict (as ``to_dict`` writes it), each a Chinese sentence
    without final punctuation; an empty list when the rule is valid."""
    if not isinstance(data, dict):
        return ["评分规则数据损坏（不是一个对象）"]
    problems: list[str] = []
    metrics = data.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        return ["评分规则至少需要一个指标"]
    if len(metrics) > MAX_METRICS:
        problems.append(f"指标最多{MAX_METRICS}个（现有{len(metrics)}个）")
    keys: list[str] = []
    labels: list[str] = []
    for i, m in enumerate(metrics, 1):
        if not isinstance(m, dict):
            problems.append(f"第{i}个指标数据损坏")
            continue
        key, label = str(m.get("key") or "").strip(), str(m.get("label") or "").strip()
        name = label or key or f"第{i}个指标"
        if not key or not label:
            problems.append(f"第{i}个指标缺少名称")
        elif len(label) > MAX_LABEL:
            problems.append(f"指标名称“{label[:MAX_LABEL]}…”过长，最多{MAX_LABEL}个字")
        if key in keys or (label and label in labels):
            problems.append(f"指标“{name}”重复")
        if "weight" not in m:
            problems.append(f"指标“{name}”缺少权重")
        else:
            try:
                parse_weight(m["weight"])
            except ValidationError as exc:
                problems.append(f"指标“{name}”的" + str(exc).rstrip("。"))
        kind = m.get("value_kind") or COUNT
        if kind not in VALUE_KINDS:
            problems.append(f"指标“{name}”的数值类型“{kind}”未知（应为条数或分值）")
        cap = m.get("bounded_by")
        if cap:
            if cap not in keys:
                where = "不存在" if all(str(o.get("key")) != cap for o in metrics if isinstance(o, dict)) else "必须排在它前面"
                problems.append(f"指标“{name}”的上限指标“{cap}”{where}")
        keys.append(key)
        labels.append(label)
    method = data.get("rank_method", DENSE)
    if method not in RANK_METHODS:
        problems.append(f"未知的排名方式“{method}”（应为中国式排名、竞争排名或不排名）")
    rate = data.get("rate")
    if rate:
        if not isinstance(rate, (list, tuple)) or len(rate) != 2 or rate[0] == rate[1] or any(k not in keys for k in rate):
            problems.append("采用率需要两个不同的已有指标（采用与报送）")
    return problems


MAX_METRICS = 12
MAX_LABEL = 20


def default_note(label: str, weight: Decimal, value_kind: str = COUNT) -> str:
    """The note phrase a new metric gets: ``每条县级采用计{weight}分``; none for weight 0
    (报送不计分 is said by leaving it out) or for a decimal score counted as it is (weight 1)."""
    if weight == 0:
        return ""
    if value_kind == SCORE:
        return "" if weight == 1 else f"{label}按{{weight}}倍计入得分"
    return f"每条{label}计{{weight}}分"


def make_metric(
    label: str,
    weight: object,
    *,
    decimal: bool = False,
    cap: str | None = None,
    key: str | None = None,
    note: str | None = None,
) -> Metric:
    """A metric as the rule editor or ``rule set --metric 名称=权重`` gives it: the key is the name
    unless given; ``cap`` is the key of the metric it may not exceed; the note phrase is derived."""
    label = str(label).strip()
    if not label:
        raise ValidationError("指标名称不能为空。")
    if len(label) > MAX_LABEL:
        raise ValidationError(f"指标名称“{label[:MAX_LABEL]}…”过长，最多{MAX_LABEL}个字。")
    value = parse_weight(weight)
    kind = SCORE if decimal else COUNT
    return Metric(key or label, label, value, default_note(label, value, kind) if note is None else note,
                  cap or None, kind)


# ---- presets: named by what they do ---------------------------------------------------------

PRESET_SUBMIT_ADOPT = "submit_adopt"
PRESET_TWO_LEVELS = "two_levels"
PRESET_ADOPT_ONLY = "adopt_only"
PRESET_SCORE_SUM = "score_sum"


def _preset_submit_adopt() -> ScoringRule:
    return ScoringRule.default()


def _preset_two_levels() -> ScoringRule:
    return ScoringRule(
        (
            make_metric("报送信息", "0", key=SUBMITTED),
            make_metric("县级采用", "5", key="adopted_county", cap=SUBMITTED),
            make_metric("市级采用", "10", key="adopted_city", cap=SUBMITTED),
        ),
        DENSE,
    )


def _preset_adopt_only() -> ScoringRule:
    return ScoringRule(
        (
            make_metric("报送信息", "0", key=SUBMITTED),
            make_metric("采用信息", "3", key=ADOPTED, cap=SUBMITTED),
        ),
        DENSE,
    )


def _preset_score_sum() -> ScoringRule:
    return ScoringRule(
        tuple(make_metric(f"评分项{i}", "1", decimal=True, key=f"item{i}") for i in range(1, 4)),
        COMPETITION,
    )


PRESETS: dict[str, tuple[str, object]] = {
    PRESET_SUBMIT_ADOPT: ("报送加采用（每条报送0.2分、采用1分，中国式排名）", _preset_submit_adopt),
    PRESET_TWO_LEVELS: ("两级采用（县级采用5分、市级采用10分，报送不计分）", _preset_two_levels),
    PRESET_ADOPT_ONLY: ("只计采用（每条采用3分）", _preset_adopt_only),
    PRESET_SCORE_SUM: ("评分汇总（小数分项相加，竞争排名）", _preset_score_sum),
}


def preset(name: str) -> ScoringRule:
    """A preset rule by its id (``PRESETS``: id → (Chinese title, factory))."""
    try:
        return PRESETS[name][1]()  # type: ignore[operator]
    except KeyError:
        titles = "、".join(t for t, _f in PRESETS.values())
        raise ValidationError(f"没有这个预设规则，可选：{titles}。") from None


def preset_titles() -> list[tuple[str, str]]:
    """(id, Chinese title) of every preset, in the editor's order."""
    return [(k, t) for k, (t, _f) in PRESETS.items()]
