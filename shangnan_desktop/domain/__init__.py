"""Plain-Python domain: periods, units, counts, the scoring rule, ranks and summaries."""

from shangnan_desktop.domain.counts import (
    MAX_COUNT,
    MAX_SCORE,
    parse_count,
    parse_score,
    parse_score_text,
    parse_value,
    validate_counts,
)
from shangnan_desktop.domain.errors import DomainError, LockedError, NotFoundError, ValidationError
from shangnan_desktop.domain.period import Period
from shangnan_desktop.domain.ranking import RankIndex, rank, ranked_order
from shangnan_desktop.domain.rule import (
    ADOPTED,
    COMPETITION,
    COUNT,
    DENSE,
    NONE,
    PRESETS,
    SCORE,
    SUBMITTED,
    Metric,
    ScoringRule,
    adoption_rate,
    check_rule,
    format_decimal,
    format_rate,
    make_metric,
    preset,
    preset_titles,
)
from shangnan_desktop.domain.sheet import GroupSheet, GroupSummary, PeriodSheet, RankedRow, Row, Summary
from shangnan_desktop.domain.units import Group, Unit

__all__ = [
    "ADOPTED", "COMPETITION", "DENSE", "MAX_COUNT", "SUBMITTED", "DomainError", "Group",
    "GroupSheet", "GroupSummary", "LockedError", "Metric", "NotFoundError", "Period",
    "PeriodSheet", "RankIndex", "RankedRow", "Row", "ScoringRule", "Summary", "Unit",
    "ValidationError", "format_decimal", "parse_count", "rank", "ranked_order", "validate_counts",
    "COUNT", "MAX_SCORE", "NONE", "PRESETS", "SCORE", "adoption_rate", "check_rule", "format_rate",
    "make_metric", "parse_score", "parse_score_text", "parse_value", "preset", "preset_titles",
]
