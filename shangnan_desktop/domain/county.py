"""A new county's setup as plain data: county, office, document-number prefix, the first period (its kind
is the database's), groups with their header words and units in order, and the first rule (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.period import KINDS, Period
from shangnan_desktop.domain.rule import ScoringRule
from shangnan_desktop.domain.text import match_key, normalise_name

SETTING_COUNTY = "county"
SETTING_OFFICE = "office"
SETTING_NUMBER_PREFIX = "number_prefix"
SETTING_PERIOD_KIND = "period_kind"
DEFAULT_ANNEX_TITLE = "{period}{group}信息采用情况统计表"
MAX_NAME = 40


@dataclass(frozen=True)
class GroupSetup:
    name: str
    units: tuple[str, ...]
    unit_header: str = "单位"


@dataclass(frozen=True)
class CountySetup:
    """Everything a new county's database starts with; ``check`` lists every problem."""

    county: str
    first_period: Period
    groups: tuple[GroupSetup, ...]
    office: str = ""
    number_prefix: str = ""
    rule: ScoringRule = field(default_factory=ScoringRule.default)

    @property
    def period_kind(self) -> str:
        return self.first_period.kind

    def check(self) -> None:
        problems: list[str] = []
        if not self.county.strip():
            problems.append("县（市、区）名称不能为空")
        elif len(self.county.strip()) > MAX_NAME:
            problems.append(f"县（市、区）名称最多{MAX_NAME}个字")
        if len(self.office.strip()) > 60:
            problems.append("发文机关名称最多60个字")
        if len(self.number_prefix.strip()) > 30:
            problems.append("文号前缀最多30个字")
        if self.first_period.kind not in KINDS:
            problems.append("统计期类型未知")
        if not self.groups:
            problems.append("至少需要一个分组（--group 名称=文件）")
        seen_groups: set[str] = set()
        seen_units: dict[str, str] = {}
        for g in self.groups:
            name = g.name.strip()
            if not name or len(name) > MAX_NAME:
                problems.append(f"分组名称“{name}”须为1到{MAX_NAME}个字")
            if name in seen_groups:
                problems.append(f"分组“{name}”重复")
            seen_groups.add(name)
            if not g.unit_header.strip() or len(g.unit_header.strip()) > 10:
                problems.append(f"分组“{name}”的表头用语须为1到10个字")
            if not g.units:
                problems.append(f"分组“{name}”没有单位")
            for unit in g.units:
                if not unit or len(unit) > MAX_NAME:
                    problems.append(f"分组“{name}”中的单位名称“{unit[:MAX_NAME]}”须为1到{MAX_NAME}个字")
                    continue
                key = match_key(unit)
                if key in seen_units:
                    problems.append(f"单位“{unit}”重复（分组“{seen_units[key]}”中已有）")
                seen_units[key] = name
        if problems:
            raise ValidationError("新建数据库的设置有误：" + "；".join(dict.fromkeys(problems)) + "。")


def unit_names(text: str) -> tuple[str, ...]:
    """One unit name per line, in order; blank lines skipped, names normalised as the store keeps them."""
    return tuple(normalise_name(line) for line in text.replace("\ufeff", "").splitlines() if line.strip())


