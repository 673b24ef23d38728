"""Crash safety of creating and opening: a first run cut short is completed, not left empty."""

from __future__ import annotations

from shangnan_desktop.storage import Database, Store


def test_first_run_killed_between_migration_and_seeding_is_seeded_next_time(tmp_path):
    path = tmp_path / "shangnan.sqlite3"
    db = Database(path)
    db.migrate()  # the tables exist; the kill came before the reference data
    db.close()
    store = Store.open(path)
    assert len(store.units()) == 62 and store.latest_period().key == "2021Q2"
    store.close()


def test_a_database_with_data_is_never_seeded_again(tmp_path):
    path = tmp_path / "shangnan.sqlite3"
    store = Store.open(path)
    store.delete_period(store.latest_period())  # no periods left, but groups, units and the audit log remain
    store.close()
    store = Store.open(path)
    assert store.periods() == [] and len(store.units()) == 62
    store.close()


def test_an_empty_database_created_without_seed_stays_empty_when_asked(tmp_path):
    path = tmp_path / "empty.sqlite3"
    Store.open(path, seed=False).close()
    store = Store.open(path, seed=False)
    assert store.units() == [] and store.periods() == []
    store.close()
