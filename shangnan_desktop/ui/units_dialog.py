"""单位管理: add, rename, reorder and retire (停用) / reactivate (启用) the units of a group (each change one undo step)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.domain import DomainError

logger = logging.getLogger(__name__)

_RETIRED = QColor("#8a8a8a")


class UnitsDialog(QDialog):
    """Works on the store's unit list through the controller; the tables follow at once."""

    def __init__(self, controller, parent: QWidget | None = None, group_id: int | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("管理单位")
        self.setMinimumSize(460, 520)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("分组："))
        self.group_combo = QComboBox()
        for group in controller.groups():
            self.group_combo.addItem(group.name, group.id)
        if group_id is not None:
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(group_id)))
        top.addWidget(self.group_combo, 1)
        layout.addLayout(top)

        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        layout.addWidget(self.list, 1)

        form = QGridLayout()
        form.addWidget(QLabel("名称："), 0, 0)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("输入单位名称")
        self.name_edit.setMaxLength(60)
        form.addWidget(self.name_edit, 0, 1, 1, 2)
        self.add_button = QPushButton("新增(&A)")
        self.rename_button = QPushButton("更名(&R)")
        form.addWidget(self.add_button, 0, 3)
        form.addWidget(self.rename_button, 0, 4)
        self.up_button = QPushButton("上移(&U)")
        self.down_button = QPushButton("下移(&D)")
        self.retire_button = QPushButton("停用单位(&X)")
        form.addWidget(self.up_button, 1, 1)
        form.addWidget(self.down_button, 1, 2)
        form.addWidget(self.retire_button, 1, 3, 1, 2)
        layout.addLayout(form)
        self._build_aliases(layout)

        self.hint = QLabel(
            "新增的单位列入当前季度（未定稿时）和以后新建的季度；停用的单位保留历史数据，新建季度时不再列入。"
            "每项修改立即保存，可用“编辑 → 撤销”（Ctrl+Z）恢复。"
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("unitsStatus")
        layout.addWidget(self.status)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():  # no default button: Enter in 名称 must not also close the dialog
            button.setAutoDefault(False)
            button.setDefault(False)
        layout.addWidget(buttons)

        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.list.currentRowChanged.connect(self._selection_changed)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.retire_button.clicked.connect(self.toggle_active)
        self.name_edit.returnPressed.connect(self.add)
        for button in (self.add_button, self.rename_button, self.up_button, self.down_button, self.retire_button):
            button.setAutoDefault(False)  # Enter in 名称 adds once (returnPressed), not also via a default button
        controller.unitsChanged.connect(self.refresh)
        controller.problem.connect(self._problem)
        self.refresh()
        self.name_edit.setFocus()  # typing goes to 名称 straight away

    # ---- aliases (the unit's other names in article lists) ----------------------
    def _build_aliases(self, layout) -> None:
        row = QHBoxLayout()
        row.addWidget(QLabel("别名："))
        self.alias_list = QListWidget()
        self.alias_list.setFlow(QListWidget.Flow.LeftToRight)
        self.alias_list.setMaximumHeight(32)
        self.alias_list.setToolTip("文章列表中该单位的其他叫法，导入台账时按别名匹配；更名后别名保留。")
        row.addWidget(self.alias_list, 1)
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText("如：商南县文化和旅游广电局")
        row.addWidget(self.alias_edit, 1)
        self.alias_add_button = QPushButton("添加别名")
        self.alias_remove_button = QPushButton("删除别名")
        for b in (self.alias_add_button, self.alias_remove_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        layout.addLayout(row)
        self.alias_add_button.clicked.connect(self.add_alias)
        self.alias_remove_button.clicked.connect(self.remove_alias)
        self.alias_edit.returnPressed.connect(self.add_alias)

    def refresh_aliases(self) -> None:
        self.alias_list.clear()
        unit = self.current_unit()
        if unit is not None:
            self.alias_list.addItems(ledger_app.unit_aliases(self.controller.store, unit.id))

    def add_alias(self) -> None:
        unit = self.current_unit()
        text = self.alias_edit.text()
        if unit is None or not text.strip():
            return
        try:
            stored = ledger_app.add_alias_for(self.controller.store, unit.id, text)
        except DomainError as exc:
            self.status.setText(str(exc))
            return
        self.alias_edit.clear()
        self.refresh_aliases()
        self._ok(f"已添加别名：“{stored}”即“{unit.name}”。")

    def remove_alias(self) -> None:
        unit, item = self.current_unit(), self.alias_list.currentItem()
        if unit is None or item is None:
            return
        if ledger_app.remove_alias(self.controller.store, unit.id, item.text()):
            self._ok(f"已删除“{unit.name}”的别名“{item.text()}”。")
        self.refresh_aliases()

    # ---- state -----------------------------------------------------------------
    @property
    def group_id(self) -> int:
        return self.group_combo.currentData()

    def units(self):
        return list(self.controller.units(self.group_id))

    def current_unit(self):
        item = self.list.currentItem()
        if item is None:
            return None
        unit_id = item.data(Qt.ItemDataRole.UserRole)
        return next((u for u in self.units() if u.id == unit_id), None)

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def refresh(self, select_id: int | None = None) -> None:
        current = self.current_unit()
        keep = select_id if select_id is not None else (current.id if current else None)
        self.list.blockSignals(True)
        self.list.clear()
        for unit in self.units():
            item = QListWidgetItem(unit.name if unit.active else f"{unit.name}（已停用）")
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            if not unit.active:
                item.setForeground(_RETIRED)
            self.list.addItem(item)
            if unit.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._selection_changed()

    def select_unit(self, unit_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == unit_id:
                self.list.setCurrentRow(i)
                return

    def _selection_changed(self, *_args) -> None:
        unit = self.current_unit()
        has = unit is not None
        row = self.list.currentRow()
        self.rename_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)
        self.retire_button.setEnabled(has)
        self.retire_button.setText("启用单位(&X)" if has and not unit.active else "停用单位(&X)")
        if has and not self.name_edit.hasFocus():
            self.name_edit.setText(unit.name)
        self.refresh_aliases()

    def _problem(self, text: str, details: list, severe: bool) -> None:
        if self.isVisible():
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(text)

    def _ok(self, text: str) -> None:
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.setText(text)

    # ---- actions -----------------------------------------------------------------
    def add(self) -> None:
        name = self.name_edit.text()
        unit_id = self.controller.add_unit(self.group_id, name)
        if unit_id is not None:
            self.refresh(select_id=unit_id)
            self._ok(f"已新增“{self.current_unit().name}”。")
            self.name_edit.selectAll()  # the next name typed replaces this one

    def rename(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        if self.controller.rename_unit(unit.id, self.name_edit.text()):
            self.refresh(select_id=unit.id)
            self._ok(f"已更名为“{self.current_unit().name}”。")

    def move(self, delta: int) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        if self.controller.move_unit(unit.id, delta):
            self.refresh(select_id=unit.id)
            self._ok(f"已{'上移' if delta < 0 else '下移'}“{unit.name}”。")

    def toggle_active(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        if self.controller.set_unit_active(unit.id, not unit.active):
            self.refresh(select_id=unit.id)
            self._ok(f"已{'启用' if not unit.active else '停用'}“{unit.name}”。")
