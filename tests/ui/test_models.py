"""The Qt models: Qt's model rules (qtmodeltester), exact change signals, native values, rank order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from shangnan_desktop.domain import Period
from shangnan_desktop.ui.controller import SheetController
from shangnan_desktop.ui.models import NATIVE_ROLE, RankOrderProxy

Q2 = Period.parse("2021Q2")


@pytest.fixture
def controller(store, qapp):
    c = SheetController(store)
    c.load(Q2)
    return c


def test_every_model_passes_qtmodeltester(qtmodeltester, controller, window):
    for model in controller.models:
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(model)
        proxy = RankOrderProxy()
        proxy.setSourceModel(model)
        proxy.set_rank_order(True)
        qtmodeltester.check(proxy)
    for view in window.views:  # the models the window actually shows, in both orders
        qtmodeltester.check(view.source)
        view.set_rank_order(True)
        qtmodeltester.check(view.model())


def test_model_shows_the_sheet(controller):
    town, dept = controller.models
    assert town.headers() == ["镇办", "报送信息", "采用信息", "得分", "排名"]
    assert dept.headers()[0] == "单位"
    row = [town.index(0, c).data() for c in range(5)]
    assert row == ["过风楼镇", "27", "25", "30.4", "1"]
    assert town.index(0, 3).data(NATIVE_ROLE) == Decimal("30.4")
    assert town.index(0, 1).data(NATIVE_ROLE) == 27
    assert town.index(0, 4).data(NATIVE_ROLE) == 1
    flags = [town.index(0, c).flags() & Qt.ItemFlag.ItemIsEditable for c in range(5)]
    assert [bool(f) for f in flags] == [False, True, True, False, False]
    assert "0.2×27 + 1×25 = 30.4" in town.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_an_edit_signals_exactly_the_changed_cells(qtbot, controller, db_path):
    town = controller.models[0]
    changes = []
    town.dataChanged.connect(lambda a, b, roles: changes.append(((a.row(), a.column()), (b.row(), b.column()))))
    assert town.setData(town.index(9, 1), "40")  # 试马镇 submitted 2 → 40; adopted stays 2
    # the count, the score, and the ranks that moved: 试马镇 from 10th to 6th, the 6th-9th one down
    assert changes == [((9, 1), (9, 1)), ((9, 3), (9, 3)), ((5, 4), (9, 4))]
    assert town.index(9, 3).data() == "10"  # 8 + 2
    assert town.index(9, 4).data() == "6"  # after 十里坪镇 10.4
    changes.clear()
    assert town.setData(town.index(9, 1), "40")  # the same value: nothing stored, nothing signalled
    assert changes == []
    assert not town.setData(town.index(9, 2), "41")  # adopted > submitted: refused
    assert changes == [] and town.index(9, 2).data() == "2"


def test_zero_submission_flip_also_repaints_the_name(controller):
    dept = controller.models[1]
    row = next(r for r in range(dept.rowCount()) if dept.index(r, 0).data() == "县发改局")
    changes = []
    dept.dataChanged.connect(lambda a, b, roles: changes.append((a.row(), a.column(), b.row(), b.column())))
    assert dept.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # zero row marked
    assert dept.setData(dept.index(row, 1), "1")
    assert (row, 0, row, 0) in changes
    assert dept.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_rank_order_keeps_ties_in_unit_order_and_does_not_move_rows_while_editing(controller):
    dept = controller.models[1]
    proxy = RankOrderProxy()
    proxy.setSourceModel(dept)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["县融媒体中心", "县文旅局", "县司法局"]
    proxy.set_rank_order(True)
    scores = [proxy.index(r, 3).data(NATIVE_ROLE) for r in range(proxy.rowCount())]
    assert scores == sorted(scores, reverse=True)
    tied = [proxy.index(r, 0).data() for r in range(proxy.rowCount()) if proxy.index(r, 3).data() == "6.2"]
    assert tied == ["县审计局", "县统计局"]  # the unit list's own order
    last = proxy.rowCount() - 1
    name = proxy.index(last, 0).data()
    assert dept.setData(proxy.mapToSource(proxy.index(last, 1)), "99")
    assert proxy.index(last, 0).data() == name  # still in place though it now scores 19.8
    assert proxy.index(last, 4).data() == "10"  # after 县招商服务中心's 20.6 (9th)
    proxy.resort()
    assert proxy.index(9, 0).data() == name
    assert proxy.headerData(0, Qt.Orientation.Vertical) == "1"
    # Qt asks with plain ints, Python callers with enum members: both get the same answers
    tip = proxy.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip and tip == proxy.headerData(1, Qt.Orientation.Horizontal, int(Qt.ItemDataRole.ToolTipRole))
    assert "每条计" in tip
    assert proxy.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole) is None
    assert proxy.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) is None


@pytest.mark.parametrize("method", ["dense", "competition"])
def test_rank_signals_cover_exactly_the_ranks_that_changed(method, qapp):
    """Random edits on a group with many ties: the rank cells signalled are exactly those whose
    shown rank differs, compared with ranks recomputed from scratch; cached texts stay right."""
    import random

    from shangnan_desktop.domain import Group, GroupSheet, ScoringRule
    from shangnan_desktop.domain.ranking import rank
    from shangnan_desktop.domain.sheet import Row
    from shangnan_desktop.ui.models import GroupTableModel

    rule = ScoringRule.default()
    rule = ScoringRule(rule.metrics, method)
    rng = random.Random(18)
    rows = [Row(i, f"单位{i}", (c, c // 3)) for i, c in enumerate(rng.choice([0, 1, 2, 5, 5, 9]) for _ in range(40))]
    sheet = GroupSheet(Group(1, "县直部门", "单位"), rule, rows)
    model = GroupTableModel(sheet.group)
    model.set_sheet(sheet)
    signalled: set[int] = set()
    model.dataChanged.connect(
        lambda a, b, roles=(): signalled.update(range(a.row(), b.row() + 1)) if a.column() == model.rank_column else None
    )
    for _ in range(300):
        shown = [model.index(r, model.rank_column).data() for r in range(model.rowCount())]
        row = rng.randrange(len(rows))
        submitted = rng.choice([0, 1, 2, 5, 9, 12])
        signalled.clear()
        model.apply_counts(row, (submitted, rng.randrange(submitted + 1)))
        truth = [str(r) for r in rank(sheet.scores, method)]
        moved = {r for r in range(len(rows)) if truth[r] != shown[r]}
        assert moved <= signalled, "a changed rank was not signalled"
        assert signalled - moved <= {row}, "a rank that did not change was signalled"
        assert [model.index(r, model.rank_column).data() for r in range(model.rowCount())] == truth


def test_multidata_paints_exactly_what_data_paints(window, monkeypatch):
    """The one-call multiData path (model and proxy) draws the same pixels as Qt asking data()
    role by role: texts, alignment, the zero-submission and result backgrounds, locked greys."""
    from PySide6.QtCore import QAbstractTableModel, QSortFilterProxyModel

    from shangnan_desktop.ui.models import GroupTableModel

    window.resize(1100, 800)
    window.show()

    def grabs() -> list:
        images = []
        for view in window.views:
            view.viewport().update()
            images.append(view.viewport().grab().toImage())
        return images

    def both_states() -> list:
        window.controller.models[0].set_locked(True)
        locked = grabs()
        window.controller.models[0].set_locked(False)
        return locked + grabs()

    fast = both_states()
    monkeypatch.setattr(GroupTableModel, "multiData", QAbstractTableModel.multiData)
    monkeypatch.setattr(RankOrderProxy, "multiData", QSortFilterProxyModel.multiData)
    calls = []
    original = GroupTableModel.data
    monkeypatch.setattr(GroupTableModel, "data", lambda self, *a: calls.append(1) or original(self, *a))
    slow = both_states()
    assert calls, "the role-by-role path was not taken"
    assert all(a == b for a, b in zip(fast, slow)) and len(fast) == len(slow) == 4
