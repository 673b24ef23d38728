"""Issue 16 in storage: a rule per period "from this period on" (locked periods keep theirs), half-year
periods in a database migrated from version 1, decimal metric values kept exactly, a new county's database."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal

import pytest

from shangnan_desktop.domain import LockedError, Period, ScoringRule, ValidationError
from shangnan_desktop.domain.county import CountySetup, GroupSetup, unit_names
from shangnan_desktop.domain.rule import COMPETITION, preset
from shangnan_desktop.domain.rule_change import rule_from_options
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.audit import audit_entries
from shangnan_desktop.storage.county import county_loader, county_settings
from tests.storage.fixtures import make_v1

Q2, Q3, Q4 = Period(2021, "Q", 2), Period(2021, "Q", 3), Period(2021, "Q", 4)


def test_a_rule_applies_from_its_period_on_and_a_locked_period_keeps_its_own(store):
    store.create_period(Q3)
    store.create_period(Q4)
    store.set_locked(Q4, True)
    two = preset("two_levels")
    changed = store.set_rule_from(Q3, two)
    assert changed == [Q3]
    assert store.rule(Q2) == ScoringRule.default()  # earlier: unchanged
    assert store.rule(Q3) == two
    assert store.rule(Q4) == ScoringRule.default()  # locked: keeps its own
    entry = audit_entries(store, limit=1)[0]
    action, period_key, old, new = entry.action, entry.period_key, entry.old, entry.new
    assert (action, period_key) == ("修改评分规则", "2021Q3")
    assert "报送信息：条数，每条计0.2分" in old and "县级采用：条数，每条计5分，不超过报送信息" in new
    store.set_locked(Q4, False)
    store.create_period(Period(2022, "Q", 1))  # a new period takes the rule in force before it
    assert store.rule(Period(2022, "Q", 1)) == ScoringRule.default()
    with pytest.raises(LockedError):
        store.set_locked(Q2, True)
        store.set_rule_from(Q2, two)


def test_a_rule_change_keeps_stored_values_by_metric_and_refuses_values_that_no_longer_fit(store):
    sheet = store.load_sheet(Q2)
    first = sheet.groups[0].rows[0]
    assert first.counts[1] > 0  # an adoption to carry
    with pytest.raises(ValidationError, match="也需要“报送信息”"):
        store.set_rule_from(Q2, rule_from_options(["采用信息=3"], rank=COMPETITION))
    only_adopted = rule_from_options(["报送信息=0", "采用信息=3"], rank=COMPETITION, previous=store.rule(Q2))
    store.set_rule_from(Q2, only_adopted)
    row = store.load_sheet(Q2).groups[0].rows[0]
    assert row.counts == first.counts and only_adopted.score(row.counts) == 3 * first.counts[1]
    one = rule_from_options(["评分=1"], decimals=["评分"], rank="none")
    store.set_rule_from(Q2, one)  # the counts stay stored under their metrics: back with the old rule
    assert store.load_sheet(Q2).groups[0].rows[0].counts == (0,)
    store.set_rule_from(Q2, only_adopted)
    assert store.load_sheet(Q2).groups[0].rows[0].counts == first.counts
    as_decimal = rule_from_options(["报送信息=1", "采用信息=1"], decimals=["采用信息"], rank="dense")
    with pytest.raises(ValidationError, match="只能是条数"):
        store.set_rule_from(Q2, as_decimal)
    assert store.rule(Q2) == only_adopted


def test_decimal_values_are_stored_exactly_and_a_third_place_is_refused(store):
    rule = rule_from_options(["报送信息=0.2", "采用信息=1", "评分=1.25"], decimals=["评分"], rank="dense")
    store.set_rule_from(Q2, rule)
    unit = store.load_sheet(Q2).groups[0].rows[0]
    store.set_counts(Q2, unit.unit_id, [*unit.counts[:2], "74.45"])
    row = store.load_sheet(Q2).groups[0].rows[0]
    assert row.counts[2] == Decimal("74.45") and isinstance(row.counts[2], Decimal)
    assert rule.score(row.counts) == Decimal("0.2") * row.counts[0] + row.counts[1] + Decimal("1.25") * Decimal("74.45")
    with pytest.raises(ValidationError):
        store.set_counts(Q2, unit.unit_id, [*unit.counts[:2], "1.234"])
    with pytest.raises(sqlite3.IntegrityError):  # and the database itself refuses a third place
        store.conn.execute("UPDATE entry_scores SET value = '1.234'")
    store.conn.rollback()


def test_a_version_1_database_migrates_and_takes_half_year_periods(tmp_path):
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(make_v1.V1_FILE, old)
    store = Store.open(old, seed=False)
    try:
        store.create_period(Period(2022, "H", 1))
        assert Period(2022, "H", 1) in [p.period for p in store.periods()]
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("UPDATE periods SET kind = 'X'")
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_a_new_county_database_has_its_settings_groups_header_words_and_units_in_order(tmp_path):
    setup = CountySetup(
        "通州区", Period(2016, "M", 9),
        (GroupSetup("局机关科室", unit_names("林政资源科\n\n产业发展科\n"), "科室"),
         GroupSetup("各街道", unit_names("\ufeff北苑街道\n玉桥街道\n"), "乡镇街道")),
        office="通州区园林绿化局办公室", number_prefix="通园办",
    )
    path = tmp_path / "tz.sqlite3"
    store = Store.create(path, county_loader(setup))
    try:
        assert [(g.name, g.unit_header) for g in store.groups()] == [("局机关科室", "科室"), ("各街道", "乡镇街道")]
        assert [u.name for u in store.units()] == ["林政资源科", "产业发展科", "北苑街道", "玉桥街道"]
        assert [p.period.key for p in store.periods()] == ["2016M09"]
        assert county_settings(store) == {"county": "通州区", "office": "通州区园林绿化局办公室",
                                          "number_prefix": "通园办", "period_kind": "M"}
        sheet = store.load_sheet(Period(2016, "M", 9))
        assert sheet.groups[0].group.title(sheet.period.label) == "2016年9月局机关科室信息采用情况统计表"
    finally:
        store.close()
    with pytest.raises(ValidationError, match="已存在"):
        Store.create(path, county_loader(setup))


def test_a_bad_setup_never_leaves_a_file(tmp_path):
    bad = CountySetup("某县", Period(2023, "Q", 1), (GroupSetup("镇办", ("甲镇", "甲镇")),))
    with pytest.raises(ValidationError, match="重复"):
        Store.create(tmp_path / "x.sqlite3", county_loader(bad))
    assert list(tmp_path.iterdir()) == []
