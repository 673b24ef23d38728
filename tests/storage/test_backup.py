"""Backups: the backup API snapshot, when automatic backups happen, the newest 20, restore and its CLI."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from shangnan_desktop import cli
from shangnan_desktop.storage import Database, Store, StorageError
from shangnan_desktop.storage.backup import (
    KEEP,
    backup_dir,
    before_import,
    create_backup,
    find_backup,
    list_backups,
    restore_backup,
)
from shangnan_desktop.storage.migrations import SCHEMA_VERSION
from shangnan_desktop.app.workspace import open_workspace


def _first(store):
    period = store.latest_period()
    return period, store.units()[0].id


def _counts_in(path, unit_id):
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("SELECT submitted, adopted FROM entries WHERE unit_id = ?", (unit_id,)).fetchone()
    finally:
        conn.close()


def test_backup_is_a_consistent_snapshot_including_the_wal(db_path, tmp_path):
    Store.open(db_path).close()  # closing checkpoints: the main file holds the seeded data
    store = Store.open(db_path)
    period, uid = _first(store)
    store.set_counts(period, uid, [123, 45])
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0  # the edit is still in the WAL, not yet in the main file
    copied = tmp_path / "plain-copy.sqlite3"
    shutil.copyfile(db_path, copied)  # what a file copy of a live database gets
    assert _counts_in(copied, uid) != (123, 45)

    info = create_backup(store, "manual")
    assert info.path.parent == backup_dir(db_path) == tmp_path / "backups"
    assert _counts_in(info.path, uid) == (123, 45)
    header = info.path.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # rollback journal: opens anywhere without -wal/-shm files
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert not list(backup_dir(db_path).glob("*.tmp"))
    store.close()


def test_only_the_newest_twenty_are_kept(store, db_path):
    made = [create_backup(store, "manual") for _ in range(KEEP + 5)]
    kept = list_backups(db_path)
    assert len(kept) == KEEP == 20
    assert [b.seq for b in kept] == [b.seq for b in reversed(made[5:])]
    assert not any(b.path.exists() for b in made[:5])


def test_other_databases_backups_in_the_folder_are_left_alone(store, tmp_path):
    other = Store.open(tmp_path / "shangnan-test.sqlite3")
    theirs = create_backup(other, "manual")
    other.close()
    for _ in range(KEEP + 2):
        create_backup(store, "manual")
    assert theirs.path.exists()
    assert list_backups(tmp_path / "shangnan-test.sqlite3") == [theirs]


def test_startup_backup_only_when_the_data_changed(db_path):
    s = open_workspace(db_path)
    assert s.startup_backup is not None and s.startup_backup.reason == "startup"
    s.close()
    s = open_workspace(db_path)
    assert s.startup_backup is None
    s.store.set_setting("theme", "light")  # a change that writes no audit row still counts
    s.close()
    s = open_workspace(db_path)
    assert s.startup_backup is not None
    s.close()
    assert [b.reason for b in list_backups(db_path)] == ["startup", "startup"]


def test_backup_before_locking_a_quarter(store, db_path):
    period, uid = _first(store)
    store.set_counts(period, uid, [9, 8])
    store.set_locked(period, True)
    [backup] = list_backups(db_path)
    assert backup.reason == "lock" and backup.label == "定稿前自动备份"
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT locked FROM periods WHERE key = ?", (period.key,)).fetchone() == (0,)
    conn.close()
    assert _counts_in(backup.path, uid) == (9, 8)
    store.set_locked(period, True)  # already locked: nothing new to protect
    store.set_locked(period, False)
    assert len(list_backups(db_path)) == 1


def test_a_failed_backup_stops_the_lock(store, db_path):
    period, _ = _first(store)
    backup_dir(db_path).write_text("not a folder")
    with pytest.raises(StorageError, match="无法创建备份"):
        store.set_locked(period, True)
    assert store.load_sheet(period).locked is False


def test_backup_before_migrating_an_existing_database(db_path):
    old = Database(db_path)
    old.migrate(target=1)  # a database written by the first release
    old.conn.execute("INSERT INTO settings (key, value) VALUES ('x', 'old')")
    old.close()
    store = Store.open(db_path)
    assert store.db.version == SCHEMA_VERSION
    store.close()
    [backup] = list_backups(db_path)
    assert backup.reason == "migration"
    conn = sqlite3.connect(backup.path)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    assert conn.execute("SELECT value FROM settings").fetchall() == [("old",)]
    conn.close()


def test_a_new_database_is_not_backed_up_before_its_first_migration(store, db_path):
    assert list_backups(db_path) == []


def test_before_import_hook(store, db_path):
    info = before_import(store)
    assert info.reason == "import" and info.label == "导入前自动备份"
    assert list_backups(db_path) == [info]


def test_restore_keeps_the_current_file_and_brings_the_backup_back(store, db_path):
    period, uid = _first(store)
    store.set_counts(period, uid, [10, 1])
    backup = create_backup(store, "manual")
    store.set_counts(period, uid, [20, 2])
    store.close()

    result = restore_backup(db_path, backup)
    assert result.backup == backup and not result.replaced_was_damaged
    assert result.aside.parent == db_path.parent and result.aside.name.startswith("shangnan.replaced-")
    assert _counts_in(result.aside, uid) == (20, 2)  # the replaced data are still there
    reopened = Store.open(db_path)
    assert reopened.counts(period, uid) == (10, 1)
    reopened.close()

    second = restore_backup(db_path, backup)  # same second: a new name, nothing overwritten
    assert second.aside != result.aside and result.aside.exists() and second.aside.exists()


def test_restore_refused_while_the_database_is_open_here(store, db_path):
    backup = create_backup(store, "manual")
    with pytest.raises(StorageError, match="请先关闭"):
        restore_backup(db_path, backup)


def test_a_damaged_backup_is_refused_and_nothing_changes(store, db_path):
    period, uid = _first(store)
    backup = create_backup(store, "manual")
    store.set_counts(period, uid, [7, 7])
    store.close()
    data = bytearray(backup.path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    backup.path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="不能用于恢复"):
        restore_backup(db_path, backup)
    assert _counts_in(db_path, uid) == (7, 7)
    assert sorted(p.name for p in db_path.parent.glob("shangnan.*.sqlite3")) == []


def test_find_backup_by_name_stem_or_number(store, db_path):
    a = create_backup(store, "manual")
    b = create_backup(store, "manual")
    assert find_backup(db_path, b.name) == b
    assert find_backup(db_path, a.path.stem) == a
    assert find_backup(db_path, str(a.seq)) == a
    with pytest.raises(StorageError, match="没有名为"):
        find_backup(db_path, "nope")


def test_cli_backup_create_list_restore(db_path, capsys):
    cli.main(["--db", str(db_path), "init"])  # an explicit --db must exist
    db = ["--db", str(db_path)]
    assert cli.main([*db, "set", "2021Q2", "城关街道办", "--submitted", "40", "--adopted", "30"]) == 0
    assert cli.main([*db, "backup", "create"]) == 0
    assert "已创建备份" in capsys.readouterr().out
    assert cli.main([*db, "set", "2021Q2", "城关街道办", "--submitted", "1", "--adopted", "0"]) == 0
    assert cli.main([*db, "backup", "list"]) == 0
    out = capsys.readouterr().out
    assert "手动备份" in out and "完好" in out and "共1个备份" in out

    assert cli.main([*db, "backup", "restore", "--latest"]) == 0
    out = capsys.readouterr().out
    assert "已从备份恢复" in out and "已重命名保留为" in out
    store = Store.open(db_path)
    unit = store.find_unit("城关街道办")
    assert store.counts(store.latest_period(), unit.id) == (40, 30)
    store.close()

    assert cli.main([*db, "backup", "restore"]) == 2
    assert "--latest" in capsys.readouterr().err
    assert cli.main([*db, "backup", "restore", "999"]) == 2
    assert "没有名为“999”的备份" in capsys.readouterr().err


def test_restore_after_a_crash_keeps_the_unsaved_wal_with_the_replaced_file(store, db_path, tmp_path):
    period, uid = _first(store)
    backup = create_backup(store, "manual")
    store.set_counts(period, uid, [20, 2])  # still only in the -wal file
    crashed = tmp_path / "crashed" / db_path.name  # the files as a crash would leave them
    crashed.parent.mkdir()
    shutil.copyfile(db_path, crashed)
    shutil.copyfile(db_path.with_name(db_path.name + "-wal"), crashed.with_name(crashed.name + "-wal"))
    shutil.copytree(backup_dir(db_path), backup_dir(crashed))

    result = restore_backup(crashed, backup.name)
    assert not result.aside.with_name(result.aside.name + "-wal").exists()
    assert not crashed.with_name(crashed.name + "-wal").exists()
    assert _counts_in(result.aside, uid) == (20, 2)  # one file, the WAL folded in
    assert _counts_in(crashed, uid) != (20, 2)


def test_backup_times_come_from_the_file_name_and_impossible_ones_are_skipped(db_path):
    Store.open(db_path).close()
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / f"{db_path.name}-000007-20210720-093015-manual.sqlite3"
    bad = folder / f"{db_path.name}-000008-20211320-093015-manual.sqlite3"  # month 13
    for path in (good, bad):
        shutil.copyfile(db_path, path)
    found = {b.seq: b for b in list_backups(db_path)}
    assert 8 not in found
    assert found[7].created.isoformat() == "2021-07-20T09:30:15"
