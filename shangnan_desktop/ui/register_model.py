"""Qt model of the register (附件3): one row per active unit, stale entries highlighted."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from shangnan_desktop.domain import Group, Unit
from shangnan_desktop.domain.register import FIELDS, RegisterEntry, is_stale, parse_date  # noqa: F401
from shangnan_desktop.domain.register import edited_entry as domain_edited_entry

Index = QModelIndex | QPersistentModelIndex
UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STALE_ROLE = Qt.ItemDataRole.UserRole + 3

GROUP_COLUMN, UNIT_COLUMN = 0, 1
FIRST_FIELD = 2
FIELD_KEYS = tuple(k for k, _ in FIELDS)
DATE_COLUMN = FIRST_FIELD + len(FIELD_KEYS)
HEADERS = (
    "分组", "单位",
    "分管领导\n姓名", "分管领导\n职务", "分管领导\n联系电话",
    "管理人员\n姓名", "管理人员\n职务", "管理人员\n联系电话",
    "QQ号码", "确认日期",
)
_MISSING_BG = QColor("#fde8e6")  # never registered
_STALE_BG = QColor("#fff1cc")  # not confirmed within the configured number of days
_GROUP_FG = QColor("#707070")
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

def edited_entry(
    unit_id: int, old: RegisterEntry | None, values: dict[int, object], today: _dt.date
) -> RegisterEntry:
    """The entry after typing ``values`` (column → text) into a row: the domain's rule (issue 12)."""
    fields = {FIELD_KEYS[c - FIRST_FIELD]: v for c, v in values.items() if FIRST_FIELD <= c < DATE_COLUMN}
    return domain_edited_entry(unit_id, old, fields, today, date=values.get(DATE_COLUMN),
                               date_given=DATE_COLUMN in values)


@dataclass(frozen=True)
class RegisterRow:
    group: Group
    unit: Unit
    entry: RegisterEntry | None


class RegisterModel(QAbstractTableModel):
    """分组 · 单位 · the seven register fields · 确认日期. An adapter: edits go to ``edit_handler``."""

    def __init__(
        self,
        today: Callable[[], _dt.date] = _dt.date.today,
        edit_handler: Callable[[int, int, object], bool] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.edit_handler = edit_handler
        self.rows: list[RegisterRow] = []
        self.max_age = 180
        self._row_of: dict[int, int] = {}

    # ---- contents ------------------------------------------------------------
    def set_rows(self, rows: list[RegisterRow], max_age: int) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.max_age = max_age
        self._row_of = {r.unit.id: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def set_max_age(self, days: int) -> None:
        if days == self.max_age:
            return
        self.max_age = days
        self._all_changed()

    def refresh_today(self) -> None:
        """The day changed (the program ran past midnight): staleness is recomputed."""
        self._all_changed()

    def _all_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, DATE_COLUMN))

    def set_entry(self, unit_id: int, entry: RegisterEntry | None) -> None:
        """Show an entry the store has just saved: exactly that row changes."""
        row = self._row_of.get(unit_id)
        if row is None:
            return
        r = self.rows[row]
        self.rows[row] = RegisterRow(r.group, r.unit, entry)
        self.dataChanged.emit(self.index(row, 0), self.index(row, DATE_COLUMN))

    def row_of(self, unit_id: int) -> int | None:
        return self._row_of.get(unit_id)

    def entry(self, row: int) -> RegisterEntry | None:
        return self.rows[row].entry

    def unit(self, row: int) -> Unit:
        return self.rows[row].unit

    def is_stale(self, row: int) -> bool:
        return is_stale(self.rows[row].entry, self.today(), self.max_age)

    def status(self, row: int) -> str:
        entry = self.rows[row].entry
        if entry is None or entry.is_blank:
            return "未登记"
        if self.is_stale(row):
            if entry.confirmed_on is None:
                return "未记录确认日期"
            days = (self.today() - entry.confirmed_on).days
            return f"{days}天未确认（超过{self.max_age}天视为待更新）"
        return ""

    def counts(self) -> tuple[int, int, int]:
        """(units, never registered, stale but registered)."""
        missing = sum(1 for r in self.rows if r.entry is None or r.entry.is_blank)
        stale = sum(1 for i in range(len(self.rows)) if self.is_stale(i))
        return len(self.rows), missing, stale - missing

    # ---- Qt interface --------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(HEADERS):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                if section in (FIRST_FIELD + 2, FIRST_FIELD + 5):
                    return "手机号为1开头的11位数字，固话带区号（如0914-6322055）；多个号码用“、”分隔"
                if section == DATE_COLUMN:
                    return "单位最近一次确认登记信息的日期；修改登记信息时自动记为今天，也可直接输入日期"
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def text(self, row: int, column: int) -> str:
        r = self.rows[row]
        if column == GROUP_COLUMN:
            return r.group.name
        if column == UNIT_COLUMN:
            return r.unit.name
        if r.entry is None:
            return ""
        if column == DATE_COLUMN:
            return r.entry.confirmed_on.isoformat() if r.entry.confirmed_on else ""
        return r.entry.display(FIELD_KEYS[column - FIRST_FIELD])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.rows) and 0 <= column < len(HEADERS)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(row, column)
        if role == UNIT_ID_ROLE:
            return self.rows[row].unit.id
        if role == STALE_ROLE:
            return self.is_stale(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column <= UNIT_COLUMN else _CENTER
        if role == Qt.ItemDataRole.BackgroundRole and column in (UNIT_COLUMN, DATE_COLUMN) and self.is_stale(row):
            entry = self.rows[row].entry
            return _MISSING_BG if entry is None or entry.is_blank else _STALE_BG
        if role == Qt.ItemDataRole.ForegroundRole and column == GROUP_COLUMN:
            return _GROUP_FG
        if role == Qt.ItemDataRole.ToolTipRole and column in (UNIT_COLUMN, DATE_COLUMN):
            status = self.status(row)
            return f"{self.rows[row].unit.name}:{status}" if status else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() >= FIRST_FIELD:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        return self.edit_handler(index.row(), index.column(), value)


class StaleFilterProxy(QSortFilterProxyModel):
    """All units, or only those to chase (只看待更新). Filters when asked, not while the clerk types."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.stale_only = False

    def set_stale_only(self, on: bool) -> None:
        self.stale_only = on
        self.refilter()

    def refilter(self) -> None:
        if hasattr(self, "endFilterChange"):  # Qt ≥ 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self.stale_only:
            return True
        return self.sourceModel().is_stale(source_row)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        return super().headerData(section, orientation, role)
