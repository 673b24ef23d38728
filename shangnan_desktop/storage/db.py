"""SQLite connection: pragmas, migrations, one transaction per user action, typed errors."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import weakref
from pathlib import Path
from typing import Iterator

from shangnan_desktop.domain.errors import DomainError, os_error_text  # noqa: F401 (re-exported)
from shangnan_desktop.storage.backup import create_backup, good_backups, offer_text
from shangnan_desktop.storage.instance import InstanceLock
from shangnan_desktop.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from shangnan_desktop.storage.network import network_share_reason
from shangnan_desktop.storage.protect import remember_database
from shangnan_desktop.storage.sqlite_file import (  # noqa: F401 (re-exported: the names storage has always offered)
    APPLICATION_ID,
    FULL_CHECK_LIMIT,
    DatabaseDamagedError,
    DatabaseTooNewError,
    DatabaseUnusableError,
    ReadOnlyError,
    StorageError,
    _not_ours,
    _reference_schema,
    _schema_shape,
    _split,
    _too_new,
    check_file,
    translate_error,
)

logger = logging.getLogger(__name__)


class Database:
    """One SQLite file, in autocommit mode with explicit transactions."""

    def __init__(self, path: str | Path, *, readonly: bool = False, verify: bool = True,
                 fs_type=None) -> None:
        """Open ``path``; unless ``readonly``, take the one-writer lock first.

        If another process holds the lock, the database opens read-only instead and
        ``readonly_reason`` says why (in Chinese). With ``verify`` an existing file is
        checked whole, read-only, before anything writes to it: damage or a newer
        schema raise ``DatabaseDamagedError`` / ``DatabaseTooNewError`` naming the
        newest good backup, and the file is left exactly as it was.
        """
        self.path = Path(path)
        self.readonly = readonly
        remember_database(self.path)
        self.readonly_reason: str | None = None
        self.lock: InstanceLock | None = None
        network = network_share_reason(self.path, fs_type)
        if network is not None:
            if not self.path.exists():
                raise StorageError(network.split("因此")[0] + "因此不能在这里新建数据库。请在本机的文件夹中新建。")
            self.readonly = True
            if not readonly:
                self.readonly_reason = network
        if not self.readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
        try:
            if verify:
                self._verify()
            self._connect()
            if self.lock is not None and not self.lock.bind_identity():
                # Created just now, and another process opened it under another name meanwhile.
                self.conn.close()
                self._release_lock()
                self.readonly = True
                self.readonly_reason = "另一个程序副本正在使用该数据库，本窗口以只读方式打开，不能修改。"
                self._connect()
        except BaseException:
            self._release_lock()
            raise

    def _take_lock(self) -> None:
        lock = InstanceLock(self.path)
        try:
            acquired = lock.acquire()
        except OSError as exc:
            logger.warning("cannot create lock file %s: %s", lock.path, exc)
            self.readonly = True
            self.readonly_reason = (
                "无法在数据库所在文件夹创建锁文件（文件夹可能是只读的），本窗口以只读方式打开，不能修改。"
            )
            return
        if acquired:
            self.lock = lock
            # A Database dropped without close() (a command that just returns) gives the lock back too.
            self._lock_finalizer = weakref.finalize(self, lock.release)
            return
        self.readonly = True
        self.readonly_reason = (
            f"{lock.holder()}正在使用该数据库。为免两处同时修改而互相覆盖，本窗口以只读方式打开："
            "可以查看和导出，不能修改。请关闭另一个副本后重新打开。"
        )
        logger.info("database %s is in use by another process; opened read-only", self.path)

    def _release_lock(self) -> None:
        if self.lock is not None:
            self._lock_finalizer()
            self.lock = None

    def _verify(self) -> None:
        try:
            exists = self.path.exists()
            size = self.path.stat().st_size if exists else 0
        except OSError as exc:
            raise StorageError(f"无法读取数据库文件“{self.path}”：{os_error_text(exc)}") from exc
        try:
            if exists and size > 0:
                check_file(self.path, stamped=False)
            elif exists:
                # A database is never 0 bytes: it was truncated or emptied, and the clerk's
                # data is gone from it. Refuse, leave the file as it is, offer the newest backup.
                raise DatabaseDamagedError(
                    "数据库文件是空的（0字节），可能在写入时被截断或被其他程序清空，其中的数据已不在。"
                    "该文件已原样保留，没有被改动。"
                )
            elif not self.readonly:
                # A missing file would be created afresh; with backups beside it
                # the clerk's data existed, so say so instead of starting an empty database.
                if good_backups(self.path):
                    raise DatabaseDamagedError(
                        "找不到数据库文件（可能被移动、删除，或上次恢复备份时被中断），但备份文件夹中有它的备份。"
                    )
        except DatabaseUnusableError as exc:
            raise with_backups(exc, self.path) from exc

    def _connect(self) -> None:
        try:
            if self.readonly:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 3000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not self.readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
            self.version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if not self.readonly:
                self._stamp()
        except sqlite3.Error as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            raise translate_error(exc) or StorageError(f"无法打开数据库：{exc}") from exc
        if self.version > SCHEMA_VERSION:
            self.conn.close()
            raise with_backups(_too_new(self.version), self.path)

    def _stamp(self) -> None:
        """Give a new file, or one recognised as ours by its schema, our ``application_id``."""
        current = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if current == APPLICATION_ID:
            return
        if current != 0:  # checked before connecting; a file changed since then is not ours
            self.conn.close()
            raise with_backups(_not_ours(), self.path)
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def close(self) -> None:
        self.conn.close()
        self._release_lock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; disk errors become StorageError."""
        if self.readonly:
            raise ReadOnlyError("数据库以只读方式打开（另一个窗口正在使用它），不能修改。")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate_error(exc) or exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                mapped = translate_error(exc)
                if mapped is not None:
                    raise mapped from exc
            raise

    @property
    def is_empty(self) -> bool:
        return self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0

    def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Run the pending migrations up to ``target``, each atomic with its version bump."""
        ran = 0
        if 0 < self.version < target and not self.readonly:
            create_backup(self, "migration")
        while self.version < target:
            step = self.version + 1
            logger.info("migrating database %s to schema version %d", self.path, step)
            with self.transaction() as conn:
                for statement in _split(MIGRATIONS[step - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step}")
            self.version = step
            ran += 1
        return ran

    def schema(self) -> list[tuple[str, str, str]]:
        """The schema as (type, name, sql), for comparing databases."""
        return [
            tuple(r)
            for r in self.conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
            )
        ]


# Above this size the open check reads the b-trees only (quick_check), not every index entry.

def with_backups(exc: DatabaseUnusableError, path: Path) -> DatabaseUnusableError:
    """The same error, its message completed with the newest good backup (if any)."""
    backups = good_backups(path)
    return type(exc)(f"{exc}{offer_text(path, backups)}", path=path, backups=backups)


