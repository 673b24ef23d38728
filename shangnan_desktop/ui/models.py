"""Qt table models over one group's GroupSheet: display, editing hooks and rank-order view."""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from shangnan_desktop.domain import Group, GroupSheet, ScoringRule, format_decimal

logger = logging.getLogger(__name__)

NATIVE_ROLE = Qt.ItemDataRole.UserRole + 1  # int counts, Decimal score, int rank, str name
UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

_LOCKED_BG = QColor("#ececec")
_LOCKED_FG = QColor("#707070")
_RESULT_BG = QColor("#f3f6fa")  # read-only score and rank columns
_ZERO_BG = QColor("#fde8e6")  # units that submitted nothing
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

# (model, row, metric index, typed value) -> True if stored
EditHandler = Callable[["GroupTableModel", int, int, object], bool]

Index = QModelIndex | QPersistentModelIndex


class GroupTableModel(QAbstractTableModel):
    """单位 · one column per metric · 得分 · 排名, rows in unit order.

    An adapter: it shows what the GroupSheet holds and passes edits to
    ``edit_handler`` (the controller, which validates and stores them). It
    computes no score itself.
    """

    def __init__(self, group: Group, edit_handler: EditHandler | None = None, parent=None) -> None:
        super().__init__(parent)
        self.group = group
        self.edit_handler = edit_handler
        self.sheet: GroupSheet | None = None
        self.rule: ScoringRule | None = None
        self.locked = False

    # ---- structure -------------------------------------------------------
    @property
    def metric_count(self) -> int:
        return len(self.rule.metrics) if self.rule else 0

    @property
    def score_column(self) -> int:
        return self.metric_count + 1

    @property
    def rank_column(self) -> int:
        return self.metric_count + 2

    def is_count_column(self, column: int) -> bool:
        return 1 <= column <= self.metric_count

    def set_sheet(self, sheet: GroupSheet | None, *, locked: bool = False) -> None:
        self.beginResetModel()
        self.sheet = sheet
        self.rule = sheet.rule if sheet is not None else None
        self.locked = locked
        self.endResetModel()

    def set_locked(self, locked: bool) -> None:
        if locked == self.locked:
            return
        self.locked = locked
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.sheet is None:
            return 0
        return len(self.sheet.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.rule is None:
            return 0
        return self.metric_count + 3

    def headers(self) -> list[str]:
        if self.rule is None:
            return []
        return [self.group.unit_header, *(m.label for m in self.rule.metrics), "得分", "排名"]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            if not 0 <= section < len(headers):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return headers[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                if self.is_count_column(section):
                    metric = self.rule.metrics[section - 1]
                    return f"{metric.label}(条数,每条计{format_decimal(metric.weight)}分;可直接输入或粘贴)"
                if section == self.score_column:
                    return "得分由报送和采用条数自动计算,不能修改"
                if section == self.rank_column:
                    return "排名自动计算(并列得分名次相同,下一名次紧接)"
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
            return str(section + 1)
        return None

    # ---- reading ---------------------------------------------------------
    def unit_id(self, row: int) -> int:
        return self.sheet.rows[row].unit_id

    def native(self, row: int, column: int):
        sheet = self.sheet
        if column == 0:
            return sheet.rows[row].name
        if self.is_count_column(column):
            return sheet.rows[row].counts[column - 1]
        if column == self.score_column:
            return sheet.scores[row]
        if column == self.rank_column:
            return sheet.rank(row)
        return None

    def text(self, row: int, column: int) -> str:
        value = self.native(row, column)
        if column == self.score_column:
            return format_decimal(value)
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.sheet is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.EditRole:
            if self.is_count_column(column):
                return self.native(row, column)
            return self.text(row, column)
        if role == NATIVE_ROLE:
            return self.native(row, column)
        if role == UNIT_ID_ROLE:
            return self.sheet.rows[row].unit_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == 0 else (_CENTER if column == self.rank_column else _RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.locked:
                return _LOCKED_BG
            if column == 0 and self.sheet.is_zero(row):
                return _ZERO_BG
            if column >= self.score_column:
                return _RESULT_BG
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _LOCKED_FG if self.locked else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _tooltip(self, row: int, column: int) -> str | None:
        if column == 0 and self.sheet.is_zero(row):
            return f"{self.sheet.rows[row].name}:本期信息零报送"
        if column == self.score_column:
            counts = self.sheet.rows[row].counts
            parts = [f"{format_decimal(m.weight)}×{c}" for m, c in zip(self.rule.metrics, counts)]
            return f"得分 = {' + '.join(parts)} = {format_decimal(self.sheet.scores[row])}"
        if self.locked and self.is_count_column(column):
            return "本期已定稿,不能修改"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if self.is_count_column(index.column()) and not self.locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ---- editing ---------------------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        return self.edit_handler(self, index.row(), index.column() - 1, value)

    def apply_counts(self, row: int, counts: Sequence[int]) -> None:
        """Show counts the store has just saved: update the sheet, signal exactly what changed."""
        sheet = self.sheet
        old_counts = sheet.rows[row].counts
        was_zero = sheet.is_zero(row)
        old_score, new_score = sheet.set_counts(row, counts)
        for k, (a, b) in enumerate(zip(old_counts, counts)):
            if a != b:
                cell = self.index(row, k + 1)
                self.dataChanged.emit(cell, cell)
        if sheet.is_zero(row) != was_zero:
            name = self.index(row, 0)
            self.dataChanged.emit(name, name)
        if old_score != new_score:
            score = self.index(row, self.score_column)
            self.dataChanged.emit(score, score)
            self.dataChanged.emit(self.index(0, self.rank_column), self.index(self.rowCount() - 1, self.rank_column))


class RankOrderProxy(QSortFilterProxyModel):
    """Unit order by default; rank order (ties in unit order) when switched on.

    It sorts only when asked (switching on, loading a period, refreshing),
    never while the clerk edits, so rows do not jump under the cursor.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setSortRole(NATIVE_ROLE)
        self.rank_order = False

    def setSourceModel(self, model: GroupTableModel) -> None:  # noqa: N802 - Qt name
        super().setSourceModel(model)
        model.modelReset.connect(self.resort)

    def set_rank_order(self, on: bool) -> None:
        self.rank_order = on
        self.resort()

    def resort(self) -> None:
        source: GroupTableModel = self.sourceModel()
        if self.rank_order and source is not None and source.columnCount():
            self.sort(source.score_column, Qt.SortOrder.AscendingOrder)
        else:
            self.sort(-1)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt name
        source: GroupTableModel = self.sourceModel()
        a = source.sheet.scores[left.row()]
        b = source.sheet.scores[right.row()]
        if a != b:
            return a > b
        return left.row() < right.row()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        return super().headerData(section, orientation, role)
