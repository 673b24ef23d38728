"""What is on screen after an edit equals a full repaint: the cells the model signals and the
cells the view repaints on a focus change are enough (issue 18 repaints only those)."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def _screen(window):
    """The window as it is on the (offscreen) screen: what was last painted, stale cells included."""
    return window.windowHandle().screen().grabWindow(window.winId()).toImage()


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_after_each_edit_the_screen_equals_a_full_repaint(window):
    app = QApplication.instance()
    view = max(window.views, key=lambda v: v.source.rowCount())  # 县直部门: ranks move a lot
    model = view.source
    rng = random.Random(18)
    for _ in range(10):
        row = rng.randrange(min(20, model.rowCount()))
        index = view.proxy.mapFromSource(model.index(row, 1))
        view.setCurrentIndex(index)
        view.setFocus()
        _settle()
        adopted = model.index(row, 2).data(Qt.ItemDataRole.EditRole)
        value = adopted + rng.randrange(1, 40)
        view.edit(index)
        editor = app.focusWidget()
        editor.setText(str(value))
        _settle()
        QTest.keyClick(editor, Qt.Key.Key_Return)  # commit: focus returns to the table
        _settle()
        assert model.index(row, 1).data(Qt.ItemDataRole.EditRole) == value
        shown = _screen(window)
        for widget in [window, *window.findChildren(type(window))]:
            widget.update()
        for v in window.views:
            v.viewport().update()
        window.summary.widget().update()
        _settle()
        assert shown == _screen(window), "a cell on screen was not repainted after the edit"
