"""app/history.py through the real store: spans as typed, missing periods, compare, a renamed unit's history."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from shangnan_desktop.app import history
from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.cumulative import NEW

Q1, Q2, Q3 = Period(2021, "Q", 1), Period(2021, "Q", 2), Period(2021, "Q", 3)


def test_specs_in_a_quarterly_database(store):
    assert history.parse_spec(store, "2021Q2").is_single
    assert history.parse_spec(store, "2021").key == "2021"
    assert history.parse_spec(store, "2021H1").members == (Q1, Q2)
    assert history.parse_spec(store, "2021Q1-2021Q3").members == (Q1, Q2, Q3)
    with pytest.raises(ValidationError, match="季度只能是1到4"):  # the period's own message, as before
        history.parse_spec(store, "2021Q9")


def test_missing_periods_are_named(store):
    with pytest.raises(ValidationError, match="缺少2021年一季度、2021年三季度、2021年四季度"):
        history.cumulative_table(store, history.parse_spec(store, "2021"))


def test_compare_without_a_previous_period_makes_every_unit_new(store):
    changes = history.compare_with_previous(store, Q2)
    assert changes and all(c.text == NEW and c.previous_rank is None for c in changes.values())


def test_history_by_any_name_of_a_renamed_unit(store):
    fupin = store.find_unit("县扶贫局").id
    store.create_period(Q3)
    store.rename_unit(fupin, "县乡村振兴局", Q3)
    store.set_many(Q3, [(fupin, (10, 5))])
    assert history.find_unit_id(store, "县扶贫局") == history.find_unit_id(store, "县乡村振兴局") == fupin
    result = history.unit_history_by_name(store, "县扶贫局")
    assert result.name == "县乡村振兴局"
    assert [(p.period, p.name, p.score) for p in result.points] == [
        (Q2, "县扶贫局", D("2.4")), (Q3, "县乡村振兴局", D("0.2") * 10 + 5)]
