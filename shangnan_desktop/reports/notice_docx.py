"""The notice and its annexes as a Word document (python-docx), editable as usual in Word and WPS.

Real paragraphs with named styles (公文正文, 公文标题, 公文一级标题 …), East Asian font names set on
every style (w:eastAsia), a 22-line × 28-character document grid, the red masthead in the first
page's header with a red double rule (a paragraph border), annex tables as Word tables whose
header rows repeat (w:tblHeader), and page numbers as PAGE fields ``— N —``: odd pages right,
even pages left, none on the first page (信函格式); one section, so numbers run on into the annexes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape

from shangnan_desktop import APP_NAME
from shangnan_desktop.domain import notice as dn
from shangnan_desktop.reports.annex import AnnexTable, display_value
from shangnan_desktop.reports.notice_model import (
    BODY_SIZE, CENTER, FANGSONG, HEITI, JUSTIFY, KAITI, LEFT, MASTHEAD_SIZE, MASTHEAD_TRACKING,
    PAGE_NUMBER_SIZE, RED, RIGHT, SONGTI, TITLE_LEADING, TITLE_SIZE, XBS, Block, NoticeDocument,
)
from shangnan_desktop.reports.safe_write import write_bytes_atomic

# Word font names per role, and what Word/WPS should use where a PC lacks the first (fontTable altName).
FONT_NAMES = {FANGSONG: "仿宋_GB2312", HEITI: "黑体", KAITI: "楷体_GB2312", XBS: "方正小标宋简体", SONGTI: "宋体"}
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}

STYLE_BODY = "公文正文"
STYLE_TITLE = "公文标题"
STYLE_H1 = "公文一级标题"
STYLE_H2 = "公文二级标题"  # a character style: the run-in （一）…。 lead of a paragraph
STYLE_MASTHEAD = "发文机关标志"
STYLE_NUMBER = "发文字号"
STYLE_ADDRESSEE = "主送机关"
STYLE_ANNEX_LIST = "附件说明"
STYLE_SIGNATURE = "发文机关署名"
STYLE_DATE = "成文日期"
STYLE_PUBLICATION = "附注"
STYLE_ANNEX_LABEL = "附件标识"
STYLE_ANNEX_TITLE = "附件标题"
STYLE_TABLE_HEADER = "表格表头"
STYLE_TABLE_BODY = "表格文字"
STYLE_TABLE_NOTE = "表格注释"
STYLE_PAGE_NUMBER = "公文页码"
STYLE_BOTTOM_RULE = "版心下红线"

ROLE_STYLES = {
    dn.MASTHEAD: STYLE_MASTHEAD, dn.NUMBER: STYLE_NUMBER, dn.TITLE: STYLE_TITLE, dn.ADDRESSEE: STYLE_ADDRESSEE,
    dn.BODY: STYLE_BODY, dn.HEADING1: STYLE_H1, dn.HEADING2: STYLE_BODY, dn.ANNEX_LIST: STYLE_ANNEX_LIST,
    dn.SIGNATURE: STYLE_SIGNATURE, dn.DATE: STYLE_DATE, dn.PUBLICATION: STYLE_PUBLICATION,
}

MM_TWIPS = 1440 / 25.4
LINE_TWIPS = 579  # 28.95 pt: 22 lines in the 225 mm type area
# 28 三号 characters in the 156 mm line: each character 0.2 pt narrower than its 16 pt (w:spacing -4 twips).
# A line-only document grid plus this spacing lays out alike in Word, WPS and LibreOffice; a character
# grid (linesAndChars) is read differently by LibreOffice.
BODY_CHAR_SPACING = -4
TABLE_BODY_SIZE = 11
TABLE_LINE_TWIPS = 260  # 13 pt
TABLE_ROW_TWIPS = 340  # 17 pt: 附件2's 52 departments on two pages, as in the PDF
HANDWRITTEN_ROW_TWIPS = 560
RED_HEX = "%02X%02X%02X" % RED


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(_qn(f"w:{k}"), str(v))
    return e


def _set_fonts(rpr, name: str) -> None:
    """All four font slots, East Asian included: Word uses w:eastAsia for Chinese characters."""
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(_qn(f"w:{slot}"), name)
    fonts.set(_qn("w:hint"), "eastAsia")


def _style(doc, name: str, *, kind: str = "paragraph", font: str = FANGSONG, size: float = BODY_SIZE,
           bold: bool = False, color: tuple[int, int, int] | None = None, align: str | None = JUSTIFY,
           first_indent_chars: float = 0, line_twips: int | None = LINE_TWIPS, snap: bool = True,
           outline: int | None = None, based_on: str | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    style_type = WD_STYLE_TYPE.CHARACTER if kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    style = doc.styles.add_style(name, style_type)
    style.hidden = False
    style.quick_style = True
    if based_on:
        style.base_style = doc.styles[based_on]
    f = style.font
    f.size = Pt(size)
    f.bold = bold
    if color:
        f.color.rgb = RGBColor(*color)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, FONT_NAMES[font])
    if size == BODY_SIZE and kind != "character":
        _char_spacing(rpr, BODY_CHAR_SPACING)
    if kind == "character":
        return style
    pf = style.paragraph_format
    if align:
        pf.alignment = {
            LEFT: WD_ALIGN_PARAGRAPH.LEFT, RIGHT: WD_ALIGN_PARAGRAPH.RIGHT, CENTER: WD_ALIGN_PARAGRAPH.CENTER,
            JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
    ppr = style.element.get_or_add_pPr()
    _spacing(ppr, before=0, after=0)
    if line_twips:
        _spacing(ppr, line=line_twips, lineRule="exact")
    else:
        _spacing(ppr, line=240, lineRule="auto")
    if first_indent_chars:
        # firstLineChars: hundredths of a character, follows the font size (Word's 首行缩进 2 字符)
        ppr.append(_el("w:ind", firstLineChars=int(first_indent_chars * 100),
                       firstLine=int(first_indent_chars * size * 20)))
    ppr.append(_el("w:autoSpaceDE", val=0))
    ppr.append(_el("w:autoSpaceDN", val=0))
    if not snap:
        ppr.append(_el("w:snapToGrid", val=0))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=outline))
    _sort_ppr(ppr)
    return style


_AFTER_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                  "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _char_spacing(rpr, twips: int) -> None:
    """Character spacing (w:spacing in w:rPr, in twentieths of a point), in its schema position."""
    old = rpr.find(_qn("w:spacing"))
    if old is not None:
        rpr.remove(old)
    spacing = _el("w:spacing", val=twips)
    later = {_qn(f"w:{t}") for t in _AFTER_SPACING}
    for i, child in enumerate(rpr):
        if child.tag in later:
            rpr.insert(i, spacing)
            return
    rpr.append(spacing)


def _spacing(ppr, **attrs) -> None:
    """Set attributes on the paragraph's one w:spacing element (a second one would make the file invalid)."""
    spacing = ppr.find(_qn("w:spacing"))
    if spacing is None:
        spacing = _el("w:spacing")
        ppr.append(spacing)
    for k, v in attrs.items():
        spacing.set(_qn(f"w:{k}"), str(v))
    _sort_ppr(ppr)


# pPr children must follow the schema order or Word refuses the file.
_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]


def _sort_ppr(ppr) -> None:
    children = list(ppr)
    rank = {_qn(f"w:{t}"): i for i, t in enumerate(_PPR_ORDER)}
    children.sort(key=lambda e: rank.get(e.tag, len(_PPR_ORDER)))
    for c in children:
        ppr.remove(c)
    for c in children:
        ppr.append(c)


def _document_defaults(doc) -> None:
    """Defaults every style inherits: 三号, Chinese language, no space after paragraphs, and no automatic
    gaps between Chinese and digits (2315条, not 2315 条), so a line keeps its 28 characters."""
    defaults = doc.styles.element.find(_qn("w:docDefaults"))
    rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    for tag, attrs in (("w:sz", {"val": BODY_SIZE * 2}), ("w:szCs", {"val": BODY_SIZE * 2})):
        e = rpr.find(_qn(tag))
        if e is not None:
            for k, v in attrs.items():
                e.set(_qn(f"w:{k}"), str(v))
    lang = rpr.find(_qn("w:lang"))
    if lang is not None:
        lang.set(_qn("w:eastAsia"), "zh-CN")
    _set_fonts(rpr, FONT_NAMES[FANGSONG])
    ppr = defaults.find(f"{_qn('w:pPrDefault')}/{_qn('w:pPr')}")
    _spacing(ppr, after=0, line=240, lineRule="auto")
    ppr.append(_el("w:autoSpaceDE", val=0))
    ppr.append(_el("w:autoSpaceDN", val=0))
    _sort_ppr(ppr)


def _add_styles(doc) -> None:
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr(), FONT_NAMES[FANGSONG])
    _document_defaults(doc)
    _style(doc, STYLE_BODY, first_indent_chars=2)
    _style(doc, STYLE_H1, font=HEITI, first_indent_chars=2, outline=0)
    _style(doc, STYLE_H2, kind="character", font=KAITI)
    _style(doc, STYLE_TITLE, font=XBS, size=TITLE_SIZE, align=CENTER, line_twips=TITLE_LEADING * 20, outline=0,
           snap=False)
    _style(doc, STYLE_MASTHEAD, font=XBS, size=MASTHEAD_SIZE, color=RED, align=CENTER, line_twips=None, snap=False)
    _style(doc, STYLE_NUMBER, align=RIGHT)
    _style(doc, STYLE_ADDRESSEE)
    _style(doc, STYLE_ANNEX_LIST, align=LEFT)
    _style(doc, STYLE_SIGNATURE, align=RIGHT)
    _style(doc, STYLE_DATE, align=RIGHT)
    _style(doc, STYLE_PUBLICATION, align=LEFT, first_indent_chars=2)
    _style(doc, STYLE_ANNEX_LABEL, font=HEITI, align=LEFT)
    _style(doc, STYLE_ANNEX_TITLE, font=XBS, size=TITLE_SIZE, align=CENTER, line_twips=TITLE_LEADING * 20,
           snap=False)
    _style(doc, STYLE_TABLE_HEADER, font=HEITI, size=TABLE_BODY_SIZE, align=CENTER, line_twips=TABLE_LINE_TWIPS,
           snap=False)
    _style(doc, STYLE_TABLE_BODY, size=TABLE_BODY_SIZE, align=CENTER, line_twips=TABLE_LINE_TWIPS, snap=False)
    _style(doc, STYLE_TABLE_NOTE, size=TABLE_BODY_SIZE, align=LEFT, line_twips=400, snap=False)
    _style(doc, STYLE_PAGE_NUMBER, font=SONGTI, size=PAGE_NUMBER_SIZE, align=None, line_twips=None, snap=False)
    _style(doc, STYLE_BOTTOM_RULE, size=2, align=CENTER, line_twips=40, snap=False)


def _font_table_alt_names(doc) -> None:
    """Where a PC lacks 仿宋_GB2312, 楷体_GB2312 or 方正小标宋简体, Word and WPS take the altName (仿宋, 楷体, 宋体)."""
    from docx.oxml import parse_xml

    part = next((p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    for name, alt in ALT_NAMES.items():
        font = _el("w:font", name=name)
        font.append(_el("w:altName", val=alt))
        font.append(_el("w:charset", val="86"))  # GB2312
        font.append(_el("w:family", val="modern" if "宋" not in name else "roman"))
        font.append(_el("w:pitch", val="fixed"))
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(doc) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(22)
    section.footer_distance = Mm(24)
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    sect = section._sectPr
    grid = sect.find(_qn("w:docGrid"))
    if grid is None:
        grid = _el("w:docGrid")
        sect.append(grid)
    grid.set(_qn("w:type"), "lines")
    grid.set(_qn("w:linePitch"), str(LINE_TWIPS))


def _border(ppr, side: str, val: str, size_eighths: int, space_pt: int) -> None:
    bdr = ppr.find(_qn("w:pBdr"))
    if bdr is None:
        bdr = _el("w:pBdr")
        ppr.append(bdr)
    bdr.append(_el(f"w:{side}", val=val, sz=size_eighths, space=space_pt, color=RED_HEX))
    _sort_ppr(ppr)


def _indents(ppr, left_twips: int = 0, right_twips: int = 0, first_twips: int | None = None, *,
             left_chars: float | None = None, right_chars: float | None = None,
             first_chars: float | None = None) -> None:
    ind = _el("w:ind")
    if left_chars is not None:
        ind.set(_qn("w:leftChars"), str(int(round(left_chars * 100))))
    ind.set(_qn("w:left"), str(left_twips))
    if right_chars is not None:
        ind.set(_qn("w:rightChars"), str(int(round(right_chars * 100))))
    ind.set(_qn("w:right"), str(right_twips))
    if first_chars is not None and first_chars < 0:
        ind.set(_qn("w:hangingChars"), str(int(round(-first_chars * 100))))
        ind.set(_qn("w:hanging"), str(-(first_twips or 0)))
    elif first_chars is not None:
        ind.set(_qn("w:firstLineChars"), str(int(round(first_chars * 100))))
        ind.set(_qn("w:firstLine"), str(first_twips or 0))
    old = ppr.find(_qn("w:ind"))
    if old is not None:
        ppr.remove(old)
    ppr.append(ind)
    _sort_ppr(ppr)


def _masthead(section, text: str) -> None:
    """First page header: the red office name and, 4 mm below, the red double rule (thick over thin), 170 mm."""
    header = section.first_page_header
    p = header.paragraphs[0]
    p.style = STYLE_MASTHEAD
    run = p.add_run(text)
    _char_spacing(run._r.get_or_add_rPr(), MASTHEAD_TRACKING * 20)
    ppr = p._p.get_or_add_pPr()
    _border(ppr, "bottom", "thickThinSmallGap", 24, 11)
    # the rule is 170 mm: 8 mm past the left margin, 6 mm past the right (centred on the page)
    _indents(ppr, int(-8 * MM_TWIPS), int(-6 * MM_TWIPS))


def _bottom_rule(section) -> None:
    """First page footer: the second red double rule (thin over thick), no page number (首页不显示页码)."""
    footer = section.first_page_footer
    p = footer.paragraphs[0]
    p.style = STYLE_BOTTOM_RULE
    ppr = p._p.get_or_add_pPr()
    _border(ppr, "top", "thinThickSmallGap", 24, 1)
    _indents(ppr, int(-8 * MM_TWIPS), int(-6 * MM_TWIPS))


def _page_field(paragraph) -> None:
    """``— {PAGE} —`` as text, a PAGE field, text."""
    from docx.oxml import OxmlElement

    paragraph.add_run("— ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(_qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    sep = OxmlElement("w:fldChar")
    sep.set(_qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(sep)
    paragraph.add_run("1")
    end_run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(_qn("w:fldCharType"), "end")
    end_run._r.append(end)
    paragraph.add_run(" —")


def _page_numbers(section) -> None:
    """Odd pages: right, one character in; even pages: left, one character in (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    one_char = PAGE_NUMBER_SIZE * 20
    for footer, align, (left, right) in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, (0, one_char)),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, (one_char, 0)),
    ):
        p = footer.paragraphs[0]
        p.style = STYLE_PAGE_NUMBER
        p.alignment = align
        _indents(p._p.get_or_add_pPr(), left, right)
        _page_field(p)


def _add_runs(paragraph, block: Block) -> None:
    from docx.shared import RGBColor

    for span in block.spans:
        run = paragraph.add_run(span.text)
        if span.font == KAITI:
            run.style = STYLE_H2
        elif span.font not in (FANGSONG, XBS, HEITI) or (span.font == HEITI and block.role != dn.HEADING1):
            _set_fonts(run._r.get_or_add_rPr(), FONT_NAMES[span.font])
        if block.color:
            run.font.color.rgb = RGBColor(*block.color)


def _add_block(doc, block: Block) -> None:
    p = doc.add_paragraph(style=ROLE_STYLES.get(block.role, STYLE_BODY))
    ppr = p._p.get_or_add_pPr()
    if block.space_before:
        _spacing(ppr, before=int(block.space_before * LINE_TWIPS), beforeLines=int(block.space_before * 100))
    if block.role in (dn.ANNEX_LIST, dn.SIGNATURE, dn.DATE):
        size = block.size * 20
        _indents(
            ppr, int(block.left_indent * size), int(block.right_indent * size), int(block.first_indent * size),
            left_chars=block.left_indent, right_chars=block.right_indent, first_chars=block.first_indent,
        )
    _add_runs(p, block)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _cell_xml(text: str, width: int, style_id: str, *, span: int = 1, vmerge: str | None = None) -> str:
    parts = [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        parts.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        parts.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        parts.append("<w:vMerge/>")
    parts.append('<w:vAlign w:val="center"/></w:tcPr>')
    parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>')
    for i, line in enumerate(text.split("\n") if text else []):
        if i:
            parts.append("<w:r><w:br/></w:r>")
        parts.append(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    parts.append("</w:p></w:tc>")
    return "".join(parts)


def _table_xml(table: AnnexTable, header_style: str, body_style: str) -> str:
    """A Word table as XML: fixed column widths over the 156 mm line, 0.75 pt grid, header rows repeated."""
    total = sum(c.width for c in table.columns)
    line = int(156 * MM_TWIPS)
    widths = [int(line * c.width / total) for c in table.columns]
    rule = '"single" w:sz="6" w:space="0" w:color="000000"'
    out = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>',
        "<w:tblBorders>",
        *(f"<w:{side} w:val={rule}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        '</w:tblBorders><w:tblLayout w:type="fixed"/>',
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    n_header = table.header_rows
    starts = {(c.row, c.col): c for c in table.header}
    covered: dict[tuple[int, int], str] = {}  # (row, col) -> "continue" (vertical) or "skip" (horizontal)
    for c in table.header:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                if (r, k) != (c.row, c.col):
                    covered[(r, k)] = "continue" if k == c.col and r > c.row else "skip"
    for r in range(n_header):
        out.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>')
        for k in range(len(table.columns)):
            state = covered.get((r, k))
            if state == "skip":
                continue
            if state == "continue":
                origin = next(c for c in table.header if c.col == k and c.row < r < c.row + c.rowspan)
                out.append(_cell_xml("", sum(widths[k : k + origin.colspan]), header_style, span=origin.colspan,
                                     vmerge="continue"))
                continue
            cell = starts.get((r, k))
            text = cell.text if cell else ""
            span = cell.colspan if cell else 1
            vmerge = "restart" if cell and cell.rowspan > 1 else None
            out.append(_cell_xml(text, sum(widths[k : k + span]), header_style, span=span, vmerge=vmerge))
        out.append("</w:tr>")
    height = HANDWRITTEN_ROW_TWIPS if table.handwritten else TABLE_ROW_TWIPS
    if table.row_height:
        height = int(table.row_height * 20)
    for row in table.rows:
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>')
        if row.section:
            out.append(_cell_xml(display_value(row.values[0]), sum(widths), header_style, span=len(widths)))
        else:
            for value, column, width in zip(row.values, table.columns, widths):
                text = display_value(value, column) if value is not None else ""
                out.append(_cell_xml(text, width, body_style))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _add_annex(doc, table: AnnexTable) -> None:
    from docx.oxml import parse_xml

    label = doc.add_paragraph(table.label, style=STYLE_ANNEX_LABEL)
    label.paragraph_format.page_break_before = True
    title = doc.add_paragraph(style=STYLE_ANNEX_TITLE)
    ppr = title._p.get_or_add_pPr()
    _spacing(ppr, before=LINE_TWIPS, after=LINE_TWIPS // 2)
    lines = table.title_lines()
    for i, line in enumerate(lines):
        run = title.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    styles = doc.styles
    tbl = parse_xml(_table_xml(table, styles[STYLE_TABLE_HEADER].style_id, styles[STYLE_TABLE_BODY].style_id))
    body = doc.element.body
    body.insert(len(body) - 1, tbl)  # before the final sectPr
    for line in table.note_lines():
        note = doc.add_paragraph(line, style=STYLE_TABLE_NOTE)
        ppr = note._p.get_or_add_pPr()
        _spacing(ppr, before=120)


def build_docx(document: NoticeDocument) -> bytes:
    """The whole notice with its annexes as .docx bytes."""
    import docx

    doc = docx.Document()
    props = doc.core_properties
    props.title, props.subject, props.author = document.title, document.number, APP_NAME
    _add_styles(doc)
    _font_table_alt_names(doc)
    _page_setup(doc)
    section = doc.sections[0]
    masthead = next((b for b in document.blocks if b.role == dn.MASTHEAD), None)
    if masthead is not None:
        _masthead(section, masthead.text)
        _bottom_rule(section)
    _page_numbers(section)
    body = doc.paragraphs[0] if doc.paragraphs else None
    blocks: list[Block] = [b for b in document.blocks if b.role != dn.MASTHEAD]
    _add_body(doc, blocks)
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    for table in document.annexes:
        _add_annex(doc, table)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _add_body(doc, blocks: Iterable[Block]) -> None:
    blocks = list(blocks)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.role == dn.TITLE:  # one paragraph, lines broken where the notice breaks them
            lines = []
            first = block
            while i < len(blocks) and blocks[i].role == dn.TITLE:
                lines.append(blocks[i])
                i += 1
            p = doc.add_paragraph(style=STYLE_TITLE)
            ppr = p._p.get_or_add_pPr()
            _spacing(ppr, before=int(first.space_before * LINE_TWIPS))
            for k, line in enumerate(lines):
                for span in line.spans:
                    p.add_run(span.text)
                if k < len(lines) - 1:
                    p.runs[-1].add_break()
            continue
        _add_block(doc, block)
        i += 1


def write_notice_docx(document: NoticeDocument, path: str | Path) -> int:
    data = build_docx(document)
    write_bytes_atomic(path, data)
    return len(data)

