"""Every key, sent where a person's key goes (``QApplication.focusWidget()``), in every editable table.

For each table (镇办, 县直部门, the register) and each kind of editable column, the editor is opened by
typing (entry mode) and by F2 (edit mode); then one key of a full set is pressed. The test asserts that
no exception reaches the application's crash handler (no “程序出错” dialog), and that the database then
holds what Excel's rules say: keys that leave the cell store it at once and move; Esc discards; every
other key leaves the editor open, and whatever the editor then holds is stored when the cell is left.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from shangnan_desktop.ui import busy
from tests.ui.helpers import wait_for
from shangnan_desktop.ui.register_model import DATE_COLUMN, FIRST_FIELD, UNIT_ID_ROLE, parse_date

K = Qt.Key
M = Qt.KeyboardModifier
NO = M.NoModifier
CLIP = "5"


@dataclass(frozen=True)
class Press:
    key: Qt.Key
    mods: Qt.KeyboardModifier = NO

    @property
    def label(self) -> str:
        return f"{self.key.name}+{self.mods}"


def _keys() -> list[Press]:
    keys = [Press(k) for k in (K.Key_Shift, K.Key_Control, K.Key_Alt, K.Key_Meta, K.Key_AltGr, K.Key_CapsLock)]
    keys += [
        Press(K.Key_Shift, M.ControlModifier), Press(K.Key_Control, M.ShiftModifier),
        Press(K.Key_Alt, M.ControlModifier | M.ShiftModifier), Press(K.Key_Shift, M.AltModifier),
    ]
    keys += [Press(k) for k in (K.Key_Up, K.Key_Down, K.Key_Left, K.Key_Right, K.Key_Home, K.Key_End)]
    keys += [Press(K.Key_Down, M.ShiftModifier), Press(K.Key_Right, M.ControlModifier), Press(K.Key_Up, M.AltModifier)]
    keys += [Press(K.Key_PageUp), Press(K.Key_PageDown), Press(K.Key_Tab), Press(K.Key_Backtab, M.ShiftModifier)]
    keys += [Press(K.Key_Return), Press(K.Key_Enter, M.KeypadModifier), Press(K.Key_Return, M.ShiftModifier)]
    keys += [Press(K.Key_Return, M.ControlModifier), Press(K.Key_Escape)]
    keys += [Press(getattr(K, f"Key_F{n}")) for n in range(1, 13)]
    keys += [Press(K.Key_Delete), Press(K.Key_Backspace), Press(K.Key_Menu), Press(K.Key_Insert)]
    keys += [Press(getattr(K, f"Key_{c}"), M.ControlModifier) for c in "ACVXZYFPNL"]
    keys += [Press(getattr(K, f"Key_{c}"), M.AltModifier) for c in "FEPUH"]
    keys += [Press(K.Key_Tab, M.ControlModifier), Press(K.Key_Backtab, M.ControlModifier | M.ShiftModifier)]
    keys += [Press(K.Key_F6, M.ShiftModifier), Press(K.Key_F4, M.AltModifier)]
    return keys


KEYS = _keys()
LEAVE_ENTRY = {K.Key_Return, K.Key_Enter, K.Key_Tab, K.Key_Backtab, K.Key_Up, K.Key_Down, K.Key_Left,
               K.Key_Right, K.Key_PageUp, K.Key_PageDown}
LEAVE_EDIT = LEAVE_ENTRY - {K.Key_Left, K.Key_Right}


def leaves(press: Press, mode: str) -> bool:
    """Excel: which keys store the cell and move on."""
    if press.mods & (M.ControlModifier | M.AltModifier | M.MetaModifier):
        return False
    return press.key in (LEAVE_ENTRY if mode == "entry" else LEAVE_EDIT)


def text_after(press: Press, mode: str, start: str, typed: str) -> str | None:
    """What the editor holds after the key (None: Esc discarded the edit)."""
    text = typed if mode == "entry" else start
    ctrl = press.mods & M.ControlModifier
    if press.key == K.Key_Escape:
        return None
    if press.key == K.Key_Backspace and not press.mods:
        return text[:-1]
    if ctrl and press.key == K.Key_V:
        return text + CLIP
    if ctrl and press.key == K.Key_Z:
        return start  # Excel: undo while typing takes back what was typed
    return text


@dataclass
class Column:
    """One kind of editable column: how to read it from the database file and what is valid."""

    name: str
    typed: str
    start: str

    def valid(self, text: str) -> bool:
        raise NotImplementedError

    def stored_form(self, text: str) -> str:
        raise NotImplementedError


class CountColumn(Column):
    def valid(self, text: str) -> bool:
        return bool(re.fullmatch(r"\d{1,4}", text.strip()))

    def stored_form(self, text: str) -> str:
        return str(int(text))


class QQColumn(Column):
    def valid(self, text: str) -> bool:
        return bool(re.fullmatch(r"[1-9]\d{4,10}", text.strip()))

    def stored_form(self, text: str) -> str:
        return text.strip()


class DateColumn(Column):
    def valid(self, text: str) -> bool:
        try:
            return parse_date(text, dt.date.today()) is not None
        except Exception:  # noqa: BLE001 - refused
            return False

    def stored_form(self, text: str) -> str:
        return parse_date(text, dt.date.today()).isoformat()


class Harness:
    """The window, one table, one cell: open an editor, press a key, leave, read the database file."""

    def __init__(self, qtbot, window, db_path, table: str, column: Column) -> None:
        self.qtbot, self.window, self.db_path, self.table, self.column = qtbot, window, db_path, table, column
        self.crashes: list[str] = []
        if table == "register":
            window.tabs.setCurrentIndex(1)
            self.view = window.register.view
            self.col = DATE_COLUMN if isinstance(column, DateColumn) else DATE_COLUMN - 1
            self.row = 3
        else:
            window.tabs.setCurrentIndex(0)
            self.view = window.views[0 if table == "镇办" else 1]
            self.col = 1 if table == "镇办" else 2
            self.row = 3
        self.unit_id = self._unit_id()
        self.period = window.controller.period

    def _unit_id(self) -> int:
        index = self.view.model().index(self.row, 0)
        if self.table == "register":
            return self.view.model().index(self.row, 1).data(UNIT_ID_ROLE)
        view = self.view
        source_row = view.proxy.mapToSource(index).row()
        return view.source.unit_id(source_row)

    def db_value(self) -> str:
        conn = sqlite3.connect(self.db_path)
        try:
            if self.table == "register":
                field = "confirmed_on" if self.col == DATE_COLUMN else "qq"
                row = conn.execute(
                    f"SELECT {field} FROM register WHERE valid_to IS NULL AND unit_id = ?", (self.unit_id,)
                ).fetchone()
                return "" if row is None or row[0] is None else str(row[0])
            field = "submitted" if self.col == 1 else "adopted"
            row = conn.execute(
                f"SELECT e.{field} FROM entries e JOIN periods p ON p.id = e.period_id "
                "WHERE p.key = ? AND e.unit_id = ?",
                (self.period.key, self.unit_id),
            ).fetchone()
            return str(row[0])
        finally:
            conn.close()

    # ---- state between two presses -------------------------------------------------------------
    def reset(self) -> None:
        close_popups()
        w = self.window
        if w.controller.period != self.period:
            w.show_period(self.period)
        if w.controller.sheet.locked:
            w.controller.set_locked(False)
        if w.rank_order_action.isChecked():
            w.rank_order_action.trigger()
        w.tabs.setCurrentIndex(1 if self.table == "register" else 0)
        index = self.view.model().index(self.row, self.col)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        if QApplication.activeWindow() is not w:  # a closed dialog may leave the window inactive offscreen
            w.activateWindow()
            QApplication.processEvents()
            self.view.setFocus()
        self.qtbot.waitUntil(lambda: QApplication.focusWidget() is self.view, timeout=2000)
        if self.table != "register":  # 采用 may not exceed 报送: the other count leaves room for any value here
            other = self.view.model().index(self.row, 2 if self.col == 1 else 1)
            wanted = "0" if self.col == 1 else "999"
            if str(other.data(Qt.ItemDataRole.EditRole)) != wanted:
                assert self.view.model().setData(other, wanted, Qt.ItemDataRole.EditRole)
        self.set_value(self.column.start)

    def set_value(self, text: str) -> None:
        index = self.view.model().index(self.row, self.col)
        if str(index.data(Qt.ItemDataRole.EditRole) or "") != text:
            assert self.view.model().setData(index, text, Qt.ItemDataRole.EditRole)
        assert self.db_value() == self.column.stored_form(text)

    def shown_text(self) -> str:
        value = self.view.model().index(self.row, self.col).data(Qt.ItemDataRole.EditRole)
        return "" if value is None else str(value)

    def open_editor(self, mode: str) -> QLineEdit:
        target = self.view
        if mode == "entry":
            QTest.keyClick(target, self.column.typed[0])
            rest = self.column.typed[1:]
            if rest:
                QTest.keyClicks(QApplication.focusWidget(), rest)
        else:
            QTest.keyClick(target, K.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit) and self.view.isAncestorOf(editor), mode
        expected = self.column.typed if mode == "entry" else self.shown_text()
        assert editor.text() == expected
        return editor

    def press(self, mode: str, press: Press) -> None:
        self.reset()
        start = self.shown_text()
        editor = self.open_editor(mode)
        before_row, before_col = self.view.currentIndex().row(), self.view.currentIndex().column()
        QTest.keyClick(QApplication.focusWidget(), press.key, press.mods)
        QApplication.processEvents()
        # a key may have started work in the background (Ctrl+P makes the pages first): let it finish
        wait_for(lambda: not busy._running, 30)
        QApplication.processEvents()
        close_popups()
        self.check_no_crash(mode, press)
        expected_text = text_after(press, mode, start, self.column.typed)
        valid = expected_text is not None and self.column.valid(expected_text)
        what = f"{self.table} {self.column.name} {mode} {press.label}"
        if expected_text is None:
            assert not self.view.is_editing(), what
            assert self.db_value() == self.column.stored_form(start), what
            return
        if leaves(press, mode) and valid:
            # stored the moment the key was pressed, the editor closed, the cursor moved (or at an edge)
            assert not self.view.is_editing(), what
            assert self.db_value() == self.column.stored_form(expected_text), what
            moved = (self.view.currentIndex().row(), self.view.currentIndex().column()) != (before_row, before_col)
            at_edge = press.key == K.Key_Right and before_col == self.view.model().columnCount() - 1
            assert moved or at_edge, what
        elif self.view.is_editing() and editor is QApplication.focusWidget():
            assert editor.text() == expected_text, what
            assert self.db_value() == self.column.stored_form(start), what  # nothing stored before leaving
        self.leave()
        final = self.column.stored_form(expected_text) if valid else self.column.stored_form(start)
        assert self.db_value() == final, what
        self.check_no_crash(mode, press)

    def leave(self) -> None:
        for view in [*self.window.views, self.window.register.view]:
            view.commit_pending()
        QApplication.processEvents()
        close_popups()

    def check_no_crash(self, mode: str, press: Press) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.windowTitle() == "程序出错":
                detail = widget.detailedText() if hasattr(widget, "detailedText") else ""
                widget.close()
                pytest.fail(f"error dialog after {self.table} {mode} {press.label}:\n{detail}")


def close_popups() -> None:
    """Close whatever a key opened (menus, dialogs, message boxes), innermost first."""
    for _ in range(10):
        widget: QWidget | None = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if widget is None:
            for top in QApplication.topLevelWidgets():
                if top.isVisible() and top.isWindow() and top.windowTitle() != "程序出错" and (
                    top.inherits("QDialog") or top.inherits("QMenu")
                ):
                    widget = top
                    break
        if widget is None:
            return
        if widget.windowTitle() == "程序出错":
            return
        widget.close()
        QApplication.processEvents()


@pytest.fixture
def crash_hook(window, monkeypatch):
    """The application's own crash handler, as in the real program (it opens “程序出错”)."""
    from shangnan_desktop.ui.app import install_excepthook

    from PySide6.QtPrintSupport import QPrintDialog

    # Ctrl+P reaches the system print dialog; printing itself is tested in test_printing.py
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: 0)
    previous = sys.excepthook
    install_excepthook(None)
    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(close_popups)  # dialogs opened with exec() (print, export) are closed from here
    timer.start()
    yield
    timer.stop()
    sys.excepthook = previous


COLUMNS = {
    "镇办": [CountColumn("报送", "17", "23")],
    "县直部门": [CountColumn("采用", "17", "23")],
    "register": [QQColumn("QQ", "123456", "987654"), DateColumn("确认日期", "2021/8/15", "2021-08-05")],
}


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("table", list(COLUMNS))
def test_every_key_in_every_editor_is_safe_and_follows_excel(qtbot, window, db_path, crash_hook, table):
    QApplication.clipboard().setText(CLIP)
    window.setFocus()
    count = 0
    for column in COLUMNS[table]:
        harness = Harness(qtbot, window, db_path, table, column)
        for mode in ("entry", "edit"):
            for press in KEYS:
                harness.press(mode, press)
                count += 1
    assert count == len(COLUMNS[table]) * 2 * len(KEYS)


def test_the_issue_reproduction_no_longer_recurses(qtbot, window):
    """Issue 11: an editor opened by typing, then Shift pressed on the focus widget."""
    view = window.views[0]
    view.setCurrentIndex(view.model().index(0, 1))
    view.setFocus()
    QTest.keyClick(view, K.Key_7)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyPress(editor, K.Key_Shift)
    QTest.keyRelease(editor, K.Key_Shift)
    assert view.is_editing() and editor.text() == "7"
