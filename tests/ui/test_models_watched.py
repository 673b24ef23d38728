"""Qt's model checks stay attached to every model the window shows while the clerk works.

Each model gets pytest-qt's Python ModelTester (an assertion in a slot fails the test) and Qt's own
QAbstractItemModelTester in warning mode (its complaints are ``qt.modeltest`` warnings, which pytest-qt
turns into a failure of the test). Both re-check on every signal the models send.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester

from shangnan_desktop.domain import Period
from shangnan_desktop.ui.register_model import FIRST_FIELD
from tests.ui.helpers import click_cell, shown, stored_counts, view_row

Q2, Q3 = Period.parse("2021Q2"), Period.parse("2021Q3")


@pytest.fixture
def watch(request):
    """``watch(model)``: both model testers on ``model`` until the test ends."""
    testers: list[tuple[ModelTester, QAbstractItemModelTester]] = []

    def attach(model) -> None:
        py = ModelTester(request.config)
        py.check(model, force_py=True)
        cpp = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
        testers.append((py, cpp))

    yield attach
    for py, _cpp in testers:
        py._cleanup()


def _watch_window(window, watch) -> list:
    models = []
    for view in window.views:
        models += [view.source, view.model()]  # the sheet model and the rank-order proxy in front of it
    models += [window.register.model, window.register.proxy]
    for model in models:
        watch(model)
    return models


def _type(qtbot, view, row: int, column: int, text: str) -> None:
    click_cell(qtbot, view, row, column)
    qtbot.keyClicks(view, text)
    qtbot.keyClick(view, Qt.Key.Key_Return)


def test_models_stay_valid_while_cells_are_edited_a_quarter_is_switched_and_locked(
    qtbot, window, db_path, watch, monkeypatch
):
    assert len(_watch_window(window, watch)) == 2 * len(window.views) + 2
    town, dept = window.views

    # Cells edited: typed, in rank order (rows resorted), deleted, undone and redone.
    _type(qtbot, town, view_row(town, "试马镇"), 1, "40")
    assert shown(town, "试马镇")[1:4] == ["40", "2", "10"]
    window.rank_order_action.trigger()  # rank order: the proxies sort
    assert town.model().index(0, 0).data() == "过风楼镇"
    _type(qtbot, dept, 0, 2, "0")
    click_cell(qtbot, dept, 3, 1)
    qtbot.keyClick(dept, Qt.Key.Key_Delete)
    qtbot.keyClick(town, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(town, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    window.rank_order_action.trigger()
    register = window.register.model
    assert register.setData(register.index(0, FIRST_FIELD), "张喆")
    assert register.index(0, FIRST_FIELD).data() == "张喆"

    # A quarter created and switched to, typed into, and switched away from and back.
    window.new_period_action.trigger()
    assert window.controller.period == Q3
    _type(qtbot, town, view_row(town, "试马镇"), 1, "5")
    window.period_combo.setCurrentIndex(1)
    assert window.controller.period == Q2 and shown(town, "试马镇")[1] == "40"
    window.next_period_action.setEnabled(True)
    window.next_period_action.trigger()
    assert window.controller.period == Q3

    # The quarter locked: cells turn read-only (every cell repainted), edits are refused; then unlocked.
    window.lock_action.trigger()
    assert window.controller.sheet.locked
    _type(qtbot, town, 0, 1, "7")
    assert stored_counts(db_path, "2021Q3", "过风楼镇") == (0, 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.lock_action.trigger()
    assert not window.controller.sheet.locked
    _type(qtbot, town, 0, 1, "7")
    assert stored_counts(db_path, "2021Q3", "过风楼镇") == (7, 0)

    # Undo all the way back across quarters (deleting 2021Q3 again).
    while window.controller.undo_stack.canUndo():
        window.controller.undo_stack.undo()
    assert window.controller.period == Q2


class _BrokenModel(QAbstractTableModel):
    """A table that claims children under its cells: what the testers must catch."""

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 2

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_the_python_tester_fails_on_a_broken_model(qapp, request):
    with pytest.raises(AssertionError):
        ModelTester(request.config).check(_BrokenModel(), force_py=True)


@pytest.mark.no_qt_log  # pytest-qt would fail this test on the expected complaints; collect them here instead
def test_the_qt_tester_reports_a_broken_model(qapp):
    from PySide6.QtCore import qInstallMessageHandler

    seen = []
    previous = qInstallMessageHandler(lambda kind, context, text: seen.append((context.category, text)))
    try:
        model = _BrokenModel()
        tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    finally:
        qInstallMessageHandler(previous)
    assert tester is not None
    assert any(category == "qt.modeltest" and text.startswith("FAIL!") for category, text in seen)
