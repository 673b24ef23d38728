"""Helpers for UI tests: what the view shows, what the database file holds."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shangnan_desktop.storage import Store


def entries_dump(path) -> list[tuple]:
    """Every row of the entries table, read by a separate connection straight from the file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT p.key, e.unit_id, e.name, e.position, e.submitted, e.adopted "
            "FROM entries e JOIN periods p ON p.id = e.period_id ORDER BY p.key, e.unit_id"
        ).fetchall()
    finally:
        conn.close()


def stored_counts(path, period_key: str, unit_name: str) -> tuple[int, int]:
    """Counts as the database file holds them, through a freshly opened Store."""
    from shangnan_desktop.domain import Period

    store = Store.open(path)
    try:
        period = Period.parse(period_key)
        unit = store.find_unit(unit_name, period)
        return store.counts(period, unit.id)
    finally:
        store.close()


def view_row(view, name: str) -> int:
    """The row the view shows ``name`` in (the view's own order, proxy included)."""
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return row
    raise AssertionError(f"{name} not shown")


def shown(view, name: str) -> list[str]:
    """The texts the view shows in the row of ``name``."""
    model = view.model()
    row = view_row(view, name)
    return [model.index(row, c).data() for c in range(model.columnCount())]


def click_cell(qtbot, view, row: int, column: int) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex() == index


def set_clipboard(text: str) -> None:
    QApplication.clipboard().setText(text)


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text``: ASCII as key clicks, anything else as an input-method commit (how Chinese arrives)."""
    from PySide6.QtGui import QInputMethodEvent

    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def from_disk(path, read):
    """``read(store)`` on the database file opened afresh, then closed."""
    store = Store.open(path)
    try:
        return read(store)
    finally:
        store.close()


def wait_for(condition, seconds: float = 30) -> None:
    """Process events until ``condition()`` holds (background work reporting back).

    A plain loop: qtbot's wait helpers run a nested event loop, which returns at once in a process
    where an earlier test ran ``app.exec()`` and quit it.
    """
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "background work did not finish in time"
        QApplication.processEvents()
        time.sleep(0.01)
