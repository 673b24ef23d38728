"""Across periods in the window: the 显示上期排名 toggle, a unit's history on double-click, the score chart.

The store holds the reference 2021Q2 and a 2021Q3 in which 县文旅局 rises to 1st (2nd in Q2), 县融媒体中心
falls to 2nd (1st), 县司法局 stays 3rd and the new 县数据局 comes 4th; the window shows 2021Q3.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shangnan_desktop.domain import Period
from tests.ui.helpers import shown, view_row

Q2, Q3 = Period(2021, "Q", 2), Period(2021, "Q", 3)


@pytest.fixture
def two_quarters(store):
    store.create_period(Q3)
    shuju = store.add_unit(store.group_by_name("县直部门").id, "县数据局", Q3).id
    ids = {n: store.find_unit(n).id for n in ("县文旅局", "县融媒体中心", "县司法局")}
    store.set_many(Q3, [(ids["县文旅局"], (100, 100)), (ids["县融媒体中心"], (50, 50)),
                        (ids["县司法局"], (40, 40)), (shuju, (30, 30))])
    return store


@pytest.fixture
def q3_window(two_quarters, window):
    assert window.show_period(Q3)
    return window


def _departments(win):
    return next(v for v in win.views if v.source.group.name == "县直部门")


def test_toggle_adds_and_removes_the_compare_columns(q3_window, qtbot):
    win = q3_window
    view = _departments(win)
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-1] == "排名"
    win.history.compare_action.trigger()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-3:] == ["排名", "上期排名", "变化"]
    assert shown(view, "县文旅局")[-3:] == ["1", "2", "↑1"]  # rose
    assert shown(view, "县融媒体中心")[-3:] == ["2", "1", "↓1"]  # fell
    assert shown(view, "县司法局")[-3:] == ["3", "3", "持平"]  # stayed
    assert shown(view, "县数据局")[-3:] == ["4", "", "新增"]  # new
    # both tables have the columns
    towns = next(v for v in win.views if v.source.group.name == "镇办")
    assert towns.model().headerData(towns.model().columnCount() - 1, Qt.Orientation.Horizontal) == "变化"

    # an edit moves the ranks: the columns follow (the app layer recomputes, the model only shows)
    assert win.controller.edit_counts([(unit_id(win, "县司法局"), (500, 500))], "县司法局")
    assert shown(view, "县司法局")[-3:] == ["1", "3", "↑2"]
    assert shown(view, "县文旅局")[-3:] == ["2", "2", "持平"]

    win.history.compare_action.trigger()
    assert model.headerData(model.columnCount() - 1, Qt.Orientation.Horizontal) == "排名"


def unit_id(win, name):
    return win.store.find_unit(name).id


def test_double_click_on_a_name_opens_the_units_history(q3_window, qtbot):
    win = q3_window
    view = _departments(win)
    row = view_row(view, "县文旅局")
    index = view.model().index(row, 0)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    # a real double click: press and release, then the double-click press (Qt needs the first press)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    dialogs = [d for d in win.history.dialogs if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert "县文旅局" in dialog.windowTitle()
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [c[0] for c in cells] == ["2021年二季度", "2021年三季度"]
    assert cells[0][2:6] == ["60", "54", "66", "2"]
    assert cells[1][2:6] == ["100", "100", "120", "1"] and cells[1][-1] == "↑1"
    assert dialog.chart.history.points[-1].rank == 1
    dialog.chart.grab()  # paints without error
    dialog.close()


def test_score_chart_lists_each_group_in_rank_order(q3_window):
    win = q3_window
    dialog = win.history.open_chart()
    depts = dialog.charts[1].rows
    assert [n for _r, n, _s in depts[:4]] == ["县文旅局", "县融媒体中心", "县司法局", "县数据局"]
    scores = [s for _r, _n, s in depts]
    assert scores == sorted(scores, reverse=True)
    assert dialog.tabs.count() == 2
    assert not dialog.charts[1].grab().isNull()
    dialog.close()
