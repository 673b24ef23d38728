"""The quarterly notice (通报) as data: editable text with named placeholders, bound to a period's figures.

A placeholder is a name in ASCII braces, ``{采用总数}``: one atomic token the editor highlights
and protects. ``bind`` resolves every placeholder from the period's sheet and the notice's own
figures (those the tables don't hold) into runs that remember which words are bound.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.period import QUARTER_NAMES, Period
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED, format_decimal
from shangnan_desktop.domain.sheet import GroupSheet, PeriodSheet

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,24})\}")

# Roles of the resolved paragraphs, in document order.
MASTHEAD = "masthead"  # 发文机关标志, red
NUMBER = "number"  # 发文字号
TITLE = "title"  # 标题, 小标宋
ADDRESSEE = "addressee"  # 主送机关, flush left
BODY = "body"  # 正文, first line indented two characters
HEADING1 = "heading1"  # 一、……  黑体
HEADING2 = "heading2"  # （一）…… 楷体 lead-in, then body text
ANNEX_LIST = "annex_list"  # 附件说明
SIGNATURE = "signature"  # 发文机关署名
DATE = "date"  # 成文日期
PUBLICATION = "publication"  # （此件公开发布）

# How many units each group praises by default (by rank), by group position: 镇办 3, 县直部门 8.
DEFAULT_PRAISED = (3, 8)
# Short names the text uses for a group's figures: {部门报送} for 县直部门.
GROUP_ALIASES = {"县直部门": "部门", "县直有关部门": "部门"}
HEADING2_LEAD = re.compile(r"^（[一二三四五六七八九十]+）[^。！？]*[。！？]")

# Every placeholder the binding knows, with what it stands for (the editor's tooltip).
PLACEHOLDERS: dict[str, str] = {
    "期间": "期间全称，如“2021年二季度”",
    "年份": "年份，如“2021”",
    "季度": "季度，如“二季度”",
    "月份": "期间所含月份，如“4—6月份”",
    "发布总数": "共发布各类信息条数 = 采用总数 + 县电子政务中心采编发布条数",
    "报送总数": "各单位报送信息合计",
    "采用总数": "各单位采用信息合计",
    "中心发布": "县电子政务中心采编发布条数",
    "镇办报送": "镇办报送信息合计",
    "镇办采用": "镇办采用信息合计",
    "部门报送": "县直部门报送信息合计",
    "部门采用": "县直部门采用信息合计",
    "零报送单位数": "报送信息为0的单位个数",
    "零报送单位": "报送信息为0的单位名单",
    "表扬镇办": "信息报送表扬的镇办（默认排名前3位）",
    "表扬部门": "信息报送表扬的部门（默认排名前8位）",
    "表扬单位": "表扬的镇办和部门",
    "重点领域信息": "主动公开重点领域信息条数",
    "依申请公开": "办理依申请公开信息件数",
    "问政受理": "受理网上问政信件数",
    "问政办结": "已处理网上问政信件数",
    "办结率": "网上问政办结率 = 已处理 ÷ 受理",
    "问政表扬单位": "网上问政办理工作表扬的单位",
    "报送截止日期": "登记表报送截止日期，如“7月23日”",
}


# ---- full-width punctuation --------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3400 <= o <= 0x9FFF or 0x20000 <= o <= 0x3FFFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
        or 0xF900 <= o <= 0xFAFF
    )


_PAREN = re.compile(r"\(([^()]*)\)")
_HALF_TO_FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01"}
FULL_OPEN, FULL_CLOSE = "\uff08", "\uff09"


def full_width(text: str) -> str:
    """ASCII ``, : ; ? ! ( )`` next to Chinese become ``，：；？！（）``; digits and Latin stay half-width.

    ``10:30`` and ``(a)`` stay as they are; ``各镇(办)`` and ``注:每上报`` are corrected.
    """

    def paren(m: re.Match) -> str:
        start, end = m.start(), m.end()
        inner = m.group(1)
        around = (text[start - 1] if start else "") + (text[end] if end < len(text) else "")
        if any(_is_cjk(c) for c in inner + around):
            return f"{FULL_OPEN}{inner}{FULL_CLOSE}"
        return m.group(0)

    text = _PAREN.sub(paren, text)
    out = []
    for i, ch in enumerate(text):
        if ch in _HALF_TO_FULL:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and _is_cjk(before)) or (after and _is_cjk(after)):
                ch = _HALF_TO_FULL[ch]
        out.append(ch)
    return "".join(out)


# ---- the notice as data -------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeFigures:
    """What the notice states that the tables don't hold; ``None``: not entered yet."""

    key_area_published: int | None = None  # {重点领域信息}: 174
    disclosure_handled: int | None = None  # {依申请公开}: 8
    letters_received: int | None = None  # {问政受理}: 44
    letters_handled: int | None = None  # {问政办结}: 44
    letters_praised: tuple[str, ...] = ()  # {问政表扬单位}: 县卫健局、试马镇
    reply_deadline: str = ""  # {报送截止日期}: 7月23日

    def letters_rate(self) -> Decimal | None:
        """办结率 in percent, exact, rounded half-up to one decimal (44/44 → 100)."""
        if self.letters_received is None or self.letters_handled is None or self.letters_received <= 0:
            return None
        rate = Decimal(self.letters_handled) * 100 / Decimal(self.letters_received)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Section:
    """一、总体情况 and its paragraphs; a paragraph opening ``（一）…。`` leads in with a level-2 heading."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    period: Period
    office: str  # 商南县人民政府办公室
    number_prefix: str  # 商南政办函
    number_serial: int | None  # 56; None: not assigned yet
    date: datetime.date | None  # 成文日期
    addressees: str
    title: str  # "\n" marks the preferred line breaks
    opening: str
    sections: tuple[Section, ...]
    figures: NoticeFigures = field(default_factory=NoticeFigures)
    praised: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # group name -> units (override)
    publication: str = "此件公开发布"
    signature: str = ""  # default: the office

    @property
    def number(self) -> str:
        """``商南政办函〔2021〕56号``; a blank for the serial until it is assigned."""
        year = self.date.year if self.date else self.period.year
        serial = str(self.number_serial) if self.number_serial else "\u3000"
        return f"{self.number_prefix}〔{year}〕{serial}号"

    @property
    def signer(self) -> str:
        return self.signature or self.office

    def texts(self) -> list[str]:
        """Every editable text of the notice, for checks over all of them."""
        out = [self.title, self.addressees, self.opening]
        for s in self.sections:
            out.append(s.heading)
            out.extend(s.paragraphs)
        return out

    # -- serialisation (the storage seed and the store keep it as JSON) --

    def to_dict(self) -> dict:
        f = self.figures
        return {
            "period": self.period.key,
            "office": self.office,
            "number_prefix": self.number_prefix,
            "number_serial": self.number_serial,
            "date": self.date.isoformat() if self.date else None,
            "addressees": self.addressees,
            "title": self.title,
            "opening": self.opening,
            "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in self.sections],
            "figures": {
                "key_area_published": f.key_area_published,
                "disclosure_handled": f.disclosure_handled,
                "letters_received": f.letters_received,
                "letters_handled": f.letters_handled,
                "letters_praised": list(f.letters_praised),
                "reply_deadline": f.reply_deadline,
            },
            "praised": {k: list(v) for k, v in self.praised.items()},
            "publication": self.publication,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Notice":
        try:
            fig = data.get("figures") or {}
            date = data.get("date")
            return cls(
                period=Period.parse(data["period"]),
                office=str(data["office"]),
                number_prefix=str(data["number_prefix"]),
                number_serial=_optional_int(data.get("number_serial")),
                date=datetime.date.fromisoformat(date) if date else None,
                addressees=str(data["addressees"]),
                title=str(data["title"]),
                opening=str(data.get("opening", "")),
                sections=tuple(
                    Section(str(s["heading"]), tuple(str(p) for p in s["paragraphs"])) for s in data["sections"]
                ),
                figures=NoticeFigures(
                    key_area_published=_optional_int(fig.get("key_area_published")),
                    disclosure_handled=_optional_int(fig.get("disclosure_handled")),
                    letters_received=_optional_int(fig.get("letters_received")),
                    letters_handled=_optional_int(fig.get("letters_handled")),
                    letters_praised=tuple(str(u) for u in fig.get("letters_praised", ())),
                    reply_deadline=str(fig.get("reply_deadline", "")),
                ),
                praised={str(k): tuple(str(u) for u in v) for k, v in (data.get("praised") or {}).items()},
                publication=str(data.get("publication", "此件公开发布")),
                signature=str(data.get("signature", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(full_width(f"通报数据损坏：{exc}。请重新导入或恢复备份。")) from None


def _optional_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or int(value) != value or int(value) < 0:
        raise ValueError(f"不是非负整数：{value!r}")
    return int(value)


# ---- binding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of resolved text; ``name`` is set for a bound figure (highlighted, never typed over)."""

    text: str
    name: str | None = None
    missing: bool = False  # a placeholder with no value (unknown name or figure not entered)

    @property
    def bound(self) -> bool:
        return self.name is not None


@dataclass(frozen=True)
class Paragraph:
    role: str
    runs: tuple[Run, ...]
    lead: int = 0  # HEADING2: how many leading characters are the 楷体 heading

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ResolvedNotice:
    paragraphs: tuple[Paragraph, ...]
    values: Mapping[str, str]  # every placeholder's value, as printed
    annex_titles: tuple[str, ...]
    missing: tuple[str, ...]  # placeholders left unresolved

    def by_role(self, role: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.role == role]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def bound_runs(self) -> list[Run]:
        return [r for p in self.paragraphs for r in p.runs if r.bound]


PLACEHOLDERS = {k: full_width(v) for k, v in PLACEHOLDERS.items()}


def group_alias(name: str) -> str:
    return GROUP_ALIASES.get(name, name)


def _praised_units(group: GroupSheet, count: int) -> tuple[str, ...]:
    """The top ``count`` units by rank (ties in unit order), only those that scored at all."""
    return tuple(group.rows[i].name for i in group.top(count) if group.scores[i] > 0)


def praised_units(notice: Notice, sheet: PeriodSheet) -> dict[str, tuple[str, ...]]:
    """Per group: the notice's own list if the clerk edited it, else the default top N by rank."""
    out = {}
    for i, group in enumerate(sheet.groups):
        if group.name in notice.praised:
            out[group.name] = tuple(notice.praised[group.name])
        else:
            default = DEFAULT_PRAISED[i] if i < len(DEFAULT_PRAISED) else 0
            out[group.name] = _praised_units(group, default)
    return out


def months_label(period: Period) -> str:
    """``4—6月份`` for 2021Q2 (一字线 for a range, GB/T 15834)."""
    if period.kind == "Q":
        first = 3 * period.number - 2
        return f"{first}—{first + 2}月份"
    if period.kind == "M":
        return f"{period.number}月份"
    return "1—12月份"


def values_for(notice: Notice, sheet: PeriodSheet) -> dict[str, str | None]:
    """Every placeholder's printed value for this notice and period; ``None``: not entered."""
    summary = sheet.summary()
    rule = sheet.rule
    period = sheet.period
    values: dict[str, str | None] = {
        "期间": period.label,
        "年份": str(period.year),
        "季度": QUARTER_NAMES.get(period.number, "") if period.kind == "Q" else period.label,
        "月份": months_label(period),
        "中心发布": _num(summary.centre_published),
        "发布总数": _num(summary.total_published),
        "零报送单位数": str(len(summary.zero_units)),
        "零报送单位": "、".join(summary.zero_units) or "无",
    }
    for key, word in ((SUBMITTED, "报送"), (ADOPTED, "采用")):
        values[f"{word}总数"] = str(summary.total(key)) if key in rule.keys else None
        for group in sheet.groups:
            value = str(group.totals[rule.index(key)]) if key in rule.keys else None
            values[f"{group.name}{word}"] = value
            values[f"{group_alias(group.name)}{word}"] = value
    praised = praised_units(notice, sheet)
    names = list(praised.values())
    values["表扬镇办"] = "、".join(names[0]) if names else ""
    values["表扬部门"] = "、".join(names[1]) if len(names) > 1 else ""
    for group in sheet.groups:
        values[f"表扬{group_alias(group.name)}"] = "、".join(praised[group.name])
    values["表扬单位"] = "、".join(u for units in names for u in units)
    f = notice.figures
    rate = f.letters_rate()
    values.update({
        "重点领域信息": _num(f.key_area_published),
        "依申请公开": _num(f.disclosure_handled),
        "问政受理": _num(f.letters_received),
        "问政办结": _num(f.letters_handled),
        "办结率": f"{format_decimal(rate)}%" if rate is not None else None,
        "问政表扬单位": "、".join(f.letters_praised) or None,
        "报送截止日期": f.reply_deadline or None,
    })
    return values


def _num(value: int | None) -> str | None:
    return None if value is None else str(value)


def resolve_text(text: str, values: Mapping[str, str | None]) -> tuple[Run, ...]:
    """Text with placeholders → runs; a placeholder without a value stays visible as ``{名称}``, marked missing."""
    runs: list[Run] = []
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()]))
        name = m.group(1)
        value = values.get(name)
        runs.append(Run(value, name) if value is not None else Run(m.group(0), name, missing=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(runs)


def placeholders_in(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


def placeholder_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every ``{名称}`` token: what an editor highlights and treats as one character."""
    return [(m.start(), m.end(), m.group(1)) for m in PLACEHOLDER.finditer(text)]


def chinese_date(date: datetime.date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros (2021年7月16日)."""
    return f"{date.year}年{date.month}月{date.day}日"


def annex_titles(sheet: PeriodSheet, register_title: str) -> tuple[str, ...]:
    """The annex list's names: one ranking table per group, then the registration form."""
    return tuple(full_width(g.group.title(sheet.period.label)) for g in sheet.groups) + (register_title,)


def bind(
    notice: Notice, sheet: PeriodSheet, *, register_title: str = "商南县政府网站管理责任人登记表"
) -> ResolvedNotice:
    """The notice with every placeholder resolved from ``sheet``: paragraphs in document order, by role."""
    values = values_for(notice, sheet)
    paragraphs: list[Paragraph] = [
        Paragraph(MASTHEAD, (Run(notice.office),)),
        Paragraph(NUMBER, (Run(notice.number),)),
    ]
    for line in notice.title.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(TITLE, resolve_text(full_width(line.strip()), values)))
    paragraphs.append(Paragraph(ADDRESSEE, resolve_text(full_width(notice.addressees), values)))
    if notice.opening.strip():
        paragraphs.append(Paragraph(BODY, resolve_text(full_width(notice.opening), values)))
    for section in notice.sections:
        paragraphs.append(Paragraph(HEADING1, resolve_text(full_width(section.heading), values)))
        for text in section.paragraphs:
            text = full_width(text)
            m = HEADING2_LEAD.match(text)
            if m:
                paragraphs.append(Paragraph(HEADING2, resolve_text(text, values), lead=m.end()))
            else:
                paragraphs.append(Paragraph(BODY, resolve_text(text, values)))
    titles = annex_titles(sheet, register_title)
    for i, title in enumerate(titles, start=1):
        prefix = "附件\uff1a" if i == 1 else ""
        paragraphs.append(Paragraph(ANNEX_LIST, (Run(prefix), Run(f"{i}.{title}", f"附件{i}"))))
    paragraphs.append(Paragraph(SIGNATURE, (Run(notice.signer),)))
    paragraphs.append(Paragraph(DATE, (Run(chinese_date(notice.date) if notice.date else "　　年　月　日"),)))
    if notice.publication.strip():
        note = notice.publication.strip("()" + FULL_OPEN + FULL_CLOSE)
        paragraphs.append(Paragraph(PUBLICATION, (Run(f"{FULL_OPEN}{note}{FULL_CLOSE}"),)))
    missing = tuple(dict.fromkeys(r.name for p in paragraphs for r in p.runs if r.missing and r.name))
    resolved_values = {k: v for k, v in values.items() if v is not None}
    return ResolvedNotice(tuple(paragraphs), resolved_values, titles, missing)


def check(notice: Notice, sheet: PeriodSheet) -> list[str]:
    """What the clerk should fix before sending, in Chinese; empty when the notice is complete."""
    problems = []
    known = set(values_for(notice, sheet))
    for text in notice.texts():
        for name in placeholders_in(text):
            if name not in known:
                problems.append(f"未知的占位符“{{{name}}}”，请从列表中选择或删除。")
    resolved = bind(notice, sheet)
    for name in resolved.missing:
        if name in known:
            problems.append(f"“{name}”尚未录入（{PLACEHOLDERS.get(name, name)}）。")
    if not notice.number_serial:
        problems.append("发文字号的序号尚未填写。")
    if notice.date is None:
        problems.append("成文日期尚未填写。")
    else:
        _first, last = sheet.period.days
        if notice.date <= last:
            problems.append(
                f"成文日期{chinese_date(notice.date)}不晚于{sheet.period.label}的最后一天（{chinese_date(last)}），"
                "通报应在期满后印发，请核对。"
            )
        elif (notice.date - last).days > 366:
            problems.append(f"成文日期{chinese_date(notice.date)}比{sheet.period.label}结束晚一年以上，请核对。")
    f = notice.figures
    if f.letters_received is not None and f.letters_handled is not None and f.letters_handled > f.letters_received:
        problems.append(f"已处理问政信件（{f.letters_handled}）不能多于受理数（{f.letters_received}），请核对。")
    for group in sheet.groups:
        names = {r.name for r in group.rows}
        for unit in notice.praised.get(group.name, ()):
            if unit not in names:
                problems.append(f"表扬名单中的“{unit}”不在本期{group.name}名单中。")
    return [full_width(p) for p in dict.fromkeys(problems)]


# ---- the next quarter ---------------------------------------------------------------------


def _add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31][month - 1]
    return datetime.date(year, month, min(date.day, last))


_DEADLINE = re.compile(r"^(\d{1,2})月(\d{1,2})日$")


def _advance_deadline(text: str, months: int) -> str:
    m = _DEADLINE.match(text.strip())
    if not m:
        return ""
    month = (int(m.group(1)) - 1 + months) % 12 + 1
    return f"{month}月{m.group(2)}日"


def period_months(period: Period) -> int:
    return {"Q": 3, "M": 1, "Y": 12}[period.kind]


def _months_between(a: Period, b: Period) -> int:
    """Months from the start of ``a`` to the start of ``b`` (0 if ``b`` is not after ``a``)."""

    def start(p: Period) -> int:
        return p.year * 12 + (p.number - 1) * period_months(p) if p.kind != "Y" else p.year * 12

    return max(0, start(b) - start(a))


def next_notice(previous: Notice, period: Period | None = None) -> Notice:
    """A new period's notice from the previous one's text: placeholders re-bind to the new period's data.

    The date and the reply deadline move on by the period's length; the serial number is left blank
    (the office assigns it); figures that only the clerk knows start empty; edited praise lists are
    dropped so the default top units of the new period apply.
    """
    period = period or previous.period.next()
    months = _months_between(previous.period, period)
    date = _add_months(previous.date, months) if previous.date else None
    deadline = _advance_deadline(previous.figures.reply_deadline, months)
    return replace(
        previous,
        period=period,
        number_serial=None,
        date=date,
        figures=NoticeFigures(reply_deadline=deadline),
        praised={},
    )
