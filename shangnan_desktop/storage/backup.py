"""Backups through the SQLite backup API: automatic and manual, the newest 20 kept, safe restore."""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from shangnan_desktop.storage.sqlite_file import DatabaseUnusableError, StorageError, check_file
from shangnan_desktop.storage.instance import InstanceLock, held_in_this_process

logger = logging.getLogger(__name__)

KEEP = 20
BACKUP_DIR = "backups"
REASONS = {
    "startup": "启动时自动备份",
    "import": "导入前自动备份",
    "migration": "升级前自动备份",
    "lock": "定稿前自动备份",
    "manual": "手动备份",
}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<seq>\d{6,})-(?P<ts>\d{8}-\d{6})-(?P<reason>[a-z]+)\.sqlite3$")
_STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: ``seq`` orders them (a clock set back cannot reorder backups)."""

    path: Path
    seq: int
    created: _dt.datetime
    reason: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def when_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    aside: Path | None  # where the file that was replaced now lives (never deleted)
    replaced_was_damaged: bool


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


def backup_dir(db_path: str | Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR


_SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")


def _legacy_owner_is_unique(db_path: Path) -> bool:
    """Backups of older versions were named by stem only (``data-000001-….sqlite3``): they are this
    database's only if no other file in its folder has the same stem (``data.db`` beside ``data.sqlite3``)."""
    try:
        siblings = list(db_path.parent.iterdir())
    except OSError:
        return True
    for other in siblings:
        name = other.name
        if name == db_path.name or name.startswith(db_path.name) or other.is_dir():
            continue
        if name.endswith(_SIDE_SUFFIXES) or name.startswith("."):
            continue
        if Path(name).stem == db_path.stem:
            return False
    return True


def _stamp_time(ts: str) -> _dt.datetime:
    """``20210720-093000`` (eight and six digits, as the file-name pattern guarantees) as a datetime; by hand
    rather than ``strptime``, whose first call imports ``_strptime`` and the locale (3 ms of every start-up)."""
    return _dt.datetime(int(ts[0:4]), int(ts[4:6]), int(ts[6:8]), int(ts[9:11]), int(ts[11:13]), int(ts[13:15]))


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """This database's backups, newest first (other databases' backups in the folder are ignored).

    Backups are named after the database's full file name (``data.sqlite3-000001-….sqlite3``),
    so ``data.db`` and ``data.sqlite3`` in one folder each have their own.
    """
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    legacy_ok = None
    for path in entries:
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        owner = match["stem"]
        if owner != db_path.name:
            if owner != db_path.stem or (db_path.parent / owner).exists():
                continue  # another database's (``data.db``'s backups are not ``data.db.bak``'s)
            if legacy_ok is None:
                legacy_ok = _legacy_owner_is_unique(db_path)
            if not legacy_ok:
                continue
        try:
            created = _stamp_time(match["ts"])
        except ValueError:
            continue
        found.append(BackupInfo(path, int(match["seq"]), created, match["reason"]))
    return sorted(found, key=lambda b: b.seq, reverse=True)


def is_good(backup: BackupInfo | Path) -> bool:
    """Whether a backup passes the full integrity check and fits this version of the application."""
    path = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    try:
        check_file(path)
    except (DatabaseUnusableError, StorageError) as exc:
        logger.warning("backup %s is not usable: %s", path, exc)
        return False
    return True


def good_backups(db_path: str | Path) -> list[BackupInfo]:
    """Backups that can be restored, newest first."""
    return [b for b in list_backups(db_path) if is_good(b)]


def offer_text(db_path: str | Path, backups: list[BackupInfo]) -> str:
    """The sentence added to a damage message: which backup can be restored."""
    if backups:
        b = backups[0]
        return (
            f"\n最近的完好备份是{b.when_text}的{b.label}：{b.path}\n"
            "可以从该备份恢复；恢复时当前文件会重命名保留在原文件夹中，不会被覆盖或删除。"
        )
    return f"\n没有找到可用的备份（备份文件夹：{backup_dir(db_path)}）。请保留该文件，不要删除，并联系技术人员。"


def _remove_quietly(path: Path) -> None:
    """Remove one of our own temporary files, if it is there."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_with_backup_api(src: sqlite3.Connection, target: Path) -> None:
    """Copy ``src`` page by page into a new file ``target`` (rollback journal mode), verified."""
    dst = sqlite3.connect(str(target), isolation_level=None)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        result = [r[0] for r in dst.execute("PRAGMA integrity_check(5)")]
    finally:
        dst.close()
    if result != ["ok"]:
        raise StorageError(f"备份文件校验未通过：{result[0]}")
    _fsync_file(target)


def _publish(tmp: Path, db_path: Path, now: _dt.datetime, reason: str) -> Path:
    """Give the verified temporary file its final name, never replacing another backup."""
    folder, stem = backup_dir(db_path), db_path.name
    seq = max((b.seq for b in list_backups(db_path)), default=0) + 1
    while True:
        final = folder / f"{stem}-{seq:06d}-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
        try:
            os.link(tmp, final)
        except FileExistsError:
            seq += 1
            continue
        except OSError:  # file system without hard links (FAT): check, then rename
            if final.exists():
                seq += 1
                continue
            os.replace(tmp, final)
        else:
            tmp.unlink()
        _fsync_dir(folder)
        return final


def create_backup(source, reason: str = "manual") -> BackupInfo:
    """Back up an open ``Store`` or ``Database`` with the backup API, then keep the newest ``KEEP``.

    The copy is a consistent snapshot including what is still in the WAL file; it is
    written under a temporary name, checked, and only then given its backup name.
    """
    db = getattr(source, "db", source)
    db_path = Path(db.path)
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    folder = backup_dir(db_path)
    tmp = folder / f".{db_path.name}-{os.urandom(16).hex()}.tmp"  # os.urandom: uuid costs 1 ms to import
    now = _dt.datetime.now()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        prune(db_path)  # also before: a crash after an earlier publish never lets extras pile up
        _copy_with_backup_api(db.conn, tmp)
        final = _publish(tmp, db_path, now, reason)
    except (sqlite3.Error, OSError, StorageError) as exc:
        _remove_quietly(tmp)
        logger.error("backup of %s failed: %s", db_path, exc)
        raise StorageError(f"无法创建备份（{REASONS[reason]}）：{exc}。为安全起见，本次操作没有进行。") from exc
    info = next(b for b in list_backups(db_path) if b.path == final)
    logger.info("backup %s created (%s)", final, reason)
    prune(db_path)
    return info


def before_import(store) -> BackupInfo:
    """Importers call this before writing anything."""
    return create_backup(store, "import")


def prune(db_path: str | Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups and stale temporary files; returns what was deleted."""
    removed = []
    for old in list_backups(db_path)[keep:]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError as exc:
            logger.warning("could not delete old backup %s: %s", old.path, exc)
    folder = backup_dir(db_path)
    for tmp in folder.glob(f".{glob_escape(Path(db_path).name)}-*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass
    return removed


# Tables the application only appends to: their row count and last row stand for the whole.
_APPEND_ONLY = {"audit"}


def content_digest(conn: sqlite3.Connection) -> str:
    """A hash of the schema and every row (the append-only audit log by count and last row)."""
    h = hashlib.sha256()
    h.update(str(conn.execute("PRAGMA user_version").fetchone()[0]).encode())
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    for name, sql in tables:
        h.update(f"\0{name}\0{sql}\0".encode())
        if name in _APPEND_ONLY:
            h.update(repr(conn.execute(f'SELECT count(*), max(rowid) FROM "{name}"').fetchone()).encode())
            h.update(repr(conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid DESC LIMIT 1').fetchone()).encode())
            continue
        try:
            rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
        except sqlite3.OperationalError:  # WITHOUT ROWID table
            rows = iter(sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr))
        for row in rows:
            h.update(repr(row).encode())
    return h.hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return content_digest(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def backup_if_changed(store) -> BackupInfo | None:
    """At start-up: back up unless the newest backup already holds exactly this data."""
    if store.db.readonly:
        return None
    backups = list_backups(store.db.path)
    if backups and _file_digest(backups[0].path) == content_digest(store.db.conn):
        return None
    return create_backup(store, "startup")


def find_backup(db_path: str | Path, name: str) -> BackupInfo:
    """A backup by file name (with or without ``.sqlite3``) or by its sequence number."""
    backups = list_backups(db_path)
    key = name.strip()
    for b in backups:
        if key in (b.name, b.path.stem) or (key.isdigit() and int(key) == b.seq):
            return b
    raise StorageError(f"没有名为“{name}”的备份。可用 backup list 查看所有备份。")


def _checkpoint(path: Path) -> None:
    """Write the WAL into the main file; closing the last connection removes -wal and -shm."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _is_damaged(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    try:
        check_file(path)
    except DatabaseUnusableError:
        return True
    return False


def _aside_name(db_path: Path, tag: str) -> Path:
    now = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        extra = "" if n == 1 else f"-{n}"
        candidate = db_path.with_name(f"{db_path.stem}.{tag}-{now}{extra}{db_path.suffix}")
        sidecars = [candidate.with_name(candidate.name + s) for s in ("-wal", "-shm", "-journal")]
        if not candidate.exists() and not any(p.exists() for p in sidecars):
            return candidate
        n += 1


def _move_aside(db_path: Path, tag: str) -> Path | None:
    """Give the database (and its WAL/shared-memory/journal files) a new name; nothing is deleted.

    The main file gets a second name (a hard link) and keeps its own until the
    caller replaces it, so a crash at any point leaves a database at ``db_path``.
    Where hard links are not possible (FAT), it is renamed.
    """
    parts = [s for s in ("-wal", "-shm", "-journal", "") if db_path.with_name(db_path.name + s).exists()]
    if not parts:
        return None
    aside = _aside_name(db_path, tag)
    for suffix in parts:
        source, target = db_path.with_name(db_path.name + suffix), aside.with_name(aside.name + suffix)
        if suffix == "":
            try:
                os.link(source, target)
                continue
            except OSError:
                pass
        os.rename(source, target)
    _fsync_dir(db_path.parent)
    logger.info("database %s kept aside as %s", db_path, aside)
    return aside


def restore_backup(db_path: str | Path, backup: BackupInfo | str | Path) -> RestoreResult:
    """Replace the database with a backup; the current file is renamed and kept, never overwritten.

    The database must not be open (close the store first; another copy of the
    application must be closed too). The backup is copied with the backup API into a
    temporary file beside the database, checked, and only then moved into place.
    """
    db_path = Path(db_path)
    if not isinstance(backup, BackupInfo):
        candidate = Path(backup)
        backup = next((b for b in list_backups(db_path) if b.path == candidate), None) or find_backup(
            db_path, str(backup)
        )
    try:
        check_file(backup.path)
    except (DatabaseUnusableError, StorageError) as exc:
        raise StorageError(f"备份“{backup.name}”不能用于恢复：{exc}") from exc
    if held_in_this_process(db_path):
        raise StorageError("数据库仍在本程序中打开，请先关闭后再恢复。")
    lock = InstanceLock(db_path)
    if not lock.acquire():
        raise StorageError(f"{lock.holder()}正在使用该数据库，请先关闭它再恢复备份。")
    for stale in db_path.parent.glob(f".{db_path.name}.restoring-*"):  # left by an interrupted restore
        _remove_quietly(stale)
    tmp = db_path.with_name(f".{db_path.name}.restoring-{os.urandom(16).hex()}")
    aside = None
    try:
        src = sqlite3.connect(backup.path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            _copy_with_backup_api(src, tmp)
        finally:
            src.close()
        check_file(tmp)
        damaged = db_path.exists() and _is_damaged(db_path)
        if db_path.exists() and not damaged:
            _checkpoint(db_path)  # fold the WAL in, so one rename moves the whole database
        aside = _move_aside(db_path, "damaged" if damaged else "replaced")
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except (sqlite3.Error, OSError) as exc:
        if aside is None:
            raise StorageError(f"恢复备份失败：{exc}。数据库文件没有被改动。") from exc
        raise StorageError(f"恢复备份失败：{exc}。原数据库文件已重命名保留为：{aside}") from exc
    finally:
        _remove_quietly(tmp)
        lock.release()
    logger.info("database %s restored from %s (previous file: %s)", db_path, backup.path, aside)
    return RestoreResult(backup, aside, damaged)
