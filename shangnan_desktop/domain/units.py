"""Groups of units (镇办, 县直部门) and the units themselves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """A group of units ranked together; its wording is data, not code."""

    id: int
    name: str
    position: int
    unit_header: str = "单位"
    annex_title: str = "{period}{group}信息报送情况统计表"

    def title(self, period_label: str) -> str:
        """The annex title for a period, e.g. ``2021年二季度县直有关部门向…统计表``."""
        return self.annex_title.replace("{period}", period_label).replace("{group}", self.name)


@dataclass(frozen=True)
class Unit:
    """A reporting unit; ``name`` is its current name, a period keeps the name it had then."""

    id: int
    group_id: int
    name: str
    position: int
    active: bool = True
