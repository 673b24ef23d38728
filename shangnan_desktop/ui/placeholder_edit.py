"""A text editor whose bound figures are atomic tokens: highlighted, one character for the cursor and deletion.

The clerk's text holds placeholders ``{采用总数}``; the editor shows each one's value (546) highlighted. A token
can't be broken by typing: the cursor never stops inside one (it jumps to the nearer edge, or past it in the
direction it moves), Backspace and Delete remove a token whole, a selection that touches a token grows to cover
it, and typed, pasted or input-method text never takes a token's format.
"""

from __future__ import annotations

import itertools
import re
from typing import Mapping

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit, QWidget

from shangnan_desktop.domain.notice import PLACEHOLDERS, placeholder_spans

TOKEN_NAME = QTextFormat.Property.UserProperty
TOKEN_ID = QTextFormat.Property.UserProperty + 1
BOUND_BACKGROUND = QColor("#dbeafe")  # a light blue: bound to data
MISSING_BACKGROUND = QColor("#fde2e1")  # a light red: not entered yet
_ids = itertools.count(1)
_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def plain_format() -> QTextCharFormat:
    return QTextCharFormat()


def token_format(name: str, missing: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setProperty(TOKEN_NAME, name)
    fmt.setProperty(TOKEN_ID, next(_ids))  # two equal tokens side by side stay two fragments
    fmt.setBackground(QBrush(MISSING_BACKGROUND if missing else BOUND_BACKGROUND))
    fmt.setForeground(QBrush(QColor("#a11d1d" if missing else "#0b3d91")))
    tip = PLACEHOLDERS.get(name, "未知的占位符，请删除后从“插入数据”中选择")
    fmt.setToolTip(f"{{{name}}}：{tip}" + ("（尚未录入）" if missing else ""))
    return fmt


class PlaceholderEdit(QTextEdit):
    """Paragraphs of text with placeholders; ``paragraphs()`` gives them back with the ``{名称}`` tokens."""

    edited = Signal()  # the clerk changed the text (not a re-bind)
    focusLeft = Signal()
    undoRedoKey = Signal()  # Ctrl+Z / Ctrl+Y pressed here: the window's undo takes them

    def __init__(self, parent: QWidget | None = None, *, single_line: bool = False) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)  # the window's undo (one step per saved edit) is the only one
        self.setTabChangesFocus(True)  # a field of a form: Tab goes on (a tab character draws as □ in the PDF)
        self.single_line = single_line
        self._values: Mapping[str, str | None] = {}
        self._loading = False
        self._last_pos = 0
        self.textChanged.connect(self._changed)
        self.cursorPositionChanged.connect(self._snap)
        self.min_lines = 1
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    def _fit_height(self, *_args) -> None:
        """As tall as its text (the tab scrolls as a whole), at least ``min_lines`` lines."""
        doc_height = self.document().documentLayout().documentSize().height()
        lines = self.fontMetrics().lineSpacing() * self.min_lines
        self.setFixedHeight(int(max(doc_height, lines + 2 * self.document().documentMargin())) + 2 * self.frameWidth())
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # ---- content ---------------------------------------------------------------------------
    def set_paragraphs(self, paragraphs: list[str], values: Mapping[str, str | None]) -> None:
        """Show ``paragraphs`` with every placeholder resolved from ``values`` (a re-bind keeps the cursor)."""
        pos = self.textCursor().position()
        self._values = dict(values)
        self._loading = True
        try:
            self.document().clear()
            cursor = QTextCursor(self.document())
            for i, text in enumerate(paragraphs):
                if i:
                    cursor.insertBlock()
                self._insert_text(cursor, text)
            cursor.setPosition(min(pos, self.document().characterCount() - 1))
            self.setTextCursor(cursor)
        finally:
            self._loading = False

    def rebind(self, values: Mapping[str, str | None]) -> None:
        """New figures for the same text (a count changed): only the tokens' shown values change."""
        self.set_paragraphs(self.paragraphs(), values)

    def _insert_text(self, cursor: QTextCursor, text: str) -> None:
        pos = 0
        for start, end, name in placeholder_spans(text):
            if start > pos:
                cursor.insertText(text[pos:start], plain_format())
            value = self._values.get(name)
            cursor.insertText(value if value is not None else text[start:end], token_format(name, value is None))
            pos = end
        if pos < len(text):
            cursor.insertText(text[pos:], plain_format())
        cursor.setCharFormat(plain_format())

    def paragraphs(self) -> list[str]:
        out = []
        block = self.document().firstBlock()
        while block.isValid():
            text = block.text()
            parts = []
            for r in block.textFormats():
                name = r.format.property(TOKEN_NAME)
                parts.append(f"{{{name}}}" if name else text[r.start : r.start + r.length])
            out.append("".join(parts))
            block = block.next()
        return out

    def insert_placeholder(self, name: str) -> None:
        cursor = self.textCursor()
        self._grow_to_tokens(cursor)
        self._insert_text(cursor, f"{{{name}}}")
        self.setTextCursor(cursor)
        self.setFocus()

    # ---- tokens ----------------------------------------------------------------------------
    def token_span(self, pos: int) -> tuple[int, int] | None:
        """(start, end) of the token holding the character at ``pos``, in document positions."""
        block = self.document().findBlock(pos)
        if not block.isValid():
            return None
        offset = pos - block.position()
        for r in block.textFormats():
            if r.format.property(TOKEN_NAME) and r.start <= offset < r.start + r.length:
                return block.position() + r.start, block.position() + r.start + r.length
        return None

    def tokens(self) -> list[tuple[int, int, str]]:
        """Every token as (start, end, name) in document positions."""
        out = []
        block = self.document().firstBlock()
        while block.isValid():
            for r in block.textFormats():
                name = r.format.property(TOKEN_NAME)
                if name:
                    out.append((block.position() + r.start, block.position() + r.start + r.length, name))
            block = block.next()
        return out

    def _inside(self, pos: int) -> tuple[int, int] | None:
        """The token ``pos`` falls strictly inside (between two of its characters)."""
        span = self.token_span(pos)
        return span if span and span[0] < pos < span[1] else None

    def _grow_to_tokens(self, cursor: QTextCursor) -> None:
        """A selection (or cursor) touching a token's inside grows to cover the whole token."""
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        a = self._inside(start)
        b = self._inside(end)
        if a:
            start = a[0]
        if b:
            end = b[1]
        if (start, end) != (cursor.selectionStart(), cursor.selectionEnd()):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)

    def _snap(self) -> None:
        cursor = self.textCursor()
        pos = cursor.position()
        if not cursor.hasSelection():
            span = self._inside(pos)
            if span:
                forward = pos > self._last_pos
                nearer_end = (pos - span[0]) > (span[1] - pos)
                target = span[1] if (forward if abs(pos - self._last_pos) == 1 else nearer_end) else span[0]
                cursor.setPosition(target)
                self.setTextCursor(cursor)
                pos = target
        self._last_pos = pos

    def _plain_cursor(self) -> QTextCursor:
        """The cursor ready for new text: out of any token, selection grown over tokens, plain format."""
        cursor = self.textCursor()
        self._grow_to_tokens(cursor)
        if not cursor.hasSelection():
            span = self._inside(cursor.position())
            if span:
                cursor.setPosition(span[1])
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(plain_format())
        return cursor

    # ---- editing ---------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
            self.undoRedoKey.emit()
            event.ignore()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key = event.key()
        cursor = self.textCursor()
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and not cursor.hasSelection():
            pos = cursor.position()
            span = self.token_span(pos - 1) if key == Qt.Key.Key_Backspace else self.token_span(pos)
            if span:
                cursor.setPosition(span[0])
                cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                self.setTextCursor(cursor)
                return
        if self.single_line and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        if cursor.hasSelection() or event.text() or event.matches(QKeySequence.StandardKey.Cut):
            if cursor.hasSelection() or (event.text() and event.text().isprintable()):
                self._plain_cursor()
        super().keyPressEvent(event)
        if event.text():
            self.setCurrentCharFormat(plain_format())

    def event(self, event) -> bool:  # noqa: A003 - Qt override
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
        ):
            self.undoRedoKey.emit()  # saves the pending text; the window's 撤销 then applies
            event.ignore()
            return False
        return super().event(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802 - Qt override (Chinese input)
        if event.commitString() or event.preeditString():
            self._plain_cursor()
        super().inputMethodEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        """Pasted text arrives as plain text; a pasted ``{名称}`` of a known figure becomes a token."""
        text = source.text()
        if not text or self.isReadOnly():
            return
        if self.single_line:
            text = text.replace("\r", "").replace("\n", "")
        text = _UNSEEN.sub("", text)  # control characters and bidi marks: invisible here, refused by Word
        cursor = self._plain_cursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        lines = text.replace("\r\n", "\n").split("\n")
        for i, line in enumerate(lines):
            if i:
                cursor.insertBlock()
            self._insert_text(cursor, line)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def createMimeDataFromSelection(self):  # noqa: N802 - Qt override
        """Copy gives the shown text (what the clerk sees), tokens as their values."""
        mime = QMimeData()
        mime.setText(self.textCursor().selectedText().replace("\u2029", "\n"))
        return mime

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.focusLeft.emit()
