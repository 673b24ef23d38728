"""The notice (通报) of a period: read it bound to live data, edit it, start it from the previous period's, export it.

The next period's notice is created lazily: the first time the clerk opens the 通报 tab on a period without
one (``ensure_notice``), it is made from the latest earlier period's text (``domain.notice.next_notice``) and
stored. Creating a period does not touch notices, so undoing 新建季度 stays a plain delete. The command line
never stores one: exporting a period without a notice uses the derived text as it would be created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from shangnan_desktop.app.commands import Command
from shangnan_desktop.domain import NotFoundError, Period, PeriodSheet, ValidationError
from shangnan_desktop.domain import notice as dn
from shangnan_desktop.domain.notice import Notice, NoticeFigures, ResolvedNotice, Section
from shangnan_desktop.reports.annex import REGISTER_TITLE
from shangnan_desktop.reports.export import ExportedFile
from shangnan_desktop.reports.notice_model import NoticeDocument, notice_document
from shangnan_desktop.reports.safe_write import ExportError
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.notice_store import NoticeStore

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class BoundNotice:
    """A period's notice with its placeholders resolved from the period's current sheet."""

    notice: Notice
    sheet: PeriodSheet
    resolved: ResolvedNotice
    values: dict  # placeholder name -> printed value (None: not entered yet)
    problems: tuple[str, ...]  # what to fix before sending (Chinese)
    stored: bool  # False: derived from the previous period's notice, not saved yet


@dataclass(frozen=True)
class NoticeChange:
    """One edit of the notice: the whole notice before and after (the undo step replays them)."""

    period: Period
    before: Notice | None
    after: Notice | None
    changed: bool


def _derived(store: Store, period: Period) -> Notice | None:
    notices = NoticeStore(store)
    source = notices.previous(period)
    return dn.next_notice(source, period) if source is not None else None


def load_notice(store: Store, period: Period) -> Notice:
    """The period's stored notice, or the one ``ensure_notice`` would create (not stored); a clear error if none."""
    notice = NoticeStore(store).get(period) or _derived(store, period)
    if notice is None:
        raise NotFoundError(f"{period.label}没有通报，之前的期间也没有可沿用的通报。")
    return notice


def bind_notice(notice: Notice, sheet: PeriodSheet, *, stored: bool = True) -> BoundNotice:
    """The notice bound to ``sheet`` (pure: the window re-binds on every count change without the store)."""
    resolved = dn.bind(notice, sheet, register_title=REGISTER_TITLE)
    return BoundNotice(notice, sheet, resolved, dn.values_for(notice, sheet), tuple(dn.check(notice, sheet)), stored)


def read_notice(store: Store, period: Period) -> BoundNotice:
    """The period's notice bound to its live counts."""
    stored = NoticeStore(store).get(period)
    notice = stored or load_notice(store, period)
    return bind_notice(notice, store.load_sheet(period), stored=stored is not None)


def ensure_notice(store: Store, period: Period) -> NoticeChange:
    """The period's notice, created from the latest earlier one if it has none (first open of the 通报 tab).

    ``changed`` says whether one was created (``before`` is then ``None``). A locked period is never written:
    its notice is only derived.
    """
    notices = NoticeStore(store)
    current = notices.get(period)
    if current is not None:
        return NoticeChange(period, current, current, False)
    if notices.previous(period) is None:
        raise NotFoundError(f"{period.label}之前没有可沿用的通报，无法新建。")
    created = notices.create_next(period)
    return NoticeChange(period, None, created, True)


# Fields the clerk edits in the window or by script: Notice field names and the figures'.
_FIGURES = {f for f in NoticeFigures.__dataclass_fields__}


# Pasted text may carry characters a document can't hold (and that no one sees): control characters other than
# the line break (a tab becomes a space), bidi and zero-width marks, lone surrogates. They are dropped before
# anything is stored.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u206f\ufeff\ufffe\uffff\ud800-\udfff]")


def _without_controls(value):
    """``value`` with the unwanted characters dropped from every string in it (sections, names, tuples …)."""
    if isinstance(value, str):
        return _UNWANTED.sub("", value.replace("\t", " "))  # a tab has no place in a 公文 (drawn as □)
    if isinstance(value, Section):
        return Section(_without_controls(value.heading), tuple(_without_controls(p) for p in value.paragraphs))
    if isinstance(value, Mapping):
        return {_without_controls(k): _without_controls(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_controls(v) for v in value)
    return value


def update_notice(store: Store, period: Period, **fields) -> NoticeChange:
    """Change fields of the period's notice in one transaction (one undoable step).

    ``fields`` are ``Notice`` field names (``office``, ``number_serial``, ``date``, ``addressees``, ``title``,
    ``opening``, ``sections`` as a sequence of ``Section`` or (heading, paragraphs)) and ``NoticeFigures`` field
    names (``key_area_published``, ``letters_received`` …); ``praised`` maps a group name to its units.
    """
    notices = NoticeStore(store)
    before = notices.get(period)
    if before is None:
        raise NotFoundError(f"{period.label}还没有通报，请先打开通报页新建。")
    fields = {k: _without_controls(v) for k, v in fields.items()}
    figures = {k: fields.pop(k) for k in list(fields) if k in _FIGURES}
    if "sections" in fields:
        fields["sections"] = tuple(
            s if isinstance(s, Section) else Section(str(s[0]), tuple(str(p) for p in s[1]))
            for s in fields["sections"]
        )
    if "praised" in fields:
        fields["praised"] = {str(k): tuple(v) for k, v in fields["praised"].items()}
    if "letters_praised" in figures:
        figures["letters_praised"] = tuple(figures["letters_praised"])
    try:
        after = replace(before, **fields)
        if figures:
            after = replace(after, figures=replace(after.figures, **figures))
    except TypeError as exc:
        raise ValidationError(f"通报没有这一项：{exc}。") from None
    changed = notices.set(after)
    return NoticeChange(period, before, notices.get(period), changed)


class NoticeCommand(Command):
    """An edit of the notice as one undo step: the whole notice before and after (``app/commands.py``)."""

    def __init__(self, store: Store, period: Period, before: Notice | None, after: Notice | None,
                 text: str = "修改通报") -> None:
        super().__init__(store, text, period)
        self.before = before
        self.after = after

    def do(self) -> None:
        replace_notice(self.store, self.period, self.after)

    def undo(self) -> None:
        replace_notice(self.store, self.period, self.before)


def replace_notice(store: Store, period: Period, notice: Notice | None) -> None:
    """Put back a whole notice (undo/redo of an edit), or remove it (``None``: undo of its creation)."""
    notices = NoticeStore(store)
    if notice is None:
        notices.delete(period)
    else:
        notices.set(notice)


# ---- export ------------------------------------------------------------------------------------------------


def parse_notice_formats(choice: str) -> tuple[str, ...]:
    text = str(choice).strip().lower()
    if text == "both":
        return FORMATS
    if text in FORMATS:
        return (text,)
    raise ValidationError(f"格式“{choice}”无效，请用 docx、pdf 或 both。")


def notice_doc(store: Store, period: Period, *, with_annexes: bool = True) -> NoticeDocument:
    """The notice's description (body, and the annexes unless ``with_annexes`` is false) from live data."""
    bound = read_notice(store, period)
    return notice_document(bound.notice, bound.sheet, with_annexes=with_annexes)


def write_notice(document: NoticeDocument, formats: Sequence[str], output: str | Path) -> list[ExportedFile]:
    """Write the described notice in each format into the folder ``output``; each file whole or not at all."""
    from shangnan_desktop.reports.notice_docx import write_notice_docx  # lazy: python-docx is heavy
    from shangnan_desktop.reports.notice_pdf import write_notice_pdf  # lazy: reportlab is heavy

    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"“{folder}”是一个文件，不是文件夹。请用 -o 指定一个文件夹。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}。请换一个位置。") from exc
    stem = document.file_stem().replace("\u3000", "") + ("" if document.annexes else "_正文")  # no serial yet: 〔2021〕号
    label = "通报及附件" if document.annexes else "通报正文"
    out = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        if fmt == "pdf":
            pages = write_notice_pdf(document, path).pages
            out.append(ExportedFile(path, label, fmt, pages))
        else:
            write_notice_docx(document, path)
            out.append(ExportedFile(path, label, fmt))
    return out


def export_notice(
    store: Store, period: Period, fmt: str = "both", output: str | Path = ".", *, with_annexes: bool = True
) -> list[ExportedFile]:
    """The CLI's and the window's export: the whole notice with its annexes (or the body alone) as .docx/PDF."""
    formats = parse_notice_formats(fmt)
    return write_notice(notice_doc(store, period, with_annexes=with_annexes), formats, output)


def notice_pdf_bytes(document: NoticeDocument) -> bytes:
    """The PDF of a described notice, for the preview and printing (safe in a worker thread)."""
    from shangnan_desktop.reports.notice_pdf import render_notice_pdf  # lazy: reportlab is heavy

    return render_notice_pdf(document).data


def describe_notice(notice: Notice, sheet: PeriodSheet, *, with_annexes: bool = True) -> NoticeDocument:
    """Pure: the description to render (read on the UI thread, rendered in a worker)."""
    return notice_document(notice, sheet, with_annexes=with_annexes)


__all__ = [
    "BoundNotice", "NoticeChange", "bind_notice", "describe_notice", "ensure_notice", "export_notice",
    "load_notice", "notice_doc", "notice_pdf_bytes", "parse_notice_formats", "read_notice", "replace_notice",
    "update_notice", "write_notice",
]
