"""The SQLite store: constraints, migrations, one transaction per action, unit history."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shangnan_desktop.domain import LockedError, NotFoundError, Period, ValidationError
from shangnan_desktop.storage import DatabaseTooNewError, Store
from shangnan_desktop.storage.migrations import SCHEMA_VERSION
from shangnan_desktop.storage.audit import audit_entries

Q2 = Period.parse("2021Q2")


def dump(store):
    return (
        store.conn.execute("SELECT * FROM entries ORDER BY period_id, unit_id").fetchall(),
        store.conn.execute("SELECT * FROM units ORDER BY id").fetchall(),
        store.conn.execute("SELECT * FROM periods ORDER BY id").fetchall(),
    )


def test_new_database_is_seeded_in_notice_order(store):
    names = [u.name for u in store.units(store.group_by_name("镇办").id)]
    assert len(names) == 10 and names[0] == "过风楼镇" and names[-1] == "试马镇"
    assert len(store.units(store.group_by_name("县直部门").id)) == 52
    assert [p.period.key for p in store.periods()] == ["2021Q2"]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize(
    "submitted, adopted",
    [(-1, 0), (3, 4), (10000, 0), ("x", 0), (2.5, 1), (None, 0)],
)
def test_database_itself_refuses_invalid_counts(store, submitted, adopted):
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "UPDATE entries SET submitted = ?, adopted = ? WHERE unit_id = 1", (submitted, adopted)
        )


def test_database_refuses_unknown_unit_and_blank_names(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO entries (period_id, unit_id, name, position) VALUES (1, 9999, 'x', 1)")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO units (group_id, name, position) VALUES (1, '', 1)")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO units (group_id, name, position) VALUES (1, ' 过风楼镇', 1)")


bad_values = st.one_of(
    st.integers(max_value=-1), st.integers(min_value=10000), st.floats(allow_nan=True).filter(lambda f: f != int(f) if f == f and abs(f) != float("inf") else True),
    st.sampled_from(["十", "3.5", "abc", "-2", "１.５"]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 62), st.integers(0, 50), st.integers(0, 50)), max_size=5), bad_values)
def test_a_batch_with_one_bad_value_changes_nothing(store, good, bad):
    before = dump(store)
    changes = [(u, (max(s, a), min(s, a))) for u, s, a in good] + [(3, (bad, 0))]
    with pytest.raises(ValidationError):
        store.set_many(Q2, changes)
    assert dump(store) == before


def test_adopted_above_submitted_changes_nothing(store):
    before = dump(store)
    with pytest.raises(ValidationError, match="采用信息"):
        store.set_counts(Q2, 1, [3, 4])
    assert dump(store) == before


def test_set_counts_is_committed_and_audited(store, db_path):
    store.set_counts(Q2, 1, ["30", "28"])
    again = Store.open(db_path)
    assert again.counts(Q2, 1) == (30, 28)
    row = audit_entries(again)[-1]
    assert (row.action, row.period_key, row.unit_name, row.old, row.new) == ("修改条数", "2021Q2", "过风楼镇", [27, 25], [30, 28])
    assert row.user


def test_new_period_copies_active_units_and_rule(store):
    retired = store.find_unit("县烟草局")
    store.set_unit_active(retired.id, False)
    store.create_period(Period.parse("2021Q3"))
    sheet = store.load_sheet(Period.parse("2021Q3"))
    assert [len(g) for g in sheet.groups] == [10, 51]
    assert all(r.counts == (0, 0) for g in sheet.groups for r in g.rows)
    assert sheet.rule == store.rule(Q2)
    assert "县烟草局" in [r.name for r in store.load_sheet(Q2).group("县直部门").rows]
    with pytest.raises(ValidationError, match="已经存在"):
        store.create_period(Period.parse("2021Q3"))


def test_locked_period_refuses_edits(store):
    store.set_locked(Q2, True)
    with pytest.raises(LockedError, match="已定稿"):
        store.set_counts(Q2, 1, [1, 1])
    store.set_locked(Q2, False)
    store.set_counts(Q2, 1, [1, 1])


def test_rename_keeps_history_and_old_name_in_past_period(store):
    unit = store.find_unit("县扶贫局")
    store.set_locked(Q2, True)
    q3 = Period.parse("2021Q3")
    store.create_period(q3)
    store.rename_unit(unit.id, "　县乡村振兴局 ", q3)
    assert store.unit(unit.id).name == "县乡村振兴局"
    assert store.load_sheet(q3).group("县直部门").rows[25].name == "县乡村振兴局"
    assert store.load_sheet(Q2).group("县直部门").rows[25].name == "县扶贫局"
    assert store.find_unit("县扶贫局", Q2).id == unit.id
    assert store.counts(Q2, unit.id) == (2, 2)


def test_duplicate_names_refused_after_normalisation(store):
    towns = store.group_by_name("镇办").id
    with pytest.raises(ValidationError, match="已有"):
        store.add_unit(towns, " 赵 川镇\u3000")
    unit = store.add_unit(towns, "新城镇", Q2)
    assert store.load_sheet(Q2).group("镇办").rows[-1].name == "新城镇"
    assert unit.position == 11


def test_move_unit_changes_order_in_open_periods(store):
    unit = store.find_unit("赵川镇")
    assert store.move_unit(unit.id, -1, Q2)
    assert [r.name for r in store.load_sheet(Q2).group("镇办").rows[:2]] == ["赵川镇", "过风楼镇"]
    assert not store.move_unit(unit.id, -1, Q2)


def test_unknown_unit_and_period(store):
    with pytest.raises(NotFoundError):
        store.find_unit("不存在的局")
    with pytest.raises(NotFoundError, match="2030Q1"):
        store.load_sheet(Period.parse("2030Q1"))


def test_database_newer_than_application_is_refused(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseTooNewError, match="更新版本"):
        Store.open(db_path)
