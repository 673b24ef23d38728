"""Annex tables as PDF (reportlab Platypus): A4 (portrait, or landscape for a wide table), GB/T 9704 margins, embedded CJK fonts."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from shangnan_desktop import APP_NAME
from shangnan_desktop.reports.fonts import BODY, HEI, SONG, TITLE, FontSet, font_set
from shangnan_desktop.reports.annex import AnnexTable, display_value
from shangnan_desktop.reports.safe_write import write_bytes_atomic

logger = logging.getLogger(__name__)

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM  # GB/T 9704-2012: 版心 156 × 225 mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
# A4 landscape for a wide table: the type area turned with the page (225 × 156 mm).
L_TOP, L_BOTTOM, L_LEFT, L_RIGHT = 28 * MM, 26 * MM, 37 * MM, 35 * MM
L_FRAME_WIDTH = PAGE_HEIGHT - L_LEFT - L_RIGHT
LABEL_SIZE = 16  # 三号黑体
TITLE_SIZE = 22  # 二号小标宋
TITLE_MIN_SIZE = 16
TITLE_STROKE = 0.03  # outline width per point of size: a 宋体 drawn this way reads like 小标宋
PAGE_NUMBER_SIZE = 14  # 四号宋体
PAGE_NUMBER_BASELINE = 26.5 * MM  # the 一字线 sits 7 mm below the type area
MARK_SIZE = 14  # 四号黑体: 内部资料 at the top right of every page of an internal export
MARK_BASELINE = PAGE_HEIGHT - 24 * MM  # above the type area, clear of the 附件N label
LINE = 28.9  # one 公文 line for 三号 text
RULE_WIDTH = 0.75
HANDWRITTEN_ROW = 28  # points: room to write by hand
CELL_SIDE_PADDING = 3


# reportlab.platypus.paragraph compiles, at import, a case-insensitive URL pattern over
# U+00A1-U+FFFF (about 25 ms, a tenth of a cold export); it is used only to hyphenate URLs,
# which annexes never contain. It is compiled on first use instead.
_URL_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class _PatternOnFirstUse:
    def __init__(self, compile_, pattern: str, flags: int) -> None:
        self._args = (compile_, pattern, flags)
        self._pattern = None

    def __getattr__(self, name: str):
        if self._pattern is None:
            compile_, pattern, flags = self._args
            self._pattern = compile_(pattern, flags)
        return getattr(self._pattern, name)


def import_platypus() -> None:
    """Import reportlab.platypus with its URL pattern compiled on first use (see above)."""
    import sys

    if "reportlab.platypus.paragraph" in sys.modules:
        return
    import re

    real = re.compile

    def compile_(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URL_PATTERN_START):
            return _PatternOnFirstUse(real, pattern, flags)
        return real(pattern, flags)

    re.compile = compile_
    try:
        _pil_image_on_first_use()
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real


def _pil_image_on_first_use() -> None:
    """reportlab imports Pillow's Image module at start (about 7 ms); annexes have no pictures.
    The module is registered to load on first attribute access (importlib's LazyLoader) and
    then behaves as if imported normally; any trouble means an ordinary import later."""
    import importlib.util
    import sys

    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["PIL.Image"] = module
        loader.exec_module(module)
        setattr(sys.modules["PIL"], "Image", module)
    except Exception:  # noqa: BLE001 - e.g. an unusual frozen importer: import normally
        sys.modules.pop("PIL.Image", None)


@dataclass(frozen=True)
class Layout:
    """Table sizes tried in order; the first that needs the fewest pages wins."""

    name: str
    body_size: float
    leading: float
    padding: float


LAYOUTS = (
    Layout("comfortable", 12, 15, 5),
    Layout("standard", 12, 14.5, 2.5),
    Layout("compact", 11, 13.5, 2),
    Layout("tight", 10.5, 12.5, 1.8),
)


@dataclass
class PdfResult:
    data: bytes
    pages: int
    layouts: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)  # characters no font had (drawn as □)


def _styles(fonts: FontSet, layout: Layout, header_size: float):
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    def style(name: str, role: str, size: float, leading: float, align=TA_CENTER, **kw) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=fonts.font(role), fontSize=size, leading=leading, alignment=align,
            wordWrap="CJK", **kw,
        )

    return {
        "label": style("label", HEI, LABEL_SIZE, LINE, TA_LEFT),
        "header": style("header", HEI, header_size, header_size * 1.2),
        "body": style("body", BODY, layout.body_size, layout.leading),
        "note": style("note", BODY, layout.body_size, layout.leading + 2, TA_LEFT, spaceBefore=6),
        "section": style("section", HEI, layout.body_size, layout.leading, TA_LEFT),
        "subtitle": style("subtitle", BODY, 14, 20, TA_LEFT),
    }


def _frame_width(table: AnnexTable) -> float:
    return L_FRAME_WIDTH if table.landscape else FRAME_WIDTH


def _col_widths(table: AnnexTable) -> list[float]:
    total = sum(c.width for c in table.columns)
    return [_frame_width(table) * c.width / total for c in table.columns]


def _header_size(table: AnnexTable, fonts: FontSet, widths: list[float], preferred: float) -> float:
    """The largest header size (≤ body size) at which every header line fits its cell."""
    for size in (preferred, 11, 10.5, 10, 9):
        if size > preferred:
            continue
        fits = True
        for cell in table.header:
            room = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * CELL_SIDE_PADDING
            if any(fonts.string_width(line, HEI, size) > room for line in cell.text.split("\n")):
                fits = False
                break
        if fits:
            return size
    return 9


def _title_size(lines: Sequence[str], fonts: FontSet, frame_width: float = FRAME_WIDTH) -> float:
    size = TITLE_SIZE
    while size > TITLE_MIN_SIZE and any(fonts.string_width(line, TITLE, size) > frame_width for line in lines):
        size -= 1
    return size


def _title_flowable(lines: Sequence[str], fonts: FontSet, size: float, missing: set[str]):
    """The title, centred line by line; emboldened unless the PC's own 小标宋 is used (it is heavy itself)."""
    from reportlab.platypus import Flowable

    bold = not fonts.families.get(TITLE, "").startswith("方正小标宋")
    leading = size * 1.4
    runs = [fonts.runs(line, TITLE, missing) for line in lines]

    class Title(Flowable):
        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, leading * len(lines)

        def draw(self) -> None:
            canvas = self.canv
            canvas.saveState()
            if bold:
                canvas.setLineWidth(size * TITLE_STROKE)
                canvas.setLineJoin(1)
            for i, (line, line_runs) in enumerate(zip(lines, runs)):
                width = sum(canvas.stringWidth(chunk, font, size) for font, chunk in line_runs)
                baseline = leading * (len(lines) - i - 1) + (leading - size) / 2 + size * 0.12
                text = canvas.beginText((self.width - width) / 2, baseline)
                text.setTextRenderMode(2 if bold else 0)
                for font, chunk in line_runs:
                    text.setFont(font, size)
                    text.textOut(chunk)
                canvas.drawText(text)
            canvas.restoreState()

    return Title()


def _story(table: AnnexTable, fonts: FontSet, layout: Layout, missing: set[str], *, counting: bool = False) -> list:
    """The flowables of one annex; ``counting``: a table that splits across pages but draws nothing."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Spacer, TableStyle

    Table = _table_class(counting)

    widths = _col_widths(table)
    lines = table.title_lines()
    title_size = _title_size(lines, fonts, _frame_width(table))
    styles = _styles(fonts, layout, _header_size(table, fonts, widths, layout.body_size))

    def para(text: str, role: str, style_name: str):
        return Paragraph(fonts.markup(text, role, missing), styles[style_name])

    n_header = table.header_rows
    grid: list[list] = [["" for _ in table.columns] for _ in range(n_header)]
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.font(BODY)),  # else the table sets Helvetica, unembedded
        ("GRID", (0, 0), (-1, -1), RULE_WIDTH, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_SIDE_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_SIDE_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), layout.padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), layout.padding),
    ]
    for cell in table.header:
        grid[cell.row][cell.col] = para(cell.text, HEI, "header")
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
            commands.append(("SPAN", (cell.col, cell.row), end))
    primary = fonts.font(BODY)
    coverage = fonts.coverage[primary]

    def body_cell(text: str, width: float):
        # Plain strings draw far faster than Paragraphs; keep a Paragraph only where a line must
        # wrap or a character needs the fallback font.
        if "\n" not in text and all(ord(ch) in coverage for ch in text):
            if stringWidth(text, primary, layout.body_size) <= width - 2 * CELL_SIDE_PADDING:
                return text
        return para(text, BODY, "body")

    for row in table.rows:
        if row.section:
            r = len(grid)
            grid.append([para(display_value(row.values[0]), HEI, "section")] + [""] * (len(table.columns) - 1))
            commands.append(("SPAN", (0, r), (-1, r)))
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.Color(0.92, 0.92, 0.92)))
            continue
        grid.append([
            body_cell(display_value(v, c), w) if v is not None else ""
            for v, c, w in zip(row.values, table.columns, widths)
        ])
    commands += [
        ("FONTSIZE", (0, n_header), (-1, -1), layout.body_size),
        ("LEADING", (0, n_header), (-1, -1), layout.leading),
        ("ALIGN", (0, n_header), (-1, -1), "CENTER"),
    ]
    min_heights = None
    row_height = table.row_height or (HANDWRITTEN_ROW if table.handwritten else None)
    if row_height:
        min_heights = [0] * n_header + [0 if r.section else row_height for r in table.rows]
    body = Table(
        grid, colWidths=widths, repeatRows=n_header, style=TableStyle(commands), hAlign="CENTER",
        minRowHeights=min_heights,
    )
    story = [para(table.label, HEI, "label")] if table.show_label else []
    story += [
        Spacer(1, LINE * 0.5),
        _title_flowable(lines, fonts, title_size, missing),
        Spacer(1, LINE * 0.5),
    ]
    if table.subtitle:
        story += [para(table.subtitle, BODY, "subtitle"), Spacer(1, LINE * 0.25)]
    story.append(body)
    story.extend(para(line, BODY, "note") for line in table.note_lines())
    return story


_table_classes: dict[bool, type] = {}


def _table_class(counting: bool) -> type:
    """reportlab's Table, or for page counting a Table whose cells are never drawn (its splits
    are made with ``self.__class__``, so every part of it draws nothing either)."""
    cls = _table_classes.get(counting)
    if cls is None:
        from reportlab.platypus import Table

        if counting:
            class CountingTable(Table):
                def draw(self) -> None:  # sizes and splits as a Table; drawing only costs time here
                    pass

            cls = CountingTable
        else:
            cls = Table
        _table_classes[counting] = cls
    return cls


def _counting_canvas():
    """A canvas that lays pages out but never serialises them: page counting for the layout search."""
    from reportlab.pdfgen.canvas import Canvas

    class CountingCanvas(Canvas):
        def save(self) -> None:  # no font subsetting, no PDF written
            pass

    return CountingCanvas


def _build(
    stories: Sequence[tuple[AnnexTable, list]], fonts: FontSet, first_page: int, *, count_only: bool = False
) -> tuple[bytes, int]:
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    buf = io.BytesIO()
    titles = [t.title for t, _ in stories]
    landscape = stories[0][0].landscape  # one orientation per document: the first table's
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    left, right, top, bottom = (L_LEFT, L_RIGHT, L_TOP, L_BOTTOM) if landscape else (LEFT, RIGHT, TOP, BOTTOM)
    doc = SimpleDocTemplate(
        buf,
        pagesize=(width, height),
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title="；".join(titles), subject="、".join(t.label for t, _ in stories),
        author=APP_NAME, creator=APP_NAME, initialFontName=fonts.font(BODY), initialFontSize=12,
    )
    page_width = width
    style = stories[0][0].page_numbers
    # A document with any internal table is internal throughout: every page says so.
    marking = next((t.marking for t, _ in stories if t.marking), "")

    def decorate(canvas, document) -> None:
        if marking:
            _draw_marking(canvas, fonts, marking, width - right, height - top + 13 * MM)
        if style is not None:
            page_number(canvas, document)

    def page_number(canvas, document) -> None:
        n = canvas.getPageNumber() + first_page - 1
        text = style.text(n)
        text_width = fonts.string_width(text, SONG, PAGE_NUMBER_SIZE)
        indent = PAGE_NUMBER_SIZE * style.indent_chars
        x = page_width - right - indent - text_width if style.side(n) == "right" else left + indent
        canvas.saveState()
        for font, chunk in fonts.runs(text, SONG):
            canvas.setFont(font, PAGE_NUMBER_SIZE)
            canvas.drawString(x, bottom - (BOTTOM - PAGE_NUMBER_BASELINE), chunk)
            x += canvas.stringWidth(chunk, font, PAGE_NUMBER_SIZE)
        canvas.restoreState()

    flowables: list = []
    for i, (_table, story) in enumerate(stories):
        if i:
            flowables.append(PageBreak())
        flowables.extend(story)
    if count_only:
        doc.build(flowables, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_counting_canvas())
    else:
        doc.build(flowables, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue(), doc.page


def _draw_marking(
    canvas, fonts: FontSet, text: str, right_edge: float = PAGE_WIDTH - RIGHT, baseline: float = MARK_BASELINE
) -> None:
    """``内部资料　注意保存`` in 黑体 in a thin box at the top right, above the type area."""
    width = fonts.string_width(text, HEI, MARK_SIZE)
    pad = MARK_SIZE * 0.35
    x = right_edge - width - pad
    canvas.saveState()
    canvas.setLineWidth(RULE_WIDTH)
    canvas.rect(x - pad, baseline - pad, width + 2 * pad, MARK_SIZE + 1.2 * pad)
    for font, chunk in fonts.runs(text, HEI):
        canvas.setFont(font, MARK_SIZE)
        canvas.drawString(x, baseline + MARK_SIZE * 0.1, chunk)
        x += canvas.stringWidth(chunk, font, MARK_SIZE)
    canvas.restoreState()


def _choose_layout(table: AnnexTable, fonts: FontSet, missing: set[str]) -> tuple[int, Layout]:
    """The largest layout that needs no more pages than the tightest one (tighter never needs more).

    A table may cap the body size (``max_body_size``): larger layouts are not tried.
    """
    cap = table.max_body_size
    layouts = [lay for lay in LAYOUTS if not cap or lay.body_size <= cap] or list(LAYOUTS[-1:])

    def pages(layout: Layout) -> int:
        story = _story(table, fonts, layout, missing, counting=True)
        return _build([(table, story)], fonts, 1, count_only=True)[1]

    first = pages(layouts[0])
    if first == 1 or len(layouts) == 1:  # nothing can do better than one page
        return first, layouts[0]
    fewest = pages(layouts[-1])
    if first <= fewest:
        return first, layouts[0]
    for layout in layouts[1:-1]:
        if (n := pages(layout)) <= fewest:
            return n, layout
    return fewest, layouts[-1]


def render_pdf(
    tables: Sequence[AnnexTable], *, fonts: FontSet | None = None, first_page: int = 1, chart: bool = False
) -> PdfResult:
    """One PDF with each annex starting on a new page; page numbers continue from ``first_page``.

    ``chart``: each ranking annex is followed by its chart page (``chart_pdf``)."""
    if not tables:
        raise ValueError("no tables")
    import_platypus()
    fonts = fonts or font_set()
    missing: set[str] = set()
    chosen: list[tuple[AnnexTable, list]] = []
    names = []
    for table in tables:
        pages, layout = _choose_layout(table, fonts, missing)
        logger.info("%s: layout %s, %d page(s)", table.label, layout.name, pages)
        names.append(layout.name)
        story = _story(table, fonts, layout, missing)
        if chart:
            from shangnan_desktop.reports.chart_pdf import chart_story

            story += chart_story(table, fonts, missing, FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM)
        chosen.append((table, story))
    data, pages = _build(chosen, fonts, first_page)
    return PdfResult(data, pages, names, missing)


def write_pdf(tables: Sequence[AnnexTable], path: str | Path, **kwargs) -> PdfResult:
    result = render_pdf(tables, **kwargs)
    write_bytes_atomic(path, result.data)
    return result


def annex_story(table: AnnexTable, fonts: FontSet, missing: set[str]) -> list:
    """One annex's flowables at the layout it would get alone: for documents that bind annexes behind
    other pages (the notice, reports/notice_pdf.py), whose page numbers then run on."""
    _pages, layout = _choose_layout(table, fonts, missing)
    return _story(table, fonts, layout, missing)
