"""A table view that edits like Excel/WPS: type to replace, Enter down, Tab right, block copy and paste."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QToolTip, QWidget

from shangnan_desktop.domain.ledger import DERIVED, TYPED
from shangnan_desktop.ui.clipboard import TargetRow, format_tsv, parse_tsv, plan_paste, trim_block
from shangnan_desktop.ui.models import GroupTableModel, RankOrderProxy
from shangnan_desktop.ui.spreadsheet import SpreadsheetDelegate, SpreadsheetTableView

logger = logging.getLogger(__name__)
# Colours an unselected, non-current cell is drawn with (its own background comes from the model).
_CELL_COLOURS = (
    QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Text,
    QPalette.ColorRole.Window, QPalette.ColorRole.WindowText, QPalette.ColorRole.Mid,
)


class CountDelegate(SpreadsheetDelegate):
    """A plain line editor (no validator: bad input gets a message, not silence); Enter/Tab move on."""

    max_length = 40
    alignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SheetView(SpreadsheetTableView):
    """One group's table. Clipboard and clearing go through the controller as one undo step each."""

    delegate_class = CountDelegate
    problem = Signal(str, list)  # a refused paste: message and the list of bad cells

    def __init__(self, model: GroupTableModel, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.controller = controller
        self.proxy = RankOrderProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setAlternatingRowColors(False)
        self.setCornerButtonEnabled(True)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.horizontalHeader().setHighlightSections(True)
        self._natural: dict[int, int] = {}  # natural width per number column
        self._name_width = 120
        model.modelReset.connect(self._after_reset)

    # ---- layout ------------------------------------------------------------
    def _after_reset(self) -> None:
        self.fit_columns()
        if not self.currentIndex().isValid() and self.proxy.rowCount() and self.source.metric_count:
            # the cursor on the first count, nothing selected (no blue block in the table not in use)
            self.selectionModel().setCurrentIndex(
                self.proxy.index(0, 1), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def fit_columns(self) -> None:
        """Natural widths from the content (every unit name whole, numbers roomy); spare width is shared."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        if not self.source.columnCount():
            return
        metrics = self.fontMetrics()
        self._natural = {}
        names = [self.source.text(r, 0) for r in range(self.source.rowCount())]
        header_font = header.fontMetrics()
        self._name_width = max(
            [metrics.horizontalAdvance(n) for n in names] + [header_font.horizontalAdvance("单位名称")]
        ) + 24
        for column in range(1, self.source.columnCount()):
            label = str(self.source.headerData(column, Qt.Orientation.Horizontal))
            width = max(header_font.horizontalAdvance(label), metrics.horizontalAdvance("00000")) + 28
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self._natural[column] = width
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self._spread_width()

    def _spread_width(self) -> None:
        """Share spare width among all columns in proportion to their natural widths."""
        count = self.source.columnCount()
        if not count:
            return
        base = [self._name_width] + [
            self._natural.get(c, self.columnWidth(c)) for c in range(1, count)
        ]
        self.spread_columns(base)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._spread_width()

    # ---- focus: repaint what looks different, not the whole table (issue 18) ----------------
    # Qt repaints the whole viewport whenever the view gains or loses focus, so committing an
    # edit (focus back from the editor) repainted every visible cell. With focus only the
    # selection and the current cell look different, unless the palette's inactive colours
    # differ for ordinary cells: then the whole table is repainted as Qt does.
    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt name
        self._without_full_repaint(super().focusInEvent, event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt name
        self._without_full_repaint(super().focusOutEvent, event)

    def _without_full_repaint(self, handler, event) -> None:
        viewport = self.viewport()
        if not viewport.updatesEnabled() or not self._cells_look_the_same_without_focus():
            handler(event)
            return
        viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, True)
        try:
            handler(event)
        finally:
            viewport.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)
        selection = self.selectionModel()
        region = self.visualRegionForSelection(selection.selection()) if selection is not None else QRegion()
        current = self.currentIndex()
        if current.isValid():
            region = region.united(self.visualRect(current))
        if not region.isEmpty():
            viewport.update(region)

    def _cells_look_the_same_without_focus(self) -> bool:
        palette = self.palette()
        return all(
            palette.color(QPalette.ColorGroup.Active, role) == palette.color(QPalette.ColorGroup.Inactive, role)
            for role in _CELL_COLOURS
        )

    def set_rank_order(self, on: bool) -> None:
        """Rank order or unit order; the current cell and the selection stay on the same units."""
        self.proxy.set_rank_order(on)
        self.scrollTo(self.currentIndex())

    def resort(self) -> None:
        self.proxy.resort()
        self.scrollTo(self.currentIndex())

    # ---- navigation --------------------------------------------------------
    def editable_span(self) -> tuple[int, int]:
        """The count columns."""
        return 1, max(1, self.source.metric_count)

    def refuse_edit(self, index: QModelIndex) -> bool:
        if not index.isValid():
            return True
        if not self.source.is_count_column(index.column()):
            self._explain_read_only(index.column())
            return True
        return self.controller.refuse_if_locked()

    def edit(self, index, trigger=None, event=None) -> bool:  # noqa: D401 - Qt override
        if trigger is None:
            return super().edit(index)
        explicit = trigger in (QAbstractItemView.EditTrigger.DoubleClicked, QAbstractItemView.EditTrigger.EditKeyPressed)
        if explicit and index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            if not self.source.is_count_column(index.column()):
                self._explain_read_only(index.column())
            elif self.source.locked:
                self.controller.refuse_if_locked()
        return super().edit(index, trigger, event)

    def _explain_read_only(self, column: int) -> None:
        if column == 0:
            text = "单位名称请在“单位”菜单的“管理单位”中修改。"
        else:
            text = "得分和排名根据报送和采用条数自动计算，不能直接修改。"
        self.controller.message.emit(text)

    def show_message_at_current(self, text: str) -> None:
        index = self.currentIndex()
        if index.isValid() and self.isVisible():
            rect = self.visualRect(index)
            QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), text, self.viewport(), rect, 6000)

    # ---- selection helpers ---------------------------------------------------
    def _target(self, view_row: int) -> TargetRow:
        row = self.proxy.mapToSource(self.proxy.index(view_row, 0)).row()
        sheet_row = self.source.sheet.rows[row]
        return TargetRow(sheet_row.unit_id, sheet_row.name, sheet_row.counts)

    # ---- clipboard -----------------------------------------------------------
    def selection_tsv(self) -> str:
        cells = self.selected_cells()
        if not cells:
            return ""
        rows = sorted({r for r, _ in cells})
        columns = sorted({c for _, c in cells})
        chosen = set(cells)
        lines = []
        for r in range(rows[0], rows[-1] + 1):
            line = []
            for c in range(columns[0], columns[-1] + 1):
                line.append(str(self.proxy.index(r, c).data()) if (r, c) in chosen else "")
            lines.append(line)
        return format_tsv(lines)

    def copy(self) -> None:
        text = self.selection_tsv()
        if text:
            QGuiApplication.clipboard().setText(text)
            count = len(self.selected_cells())
            self.controller.message.emit(f"已复制{count}个单元格，可直接粘贴到Excel或WPS表格。")

    def paste(self, text: str | None = None) -> bool:
        """Paste a TSV block at the current cell (or fill the selection with one value): all or nothing."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        if self.source.sheet is None:
            return False
        if self.controller.refuse_if_locked():
            return False
        index = self.currentIndex()
        if not index.isValid():
            self.problem.emit("请先点选要粘贴到的起始单元格。", [])
            return False
        labels = self.source.headers()
        block = trim_block(parse_tsv(text), labels[index.column():])
        if not block:
            self.problem.emit("剪贴板中没有可粘贴的数据。", [])
            return False
        if len(block) == 1 and len(block[0]) == 1 and len(self.selected_cells()) > 1:
            return self._fill_selection(block[0][0])
        rule = self.source.rule
        targets = [self._target(r) for r in range(index.row(), self.proxy.rowCount())]
        plan = plan_paste(rule, targets, index.column() - 1, block)
        if not plan.ok:
            self.problem.emit(f"粘贴未完成：{len(plan.problems)}处数据有误，没有保存任何数据。", plan.problems)
            return False
        rows, columns = len(block), max(len(r) for r in block)
        ok = self.controller.edit_counts(plan.changes, f"粘贴{rows}行×{columns}列", action="粘贴")
        if ok:
            self.selectionModel().clearSelection()
            top_left = self.proxy.index(index.row(), index.column())
            bottom_right = self.proxy.index(index.row() + rows - 1, index.column() + columns - 1)
            self.selectionModel().select(
                QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.Select
            )
        return ok

    def _set_cells(self, values: dict[tuple[int, int], object], text: str, action: str) -> bool:
        """Write several (view row, column) cells as one step, checking each like a paste."""
        by_row: dict[int, dict[int, object]] = {}
        for (r, c), v in values.items():
            if self.source.is_count_column(c):
                by_row.setdefault(r, {})[c - 1] = v
        if not by_row:
            self.problem.emit("选中的单元格中没有可修改的条数（得分和排名自动计算）。", [])
            return False
        problems: list[str] = []
        changes = []
        for r, cells in sorted(by_row.items()):
            target = self._target(r)
            block_row = [None] * self.source.metric_count
            for k, v in cells.items():
                block_row[k] = v
            row_plan = plan_paste(
                self.source.rule,
                [target],
                0,
                [[target.counts[k] if v is None else v for k, v in enumerate(block_row)]],
            )
            problems.extend(row_plan.problems)
            changes.extend(row_plan.changes)
        if problems:
            self.problem.emit(f"{text}未完成：{len(problems)}处数据有误，没有保存任何数据。", problems)
            return False
        return self.controller.edit_counts(changes, text, action=action)

    def _fill_selection(self, value: str) -> bool:
        cells = {cell: value for cell in self.selected_cells()}
        return self._set_cells(cells, f"填充{len(cells)}个单元格", "粘贴")

    def clear_selection(self) -> bool:
        """Delete: the selected counts become 0, as one undo step."""
        if self.controller.refuse_if_locked():
            return False
        cells = {cell: 0 for cell in self.selected_cells()}
        return self._set_cells(cells, f"清零{sum(1 for _, c in cells if self.source.is_count_column(c))}个单元格", "清零")

    # ---- the ledger ------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt name
        """查看台账 for the unit under the mouse, and switching its count source."""
        index = self.indexAt(event.pos())
        if not index.isValid() or self.source.sheet is None:
            return super().contextMenuEvent(event)
        row = self.proxy.mapToSource(index).row()
        unit_id = self.source.unit_id(row)
        name = self.source.sheet.rows[row].name
        menu = QMenu(self)
        show = menu.addAction(f"查看台账（{name}）")
        show.triggered.connect(lambda: self.controller.ledgerRequested.emit(unit_id))
        derived = unit_id in self.source.derived
        switch = menu.addAction("改为直接输入条数" if derived else "改为按台账统计")
        switch.setEnabled(not self.source.locked)
        switch.triggered.connect(
            lambda: self.controller.set_count_source(unit_id, TYPED if derived else DERIVED)
        )
        menu.exec(event.globalPos())
