"""Small widgets shared by the dialogs."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the table's rows with ``rows`` (display strings) and fit the columns."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def read_only_table(headers: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> QTableWidget:
    """A table to look at and select rows in, not to edit."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    fill_table(table, rows)
    return table


def confirm_buttons(dialog: QDialog, can_apply: bool) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """确认导入 / 取消 for a preview dialog; 确认导入 is off (and 取消 the default) when nothing can be applied."""
    buttons = QDialogButtonBox()
    confirm = QPushButton("确认导入")
    cancel = QPushButton("取消")
    buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    confirm.setEnabled(can_apply)
    cancel.setDefault(not can_apply)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, confirm, cancel
