"""Damaged databases: each kind is detected at open, the newest good backup offered, the damaged file kept."""

from __future__ import annotations

import hashlib
import os
import random
import re
import sqlite3

import pytest
from openpyxl import Workbook

from shangnan_desktop import cli
from shangnan_desktop.storage import DatabaseDamagedError, DatabaseTooNewError, Store, StorageError
from shangnan_desktop.storage.backup import create_backup, list_backups
from shangnan_desktop.storage.db import DatabaseUnusableError
from shangnan_desktop.storage.instance import held_in_this_process
from shangnan_desktop.storage.migrations import SCHEMA_VERSION
from shangnan_desktop.app.workspace import open_workspace, recover

BACKED_UP = (11, 5)  # in the backup
LATER = (12, 6)  # after the backup: lost with the damaged file, kept in it


def _truncate_half(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncate_to_first_page(path):
    path.write_bytes(path.read_bytes()[:4096])


def _truncate_to_nothing(path):
    path.write_bytes(b"")


def _overwrite_pages(path):
    data = bytearray(path.read_bytes())
    rng = random.Random(6)
    data[8192:16384] = bytes(rng.randrange(256) for _ in range(8192))
    path.write_bytes(bytes(data))


def _overwrite_header(path):
    data = bytearray(path.read_bytes())
    data[0:100] = b"\x00" * 100
    path.write_bytes(bytes(data))


def _text_file(path):
    path.write_bytes("这不是数据库,是一份文字说明。\n".encode("utf-8") * 200)


def _spreadsheet(path):
    wb = Workbook()
    wb.active.append(["单位", "报送信息", "采用信息"])
    wb.save(path)


def _other_program_database(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.commit()
    conn.close()


def _newer_schema(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


DAMAGE = {
    "truncated-half": (_truncate_half, DatabaseDamagedError, "损坏"),
    "truncated-first-page": (_truncate_to_first_page, DatabaseDamagedError, "损坏"),
    "truncated-empty": (_truncate_to_nothing, DatabaseDamagedError, "空的"),
    "overwritten-pages": (_overwrite_pages, DatabaseDamagedError, "损坏"),
    "overwritten-header": (_overwrite_header, DatabaseDamagedError, "不是本程序的数据库"),
    "not-a-database-text": (_text_file, DatabaseDamagedError, "不是本程序的数据库"),
    "not-a-database-xlsx": (_spreadsheet, DatabaseDamagedError, "不是本程序的数据库"),
    "another-programs-database": (_other_program_database, DatabaseDamagedError, "不是本程序的数据库"),
    "schema-newer-than-app": (_newer_schema, DatabaseTooNewError, "更新版本"),
}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path):
    """A database with a backup holding BACKED_UP and a later edit LATER; closed."""
    path = tmp_path / "shangnan.sqlite3"
    store = Store.open(path)
    period, uid = store.latest_period(), store.units()[0].id
    store.set_counts(period, uid, BACKED_UP)
    backup = create_backup(store, "manual")
    store.set_counts(period, uid, LATER)
    store.close()
    return path, period, uid, backup


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_detected_backup_offered_and_damaged_file_kept(db, kind):
    path, period, uid, backup = db
    damage, error, words = DAMAGE[kind]
    damage(path)
    damaged = _digest(path)

    with pytest.raises(error) as info:
        open_workspace(path)
    err = info.value
    message = str(err)
    assert words in message
    assert re.search("[\u4e00-\u9fff]", message)
    assert err.path == path
    assert err.backups == [backup] and err.newest_backup == backup
    assert str(backup.path) in message and "不会被覆盖或删除" in message
    assert _digest(path) == damaged  # opening did not write to it
    assert not held_in_this_process(path)  # the failed open gave the lock back

    result = recover(path, err.newest_backup)
    assert result.aside.exists() and _digest(result.aside) == damaged  # kept, byte for byte
    assert result.aside.parent == path.parent and result.aside != path
    assert result.replaced_was_damaged
    store = open_workspace(path).store
    assert store.counts(period, uid) == BACKED_UP
    store.close()


def test_a_missing_database_with_backups_is_not_silently_started_afresh(db):
    path, period, uid, backup = db
    path.unlink()
    with pytest.raises(DatabaseDamagedError, match="找不到数据库文件") as info:
        open_workspace(path)
    assert info.value.backups == [backup]
    assert not path.exists()
    result = recover(path)
    assert result.aside is None
    store = Store.open(path)
    assert store.counts(period, uid) == BACKED_UP
    store.close()


def test_the_newest_good_backup_is_offered_not_a_damaged_one(db):
    path, period, uid, good = db
    store = Store.open(path)
    broken = create_backup(store, "manual")
    store.close()
    data = bytearray(broken.path.read_bytes())
    data[4096:4196] = b"\xee" * 100
    broken.path.write_bytes(bytes(data))
    _truncate_half(path)
    with pytest.raises(DatabaseDamagedError) as info:
        Store.open(path)
    assert list_backups(path)[0] == broken
    assert info.value.backups == [good]
    result = recover(path)  # no backup named: the newest good one
    assert result.backup == good


def test_without_backups_the_message_says_so_and_nothing_is_touched(tmp_path):
    path = tmp_path / "shangnan.sqlite3"
    Store.open(path).close()
    _overwrite_pages(path)
    damaged = _digest(path)
    with pytest.raises(DatabaseDamagedError) as info:
        Store.open(path)
    assert info.value.backups == []
    assert "没有找到可用的备份" in str(info.value) and "不要删除" in str(info.value)
    with pytest.raises(StorageError, match="没有可用的备份"):
        recover(path)
    assert _digest(path) == damaged
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name or ".replaced-" in p.name] == []


def test_read_only_open_detects_damage_too(db):
    path, _period, _uid, backup = db
    _truncate_half(path)
    with pytest.raises(DatabaseUnusableError) as info:
        Store.open(path, readonly=True)
    assert info.value.backups == [backup]


def test_cli_reports_damage_and_restores_the_latest_backup(db, capsys):
    path, period, uid, backup = db
    _truncate_half(path)
    damaged = _digest(path)
    assert cli.main(["--db", str(path), "show", "2021Q2"]) == 2
    err = capsys.readouterr().err
    assert "数据库文件已损坏" in err and backup.name in err
    assert cli.main(["--db", str(path), "backup", "restore", "--latest"]) == 0
    out = capsys.readouterr().out
    assert "（已损坏）已重命名保留为" in out
    [aside] = [p for p in path.parent.iterdir() if p.name.startswith("shangnan.damaged-") and p.suffix == ".sqlite3"]
    assert _digest(aside) == damaged
    store = Store.open(path)
    assert store.counts(period, uid) == BACKED_UP
    store.close()


def _dump(path):
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.text_factory = bytes
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT * FROM "{n.decode()}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


TRIALS = int(os.environ.get("SHANGNAN_SECTOR_TRIALS", "100"))


@pytest.mark.parametrize("fill", ["random", "zeros"])
def test_bad_sectors_are_detected_or_harmless(tmp_path, fill):
    """Damaged 512-byte sectors (fixed seed; SHANGNAN_SECTOR_TRIALS trials, default 100):
    the open refuses the file, or the data are unchanged."""
    original = tmp_path / "original.sqlite3"
    store = Store.open(original)
    period = store.latest_period()
    rng = random.Random(2021 if fill == "random" else 56)
    for _ in range(300):  # a lived-in file: counts and audit rows on many pages
        unit = rng.choice(store.units())
        submitted = rng.randint(0, 500)
        store.set_counts(period, unit.id, [submitted, rng.randint(0, submitted)])
    store.close()
    data, reference = original.read_bytes(), _dump(original)
    detected = harmless = 0
    for trial in range(TRIALS):
        case = tmp_path / f"case{trial}" / "shangnan.sqlite3"
        case.parent.mkdir()
        damaged = bytearray(data)
        sector = rng.randrange(len(data) // 512) * 512
        damaged[sector : sector + 512] = rng.randbytes(512) if fill == "random" else bytes(512)
        case.write_bytes(bytes(damaged))
        try:
            Store.open(case).close()
        except DatabaseDamagedError:
            detected += 1
            continue
        assert _dump(case) == reference, f"sector at {sector} changed data without being detected"
        harmless += 1
    print(f"\nbad sectors ({fill}): {TRIALS} trials, {detected} refused at open, {harmless} left the data unchanged")
    assert detected + harmless == TRIALS and detected > TRIALS // 4
