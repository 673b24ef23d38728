"""Preview of an Excel import (changes, unknown units, bad cells) with 确认导入 / 取消."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from shangnan_desktop.app.imports import ImportPreview
from shangnan_desktop.ui.widgets import confirm_buttons
from shangnan_desktop.ui.widgets import read_only_table as _table

logger = logging.getLogger(__name__)


class ImportPreviewDialog(QDialog):
    """Nothing is stored by this dialog; the caller applies the preview when it is accepted."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"导入预览 — {preview.period.label}")
        self.resize(820, 560)
        labels = list(preview.labels)

        summary = QLabel(self._summary())
        summary.setWordWrap(True)
        self.tabs = QTabWidget()
        change_rows = [
            [c.name, c.group, *map(str, c.old), *map(str, c.new), c.where] for c in preview.changes
        ]
        self.changes_table = _table(
            ["单位", "分组", *(f"原{x}" for x in labels), *(f"新{x}" for x in labels), "位置"], change_rows
        )
        self.tabs.addTab(self.changes_table, f"将修改（{len(preview.changes)}）")
        self.bad_table = _table(["位置", "单位", "问题"], [[p.where, p.unit, p.message] for p in preview.bad])
        self.tabs.addTab(self.bad_table, f"错误（{len(preview.bad)}）")
        self.unknown_table = _table(["位置", "文件中的名称"], [[p.where, p.unit] for p in preview.unknown])
        self.tabs.addTab(self.unknown_table, f"未匹配的单位（{len(preview.unknown)}）")
        self.missing_table = _table(["单位"], [[name] for name in preview.not_in_file])
        self.tabs.addTab(self.missing_table, f"文件中没有的单位（{len(preview.not_in_file)}）")
        if preview.bad:
            self.tabs.setCurrentWidget(self.bad_table)

        self.buttons, self.confirm_button, self.cancel_button = confirm_buttons(self, preview.can_apply)

        layout = QVBoxLayout(self)
        self.period_warning = None
        if getattr(preview, "other_period", None):
            self.period_warning = QLabel(preview.other_period)
            self.period_warning.setWordWrap(True)
            self.period_warning.setStyleSheet("color: #c00000; font-weight: bold;")
            layout.addWidget(self.period_warning)
        layout.addWidget(summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _summary(self) -> str:
        p = self.preview
        lines = [f"文件：{p.path.name}    导入到：{p.period.label}    工作表：{'、'.join(p.sheets)}"]
        lines.append(
            f"将修改{len(p.changes)}个单位，数据相同{len(p.unchanged)}个，"
            f"未匹配{len(p.unknown)}个（不会导入），文件中没有{len(p.not_in_file)}个（保持不变）。"
        )
        if p.bad:
            lines.append(f"文件中有{len(p.bad)}处错误，必须改正后才能导入；在改正之前不会写入任何数据。")
        elif not p.changes:
            lines.append("没有需要修改的数据。")
        else:
            lines.append("确认无误后点“确认导入”，所有修改将一次性保存；点“取消”则不做任何修改。")
        return "\n".join(lines)
