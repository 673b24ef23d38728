"""Issue 12, data lost: files that are not ours, empty files and mistyped paths are refused untouched."""

import sqlite3

import pytest

from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import create_backup
from shangnan_desktop.storage import db as dbmod
from shangnan_desktop.storage.db import DatabaseDamagedError, Database
from shangnan_desktop.storage.migrations import MIGRATIONS
from tests.trust.cli import cli, digest


def _foreign(path, version, tables):
    conn = sqlite3.connect(path)
    for sql in tables:
        conn.execute(sql)
    conn.execute("INSERT INTO notes VALUES (1, 'keep me')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


FOREIGN = {
    "v1-other-tables": (1, ["CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"]),
    "v2-other-tables": (2, ["CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"]),
    "v3-other-tables": (3, ["CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
                            "CREATE TABLE groups (id INTEGER PRIMARY KEY)"]),
    "v0-other-tables": (0, ["CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"]),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
@pytest.mark.parametrize("command", [["periods"], ["set", "2021Q2", "试马镇", "--submitted", "3"],
                                     ["backup", "create"], ["new-period", "2021Q3"]])
def test_foreign_sqlite_file_refused_byte_for_byte(tmp_path, kind, command):
    path = tmp_path / "other.db"
    _foreign(path, *FOREIGN[kind])
    before = digest(path)
    result = cli(*command, db=path)
    assert result.code == 2, result
    assert "不是本程序的数据库" in result.err and "Traceback" not in result.err
    assert digest(path) == before
    assert not (tmp_path / "other.db-wal").exists()


def test_foreign_file_with_another_application_id_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    for script in MIGRATIONS:  # even our exact schema: the id says it belongs to someone else
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseDamagedError):
        Store.open(path)
    assert digest(path) == before


def test_our_old_file_without_id_is_recognised_and_stamped(tmp_path):
    """A database written before the id existed: our schema at version 1, 2 or 3."""
    for version in (1, 2, len(MIGRATIONS)):
        path = tmp_path / f"old{version}.sqlite3"
        conn = sqlite3.connect(path)
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        store = Store.open(path)
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == getattr(dbmod, "APPLICATION_ID", None)
        assert store.periods()  # migrated and seeded (it held nothing)
        store.close()


def test_new_database_has_our_id(seeded):
    conn = sqlite3.connect(seeded)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == getattr(dbmod, "APPLICATION_ID", None)
    conn.close()


def test_empty_file_is_damaged_not_reseeded(seeded):
    store = Store.open(seeded)
    store.set_counts(store.latest_period(), store.find_unit("试马镇").id, [40, 30])
    create_backup(store, "manual")
    store.close()
    for side in ("-wal", "-shm"):
        seeded.with_name(seeded.name + side).unlink(missing_ok=True)
    seeded.write_bytes(b"")  # truncated to 0 bytes
    result = cli("periods", db=seeded)
    assert result.code == 2 and "0字节" in result.err and "备份" in result.err, result
    assert seeded.read_bytes() == b""  # kept as it was
    with pytest.raises(DatabaseDamagedError) as err:
        Database(seeded)
    assert err.value.newest_backup is not None
    result = cli("backup", "restore", "--latest", db=seeded)
    assert result.code == 0, result
    store = Store.open(seeded)
    assert store.counts(store.latest_period(), store.find_unit("试马镇").id) == (40, 30)
    store.close()


def test_empty_file_without_backups_is_refused_too(tmp_path):
    path = tmp_path / "shangnan.sqlite3"
    path.write_bytes(b"")
    result = cli("periods", db=path)
    assert result.code == 2 and "0字节" in result.err, result
    assert path.read_bytes() == b""


@pytest.mark.parametrize("command", [["set", "2021Q2", "试马镇", "--submitted", "3"], ["periods"],
                                     ["show", "2021Q2"], ["new-period", "2021Q3"], ["backup", "create"],
                                     ["audit"], ["register", "show"]])
def test_mistyped_db_refused_and_nothing_created(tmp_path, command):
    typo = tmp_path / "数据" / "错字" / "x.sqlite3"
    result = cli(*command, db=typo)
    assert result.code == 2 and "不存在" in result.err and "init" in result.err, result
    assert not (tmp_path / "数据").exists()
    assert "已保存" not in result.out


def test_init_creates_and_seeds_then_refuses_existing(tmp_path):
    path = tmp_path / "新" / "shangnan.sqlite3"
    path.parent.mkdir()
    result = cli("init", db=path)
    assert result.code == 0 and "已新建" in result.out, result
    assert "2021Q2" in cli("periods", db=path).out
    before = digest(path)
    again = cli("init", db=path)
    assert again.code == 2 and "已存在" in again.err
    assert digest(path) == before


def test_default_database_still_created_on_first_use(tmp_path):
    default = tmp_path / "home" / "shangnan.sqlite3"
    result = cli("periods", env={"SHANGNAN_DB": str(default)})
    assert result.code == 0 and "2021Q2" in result.out, result
    assert default.exists()
