"""The register's table view: type to replace, Enter down, Tab right, Delete, Ctrl+C / Ctrl+V like Excel."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
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

from shangnan_desktop.ui.register_model import DATE_COLUMN, FIRST_FIELD

if TYPE_CHECKING:
    from shangnan_desktop.ui.register_view import RegisterWidget

logger = logging.getLogger(__name__)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FieldDelegate(QStyledItemDelegate):
    """A plain line editor; Enter and Tab store the cell and move on, a refused value keeps the editor open."""

    def __init__(self, view: "RegisterView") -> None:
        super().__init__(view)
        self.view = view
        self.last_commit_ok = True

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setMaxLength(120)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        text = editor.text()
        if (index.data(Qt.ItemDataRole.EditRole) or "") == text.strip():
            self.last_commit_ok = True
            return
        self.last_commit_ok = bool(model.setData(index, text, Qt.ItemDataRole.EditRole))

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            key = event.key()
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            moves = {Qt.Key.Key_Tab: "right", Qt.Key.Key_Backtab: "left"}
            if key in _ENTER_KEYS:
                self._commit_and_move(editor, "up" if shift else "down")
                return True
            if key in moves:
                self._commit_and_move(editor, moves[key])
                return True
            if key == Qt.Key.Key_Escape:
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
                return True
        return super().eventFilter(editor, event)

    def _commit_and_move(self, editor: QLineEdit, direction: str) -> None:
        self.commitData.emit(editor)
        if not self.last_commit_ok:
            editor.selectAll()  # stay on the refused value; the message says why
            return
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.view.step(direction)


class RegisterView(QTableView):
    """Type to replace, F2 to edit in place, Enter down, Tab right, Delete clears, Ctrl+C / Ctrl+V blocks."""

    def __init__(self, owner: "RegisterWidget") -> None:
        super().__init__(owner)
        self.owner = owner
        self.delegate = FieldDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._tab_anchor: int | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.owner.spread_width()

    def step(self, direction: str) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        rows = self.model().rowCount()
        if direction in ("down", "up"):
            if self._tab_anchor is not None and direction == "down":
                column, self._tab_anchor = self._tab_anchor, None
            row = min(row + 1, rows - 1) if direction == "down" else max(row - 1, 0)
        elif direction == "right":
            if self._tab_anchor is None:
                self._tab_anchor = column
            if column < DATE_COLUMN:
                column = max(column + 1, FIRST_FIELD)
            elif row + 1 < rows:
                row, column, self._tab_anchor = row + 1, FIRST_FIELD, None
        elif direction == "left":
            if column > FIRST_FIELD:
                column -= 1
            elif row > 0:
                row, column = row - 1, DATE_COLUMN
        target = self.model().index(row, column)
        self.setCurrentIndex(target)
        self.scrollTo(target)

    def event(self, event: QEvent) -> bool:
        # Copy, paste and Delete belong to the table while it has focus, before any window shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy) or event.matches(QKeySequence.StandardKey.Paste) or (
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is not None:
                QApplication.sendEvent(editor, event)
                return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.owner.copy()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.owner.paste()
            return
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _ENTER_KEYS and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            self.step("up" if mods else "down")
            return
        if key == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
            self.step("right")
            return
        if key == Qt.Key.Key_Backtab:
            self.step("left")
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and mods == Qt.KeyboardModifier.NoModifier:
            self.owner.clear_selection()
            return
        text = event.text()
        mod = Qt.KeyboardModifier
        control = mod.ControlModifier | mod.AltModifier | mod.MetaModifier
        if text and text.isprintable() and not mods & control:
            if self.currentIndex().isValid() and self.currentIndex().column() < FIRST_FIELD:
                self.owner.explain_read_only()
                return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home):
            self._tab_anchor = None
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802
        """Chinese typed through an input method starts an edit like a key does."""
        index = self.currentIndex()
        if event.commitString() and not event.preeditString() and index.isValid() and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            if index.column() < FIRST_FIELD:
                self.owner.explain_read_only()
                return
            if self.edit(index, QAbstractItemView.EditTrigger.AnyKeyPressed, None):
                editor = self.indexWidget(index)
                if editor is not None:
                    editor.setFocus()
                    QApplication.sendEvent(editor, event)
                    return
        super().inputMethodEvent(event)

    def commit_pending(self) -> None:
        """Store what is typed in an open editor (before the tab is left or the window closes)."""
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is not None:
                self.commitData(editor)
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def selected_cells(self) -> list[tuple[int, int]]:
        """(view row, column) of the selection, or the current cell, in reading order."""
        cells = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()}
        if not cells and self.currentIndex().isValid():
            cells = {(self.currentIndex().row(), self.currentIndex().column())}
        return sorted(cells)
