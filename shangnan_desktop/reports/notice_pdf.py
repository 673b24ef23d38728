"""The notice and its annexes as one PDF (reportlab): GB/T 9704 信函格式, 22 lines × 28 characters.

Body text is set on the standard's grid by a small line breaker of our own (CJK line breaking
with 避头尾 rules, digits kept together, lines justified), so a page holds exactly 22 lines of
28 三号 characters. The annexes reuse the annex renderer's tables; page numbers run on.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from shangnan_desktop import APP_NAME
from shangnan_desktop.reports import pdf as annex_pdf
from shangnan_desktop.reports.fonts import BODY, SONG, Candidate, FontSet, font_set
from shangnan_desktop.reports.annex import PageNumberStyle
from shangnan_desktop.reports.notice_model import (
    BODY_SIZE, CENTER, CHARS_PER_LINE, JUSTIFY, KAITI, LINES_PER_PAGE, MASTHEAD_SIZE, MASTHEAD_TRACKING, RED,
    RIGHT, XBS, Block, NoticeDocument,
)
from shangnan_desktop.reports.safe_write import write_bytes_atomic
from shangnan_desktop.domain import notice as dn

logger = logging.getLogger(__name__)

MM = annex_pdf.MM
PAGE_WIDTH, PAGE_HEIGHT = annex_pdf.PAGE_WIDTH, annex_pdf.PAGE_HEIGHT
TOP, BOTTOM, LEFT, RIGHT_MARGIN = annex_pdf.TOP, annex_pdf.BOTTOM, annex_pdf.LEFT, annex_pdf.RIGHT
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT_MARGIN  # 156 mm
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM  # 225 mm
GRID = FRAME_WIDTH / CHARS_PER_LINE  # one character cell: 15.79 pt
LINE = FRAME_HEIGHT / LINES_PER_PAGE  # one line: 28.99 pt
MASTHEAD_TOP = 30 * MM  # 信函格式: the masthead's top edge 30 mm below the page top
RULE_GAP = 4 * MM  # the red double rule 4 mm under the masthead
RULE_LENGTH = 170 * MM
BOTTOM_RULE = 20 * MM  # the second red double rule, 20 mm above the page bottom
THICK, THIN, RULE_SPACE = 2.0, 0.6, 1.2  # points

NO_LINE_START = set("，。、；：？！）》」』”’…—%·〕】")
NO_LINE_END = set("（《「『“‘〔【")
KAI_CANDIDATES = (
    Candidate(("楷体_GB2312", "KaiTi_GB2312"), "SIMKAI.TTF"),
    Candidate(("KaiTi", "楷体"), "simkai.ttf"),
)


@dataclass
class NoticePdfResult:
    data: bytes
    pages: int
    annex_first_pages: list[int] = field(default_factory=list)  # page number on which each annex starts
    missing: set[str] = field(default_factory=set)


def _with_kai(fonts: FontSet) -> FontSet:
    """Adds a 楷体 chain (the PC's 楷体_GB2312 or KaiTi, else the 仿宋 chain) to the shared font set."""
    if KAITI in fonts.chains:
        return fonts
    chain: list[str] = []
    from shangnan_desktop.reports import fonts as fonts_module

    if fonts.families:  # system fonts are in use (not the bundled-only mode)
        faces = fonts_module.windows_font_faces()
        for candidate in KAI_CANDIDATES:
            found = fonts_module.find_system_font(candidate, faces)
            name = fonts_module._register(*found) if found else None
            if name and name not in chain:
                chain.append(name)
                fonts.coverage.setdefault(name, fonts_module._coverage(name))
    fonts.chains[KAITI] = tuple(chain) + tuple(f for f in fonts.chains[BODY] if f not in chain)
    return fonts


def _tokens(chars: list[tuple[str, str, float]]) -> list[list[tuple[str, str, float]]]:
    """Break opportunities: every CJK character alone; runs of digits, Latin letters and ``.%`` together."""
    def glues(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch in ".%-")

    tokens: list[list[tuple[str, str, float]]] = []
    for item in chars:
        if glues(item[0]) and tokens and glues(tokens[-1][-1][0]):
            tokens[-1].append(item)
        else:
            tokens.append([item])
    return tokens


def break_lines(chars: list[tuple[str, str, float]], first_width: float, width: float) -> list[list]:
    """Greedy line breaking with 避头尾: no line starts with ，。）… and none ends with （“《."""
    lines: list[list] = []
    current: list[list] = []
    used = 0.0
    for token in _tokens(chars):
        w = sum(c[2] for c in token)
        room = first_width if not lines else width
        if current and used + w > room + 0.01:
            carry: list[list] = []
            if token[0][0] in NO_LINE_START and len(current) > 1:
                carry.insert(0, current.pop())
            while len(current) > 1 and current[-1][-1][0] in NO_LINE_END:
                carry.insert(0, current.pop())
            lines.append([c for t in current for c in t])
            current = carry
            used = sum(c[2] for t in current for c in t)
        current.append(token)
        used += w
    if current:
        lines.append([c for t in current for c in t])
    return lines


def _grid_flowable(block: Block, fonts: FontSet, missing: set[str], lines=None):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    size = block.size
    char_space = GRID - size if size == BODY_SIZE else 0.0
    leading = LINE if size <= BODY_SIZE else max(LINE, size * 1.5)

    class GridParagraph(Flowable):
        def __init__(self, lines=None):
            super().__init__()
            self.lines = lines

        def _chars(self):
            out = []
            for span in block.spans:
                for font, chunk in fonts.runs(span.text, span.font, missing):
                    for ch in chunk:
                        out.append((ch, font, stringWidth(ch, font, size) + char_space))
            return out

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            if self.lines is None:
                left = block.left_indent * GRID
                right = block.right_indent * GRID
                first = avail_width - left - right - block.first_indent * GRID
                self.lines = break_lines(self._chars(), first, avail_width - left - right)
            self.height = leading * len(self.lines)
            return avail_width, self.height

        def getSpaceBefore(self):
            return block.space_before * LINE

        def split(self, avail_width, avail_height):
            self.wrap(avail_width, avail_height)
            n = int((avail_height + 0.01) // leading)
            if n <= 0 or n >= len(self.lines):
                return [] if n <= 0 else [self]
            head = GridParagraph(self.lines[:n])
            tail_block_first = GridParagraph(self.lines[n:])
            tail_block_first._continued = True
            head._ends_early = True
            return [head, tail_block_first]

        def draw(self):
            canvas = self.canv
            canvas.saveState()
            if block.color:
                canvas.setFillColorRGB(*(c / 255 for c in block.color))
            continued = getattr(self, "_continued", False)
            ends_early = getattr(self, "_ends_early", False)
            left = block.left_indent * GRID
            right = block.right_indent * GRID
            for i, line in enumerate(self.lines):
                if not line:
                    continue
                indent = block.first_indent * GRID if i == 0 and not continued else 0.0
                x0 = left + indent
                room = self.width - right - x0
                natural = sum(c[2] for c in line)
                space = char_space
                last = i == len(self.lines) - 1 and not ends_early
                if block.align == JUSTIFY and not last and len(line) > 1 and natural < room:
                    glyphs = natural - len(line) * char_space
                    space = (room - glyphs) / (len(line) - 1)
                    natural = room + space
                if block.align == CENTER:
                    x0 += (room - natural + char_space) / 2
                elif block.align == RIGHT:
                    x0 += room - natural + char_space
                baseline = self.height - (i + 1) * leading + (leading - size) / 2 + size * 0.12
                text = canvas.beginText(x0, baseline)
                text.setCharSpace(space)
                run_font, run = None, []
                for ch, font, _w in line:
                    if font != run_font and run:
                        text.setFont(run_font, size)
                        text.textOut("".join(run))
                        run = []
                    run_font = font
                    run.append(ch)
                if run:
                    text.setFont(run_font, size)
                    text.textOut("".join(run))
                canvas.drawText(text)
            canvas.restoreState()

    return GridParagraph(lines)


def _masthead_geometry():
    baseline = PAGE_HEIGHT - MASTHEAD_TOP - MASTHEAD_SIZE * 0.88
    rule = baseline - MASTHEAD_SIZE * 0.12 - RULE_GAP  # the thick line's centre
    return baseline, rule


def _double_rule(canvas, y: float, thick_on_top: bool) -> None:
    x0 = (PAGE_WIDTH - RULE_LENGTH) / 2
    canvas.setStrokeColorRGB(*(c / 255 for c in RED))
    widths = (THICK, THIN) if thick_on_top else (THIN, THICK)
    top_w, bottom_w = widths
    canvas.setLineWidth(top_w)
    canvas.line(x0, y, x0 + RULE_LENGTH, y)
    y2 = y - top_w / 2 - RULE_SPACE - bottom_w / 2
    canvas.setLineWidth(bottom_w)
    canvas.line(x0, y2, x0 + RULE_LENGTH, y2)


def _draw_masthead(canvas, fonts: FontSet, text: str) -> float:
    """Red 发文机关标志 and the red double rule (thick over thin); returns the rule's lowest y."""
    baseline, rule = _masthead_geometry()
    runs = fonts.runs(text, XBS)
    n = len(text)
    width = sum(canvas.stringWidth(chunk, font, MASTHEAD_SIZE) for font, chunk in runs) + MASTHEAD_TRACKING * (n - 1)
    canvas.saveState()
    canvas.setFillColorRGB(*(c / 255 for c in RED))
    canvas.setStrokeColorRGB(*(c / 255 for c in RED))
    bold = not fonts.families.get(XBS, "").startswith("方正小标宋")
    t = canvas.beginText((PAGE_WIDTH - width) / 2, baseline)
    t.setCharSpace(MASTHEAD_TRACKING)
    if bold:
        canvas.setLineWidth(MASTHEAD_SIZE * annex_pdf.TITLE_STROKE)
        t.setTextRenderMode(2)
    for font, chunk in runs:
        t.setFont(font, MASTHEAD_SIZE)
        t.textOut(chunk)
    canvas.drawText(t)
    _double_rule(canvas, rule, thick_on_top=True)
    canvas.restoreState()
    return rule - THICK / 2 - RULE_SPACE - THIN


def _draw_page_number(canvas, fonts: FontSet, style: PageNumberStyle, n: int) -> None:
    text = style.text(n)
    size = annex_pdf.PAGE_NUMBER_SIZE
    width = fonts.string_width(text, SONG, size)
    indent = size * style.indent_chars
    x = PAGE_WIDTH - RIGHT_MARGIN - indent - width if style.side(n) == "right" else LEFT + indent
    canvas.saveState()
    for font, chunk in fonts.runs(text, SONG):
        canvas.setFont(font, size)
        canvas.drawString(x, annex_pdf.PAGE_NUMBER_BASELINE, chunk)
        x += canvas.stringWidth(chunk, font, size)
    canvas.restoreState()


def _body_story(document: NoticeDocument, fonts: FontSet, missing: set[str]) -> list:
    from reportlab.platypus import CondPageBreak, Spacer

    story: list = []
    blocks = [b for b in document.blocks if b.role != dn.MASTHEAD]
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.role == dn.TITLE:
            lines = []
            while i < len(blocks) and blocks[i].role == dn.TITLE:
                lines.append(blocks[i].text)
                i += 1
            size = annex_pdf._title_size(lines, fonts)
            story.append(Spacer(1, block.space_before * LINE))
            story.append(annex_pdf._title_flowable(lines, fonts, size, missing))
            continue
        if block.role == dn.HEADING1:  # never the last line of a page: keep it with two lines of text
            story.append(CondPageBreak(3 * LINE - 1))
        story.append(_grid_flowable(block, fonts, missing))
        i += 1
    return story


def render_notice_pdf(document: NoticeDocument, *, fonts: FontSet | None = None) -> NoticePdfResult:
    """The notice, then each annex on a new page; ``— N —`` from page 2 on, odd right, even left."""
    from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate

    fonts = _with_kai(fonts or font_set())
    missing: set[str] = set()
    style = PageNumberStyle()
    masthead = next((b.text for b in document.blocks if b.role == dn.MASTHEAD), "")
    _baseline, rule = _masthead_geometry()
    first_top = rule - THICK / 2 - RULE_SPACE - THIN - 14 + (LINE - BODY_SIZE) / 2  # 7/8 line under the rule

    def first_page(canvas, doc):
        if masthead:
            _draw_masthead(canvas, fonts, masthead)
            canvas.saveState()
            _double_rule(canvas, BOTTOM_RULE + THICK + RULE_SPACE, thick_on_top=False)
            canvas.restoreState()
        if document.first_page_numbered:
            _draw_page_number(canvas, fonts, style, 1)

    def later_page(canvas, doc):
        _draw_page_number(canvas, fonts, style, canvas.getPageNumber())

    pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    first_frame = Frame(LEFT, BOTTOM, FRAME_WIDTH, first_top - BOTTOM + 0.5, id="first", **pad)
    frame = Frame(LEFT, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT + 0.5, id="body", **pad)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=LEFT, rightMargin=RIGHT_MARGIN, topMargin=TOP,
        bottomMargin=BOTTOM, title=document.title, subject=document.number, author=APP_NAME, creator=APP_NAME,
        initialFontName=fonts.font(BODY), initialFontSize=BODY_SIZE,
        pageTemplates=[
            PageTemplate("first", [first_frame], onPage=first_page, autoNextPageTemplate="later"),
            PageTemplate("later", [frame], onPage=later_page),
        ],
    )
    annex_pages: list[int] = []

    class Mark(Flowable):
        def wrap(self, *args):
            return 0, 0

        def draw(self):
            annex_pages.append(self.canv.getPageNumber())

    story = _body_story(document, fonts, missing)
    for table in document.annexes:
        story += [NextPageTemplate("later"), PageBreak(), Mark()]
        story += annex_pdf.annex_story(table, fonts, missing)
    doc.build(story)
    return NoticePdfResult(buf.getvalue(), doc.page, annex_pages, missing)


def write_notice_pdf(document: NoticeDocument, path: str | Path, **kwargs) -> NoticePdfResult:
    result = render_notice_pdf(document, **kwargs)
    write_bytes_atomic(path, result.data)
    return result
