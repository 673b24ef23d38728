"""Migrating a real version-1 database (tests/storage/fixtures/v1.sqlite3, with data) to the current schema."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Database, Store
from shangnan_desktop.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.storage.fixtures import make_v1


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


def _data(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order (all columns)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for table in tables:
        n = len(conn.execute(f"SELECT * FROM {table} LIMIT 0").description)
        order = ", ".join(str(i) for i in range(1, n + 1))
        out[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    return out


def _read(path) -> tuple[int, list[tuple], dict[str, list[tuple]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0], _schema(conn), _data(conn)
    finally:
        conn.close()


def test_the_fixture_is_version_1_with_data():
    version, schema, data = _read(make_v1.V1_FILE)
    assert version == 1 and SCHEMA_VERSION > 1
    assert {name for kind, name, *_ in schema if kind == "table"} == {
        "groups", "units", "periods", "entries", "entry_metrics", "settings",
    }
    assert len(data["entries"]) == len(make_v1.ENTRIES) > 10
    assert data["entry_metrics"] and data["settings"]
    assert any(u[4] == 0 for u in data["units"])  # a retired unit
    assert [p[6] for p in data["periods"]] == [1, 0]  # a locked and an open quarter


def test_the_fixture_matches_migration_1_as_released(tmp_path):
    """Rebuilding the fixture gives the committed file's schema and rows: migration 1 was not edited."""
    rebuilt = make_v1.build(tmp_path / "v1.sqlite3")
    assert _read(rebuilt) == _read(make_v1.V1_FILE)


def test_migrated_version_1_database_equals_a_fresh_one_with_the_same_data(tmp_path):
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(make_v1.V1_FILE, old)
    Store.open(old, seed=False).close()  # the application's own open: migrates (after a backup)

    fresh = Database(tmp_path / "fresh.sqlite3")
    assert fresh.migrate() == len(MIGRATIONS)
    with fresh.transaction() as conn:
        make_v1.insert_data(conn)
        # Today's version writes annex titles with full-width brackets (各镇（办）, issue 19);
        # version 1 wrote the OCR'd ASCII ones, which migration 5 corrects.
        for gid, title in conn.execute("SELECT id, annex_title FROM groups").fetchall():
            conn.execute("UPDATE groups SET annex_title = ? WHERE id = ?",
                         (title.replace("(", "（").replace(")", "）"), gid))
    fresh.close()

    old_version, old_schema, old_data = _read(old)
    new_version, new_schema, new_data = _read(tmp_path / "fresh.sqlite3")
    assert old_version == new_version == SCHEMA_VERSION
    assert old_schema == new_schema
    assert old_data == new_data
    _, _, v1_data = _read(make_v1.V1_FILE)
    assert any("(办)" in row[-1] for row in v1_data["groups"])  # really the old style
    assert all("(" not in row[-1] for row in old_data["groups"])
    for table, rows in v1_data.items():  # nothing of version 1 was lost or altered on the way
        if table != "groups":  # but the titles' brackets (migration 5)
            assert old_data[table] == rows, table
    assert old_data["entries"] and not old_data["register"]
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_the_migrated_database_is_read_as_the_clerk_left_it(tmp_path):
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(make_v1.V1_FILE, old)
    store = Store.open(old)  # seeding must not touch a database that holds data
    try:
        assert [(p.period.key, p.locked) for p in store.periods()] == [("2021Q2", True), ("2021Q3", False)]
        q2 = store.load_sheet(Period.parse("2021Q2"))
        towns = q2.group("镇办")
        assert [r.name for r in towns.in_unit_order()] == ["过风楼镇", "试马镇", "城关办"]
        first = towns.in_unit_order()[0]
        assert first.counts == (57, 38) and first.score == Decimal("49.4")
        depts = [r.name for r in q2.group("县直部门").in_unit_order()]
        assert "县粮食局" in depts and "县堃玥赟办" in depts
        q3 = store.load_sheet(Period.parse("2021Q3"))
        media = next(r for r in q3.group("县直部门").in_unit_order() if r.name == "县融媒体中心")
        assert media.counts == (30, 29, 29) and media.score == Decimal("49.5")
        assert "县粮食局" not in [r.name for r in q3.group("县直部门").in_unit_order()]
        assert store.setting("last_period") == "2021Q3"
    finally:
        store.close()


def _with_a_ledger(path, period):
    """A database of today's version whose first unit counts from four ledger items (two repeat a
    title); returns its path and the unit's derived counts."""
    from shangnan_desktop.domain.ledger import DERIVED, LedgerItem
    from shangnan_desktop.storage.ledger_store import LedgerStore

    store = Store.open(path)
    try:
        ledger = LedgerStore(store)
        for n, status in enumerate(["采用", "未采用", "采用", "退回"]):
            ledger.add_item(period, LedgerItem.create(1, f"第{n % 3}条", None, status))
        ledger.set_source(period, 1, DERIVED)
        return path, store.counts(period, 1)
    finally:
        store.close()


def test_migration_7_swaps_the_ledger_index_for_the_covering_one(tmp_path):
    """A version-6 database with a ledger (the index by period and unit) opens as version 7: the covering
    index instead, every row kept, the recount unchanged."""
    from shangnan_desktop.storage.ledger_store import LedgerStore

    q2 = Period.parse("2021Q2")
    path, counts = _with_a_ledger(tmp_path / "v6.sqlite3", q2)
    assert counts == (3, 2)
    conn = sqlite3.connect(path)  # back to version 6 as released: migration 7 undone by hand
    conn.executescript(
        "DROP INDEX ledger_items_count; CREATE INDEX ledger_items_unit ON ledger_items(period_id, unit_id);"
        "PRAGMA user_version = 6;"
    )
    conn.close()
    version, schema, data = _read(path)
    assert version == 6 and "ledger_items_unit" in {row[1] for row in schema}

    store = Store.open(path)
    try:
        assert store.db.version == SCHEMA_VERSION >= 7
        names = {row[1] for row in _schema(store.conn)}
        assert "ledger_items_count" in names and "ledger_items_unit" not in names
        assert LedgerStore(store).recount(q2) == {} and store.counts(q2, 1) == counts
    finally:
        store.close()
    _, migrated_schema, migrated_data = _read(path)
    assert migrated_data == data
    fresh = Database(tmp_path / "fresh.sqlite3")
    fresh.migrate()
    fresh.close()
    assert migrated_schema == _read(tmp_path / "fresh.sqlite3")[1]


def test_migration_8_never_gives_a_deleted_items_id_to_another_item(tmp_path):
    """A version-7 database (ledger ids reusable) opens as version 8: every item and its id kept, the
    recount unchanged, and from then on an item deleted with the highest id leaves that id unused."""
    from shangnan_desktop.domain.ledger import LedgerItem
    from shangnan_desktop.storage.ledger_store import LedgerStore

    q2 = Period.parse("2021Q2")
    path, counts = _with_a_ledger(tmp_path / "v7.sqlite3", q2)
    conn = sqlite3.connect(path)  # back to version 7 as released: the table without AUTOINCREMENT
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_items'").fetchone()[0]
    conn.executescript(
        "PRAGMA foreign_keys = OFF;"
        + sql.replace('"ledger_items"', "ledger_items_old").replace("ledger_items (", "ledger_items_old (")
        .replace("PRIMARY KEY AUTOINCREMENT", "PRIMARY KEY")
        + "; INSERT INTO ledger_items_old SELECT * FROM ledger_items; DROP TABLE ledger_items;"
        "ALTER TABLE ledger_items_old RENAME TO ledger_items; DELETE FROM sqlite_sequence;"
        "CREATE INDEX ledger_items_count ON ledger_items("
        "period_id, unit_id, title_key, id, status, keep, submitted_on, published_on);"
        "PRAGMA user_version = 7;"
    )
    conn.close()
    version, schema, data = _read(path)
    old_sql = next(row[3] for row in schema if row[1] == "ledger_items")
    assert version == 7 and "AUTOINCREMENT" not in old_sql

    store = Store.open(path)
    try:
        assert store.db.version == SCHEMA_VERSION == 8
        new_sql = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_items'").fetchone()[0]
        assert "AUTOINCREMENT" in new_sql
        ledger = LedgerStore(store)
        assert [i.id for i in ledger.items(q2)] == [r[0] for r in data["ledger_items"]]
        assert ledger.recount(q2) == {} and store.counts(q2, 1) == counts
        last = ledger.items(q2)[-1]
        ledger.delete_item(q2, last.id)
        added = ledger.add_item(q2, LedgerItem.create(1, "新的一条", None, "采用"))
        assert added.id > last.id  # the deleted item's id stays its own
    finally:
        store.close()
    fresh = Database(tmp_path / "fresh.sqlite3")
    fresh.migrate()
    fresh.close()
    assert _read(path)[1] == _read(tmp_path / "fresh.sqlite3")[1]

