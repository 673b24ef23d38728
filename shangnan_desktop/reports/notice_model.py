"""One description of the whole notice (通报) and its annexes: PDF and .docx lay out the same blocks.

GB/T 9704-2012, 信函格式 (the notice is a 函): red 发文机关标志 with a red double rule, 发文字号 right
under it, 2号小标宋 title, 3号仿宋 body on a 22 × 28 grid, 黑体 level-1 and 楷体 level-2 headings,
附件说明, 署名 and 成文日期, 附注; each annex on a new page; page numbers ``— N —`` from page 2 on,
running on across the annexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from shangnan_desktop.domain import PeriodSheet
from shangnan_desktop.domain import notice as dn
from shangnan_desktop.domain.notice import Notice, ResolvedNotice, full_width
from shangnan_desktop.reports.annex import REGISTER_TITLE, AnnexTable, annex_tables, text_width

# Font roles (the PDF maps them to reportlab fonts, the .docx to Word font names).
FANGSONG = "body"  # 仿宋_GB2312 / 仿宋
HEITI = "hei"  # 黑体
KAITI = "kai"  # 楷体_GB2312 / 楷体
XBS = "title"  # 方正小标宋简体 / 宋体 bold
SONGTI = "song"  # 宋体 (page numbers)

BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
MASTHEAD_SIZE = 32
MASTHEAD_TRACKING = 8  # points between masthead characters
PAGE_NUMBER_SIZE = 14  # 四号
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
TITLE_LEADING = 33  # points between title lines
RED = (0xE6, 0x00, 0x12)  # the usual 公文 red

LEFT, RIGHT, CENTER, JUSTIFY = "left", "right", "center", "justify"


@dataclass(frozen=True)
class Span:
    text: str
    font: str = FANGSONG
    bound: bool = False  # a figure bound to data (the window highlights it)


@dataclass(frozen=True)
class Block:
    """A paragraph: its role (see ``domain.notice``), spans, alignment and indents in characters."""

    role: str
    spans: tuple[Span, ...]
    align: str = JUSTIFY
    size: float = BODY_SIZE
    first_indent: float = 0  # characters, relative to left_indent (negative: hanging)
    left_indent: float = 0
    right_indent: float = 0
    space_before: float = 0  # lines of the body grid
    color: tuple[int, int, int] | None = None
    page_break_before: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class NoticeDocument:
    title: str  # one line, for file names and PDF metadata
    number: str
    blocks: tuple[Block, ...]
    annexes: tuple[AnnexTable, ...] = field(default=())
    first_page_numbered: bool = False  # 信函格式: 首页不显示页码

    def file_stem(self) -> str:
        from shangnan_desktop.reports.annex import safe_file_name

        return safe_file_name(f"{self.number}_{self.title}")


def _spans(paragraph: dn.Paragraph, font: str = FANGSONG, lead_font: str | None = None) -> tuple[Span, ...]:
    """Runs to spans; the first ``paragraph.lead`` characters in ``lead_font`` (a run-in heading)."""
    out: list[Span] = []
    pos = 0
    for run in paragraph.runs:
        text = run.text
        if lead_font and pos < paragraph.lead:
            cut = min(len(text), paragraph.lead - pos)
            if cut:
                out.append(Span(text[:cut], lead_font, run.bound))
            if text[cut:]:
                out.append(Span(text[cut:], font, run.bound))
        elif text:
            out.append(Span(text, font, run.bound))
        pos += len(text)
    return tuple(out)


def public_annex(table: AnnexTable) -> AnnexTable:
    """An annex with full-width punctuation in its title, headers and note (各镇（办）, 注：…，…)."""
    header = tuple(replace(c, text=full_width(c.text)) for c in table.header)
    columns = tuple(replace(c, header=full_width(c.header)) for c in table.columns)
    return replace(table, title=full_width(table.title), note=full_width(table.note), header=header, columns=columns)


def signature_blocks(signer: str, date: str) -> tuple[Block, Block]:
    """署名 centred over the 成文日期, the date four characters in from the right (GB/T 9704 7.3.5.1)."""
    date_em, sig_em = text_width(date), text_width(signer)
    date_right = 4.0
    sig_right = max(0.0, date_right + (date_em - sig_em) / 2)
    return (
        Block(dn.SIGNATURE, (Span(signer),), RIGHT, right_indent=sig_right, space_before=2),
        Block(dn.DATE, (Span(date),), RIGHT, right_indent=date_right),
    )


def describe(
    resolved: ResolvedNotice, notice: Notice, annexes: Sequence[AnnexTable] = ()
) -> NoticeDocument:
    """The notice's blocks in order, with the annex tables to follow (each on a new page)."""
    blocks: list[Block] = []
    first_annex = True
    date_text = ""
    signer = ""
    title_lines = []
    for p in resolved.paragraphs:
        if p.role == dn.MASTHEAD:
            blocks.append(Block(p.role, _spans(p, XBS), CENTER, MASTHEAD_SIZE, color=RED))
        elif p.role == dn.NUMBER:
            blocks.append(Block(p.role, _spans(p), RIGHT))
        elif p.role == dn.TITLE:
            title_lines.append(p.text)
            before = 2 if len(title_lines) == 1 else 0  # two lines under the 发文字号
            blocks.append(Block(p.role, _spans(p, XBS), CENTER, TITLE_SIZE, space_before=before))
        elif p.role == dn.ADDRESSEE:
            blocks.append(Block(p.role, _spans(p), JUSTIFY, space_before=1))
        elif p.role == dn.HEADING1:
            blocks.append(Block(p.role, _spans(p, HEITI), JUSTIFY, first_indent=2))
        elif p.role == dn.HEADING2:
            blocks.append(Block(p.role, _spans(p, FANGSONG, KAITI), JUSTIFY, first_indent=2))
        elif p.role == dn.BODY:
            blocks.append(Block(p.role, _spans(p), JUSTIFY, first_indent=2))
        elif p.role == dn.ANNEX_LIST:
            # 附件：1.名称 — left two characters in; later items and wrapped lines align with the name.
            prefix = text_width("附件\uff1a")
            number = text_width(p.runs[-1].text.split(".", 1)[0] + ".")
            left = 2 + prefix + number
            first = -(prefix + number) if first_annex else -number
            blocks.append(Block(p.role, _spans(p), LEFT, first_indent=first, left_indent=left,
                                space_before=1 if first_annex else 0))
            first_annex = False
        elif p.role == dn.SIGNATURE:
            signer = p.text
        elif p.role == dn.DATE:
            date_text = p.text
            blocks.extend(signature_blocks(signer, date_text))
        elif p.role == dn.PUBLICATION:
            blocks.append(Block(p.role, _spans(p), LEFT, first_indent=2))
    title = "".join(title_lines)
    return NoticeDocument(title, notice.number, tuple(blocks), tuple(public_annex(t) for t in annexes))


def notice_document(notice: Notice, sheet: PeriodSheet, *, with_annexes: bool = True) -> NoticeDocument:
    """From the notice data and the period's sheet: bind the placeholders, describe the pages."""
    resolved = dn.bind(notice, sheet, register_title=REGISTER_TITLE)
    return describe(resolved, notice, annex_tables(sheet) if with_annexes else ())


REFERENCE_NOTICE_FILE = "data/notice-2021Q2-text.json"


def load_reference_notice(path=None) -> Notice:
    """The 2021 Q2 notice's text and figures (商南政办函〔2021〕56号), as the storage seed loads them."""
    import json
    from pathlib import Path

    from shangnan_desktop.resources import resource_path

    path = Path(path) if path else resource_path(REFERENCE_NOTICE_FILE)
    return Notice.from_dict(json.loads(path.read_text(encoding="utf-8")))
