"""The register tab (附件3): edited like a spreadsheet, saved at once, stale units highlighted and filterable."""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import replace
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.domain import DomainError
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.app import register as register_app
from shangnan_desktop.app.commands import Command, RegisterCommand
from shangnan_desktop.ui.clipboard import MAX_PASTE_CELLS, format_tsv, parse_tsv, trim_block
from shangnan_desktop.ui.commands import UndoStep
from shangnan_desktop.ui.register_model import (
    DATE_COLUMN,
    FIRST_FIELD,
    HEADERS,
    RegisterModel,
    RegisterRow,
    StaleFilterProxy,
    edited_entry,
)
from shangnan_desktop.ui.register_table import RegisterTable

logger = logging.getLogger(__name__)

MAX_AGE_RANGE = (1, 3650)


def _label(column: int) -> str:
    return HEADERS[column].replace("\n", "")


class RegisterTab(QWidget):
    """The register as a tab: ``RegisterTab(store, undo_stack, parent)``; every change is one undo step."""

    message = Signal(str)  # for the status bar
    changed = Signal()  # after any stored change

    def __init__(
        self,
        store,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        today: Callable[[], _dt.date] = _dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack
        self.today = today
        self.model = RegisterModel(today, self._edit_cell, self)
        self.proxy = StaleFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = RegisterTable(self)
        self.view.setModel(self.proxy)

        self.stale_only = QCheckBox("只看待更新")
        self.stale_only.setToolTip("只显示未登记或超过规定天数未确认的单位")
        self.stale_only.toggled.connect(self.set_stale_only)
        self.max_age = QSpinBox()
        self.max_age.setRange(*MAX_AGE_RANGE)
        self.max_age.setSuffix(" 天")
        self.max_age.setToolTip("登记信息超过这么多天未经单位确认，即标为待更新")
        self.max_age.valueChanged.connect(self.set_max_age)
        self.confirm_button = QPushButton("标记为今天已确认")
        self.confirm_button.setToolTip("选中单位的登记信息经核实无误：确认日期记为今天")
        self.confirm_button.clicked.connect(lambda: self.mark_confirmed())
        self.import_button = QPushButton("导入交回的表…")
        self.import_button.setToolTip("导入各单位交回的登记表或核对表（.xlsx），先预览再保存")
        self.import_button.clicked.connect(lambda: self.import_returned())
        self.export_button = QPushButton("导出登记表（内部）…")
        self.export_button.setToolTip("按登记表填写的附件3（Excel和PDF），每页标注“内部资料”，不得公开")
        self.export_button.clicked.connect(lambda: self.export_filled())
        self.forms_button = QPushButton("生成各单位核对表…")
        self.forms_button.setToolTip("每个单位一页预填的核对表（PDF）和每单位一个Excel，供核对、更正、盖章后交回")
        self.forms_button.clicked.connect(lambda: self.export_forms())

        bar = QHBoxLayout()
        bar.addWidget(self.stale_only)
        bar.addSpacing(12)
        bar.addWidget(QLabel("确认超过"))
        bar.addWidget(self.max_age)
        bar.addWidget(QLabel("视为待更新"))
        bar.addSpacing(12)
        bar.addWidget(self.confirm_button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.forms_button)
        self.status_label = QLabel()
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.status_label)
        self.reload()

    # ---- contents ------------------------------------------------------------
    def reload(self) -> None:
        """Read units and entries again (after units were added, renamed or retired elsewhere)."""
        rows = [RegisterRow(u.group, u.unit, u.entry) for u in register_app.register_units(self.store)]
        days = register_app.max_age_days(self.store)
        self.model.set_rows(rows, days)
        self.max_age.blockSignals(True)
        self.max_age.setValue(days)
        self.max_age.blockSignals(False)
        self.proxy.refilter()
        self._fit_columns()
        self._update_status()

    def _fit_columns(self) -> None:
        if not self.isVisible():  # a tab not shown yet: measured when first shown (start-up time)
            self._fit_pending = True
            self._set_first_current()
            return
        self._fit_pending = False
        self.view.resizeColumnsToContents()
        metrics = self.view.fontMetrics()
        minimum = {FIRST_FIELD + 2: "0914-6322055", FIRST_FIELD + 5: "0914-6322055", DATE_COLUMN: "2021-07-20"}
        for column, sample in minimum.items():
            self.view.setColumnWidth(column, max(self.view.columnWidth(column), metrics.horizontalAdvance(sample) + 24))
        for column in range(FIRST_FIELD, DATE_COLUMN):
            self.view.setColumnWidth(column, min(max(self.view.columnWidth(column), 80), 260))
        self._natural = [self.view.columnWidth(c) for c in range(self.model.columnCount())]
        self.spread_width()
        self._set_first_current()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if getattr(self, "_fit_pending", False):
            self._fit_columns()

    def _set_first_current(self) -> None:
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.proxy.index(0, FIRST_FIELD), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def spread_width(self) -> None:
        """Spare width goes to the register columns, in proportion to their natural widths."""
        natural = getattr(self, "_natural", None)
        if not natural:
            return
        self.view.spread_columns(natural, FIRST_FIELD)

    def _update_status(self) -> None:
        total, missing, stale = self.model.counts()
        shown = f"，当前显示{self.proxy.rowCount()}个" if self.proxy.stale_only else ""
        self.status_label.setText(
            f"共{total}个单位：未登记{missing}个，超过{self.model.max_age}天未确认{stale}个{shown}。"
            "未登记的单位名称标红，待更新的标黄。"
        )

    def set_stale_only(self, on: bool) -> None:
        self.view.commit_pending()
        if self.stale_only.isChecked() != on:
            self.stale_only.setChecked(on)  # re-enters through toggled
            return
        self.proxy.set_stale_only(on)
        self._update_status()

    def set_max_age(self, days: int) -> None:
        days = max(MAX_AGE_RANGE[0], min(MAX_AGE_RANGE[1], int(days)))
        try:
            register_app.set_max_age_days(self.store, days)
        except DomainError as exc:
            self.report(str(exc))
            return
        if self.max_age.value() != days:
            self.max_age.setValue(days)
        self.model.set_max_age(days)
        self.proxy.refilter()
        self._update_status()

    def stale_units(self) -> list[str]:
        return [self.model.unit(r).name for r in range(self.model.rowCount()) if self.model.is_stale(r)]

    # ---- messages ------------------------------------------------------------
    def report(self, text: str, problems: list[str] | None = None) -> None:
        """A refusal: shown under the table (with the list of bad cells) and sent to the status bar."""
        details = "\n".join(problems or [])
        self.problem_label.setText(text + (("\n" + details) if details else ""))
        self.problem_label.show()
        self.message.emit(text)

    def _clear_problem(self) -> None:
        self.problem_label.clear()
        self.problem_label.hide()

    def explain_read_only(self) -> None:
        self.message.emit("分组和单位名称请在“单位”菜单的“管理单位”中修改。")

    # ---- storing -------------------------------------------------------------
    def _source_row(self, view_row: int) -> int:
        return self.proxy.mapToSource(self.proxy.index(view_row, 0)).row()

    def apply(self, after: dict[int, RegisterEntry], text: str, *, action: str = "修改登记表") -> bool:
        """Store new entries in one transaction and push one undo step; nothing is stored on error."""
        try:
            command = register_app.edit_entries(self.store, after, text, action=action)
        except DomainError as exc:
            self.report(str(exc))
            return False
        if command is not None:
            self._push(command)
        return True

    def _push(self, command: RegisterCommand) -> None:
        """Show a change a use case made and keep it as one undo step."""
        self._show_entries(command.units)
        self.undo_stack.push(
            UndoStep(
                command,
                shown=self._replayed,
                report=lambda exc, prefix: self.report(prefix + str(exc)),
                message=self.message.emit,
            )
        )
        self._after_change(command.text)

    def _show_entries(self, unit_ids) -> None:
        for uid in unit_ids:
            self.model.set_entry(uid, register_app.entry(self.store, uid))

    def _replayed(self, command: Command, undoing: bool) -> None:
        """After an undo or redo: show the entries as stored now."""
        if isinstance(command, RegisterCommand):
            self._show_entries(command.units)
        self._after_change(None)

    def _after_change(self, text: str | None) -> None:
        self._clear_problem()
        self._update_status()
        if text:
            self.message.emit(f"已保存：{text}")
        self.changed.emit()

    def _edit_cell(self, row: int, column: int, value) -> bool:
        unit = self.model.unit(row)
        try:
            entry = edited_entry(unit.id, self.model.entry(row), {column: value}, self.today())
        except DomainError as exc:
            self.report(f"{unit.name}:{exc}")
            return False
        return self.apply({unit.id: entry}, f"修改{unit.name}的{_label(column)}")

    def _edit_cells(self, cells: dict[tuple[int, int], object], text: str) -> bool:
        """Several (view row, column) cells as one step, all or nothing, every problem listed."""
        by_row: dict[int, dict[int, object]] = {}
        for (r, c), value in cells.items():
            if c >= FIRST_FIELD:
                by_row.setdefault(self._source_row(r), {})[c] = value
        if not by_row:
            self.report("选中的单元格中没有可修改的登记信息（分组和单位名称不能在此修改）。")
            return False
        problems, after = [], {}
        for row, values in sorted(by_row.items()):
            unit = self.model.unit(row)
            try:
                after[unit.id] = edited_entry(unit.id, self.model.entry(row), values, self.today())
            except DomainError as exc:
                problems.append(f"{unit.name}:{exc}")
        if problems:
            self.report(f"{text}未完成：{len(problems)}处内容有误，没有保存任何数据。", problems)
            return False
        return self.apply(after, text)

    # ---- clipboard and commands -------------------------------------------------
    def copy(self) -> None:
        cells = self.view.selected_cells()
        if not cells:
            return
        rows = range(min(r for r, _ in cells), max(r for r, _ in cells) + 1)
        columns = range(min(c for _, c in cells), max(c for _, c in cells) + 1)
        chosen = set(cells)
        lines = [[self.proxy.index(r, c).data() if (r, c) in chosen else "" for c in columns] for r in rows]
        QGuiApplication.clipboard().setText(format_tsv(lines))
        self.message.emit(f"已复制{len(cells)}个单元格，可直接粘贴到Excel或WPS表格。")

    def paste(self, text: str | None = None) -> bool:
        """A TSV block from Excel/WPS at the current cell, or one value into every selected cell."""
        self.view.commit_pending()
        if text is None:
            text = QGuiApplication.clipboard().text()
        index = self.view.currentIndex()
        if not index.isValid():
            self.report("请先点选要粘贴到的起始单元格。")
            return False
        if index.column() < FIRST_FIELD:
            self.report("只能粘贴到登记信息各列：请先点选“分管领导姓名”等列中要开始粘贴的单元格。")
            return False
        block = trim_block(parse_tsv(text), [_label(c) for c in range(index.column(), DATE_COLUMN + 1)])
        if not block:
            self.report("剪贴板中没有可粘贴的数据。")
            return False
        if sum(len(r) for r in block) > MAX_PASTE_CELLS:
            self.report("剪贴板中的数据太多，请只复制需要的几列。")
            return False
        selected = self.view.selected_cells()
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            return self._edit_cells({cell: block[0][0] for cell in selected}, f"填充{len(selected)}个单元格")
        width = max(len(r) for r in block)
        if index.column() + width - 1 > DATE_COLUMN:
            free = DATE_COLUMN - index.column() + 1
            self.report(f"粘贴的数据有{width}列，但从当前列起只有{free}列可以填写，请核对起始单元格。")
            return False
        if index.row() + len(block) > self.proxy.rowCount():
            free = self.proxy.rowCount() - index.row()
            self.report(f"粘贴的数据有{len(block)}行，但从当前行起只有{free}行，请核对起始单元格。")
            return False
        cells = {
            (index.row() + r, index.column() + c): value
            for r, line in enumerate(block)
            for c, value in enumerate(line)
        }
        ok = self._edit_cells(cells, f"粘贴{len(block)}行×{width}列")
        if ok:
            top_left = self.proxy.index(index.row(), index.column())
            bottom_right = self.proxy.index(index.row() + len(block) - 1, index.column() + width - 1)
            self.view.selectionModel().select(
                QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        return ok

    def clear_selection(self) -> bool:
        cells = {cell: "" for cell in self.view.selected_cells() if cell[1] >= FIRST_FIELD}
        if not cells:
            self.explain_read_only()
            return False
        return self._edit_cells(cells, f"清除{len(cells)}个单元格")

    def mark_confirmed(self, view_rows: list[int] | None = None) -> bool:
        """The chosen units' entries were checked today: a new confirmation date, data unchanged."""
        self.view.commit_pending()
        if view_rows is None:
            view_rows = sorted({r for r, _ in self.view.selected_cells()})
        today = self.today()
        after, missing = {}, []
        for view_row in view_rows:
            row = self._source_row(view_row)
            entry, unit = self.model.entry(row), self.model.unit(row)
            if entry is None or entry.is_blank:
                missing.append(unit.name)
            elif entry.confirmed_on != today:
                after[unit.id] = replace(entry, confirmed_on=today, valid_from="", valid_to=None)
        if missing:
            self.report(f"{'、'.join(missing)}尚未登记，不能标记为已确认，请先填写登记信息。")
            return False
        if not after:
            self.message.emit("所选单位今天已确认过。" if view_rows else "请先选中要确认的单位。")
            return False
        names = "、".join(self.model.unit(self.model.row_of(u)).name for u in after)
        ok = self.apply(after, f"确认{names}的登记信息" if len(after) <= 3 else f"确认{len(after)}个单位的登记信息")
        if ok:
            self.proxy.refilter()
            self._update_status()
        return ok

    # ---- files ------------------------------------------------------------------
    def import_returned(self, path: str | Path | None = None) -> int | None:
        """Preview a returned .xlsx, ask, store it as one undo step; the number of units stored, or None."""
        from PySide6.QtWidgets import QDialog, QMessageBox

        from shangnan_desktop.app import imports as import_app  # lazy: the workbook readers are not wanted at start-up
        from shangnan_desktop.ui.register_import_dialog import RegisterImportDialog  # lazy: only when importing

        self.view.commit_pending()
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择交回的登记表或核对表", "", "Excel 工作簿 (*.xlsx)")
            if not path:
                return None
        try:
            preview = import_app.preview_register_import(self.store, path, confirmed_on=self.today())
        except DomainError as exc:
            QMessageBox.warning(self, "无法导入", str(exc))
            return None
        dialog = RegisterImportDialog(preview, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.apply_import(preview)

    def apply_import(self, preview) -> int | None:
        """Store a confirmed preview (as one undo step), unless the register changed since."""
        from shangnan_desktop.app import imports as import_app  # lazy: the workbook readers are not wanted at start-up

        try:
            command = import_app.import_register(self.store, preview)
        except DomainError as exc:  # the register changed since the preview, or the disk refused
            self.report(str(exc))
            return None
        if command is not None:
            self._push(command)
        self.proxy.refilter()
        self._update_status()
        return len(preview.to_store)

    def _choose_folder(self, title: str) -> str | None:
        folder = QFileDialog.getExistingDirectory(self, title)
        return folder or None

    def export_filled(self, folder: str | Path | None = None) -> list:
        """附件3 filled from the register (internal) into ``folder``, as .xlsx and PDF."""
        folder = folder or self._choose_folder("导出登记表（内部资料）到文件夹")
        if not folder:
            return []
        return self._export(lambda: register_app.export_filled(self.store, None, ("xlsx", "pdf"), Path(folder), today=self.today()))

    def export_forms(self, folder: str | Path | None = None, *, stale_only: bool | None = None) -> list:
        """Per-unit forms into ``folder`` (only the shown units' if 只看待更新 is on)."""
        folder = folder or self._choose_folder("各单位核对表保存到文件夹")
        if not folder:
            return []
        stale = self.proxy.stale_only if stale_only is None else stale_only
        target = Path(folder) / register_app.FORMS_NAME
        return self._export(
            lambda: register_app.export_unit_forms(
                self.store, None, ("pdf", "xlsx"), target, stale_only=stale, today=self.today()
            )
        )

    def _export(self, run) -> list:
        try:
            files = run()
        except DomainError as exc:
            self.report(str(exc))
            return []
        folder = files[0].path.parent if files else ""
        self.message.emit(f"已导出{len(files)}个文件到“{folder}”（内部资料，请勿公开）。")
        return files
