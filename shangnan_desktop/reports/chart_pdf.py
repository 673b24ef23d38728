"""The optional chart page of a ranking annex in PDF: each unit's score as a horizontal bar, in rank order.

Drawn with reportlab's own graphics (no plotting library): bars scaled to the highest score, the unit's
rank and name on the left, the exact score at the bar's end, units that scored 0 in grey. A long group
continues on further pages, the scale kept the same throughout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shangnan_desktop.domain import format_decimal
from shangnan_desktop.reports.fonts import BODY, HEI, FontSet
from shangnan_desktop.reports.annex import RANKING, AnnexTable, split_title

TITLE_SIZE = 16  # 三号黑体
CAPTION_SIZE = 10.5  # 五号
MAX_LABEL_SIZE = 10.5
MIN_LABEL_SIZE = 6.0
MAX_PITCH = 18.0  # points per bar at most (a short group does not get fat bars)
MIN_PITCH = 9.0  # below this (7 pt labels) a group continues on the next page
AXIS_ROOM = 18.0  # tick labels under the bars
BAR_COLOUR = (0.17, 0.33, 0.58)  # a dark blue that prints as dark grey in black and white
ZERO_COLOUR = (0.62, 0.62, 0.62)
GRID_COLOUR = (0.85, 0.85, 0.85)
TEXT_COLOUR = (0, 0, 0)
FRAME_PADDING = 6


@dataclass(frozen=True)
class Bar:
    rank: int | None
    name: str
    score: Decimal


def bars(table: AnnexTable) -> list[Bar]:
    """The table's rows in its own (rank) order: name, rank and score read from the description."""
    keys = [c.key for c in table.columns]
    try:
        u, s = keys.index("unit"), keys.index("score")
    except ValueError:
        raise ValueError("a chart needs the unit and score columns") from None
    r = keys.index("rank") if "rank" in keys else None
    out = []
    for row in table.rows:
        if row.section:
            continue
        score = row.values[s]
        out.append(Bar(
            row.values[r] if r is not None else None,
            str(row.values[u] or ""),
            score if isinstance(score, Decimal) else Decimal(str(score or 0)),
        ))
    return out


def chart_title(table: AnnexTable) -> str:
    """``2021年度县直有关部门向县政府网站报送政务信息得分排名图``."""
    title = table.title
    for suffix in ("情况统计表", "统计表"):
        if title.endswith(suffix):
            return title[: -len(suffix)] + "得分排名图"
    return title + "得分排名图"


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` intervals up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def chart_story(table: AnnexTable, fonts: FontSet, missing: set[str], width: float, height: float) -> list:
    """Flowables for the chart page(s) of one ranking annex, starting on a new page."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph

    if table.kind != RANKING:
        return []
    items = bars(table)
    if not items:
        return []
    width -= 2 * FRAME_PADDING  # platypus frames keep 6 pt inside each edge
    height -= 2 * FRAME_PADDING
    title_lines = split_title(chart_title(table), width / TITLE_SIZE - 2)
    title_style = ParagraphStyle("chart-title", fontName=fonts.font(HEI), fontSize=TITLE_SIZE,
                                 leading=TITLE_SIZE * 1.5, alignment=TA_CENTER, wordWrap="CJK")
    caption_style = ParagraphStyle("chart-caption", fontName=fonts.font(BODY), fontSize=CAPTION_SIZE,
                                   leading=CAPTION_SIZE * 1.5, alignment=TA_CENTER, wordWrap="CJK",
                                   spaceAfter=CAPTION_SIZE)
    zeros = sum(1 for b in items if b.score == 0)
    caption = f"按得分从高到低排列，共{len(items)}个单位"
    caption += f"，其中{zeros}个单位得分为0（灰色）。" if zeros else "。"

    def head(note: str) -> list:
        paras = [Paragraph(fonts.markup(line, HEI, missing), title_style) for line in title_lines]
        return paras + [Paragraph(fonts.markup(note, BODY, missing), caption_style)]

    head_height = sum(p.wrap(width, height)[1] + p.getSpaceAfter() for p in head(caption))
    room = height - head_height - 4  # slack against rounding in the frame
    pitch = min(MAX_PITCH, (room - AXIS_ROOM) / len(items))
    per_page = len(items)
    if pitch < MIN_PITCH:
        pitch = MIN_PITCH
        per_page = max(1, int((room - AXIS_ROOM) // pitch))
    top = max(float(b.score) for b in items)
    story: list = []
    for start in range(0, len(items), per_page):
        chunk = items[start : start + per_page]
        story.append(PageBreak())
        story += head(caption if start == 0 else f"（续，第{start + 1}至{start + len(chunk)}个单位）")
        story.append(_drawing(chunk, items, fonts, missing, width, pitch, top))
    return story


def _label_size(pitch: float) -> float:
    return max(MIN_LABEL_SIZE, min(MAX_LABEL_SIZE, pitch * 0.72))


def _drawing(chunk: Sequence[Bar], every: Sequence[Bar], fonts: FontSet, missing: set[str], width: float,
             pitch: float, top: float):
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import Color

    size = _label_size(pitch)
    bar_colour, zero_colour = Color(*BAR_COLOUR), Color(*ZERO_COLOUR)
    grid_colour, text_colour = Color(*GRID_COLOUR), Color(*TEXT_COLOUR)
    # Column widths measured over every bar (all pages alike): rank, name, bars, value.
    rank_width = max(fonts.string_width(str(b.rank or ""), BODY, size) for b in every) + size * 0.6
    name_cap = width * 0.38
    name_width = min(name_cap, max(fonts.string_width(b.name, BODY, size) for b in every)) + size * 0.5
    value_width = max(fonts.string_width(format_decimal(b.score), BODY, size) for b in every) + size * 0.8
    x0 = rank_width + name_width
    span = max(width - x0 - value_width, width * 0.2)
    step = nice_step(top)
    scale_top = max(step, math.ceil(top / step) * step) if top > 0 else 1.0
    unit = span / scale_top
    height = AXIS_ROOM + pitch * len(chunk)
    d = Drawing(width, height)

    def text(x: float, y: float, value: str, role: str, fs: float, colour, anchor: str = "start") -> None:
        runs = fonts.runs(value, role, missing)
        total = sum(_width(chunk, font, fs) for font, chunk in runs)
        if anchor == "end":
            x -= total
        elif anchor == "middle":
            x -= total / 2
        for font, part in runs:
            d.add(String(x, y, part, fontName=font, fontSize=fs, fillColor=colour))
            x += _width(part, font, fs)

    # the scale: light vertical lines with their values underneath
    tick = 0.0
    while tick <= scale_top + 1e-9:
        x = x0 + tick * unit
        d.add(Line(x, AXIS_ROOM - 2, x, height, strokeColor=grid_colour, strokeWidth=0.5))
        label = format_decimal(Decimal(str(round(tick, 6))))
        text(x, AXIS_ROOM - 2 - size, label, BODY, size * 0.85, text_colour, "middle")
        tick += step
    d.add(Line(x0, AXIS_ROOM - 2, x0, height, strokeColor=text_colour, strokeWidth=0.6))

    bar_height = pitch * 0.62
    for i, b in enumerate(chunk):
        y = height - pitch * (i + 1)
        mid = y + pitch / 2
        baseline = mid - size * 0.36
        zero = b.score == 0
        colour = zero_colour if zero else text_colour
        text(rank_width - size * 0.4, baseline, str(b.rank or ""), BODY, size, colour, "end")
        name_size = size
        while name_size > MIN_LABEL_SIZE and fonts.string_width(b.name, BODY, name_size) > name_width - size * 0.4:
            name_size -= 0.5
        text(x0 - size * 0.4, mid - name_size * 0.36, b.name, BODY, name_size, colour, "end")
        length = float(b.score) * unit
        if zero:
            d.add(Rect(x0, mid - bar_height / 2, 1.5, bar_height, fillColor=zero_colour, strokeColor=None))
            length = 1.5
        else:
            d.add(Rect(x0, mid - bar_height / 2, length, bar_height, fillColor=bar_colour, strokeColor=None))
        text(x0 + length + size * 0.3, baseline, format_decimal(b.score), BODY, size, colour)
    return d


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)
