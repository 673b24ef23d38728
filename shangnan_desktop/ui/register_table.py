"""The register's table view: type to replace, Enter down, Tab right, Delete, Ctrl+C / Ctrl+V like Excel."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView

from shangnan_desktop.ui.register_model import DATE_COLUMN, FIRST_FIELD
from shangnan_desktop.ui.spreadsheet import SpreadsheetTableView

logger = logging.getLogger(__name__)


class RegisterTable(SpreadsheetTableView):
    """Type to replace, F2 to edit in place, Enter down, Tab right, Delete clears, Ctrl+C / Ctrl+V blocks."""

    def __init__(self, owner) -> None:
        """``owner``: the register tab (``RegisterTab``), which lays out the columns and stores the edits."""
        super().__init__(owner)
        self.owner = owner

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.owner.spread_width()

    def editable_span(self) -> tuple[int, int]:
        return FIRST_FIELD, DATE_COLUMN

    def clear_selection(self) -> None:
        self.owner.clear_selection()

    def refuse_edit(self, index: QModelIndex) -> bool:
        if index.isValid() and index.column() < FIRST_FIELD:
            self.owner.explain_read_only()
            return True
        return False

    def handle_shortcut(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.owner.copy()
            return True
        if event.matches(QKeySequence.StandardKey.Paste):
            self.owner.paste()
            return True
        return False

    def event(self, event: QEvent) -> bool:
        # Copy, paste and Delete belong to the table while it has focus, before any window shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy) or event.matches(QKeySequence.StandardKey.Paste) or (
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            ):
                event.accept()
                return True
        return super().event(event)
