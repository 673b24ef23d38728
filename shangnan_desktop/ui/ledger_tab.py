"""The 台账 view: a period's items (filter by unit, status and text; sortable), added and edited by hand,
imported from an article list through a column-mapping step and an unknown-name step."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.ledger import STATUSES, LedgerItem, format_date

logger = logging.getLogger(__name__)

HEADERS = ["单位", "标题", "报送日期", "状态", "发布日期", "栏目", "备注", "计入"]
ALL = "全部"
ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 1
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
# Qt's syntax: patterns in ASCII brackets, filters separated by ASCII “;;” (full-width ones hide every file)
FILE_FILTER = "文章列表 (*.xlsx *.xls *.csv);;所有文件 (*)"  # punct-ok


class _Filter(QSortFilterProxyModel):
    """Rows of one unit, one status, containing a text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.unit = ALL
        self.status = ALL
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set(self, unit: str, status: str, text: str) -> None:
        if hasattr(self, "endFilterChange"):  # Qt ≥ 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.unit, self.status, self.text = unit, status, text.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.unit, self.status, self.text = unit, status, text.strip()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt name
        model = self.sourceModel()
        cell = lambda c: model.index(row, c, parent).data() or ""  # noqa: E731
        if self.unit != ALL and cell(0) != self.unit:
            return False
        if self.status != ALL and cell(3) != self.status:
            return False
        return not self.text or any(self.text in cell(c) for c in (1, 5, 6))


class ItemDialog(QDialog):
    """One item typed by hand (新增 or 修改). 确定 keeps the dialog open, with the reason beside the buttons,
    until what is typed makes a valid item: nothing typed is lost to a refusal."""

    def __init__(self, units: list[tuple[int, str]], item: LedgerItem | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改台账信息" if item else "新增台账信息")
        self.units = units
        self.original = item
        self.result_item: LedgerItem | None = None
        form = QFormLayout(self)
        self.unit = QComboBox()
        for unit_id, name in units:
            self.unit.addItem(name, unit_id)
        self.title = QLineEdit()
        self.title.setMinimumWidth(360)
        self.submitted = self._date()
        self.status = QComboBox()
        self.status.addItems(STATUSES)
        self.published = self._date()
        self.column = QLineEdit()
        self.note = QLineEdit()
        self.keep = QCheckBox("重复或不在本期也计入")
        for label, widget in (("单位：", self.unit), ("标题：", self.title), ("报送日期：", self.submitted),
                              ("状态：", self.status), ("发布日期：", self.published), ("栏目：", self.column),
                              ("备注：", self.note), ("", self.keep)):
            form.addRow(label, widget)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if item is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(item.unit_id)))
            self.title.setText(item.title)
            self.submitted.setText(format_date(item.submitted_on))
            self.status.setCurrentText(item.status)
            self.published.setText(format_date(item.published_on))
            self.column.setText(item.column)
            self.note.setText(item.note)
            self.keep.setChecked(item.keep)

    @staticmethod
    def _date() -> QLineEdit:
        """A date typed as the article lists write it (2021-04-03, 2021/4/3, 2021年4月3日); blank is none."""
        edit = QLineEdit()
        edit.setPlaceholderText("如2021-04-03，可不填")
        edit.setMaxLength(30)
        return edit

    def item(self) -> LedgerItem:
        """The typed item (``DomainError`` with a Chinese message if something is wrong)."""
        old = self.original
        return LedgerItem.create(
            self.unit.currentData(), self.title.text(),
            ledger_app.parse_date(self.submitted.text(), label="报送日期"), self.status.currentText(),
            ledger_app.parse_date(self.published.text(), label="发布日期"), self.column.text(), self.note.text(),
            source_row=old.source_row if old else None, keep=self.keep.isChecked(), id=old.id if old else None,
        )

    def accept(self) -> None:
        if self.unit.currentData() is None:
            return self._refuse("请选择单位。", self.unit)
        try:
            self.result_item = self.item()
        except DomainError as exc:
            text = str(exc)
            field = (self.submitted if "报送日期" in text else self.published if "发布日期" in text
                     else self.title if "标题" in text else None)
            return self._refuse(text, field)
        super().accept()

    def _refuse(self, text: str, field: QWidget | None) -> None:
        self.error.setText(text)
        self.error.show()
        if field is not None:
            field.setFocus()
            if isinstance(field, QLineEdit):
                field.selectAll()


class ImportDialog(QDialog):
    """Import an article list: 1 the column mapping (guessed, remembered per source), 2 unknown names
    (closest units offered; the choice is remembered as an alias), 3 the preview."""

    def __init__(self, store, period: Period, path: str | Path, parent=None) -> None:
        super().__init__(parent)
        self.store, self.period, self.path = store, period, Path(path)
        self.setWindowTitle(f"导入文章列表：{self.path.name}")
        self.resize(760, 520)
        self.guess = ledger_app.guess_columns(store, path)  # raises DomainError if unusable
        self.preview = None
        layout = QVBoxLayout(self)
        self.steps = QStackedWidget()
        layout.addWidget(self.steps, 1)
        # step 1: the mapping
        page = QWidget()
        box = QVBoxLayout(page)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        box.addWidget(self.mapping_note)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(["文件中的列", "导入为", "第一行的内容"])
        self.mapping.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        box.addWidget(self.mapping, 1)
        self.steps.addWidget(page)
        # step 2: unknown names
        page = QWidget()
        box = QVBoxLayout(page)
        label = QLabel("以下名称与单位名单和别名都对不上。请选择对应的单位（选择会记为该单位的别名，下次自动匹配），"
                       "或选择“跳过”不导入这些信息。")
        label.setWordWrap(True)
        box.addWidget(label)
        self.names = QTableWidget(0, 3)
        self.names.setHorizontalHeaderLabels(["文件中的名称", "条数", "对应的单位"])
        self.names.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.names.verticalHeader().hide()
        box.addWidget(self.names, 1)
        self.steps.addWidget(page)
        # step 3: the preview
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.steps.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.back = QPushButton("上一步")
        self.next = QPushButton("下一步")
        self.cancel = QPushButton("取消")
        for b in (self.back, self.next, self.cancel):
            b.setAutoDefault(False)
            row.addWidget(b)
        layout.addLayout(row)
        self.next.setDefault(True)  # Enter anywhere in the steps (the mapping table too) goes on; in the dialog now
        self.back.clicked.connect(lambda: self._go(self.steps.currentIndex() - 1))
        self.next.clicked.connect(self._next)
        self.cancel.clicked.connect(self.reject)
        self._fill_mapping()
        self._go(0)

    def _fill_mapping(self) -> None:
        g = self.guess
        self.mapping_note.setText(
            ("列对应沿用上次对同样表头的选择。" if g.remembered else "列对应按表头名称猜测。")
            + "请核对每一列导入为哪个字段（标题、单位、状态和一个日期必须有），不需要的列选“不导入”。"
            "选择会按表头记住，下次导入同样的文章列表时沿用。"
        )
        choice = ledger_app.MappingChoice()
        self.mapping.setRowCount(len(g.headers))
        for r, header in enumerate(g.headers):
            self.mapping.setItem(r, 0, QStandardItem_(header))
            combo = QComboBox()
            combo.addItems([choice.ignore, *choice.fields])
            combo.setCurrentText(g.fields.get(r, choice.ignore))
            self.mapping.setCellWidget(r, 1, combo)
            self.mapping.setItem(r, 2, QStandardItem_(g.sample[r] if r < len(g.sample) else ""))
        self.mapping.resizeColumnsToContents()

    def chosen_mapping(self) -> dict[str, str]:
        out = {}
        for r in range(self.mapping.rowCount()):
            header = self.mapping.item(r, 0).text()
            if header:
                out[header] = self.mapping.cellWidget(r, 1).currentText()
        return out

    def _fill_names(self) -> None:
        unknown = self.preview.unknown()
        self.names.setRowCount(len(unknown))
        units = ledger_app.unit_names(self.store)
        for r, u in enumerate(unknown):
            self.names.setItem(r, 0, QStandardItem_(u.name))
            self.names.setItem(r, 1, QStandardItem_(str(len(u.rows))))
            combo = QComboBox()
            combo.addItem("跳过（不导入）", None)
            for c in u.candidates:
                combo.addItem(c.name, c.unit_id)
            combo.insertSeparator(combo.count())
            for unit_id, name in units.items():
                if unit_id not in {c.unit_id for c in u.candidates}:
                    combo.addItem(name, unit_id)
            if u.candidates:
                combo.setCurrentIndex(1)  # the closest unit, for the clerk to confirm
            self.names.setCellWidget(r, 2, combo)
        self.names.resizeColumnsToContents()

    def _next(self) -> None:
        step = self.steps.currentIndex()
        try:
            if step == 0:
                problem = ledger_app.MappingChoice().problem(self.chosen_mapping())
                if problem:
                    QMessageBox.warning(self, "列对应不完整", problem)
                    return None
                self.preview = ledger_app.preview_ledger(self.store, self.period, self.path,
                                                         mapping=self.chosen_mapping())
                if self.preview.unknown():
                    self._fill_names()
                    return self._go(1)
                return self._go(2)
            if step == 1:
                for r, u in enumerate(self.preview.unknown()):
                    self.preview.choose(u.name, self.names.cellWidget(r, 2).currentData())
                return self._go(2)
        except DomainError as exc:
            QMessageBox.warning(self, "无法导入", str(exc))
            return None
        self.accept()

    def _go(self, step: int) -> None:
        if step == 1 and (self.preview is None or not self.preview.unknown()):
            step = 0
        self.steps.setCurrentIndex(step)
        self.back.setEnabled(step > 0)
        if step == 2:
            self.text.setPlainText(self.preview.as_text())
            self.next.setText("导入")
            self.next.setEnabled(self.preview.can_apply)
        else:
            self.next.setText("下一步")
            self.next.setEnabled(True)


def QStandardItem_(text: str):  # noqa: N802 - a read-only table cell
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class LedgerView(QTableView):
    """The items: Enter opens the selected one, Delete deletes it. Copy, paste and Delete belong to this table
    while it has focus, never to the count tables on the other tab (the window's 复制/粘贴/清零 act there)."""

    openRequested = Signal()
    deleteRequested = Signal()

    def event(self, event) -> bool:  # noqa: A003 - Qt override
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            or event.matches(QKeySequence.StandardKey.Copy) or event.matches(QKeySequence.StandardKey.Paste)
            or event.matches(QKeySequence.StandardKey.Cut)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.deleteRequested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.openRequested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Paste) or event.matches(QKeySequence.StandardKey.Cut):
            return  # items are typed in 新增… or imported, not pasted
        super().keyPressEvent(event)


class LedgerTab(QWidget):
    """The shown period's ledger."""

    message = Signal(str)

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = controller.store
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.unit = QComboBox()
        self.unit.setMinimumContentsLength(10)
        self.status = QComboBox()
        self.status.addItems([ALL, *STATUSES])
        self.search = QLineEdit()
        self.search.setPlaceholderText("按标题、栏目或备注查找")
        self.search.setClearButtonEnabled(True)
        for label, widget in (("单位：", self.unit), ("状态：", self.status), ("查找：", self.search)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        self.add_button = QPushButton("新增…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.import_button = QPushButton("导入文章列表…")
        self.recount_button = QPushButton("重新统计")
        for b in (self.add_button, self.edit_button, self.delete_button, self.import_button, self.recount_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(HEADERS)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.view = LedgerView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        layout.addWidget(self.view, 1)
        self.unit.currentIndexChanged.connect(self._filter)
        self.status.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self._filter)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.openRequested.connect(lambda: self.edit_selected())
        self.view.deleteRequested.connect(lambda: self.delete_selected())
        self.add_button.clicked.connect(lambda: self.add_item())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.import_button.clicked.connect(lambda: self.import_file())
        self.recount_button.clicked.connect(lambda: self.recount())
        controller.sheetLoaded.connect(self.reload)
        controller.lockChanged.connect(self._lock_changed)  # 定稿 while the tab is open
        controller.ledgerRequested.connect(self.show_unit)

    # ---- contents ------------------------------------------------------------
    @property
    def period(self) -> Period | None:
        return self.controller.period

    def reload(self) -> None:
        period = self.period
        self.model.removeRows(0, self.model.rowCount())
        if period is None:
            return
        rows = ledger_app.ledger_rows(self.store, period)
        for r in rows:
            item = r.item
            values = [r.unit, item.title, format_date(item.submitted_on), item.status,
                      format_date(item.published_on), item.column, item.note,
                      "是" if r.counted else f"否（{r.reason}）"]
            cells = []
            for c, text in enumerate(values):
                cell = QStandardItem(text)
                cell.setData(item, ITEM_ROLE)
                cell.setData(text, SORT_ROLE)
                cells.append(cell)
            self.model.appendRow(cells)
        current = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(ALL)
        self.unit.addItems(list(dict.fromkeys(r.unit for r in rows)))
        self.unit.setCurrentText(current if self.unit.findText(current) >= 0 else ALL)
        self.unit.blockSignals(False)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._filter()
        derived = ledger_app.sources(self.store, period).derived
        counted = sum(1 for r in rows if r.counted)
        self.summary.setText(
            f"{period.label}台账：{len(rows)}条信息，计入{counted}条；{len(derived)}个单位的条数按台账统计。"
        )
        self._lock_changed()

    def _lock_changed(self, _locked: bool = False) -> None:
        """The buttons that change the ledger, disabled in a locked quarter or a read-only copy."""
        sheet = self.controller.sheet
        locked = sheet is None or sheet.locked or self.controller.readonly
        for b in (self.add_button, self.edit_button, self.delete_button, self.import_button, self.recount_button):
            b.setEnabled(not locked)

    def _filter(self) -> None:
        self.proxy.set(self.unit.currentText() or ALL, self.status.currentText(), self.search.text())

    def show_unit(self, unit_id: int) -> None:
        """查看台账: only this unit's items (the tab is brought forward by the window)."""
        name = ledger_app.unit_names(self.store).get(unit_id, "")
        if self.unit.findText(name) < 0:
            self.unit.addItem(name)
        self.unit.setCurrentText(name)

    def selected_item(self) -> LedgerItem | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(ITEM_ROLE) if rows else None

    # ---- actions ---------------------------------------------------------------
    def _run(self, make_step) -> bool:
        if self.period is None or self.controller.refuse_if_locked():
            return False
        try:
            step = make_step()
        except DomainError as exc:
            self.controller.report(exc)
            return False
        self.controller.push_ledger(step)
        return True

    def _units(self) -> list[tuple[int, str]]:
        sheet = self.controller.sheet
        return [(r.unit_id, r.name) for g in sheet.groups for r in g.rows] if sheet else []

    def add_item(self, item: LedgerItem | None = None) -> bool:
        if item is None:
            if self.period is None or self.controller.refuse_if_locked():
                return False  # told before anything is typed, not after
            dialog = ItemDialog(self._units(), None, self)
            self.dialog = dialog
            if self.unit.currentText() not in ("", ALL):
                dialog.unit.setCurrentText(self.unit.currentText())
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_item is None:
                return False
            item = dialog.result_item
        return self._run(lambda: ledger_app.add_item(self.store, self.period, item))

    def edit_selected(self, item: LedgerItem | None = None) -> bool:
        if item is None:
            old = self.selected_item()
            if old is None:
                return False
            if self.period is None or self.controller.refuse_if_locked():
                return False  # told before anything is typed, not after
            dialog = ItemDialog(self._units(), old, self)
            self.dialog = dialog
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_item is None:
                return False
            item = dialog.result_item
        return self._run(lambda: ledger_app.edit_item(self.store, self.period, item))

    def delete_selected(self) -> bool:
        item = self.selected_item()
        if item is None:
            return False
        return self._run(lambda: ledger_app.delete_item(self.store, self.period, item.id))

    def recount(self) -> None:
        if self.period is None or self.controller.refuse_if_locked():
            return
        try:
            changed = ledger_app.recount(self.store, self.period)
        except DomainError as exc:
            self.controller.report(exc)
            return
        self.controller.reload()
        self.message.emit(f"已重新统计：{len(changed)}个单位的条数有变化。")

    def import_file(self, path: str | Path | None = None, *, dialog_hook=None) -> bool:
        """Choose a file, walk the clerk through mapping and names, store it (backup first) as one undo step."""
        if self.period is None or self.controller.refuse_if_locked():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "导入文章列表", "", FILE_FILTER)
            if not path:
                return False
        try:
            dialog = ImportDialog(self.store, self.period, path, self)
        except DomainError as exc:
            self.controller.report(exc)
            return False
        if dialog_hook is not None:
            dialog_hook(dialog)
        elif dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        preview = dialog.preview
        if preview is None or dialog.steps.currentIndex() != 2:
            return False  # left before the preview (取消 or closed midway): nothing to store
        return self._run(lambda: ledger_app.apply_ledger_import(self.store, preview))
