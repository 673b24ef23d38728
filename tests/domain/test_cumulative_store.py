"""Cumulative rankings filled from the real Store: the reference 2021Q2 plus quarters typed around it.

2021Q1 at the notice's rule, 2021Q2 the notice itself, 2021Q3 at a new rule (0.5 per item submitted);
县扶贫局 renamed 县乡村振兴局 from Q3, 县水利局 retired before Q3, 县数据局 new in Q3.
Expected sums are worked out by hand from the counts below and the notice's Q2 figures.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from shangnan_desktop.domain import ADOPTED, SUBMITTED, Metric, Period, ScoringRule, ValidationError
from shangnan_desktop.domain.cumulative import PeriodRun, compare, cumulative, unit_history
from shangnan_desktop.domain.span import parse_span, previous_period

Q1, Q2, Q3 = Period(2021, "Q", 1), Period(2021, "Q", 2), Period(2021, "Q", 3)
NEW_RULE = ScoringRule(
    (
        Metric(SUBMITTED, "报送信息", D("0.5"), "每上报一条信息计{weight}分"),
        Metric(ADOPTED, "采用信息", D(1), "采用一条信息计{weight}分", SUBMITTED),
    )
)


@pytest.fixture
def history_store(store):
    wenlv = store.find_unit("县文旅局").id  # Q2 in the notice: 60 submitted, 54 adopted
    fupin = store.find_unit("县扶贫局").id  # Q2: 2, 2
    shuili = store.find_unit("县水利局").id  # Q2: 1, 0
    store.create_period(Q1)
    store.set_many(Q1, [(wenlv, (30, 20)), (fupin, (5, 4)), (shuili, (10, 2))])
    store.set_unit_active(shuili, False)
    store.create_period(Q3, rule=NEW_RULE)
    store.rename_unit(fupin, "县乡村振兴局", Q3)
    depts = store.group_by_name("县直部门").id
    shuju = store.add_unit(depts, "县数据局", Q3).id
    store.set_many(Q3, [(wenlv, (10, 8)), (fupin, (6, 6)), (shuju, (4, 2))])
    return store, {"wenlv": wenlv, "fupin": fupin, "shuili": shuili, "shuju": shuju}


def load(store, spec: str) -> PeriodRun:
    return PeriodRun.load(parse_span(spec), store.load_sheet, [p.period for p in store.periods()], store.units())


def test_cumulative_from_the_store_matches_sums_by_hand(history_store):
    store, ids = history_store
    table = cumulative(load(store, "2021Q1-2021Q3"))
    wenlv = table.row(ids["wenlv"])
    assert wenlv.counts == (30 + 60 + 10, 20 + 54 + 8)
    assert wenlv.score == (D("0.2") * 30 + 20) + (D("0.2") * 60 + 54) + (D("0.5") * 10 + 8) == D(105)
    assert wenlv.rank == 1

    fupin = table.row(ids["fupin"])
    assert (fupin.name, fupin.former_names) == ("县乡村振兴局", ("县扶贫局",))
    assert fupin.counts == (5 + 2 + 6, 4 + 2 + 6)
    assert fupin.score == (D("0.2") * 5 + 4) + (D("0.2") * 2 + 2) + (D("0.5") * 6 + 6) == D("16.4")
    assert fupin.mark == ""

    shuili = table.row(ids["shuili"])
    assert shuili.counts == (10 + 1, 2 + 0)
    assert shuili.score == (D("0.2") * 10 + 2) + D("0.2") * 1 == D("4.2")
    assert shuili.mark == "（至二季度，已停用）"

    shuju = table.row(ids["shuju"])
    assert (shuju.counts, shuju.score, shuju.mark) == ((4, 2), D("0.5") * 4 + 2, "（三季度起）")

    # dense ranks over the group's sums, ties in unit order
    rows = table.group("县直部门").rows
    distinct = sorted({r.score for r in rows}, reverse=True)
    assert [r.rank for r in rows] == [distinct.index(r.score) + 1 for r in rows]
    assert len(rows) == 52 + 1  # every department of the notice, retired or not, and the new one
    note = table.note()
    assert "期间内评分规则有调整" in note and "三季度每上报一条信息计0.5分" in note
    assert "县乡村振兴局原名县扶贫局。" in note


def test_a_year_with_a_quarter_missing_is_refused_by_name(history_store):
    store, _ids = history_store
    with pytest.raises(ValidationError) as err:
        load(store, "2021")
    assert "缺少2021年四季度" in str(err.value)
    assert "“2021Q1-2021Q3”" in str(err.value)


def test_compare_from_the_store(history_store):
    store, ids = history_store
    q3 = store.load_sheet(Q3)
    changes = compare(q3, store.load_sheet(previous_period(Q3)))
    assert changes[ids["shuju"]].text == "新增"
    assert ids["shuili"] not in changes
    assert changes[ids["wenlv"]].previous_rank == 2  # behind 县融媒体中心 in the notice
    assert changes[ids["wenlv"]].rank == 1 and changes[ids["wenlv"]].text == "↑1"


def test_history_from_the_store(history_store):
    store, ids = history_store
    sheets = [store.load_sheet(p.period) for p in store.periods()]
    h = unit_history(ids["fupin"], sheets, name=store.unit(ids["fupin"]).name)
    assert h.name == "县乡村振兴局"
    assert [(p.period.key, p.name, p.score) for p in h.points] == [
        ("2021Q1", "县扶贫局", D(5)), ("2021Q2", "县扶贫局", D("2.4")), ("2021Q3", "县乡村振兴局", D(9)),
    ]
    assert h.points[1].rank == 23  # the notice's rank for 县扶贫局
