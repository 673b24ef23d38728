"""Preview of a returned 附件3 (field by field, old → new; refused rows with reasons) with 确认导入 / 取消."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from shangnan_desktop.app.imports import RegisterImportPreview
from shangnan_desktop.ui.widgets import confirm_buttons
from shangnan_desktop.ui.widgets import read_only_table as _table

logger = logging.getLogger(__name__)


class RegisterImportDialog(QDialog):
    """Stores nothing itself; the caller applies the preview when the dialog is accepted."""

    def __init__(self, preview: RegisterImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"导入登记表预览 — {preview.path.name}")
        self.resize(860, 560)
        self.summary = QLabel(self._summary())
        self.summary.setWordWrap(True)

        self.tabs = QTabWidget()
        change_rows = [
            [c.unit, c.group, f.label, f.old or "（空）", f.new or "（空）", c.where]
            for c in preview.changes
            for f in c.fields
        ]
        self.changes_table = _table(["单位", "分组", "项目", "原登记", "改为", "位置"], change_rows)
        self.tabs.addTab(self.changes_table, f"将修改（{len(preview.changes)}个单位）")
        self.confirm_table = _table(
            ["单位", "分组", "原确认日期", "新确认日期"],
            [
                [c.unit, c.group, str(c.old.confirmed_on or "") if c.old else "", str(c.new.confirmed_on)]
                for c in preview.confirmations
            ],
        )
        self.tabs.addTab(self.confirm_table, f"内容相同、记为已确认（{len(preview.confirmations)}）")
        self.refused_table = _table(["位置", "单位", "原因"], [[p.where, p.unit, p.message] for p in preview.refused])
        self.tabs.addTab(self.refused_table, f"不能导入（{len(preview.refused)}）")
        self.empty_table = _table(["单位"], [[name] for name in preview.empty])
        self.tabs.addTab(self.empty_table, f"未填写（{len(preview.empty)}）")
        if preview.refused and not preview.changes:
            self.tabs.setCurrentWidget(self.refused_table)

        self.buttons, self.confirm_button, self.cancel_button = confirm_buttons(self, preview.can_apply)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _summary(self) -> str:
        p = self.preview
        lines = [f"文件：{p.path.name}    工作表：{'、'.join(p.sheets)}    确认日期：{p.confirmed_on}"]
        lines.append(
            f"将修改{len(p.changes)}个单位，内容相同记为已确认{len(p.confirmations)}个，"
            f"不能导入{len(p.refused)}行，未填写{len(p.empty)}个（保持不变）。"
        )
        if p.refused:
            lines.append("不能导入的行不会保存，其余各行不受影响；改正后可再次导入。")
        if p.can_apply:
            lines.append("确认无误后点“确认导入”，所有修改一次性保存（可撤销）；点“取消”则不做任何修改。")
        else:
            lines.append("没有可以导入的内容。")
        return "\n".join(lines)
