"""Reporting periods: quarters (``2021Q2``), open to months (``2021M07``) and years (``2021``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shangnan_desktop.domain.errors import ValidationError

QUARTER_NAMES = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
_KINDS = {"Q": 4, "M": 12, "Y": 1}
_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:([QqMm])\s*(\d{1,2}))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A year plus a quarter or month number; ``kind`` is ``Q``, ``M`` or ``Y``."""

    year: int
    kind: str = "Q"
    number: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValidationError(f"未知的期间类型“{self.kind}”。")
        if not 2000 <= self.year <= 2100:
            raise ValidationError(f"年份{self.year}不合理,请输入2000至2100之间的年份。")
        if not 1 <= self.number <= _KINDS[self.kind]:
            what = {"Q": "季度", "M": "月份", "Y": "年度"}[self.kind]
            raise ValidationError(f"{what}只能是1到{_KINDS[self.kind]}(输入了{self.number}),请核对期间。")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``2021Q2``, ``2021M7`` or ``2021``; a clear message otherwise."""
        m = _PATTERN.match(str(text))
        if not m:
            raise ValidationError(
                f"无法识别期间“{text}”,请按“2021Q2”(季度)、“2021M07”(月份)或“2021”(全年)的格式输入。"
            )
        year = int(m.group(1))
        if m.group(2) is None:
            return cls(year, "Y", 1)
        return cls(year, m.group(2).upper(), int(m.group(3)))

    @property
    def key(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "M":
            return f"{self.year}M{self.number:02d}"
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """How the notice writes it: ``2021年二季度``."""
        if self.kind == "Y":
            return f"{self.year}年"
        if self.kind == "M":
            return f"{self.year}年{self.number}月"
        return f"{self.year}年{QUARTER_NAMES[self.number]}"

    def next(self) -> "Period":
        if self.kind == "Y":
            return Period(self.year + 1, "Y", 1)
        if self.number == _KINDS[self.kind]:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    def __str__(self) -> str:
        return self.key
