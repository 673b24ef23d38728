"""备份与恢复: list the automatic and manual backups, make one now, restore a chosen one."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.domain import DomainError
from shangnan_desktop.app.backups import BackupInfo, create_backup, list_backups
from shangnan_desktop.app.workspace import database_path, is_readonly
from shangnan_desktop.ui.widgets import fill_table, read_only_table

logger = logging.getLogger(__name__)


class BackupDialog(QDialog):
    """Backups of the open database, newest first. ``chosen`` is set when the clerk asks to restore one;
    the window then closes the database, restores it (the current file is kept aside) and reopens it."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.db_path = database_path(store)
        self.chosen: BackupInfo | None = None
        self.setWindowTitle("备份与恢复")
        self.resize(640, 420)
        self.table = read_only_table(["备份时间", "原因", "大小"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_button = QPushButton("立即备份(&B)")
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_button.setEnabled(not is_readonly(store))
        self.restore_button = QPushButton("恢复所选备份(&R)…")
        self.restore_button.clicked.connect(self.ask_restore)
        self.restore_button.setEnabled(not is_readonly(store))
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"备份文件夹：{self.db_path.parent / 'backups'}\n"
                                "程序在启动、导入、升级和定稿前自动备份，保留最新的20份。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.backups: list[BackupInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.backups = list_backups(self.db_path)
        fill_table(self.table, [(b.when_text, b.label, f"{b.size / 1024:.0f} KB") for b in self.backups])
        if self.backups:
            self.table.selectRow(0)

    def backup_now(self) -> BackupInfo | None:
        try:
            info = create_backup(self.store, "manual")
        except DomainError as exc:
            QMessageBox.warning(self, "备份失败", str(exc))
            return None
        self.refresh()
        return info

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def ask_restore(self) -> None:
        info = self.selected()
        if info is None:
            QMessageBox.information(self, "恢复", "请先选择一份备份。")
            return
        answer = QMessageBox.question(
            self, "恢复备份",
            f"用{info.when_text}的备份（{info.label}）替换当前数据？\n\n"
            "当前的数据库文件不会删除，会重命名保留在同一文件夹中。恢复后程序重新打开数据库。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            self.accept()
