"""Qt table models over one group's GroupSheet: display, editing hooks and rank-order view."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from shangnan_desktop.domain import COMPETITION, DENSE, Group, GroupSheet, ScoringRule, format_decimal

logger = logging.getLogger(__name__)

COMPARE_HEADERS = ("上期排名", "变化")  # optional columns after 排名 (issue 15), texts given by the app layer
NATIVE_ROLE = Qt.ItemDataRole.UserRole + 1  # int counts, Decimal score, int rank, str name
UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

_LOCKED_BG = QColor("#ececec")
_LOCKED_FG = QColor("#707070")
_RESULT_BG = QColor("#f3f6fa")  # read-only score and rank columns
_ZERO_BG = QColor("#fde8e6")  # units that submitted nothing
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
# Roles as plain ints: compared for every role of every painted cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_HORIZONTAL = Qt.Orientation.Horizontal  # headerData is asked hundreds of times per layout, mostly for other roles
DERIVED_LABEL = "按台账统计"
_ICON: list = []


def derived_icon():
    """A small list icon beside a unit whose counts come from its ledger."""
    if not _ICON:
        from PySide6.QtWidgets import QStyle  # its enums take 4 ms to build: not before a unit is derived

        _ICON.append(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
    return _ICON[0]
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
_NOTHING = frozenset(int(r) for r in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DecorationRole))

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
        self.derived: frozenset[int] = frozenset()  # units counted from the ledger (按台账统计)
        # Display texts as painted, per cell (row * columns + column); dropped for the cells an
        # edit changes. A repaint asks data() for every role of every visible cell.
        self._texts: dict[int, str] = {}
        self._columns = 0
        self._metrics = 0
        # 上期排名 and 变化 per unit id, as the app layer's comparison gives them; None: columns hidden
        self._compare: Mapping[int, tuple[str, str]] | None = None

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
        self._texts.clear()
        self._metrics = self.metric_count
        self._columns = self._metrics + 3 + self._compare_width() if self.rule is not None else 0
        self.endResetModel()

    # ---- the comparison columns (上期排名, 变化) -------------------------------
    def _compare_width(self) -> int:
        return len(COMPARE_HEADERS) if self._compare is not None else 0

    @property
    def compare_shown(self) -> bool:
        return self._compare is not None

    def set_compare(self, texts: Mapping[int, tuple[str, str]] | None) -> None:
        """Show (texts per unit id: 上期排名, 变化) or hide (None) the two columns after 排名.

        The texts come from the app layer's comparison; the model shows them and computes nothing.
        """
        if (texts is None) == (self._compare is None) and self.rule is not None:
            self._compare = texts
            if texts is not None and self.rowCount():  # same columns, new texts
                first = self.rank_column + 1
                for row in range(self.rowCount()):
                    for column in range(first, self._columns):
                        self._texts.pop(row * self._columns + column, None)
                self.dataChanged.emit(self.index(0, first), self.index(self.rowCount() - 1, self._columns - 1))
            return
        self.beginResetModel()
        self._compare = texts
        self._texts.clear()
        self._columns = self._metrics + 3 + self._compare_width() if self.rule is not None else 0
        self.endResetModel()

    def set_locked(self, locked: bool) -> None:
        if locked == self.locked:
            return
        self.locked = locked
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if self.sheet is None or parent.isValid():
            return 0
        return len(self.sheet.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        if self.rule is None or parent.isValid():
            return 0
        return self._columns

    def headers(self) -> list[str]:
        if self.rule is None:
            return []
        return [self.group.unit_header, *(m.label for m in self.rule.metrics), "得分", "排名",
                *(COMPARE_HEADERS if self._compare is not None else ())]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role.__class__ is not int:  # Qt passes ints; Python callers may pass Qt.ItemDataRole members
            role = int(role)
        if role != _DISPLAY and role != _TOOLTIP:
            return None
        if orientation == _HORIZONTAL:
            headers = self.headers()
            if not 0 <= section < len(headers):
                return None
            if role == _DISPLAY:
                return headers[section]
            if role == _TOOLTIP:
                if self.is_count_column(section):
                    metric = self.rule.metrics[section - 1]
                    if metric.decimal:
                        return f"{metric.label}（分值，最多2位小数，按{format_decimal(metric.weight)}倍计入得分；可直接输入或粘贴）"
                    return f"{metric.label}（条数，每条计{format_decimal(metric.weight)}分；可直接输入或粘贴）"
                if section == self.score_column:
                    return "得分由报送和采用条数自动计算，不能修改"
                if section == self.rank_column:
                    if not self.rule.ranked:
                        return "本评分规则不排名，按单位顺序排列"
                    if self.rule.rank_method == COMPETITION:
                        return "排名自动计算（竞争排名：并列得分名次相同，下一名次跳过并列的个数）"
                    return "排名自动计算（并列得分名次相同，下一名次紧接）"
                if section == self.rank_column + 1:
                    return "上一期的排名（上一期没有该单位时为空）"
                if section == self.rank_column + 2:
                    return "与上一期相比：↑上升的名次，↓下降的名次，持平，新增（上一期没有该单位）"
            return None
        if role == _DISPLAY and 0 <= section < self.rowCount():
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
        if column > self.rank_column and self._compare is not None:
            texts = self._compare.get(sheet.rows[row].unit_id, ("", ""))
            return texts[column - self.rank_column - 1]
        return None

    def text(self, row: int, column: int) -> str:
        value = self.native(row, column)
        if column == self.score_column or isinstance(value, Decimal):
            return format_decimal(value)
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.sheet is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.sheet.rows) and 0 <= column < self._columns):
            return None
        return self._value(row, column, role)

    def multiData(self, index: Index, roles) -> None:  # noqa: N802 - Qt name
        """Every role a delegate asks for when it paints a cell (seven), in one call instead of
        seven calls of data() from C++."""
        if not index.isValid() or self.sheet is None:
            for item in roles:
                item.clearData()
            return
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.sheet.rows) and 0 <= column < self._columns):
            for item in roles:
                item.clearData()
            return
        value = self._value
        for item in roles:
            result = value(row, column, item.role())
            if result is None:
                item.clearData()
            else:
                item.setData(result)

    def _value(self, row: int, column: int, role: int):
        if role == _DISPLAY:
            key = row * self._columns + column
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self.text(row, column)
            return text
        if role in _NOTHING:  # font, check state, decoration: asked for every painted cell
            if role == _DECORATION and column == 0 and self.derived and self.sheet.rows[row].unit_id in self.derived:
                return derived_icon()
            return None
        if role == _ALIGNMENT:
            return _LEFT if column == 0 else (_CENTER if column >= self._metrics + 2 else _RIGHT)
        if role == _BACKGROUND:
            if self.locked:
                return _LOCKED_BG
            if column == 0 and self.sheet.is_zero(row):
                return _ZERO_BG
            if column > self._metrics:
                return _RESULT_BG
            return None
        if role == _FOREGROUND:
            return _LOCKED_FG if self.locked else None
        if role == _EDIT:
            if self.is_count_column(column) and not self.rule.metrics[column - 1].decimal:
                return self.native(row, column)
            return self.text(row, column)
        if role == NATIVE_ROLE:
            return self.native(row, column)
        if role == UNIT_ID_ROLE:
            return self.sheet.rows[row].unit_id
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        return None

    def set_derived(self, derived) -> None:
        """The units whose counts are counted from the ledger (按台账统计): marked, and explained on hover."""
        derived = frozenset(derived)
        if derived != self.derived:
            self.derived = derived
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self._metrics))

    def _tooltip(self, row: int, column: int) -> str | None:
        if self.derived and self.sheet.rows[row].unit_id in self.derived and (
            column == 0 or self.is_count_column(column)
        ):
            return (f"{self.sheet.rows[row].name}：{DERIVED_LABEL}（条数由台账中的信息统计，不能直接修改；"
                    "右击可查看台账或改为直接输入）")
        if column == 0 and self.sheet.is_zero(row):
            return f"{self.sheet.rows[row].name}：本期信息零报送"
        if column == self.score_column:
            counts = self.sheet.rows[row].counts
            parts = [f"{format_decimal(m.weight)}×{format_decimal(c) if isinstance(c, Decimal) else c}"
                     for m, c in zip(self.rule.metrics, counts)]
            return f"得分 = {' + '.join(parts)} = {format_decimal(self.sheet.scores[row])}"
        if self.locked and self.is_count_column(column):
            return "本期已定稿，不能修改"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked twice for every painted cell: per-column values made once (Python enum
        # arithmetic on each call cost more than the rest of the paint's Python code).
        if not index.isValid():
            return _NO_FLAGS
        column = index.column()
        if self.locked or not 1 <= column <= self._metrics:
            return _READ_ONLY
        return _EDITABLE

    # ---- editing ---------------------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        return self.edit_handler(self, index.row(), index.column() - 1, value)

    def apply_counts(self, row: int, counts: Sequence[int]) -> None:
        """Show counts the store has just saved: update the sheet, signal exactly what changed.

        Cell by cell: the counts that changed, the name if the zero-submission mark flipped, the
        score, and the rank of every unit whose rank changed (a view repaints only those cells).
        """
        sheet = self.sheet
        old_counts = sheet.rows[row].counts
        was_zero = sheet.is_zero(row)
        old_score, new_score = sheet.set_counts(row, counts)
        changed = [k + 1 for k, (a, b) in enumerate(zip(old_counts, counts)) if a != b]
        if sheet.is_zero(row) != was_zero:
            changed.append(0)
        if old_score != new_score:
            changed.append(self.score_column)
        for column in changed:
            self._texts.pop(row * self._columns + column, None)
            cell = self.index(row, column)
            self.dataChanged.emit(cell, cell)
        if old_score != new_score:
            self._signal_ranks(self.rank_rows_changed(row, old_score, new_score))

    def rank_rows_changed(self, row: int, old: Decimal, new: Decimal) -> list[int]:
        """Rows whose rank differs after ``row``'s score went from ``old`` to ``new`` (``row`` included).

        A rank counts the scores (dense: the distinct scores) above one's own, so only scores below
        the old or the new value can move: one pass of comparisons, no rank recomputed.
        """
        scores = self.sheet.scores
        method = self.rule.rank_method
        if method == COMPETITION:  # one more or one fewer score above s
            def moves(s: Decimal) -> bool:
                return (s < old) != (s < new)
        elif method == DENSE:  # the old value may have left the distinct scores, the new one joined
            old_gone = scores.count(old) == 0
            new_joined = scores.count(new) == 1
            if not old_gone and not new_joined:
                return [row]

            def moves(s: Decimal) -> bool:
                return (old_gone and s < old) != (new_joined and s < new)
        else:
            return list(range(len(scores)))
        rows = [i for i, s in enumerate(scores) if moves(s)]
        if row not in rows:
            rows.append(row)
            rows.sort()
        return rows

    def _signal_ranks(self, rows: list[int]) -> None:
        """dataChanged per run of adjacent rows in the rank column; one span when runs are many."""
        column = self.rank_column
        for r in rows:
            self._texts.pop(r * self._columns + column, None)
        runs: list[list[int]] = []
        for r in rows:
            if runs and runs[-1][1] == r - 1:
                runs[-1][1] = r
            else:
                runs.append([r, r])
        if len(runs) > 64:  # thousands of ranks moved: one signal, the view repaints what it shows
            runs = [[rows[0], rows[-1]]]
        for first, last in runs:
            self.dataChanged.emit(self.index(first, column), self.index(last, column))


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

    def multiData(self, index: Index, roles) -> None:  # noqa: N802 - Qt name
        """Pass a painted cell's roles to the source in one call (Qt's proxy would ask data()
        once per role, each a call from C++ into Python)."""
        source = self.sourceModel()
        if isinstance(source, GroupTableModel) and index.isValid() and index.model() is self:
            source.multiData(self.mapToSource(index), roles)
        else:
            super().multiData(index, roles)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt name
        source: GroupTableModel = self.sourceModel()
        a = source.sheet.scores[left.row()]
        b = source.sheet.scores[right.row()]
        if a != b:
            return a > b
        return left.row() < right.row()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role.__class__ is not int:  # Qt passes ints; Python callers may pass Qt.ItemDataRole members
            role = int(role)
        if role != _DISPLAY and role != _TOOLTIP:
            return None
        if orientation != _HORIZONTAL:
            if role == _DISPLAY and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        return super().headerData(section, orientation, role)
