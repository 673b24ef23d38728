"""修改记录: who changed which number, when, from what to what; filter by period, export to CSV."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.domain import DomainError
from shangnan_desktop.app import counts as counts_app
from shangnan_desktop.app.backups import AUDIT_HEADER as HEADER
from shangnan_desktop.app.backups import audit_table, safe_cell
from shangnan_desktop.app.files import save_bytes
from shangnan_desktop.ui.widgets import fill_table, read_only_table

logger = logging.getLogger(__name__)
SHOWN = 5000  # the newest changes; the CSV export has them all


class AuditDialog(QDialog):
    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("修改记录")
        self.resize(1000, 560)
        self.period_combo = QComboBox()
        self.period_combo.addItem("全部统计期", None)
        for info in reversed(counts_app.periods(store)):
            self.period_combo.addItem(info.period.label, info.period)
        self.period_combo.currentIndexChanged.connect(self.refresh)
        self.table = read_only_table(HEADER)
        self.count_label = QLabel()
        export = QPushButton("导出CSV(&E)…")
        export.clicked.connect(self.choose_and_export)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("统计期："))
        top.addWidget(self.period_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(export)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.refresh()

    def period(self):
        return self.period_combo.currentData()

    def refresh(self) -> None:
        rows = list(reversed(audit_table(self.store, self.period(), SHOWN)))  # newest first, as the label says
        fill_table(self.table, rows)
        # 原值 and 新值 share the room left; a long sentence (登记信息) is read whole in the tooltip.
        header = self.table.horizontalHeader()
        for column in (len(HEADER) - 2, len(HEADER) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            for r in range(self.table.rowCount()):
                item = self.table.item(r, column)
                if item is not None and item.text():
                    item.setToolTip(item.text().replace("；", "；\n"))
        self.count_label.setText(f"共{len(rows)}条（最新在前）")

    def export_csv(self, path: str | Path) -> int:
        """Every matching change as CSV (UTF-8 with BOM so Excel shows Chinese); returns the row count."""
        rows = audit_table(self.store, self.period())
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows([safe_cell(v) for v in row] for row in rows)
        save_bytes(path, buf.getvalue().encode("utf-8-sig"))
        return len(rows)

    def choose_and_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出修改记录", "修改记录.csv", "CSV 文件 (*.csv)")
        if not path:
            return
        try:
            count = self.export_csv(path)
        except DomainError as exc:
            QMessageBox.warning(self, "导出失败", str(exc))
            return
        QMessageBox.information(self, "导出完成", f"已导出{count}条修改记录到：\n{path}")
