"""Excel-like editing shared by the tables: type to replace, Enter down, Tab right with a return anchor, Delete."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

logger = logging.getLogger(__name__)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ARROW_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home)
MODIFIER_KEYS = frozenset(
    (
        Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_unknown,
    )
)
# Keys that leave the cell in entry mode (editing started by typing), as in Excel and WPS: the value is
# stored and the key then acts on the table (Enter down, Tab right, arrows and pages move).
ENTRY_LEAVE_KEYS = frozenset(
    (
        *ENTER_KEYS, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Up, Qt.Key.Key_Down,
        Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    )
)
# In edit mode (F2, double-click) Left/Right/Home/End move the text cursor; these still leave the cell.
EDIT_LEAVE_KEYS = frozenset(
    (*ENTER_KEYS, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Up, Qt.Key.Key_Down,
     Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
)
ENTRY_MODE = "entry"
EDIT_MODE = "edit"
_MODE_PROPERTY = "spreadsheetEditMode"
_CONTROL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def editor_mode(editor: QWidget) -> str:
    """``entry`` (editing started by typing) or ``edit`` (F2 or double-click)."""
    return EDIT_MODE if editor.property(_MODE_PROPERTY) == EDIT_MODE else ENTRY_MODE


class SpreadsheetDelegate(QStyledItemDelegate):
    """A plain line editor with the Excel/WPS key rules; a refused value keeps the editor open.

    The delegate's event filter is the one place that decides what a key does while a cell is being
    edited: keys that leave the cell store it and are then replayed on the (no longer editing) table;
    modifier keys alone do nothing; Esc discards; every other key belongs to the line editor and never
    travels on to the table (a key the line editor ignores, such as F3, is dropped).
    """

    max_length = 120
    alignment: Qt.AlignmentFlag | None = None

    def __init__(self, view: "SpreadsheetTableView") -> None:
        super().__init__(view)
        self.view = view
        self.last_commit_ok = True

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        if self.alignment is not None:
            editor.setAlignment(self.alignment)
        editor.setFrame(False)
        editor.setMaxLength(self.max_length)
        editor.setProperty(_MODE_PROPERTY, self.view.next_edit_mode)
        return editor

    @staticmethod
    def _current_text(index: QModelIndex) -> str:
        value = index.data(Qt.ItemDataRole.EditRole)
        return "" if value is None else str(value)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        # Qt selects the whole text afterwards, so the key that opened the editor replaces it.
        editor.setText(self._current_text(index))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        text = editor.text()
        if self._current_text(index) == text.strip():
            self.last_commit_ok = True
            return
        self.last_commit_ok = bool(model.setData(index, text, Qt.ItemDataRole.EditRole))

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            return self._key(editor, event)
        if event.type() == QEvent.Type.KeyRelease and isinstance(editor, QLineEdit):
            editor.event(event)
            event.accept()  # releases never travel on to the table either
            return True
        return super().eventFilter(editor, event)

    def _key(self, editor: QLineEdit, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in MODIFIER_KEYS:
            event.accept()
            return True
        if key == Qt.Key.Key_Escape:
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            event.accept()
            return True
        if key == Qt.Key.Key_F2 and not mods:  # Excel: F2 switches between entry and edit mode
            editor.setProperty(_MODE_PROPERTY, ENTRY_MODE if editor_mode(editor) == EDIT_MODE else EDIT_MODE)
            editor.deselect()
            event.accept()
            return True
        leave = ENTRY_LEAVE_KEYS if editor_mode(editor) == ENTRY_MODE else EDIT_LEAVE_KEYS
        if key in leave and not mods & _CONTROL:
            self._commit_and_replay(editor, event)
            event.accept()
            return True
        if mods & Qt.KeyboardModifier.AltModifier and not mods & Qt.KeyboardModifier.ControlModifier:
            # Alt+letter is a menu key (when the menu did not take it, it is dropped): it never types a letter.
            # Ctrl+Alt stays with the editor: it is AltGr on Windows (characters such as @ on many layouts).
            event.accept()
            return True
        if key in ENTER_KEYS:  # Ctrl+Enter, Alt+Enter: store and stay
            self._commit(editor, move=None)
            event.accept()
            return True
        # Everything else is the line editor's (text, cursor, Ctrl+A/C/V/X/Z); what it ignores is dropped here,
        # so a key never bounces between the editor and the table.
        editor.event(event)
        event.accept()
        return True

    def _commit(self, editor: QLineEdit, move: QKeyEvent | None) -> bool:
        self.commitData.emit(editor)
        if not self.last_commit_ok:
            editor.selectAll()  # stay on the refused value; the message says why
            return False
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def _commit_and_replay(self, editor: QLineEdit, event: QKeyEvent) -> None:
        if self._commit(editor, event) and not self.view.is_editing():
            replay = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text())
            self.view.keyPressEvent(replay)


class SpreadsheetTableView(QTableView):
    """A table that edits like Excel/WPS. Subclasses say which columns are editable and what Delete does.

    Hooks: `editable_span()` -> (first, last) editable column; `clear_selection()` for Delete/Backspace;
    `refuse_edit(index)` -> True (after telling the clerk why) when typing must not open an editor;
    `handle_shortcut(event)` -> True when a key such as Ctrl+C was handled before navigation.
    """

    delegate_class: type[SpreadsheetDelegate] = SpreadsheetDelegate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = self.delegate_class(self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)  # Tab reaches keyPressEvent: next editable cell, not the next widget
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._tab_anchor: int | None = None  # the column Tab started from; Enter returns there
        self.next_edit_mode = ENTRY_MODE  # read by the delegate when it creates the editor
        self._forwarding = False

    # ---- hooks -------------------------------------------------------------
    def editable_span(self) -> tuple[int, int]:
        raise NotImplementedError

    def clear_selection(self) -> object:
        raise NotImplementedError

    def refuse_edit(self, index: QModelIndex) -> bool:
        return False

    def handle_shortcut(self, event: QKeyEvent) -> bool:
        return False

    # ---- layout ------------------------------------------------------------
    def spread_columns(self, natural: list[int], first: int = 0) -> None:
        """Natural column widths plus the spare viewport width, shared by columns from ``first`` on in proportion."""
        # The header spans the viewport exactly (QTableView::updateGeometries). Asking the viewport itself would
        # be the first Python wrapper of a Qt-made plain QWidget: PySide then builds every lazily loaded QWidget
        # subclass to find its type, 6-8 ms of start-up.
        spare = self.horizontalHeader().width() - sum(natural)
        total = sum(natural[first:]) or 1
        for column, width in enumerate(natural):
            extra = spare * width // total if spare > 0 and column >= first else 0
            self.setColumnWidth(column, width + extra)

    # ---- navigation --------------------------------------------------------
    def step(self, direction: str) -> None:
        """Move the current cell like Excel after a commit: down/up, or right/left across the editable columns."""
        index = self.currentIndex()
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        first, last = self.editable_span()
        model = self.model()
        rows = model.rowCount()
        if direction in ("down", "up"):
            if self._tab_anchor is not None and direction == "down":
                column, self._tab_anchor = self._tab_anchor, None
            row = min(row + 1, rows - 1) if direction == "down" else max(row - 1, 0)
        elif direction == "right":
            if self._tab_anchor is None:
                self._tab_anchor = column
            if column < last:
                column = max(column + 1, first)
            elif row + 1 < rows:
                row, column, self._tab_anchor = row + 1, first, None
        elif direction == "left":
            if column > first:
                column -= 1
            elif row > 0:
                row, column = row - 1, last
        target = model.index(row, column)
        self.setCurrentIndex(target)
        self.scrollTo(target)

    def _editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def is_editing(self) -> bool:
        return self._editing()

    def edit(self, index, trigger=None, event=None) -> bool:  # noqa: D401 - Qt override
        """Typing opens the editor in entry mode; F2, double-click and a programmatic edit in edit mode."""
        if trigger is None:
            return super().edit(index)
        typed = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
        self.next_edit_mode = ENTRY_MODE if typed else EDIT_MODE
        opened = super().edit(index, trigger, event)
        if opened and not typed:
            editor = self.indexWidget(index)
            if isinstance(editor, QLineEdit):  # edit in place: the cursor at the end, nothing selected
                editor.deselect()
                editor.end(False)
        return opened

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._editing():
            # A key sent to the table itself while its editor is open goes to the editor once; the
            # delegate's filter decides it there and never lets it travel back here.
            editor = self.indexWidget(self.currentIndex())
            if editor is not None and not self._forwarding:
                self._forwarding = True
                try:
                    QApplication.sendEvent(editor, event)
                finally:
                    self._forwarding = False
            event.accept()
            return
        if self.handle_shortcut(event):
            return
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in ENTER_KEYS and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            self.step("up" if mods & Qt.KeyboardModifier.ShiftModifier else "down")
            return
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
            self.step("right")
            return
        if key == Qt.Key.Key_Backtab:
            self.step("left")
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and mods == Qt.KeyboardModifier.NoModifier:
            self.clear_selection()
            return
        text = event.text()
        control = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
        if text and text.isprintable() and not mods & control and not self._editing():
            if self.refuse_edit(self.currentIndex()):
                return
            super().keyPressEvent(event)  # AnyKeyPressed: the editor opens and the key replaces the value
            return
        if key in _ARROW_KEYS:
            self._tab_anchor = None
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802
        """Text committed by an input method (Chinese, full-width digits) starts an edit like a key does."""
        index = self.currentIndex()
        if event.commitString() and not event.preeditString() and not self._editing():
            if self.refuse_edit(index):
                return
            if index.isValid() and self.edit(index, QAbstractItemView.EditTrigger.AnyKeyPressed, None):
                editor = self.indexWidget(index)
                if editor is not None:
                    editor.setFocus()
                    QApplication.sendEvent(editor, event)
                    return
        super().inputMethodEvent(event)

    def commit_pending(self) -> None:
        """Store what is typed in an open editor (before switching quarter or tab, locking or closing)."""
        if not self._editing():
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def selected_cells(self) -> list[tuple[int, int]]:
        """(view row, column) of the selected cells, or the current cell, in reading order."""
        cells = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()}
        if not cells and self.currentIndex().isValid():
            cells = {(self.currentIndex().row(), self.currentIndex().column())}
        return sorted(cells)
