"""SQLite connection: pragmas, migrations, one transaction per user action, typed errors."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path
from typing import Iterator

from shangnan_desktop.domain.errors import DomainError
from shangnan_desktop.storage.migrations import MIGRATIONS, SCHEMA_VERSION

logger = logging.getLogger(__name__)


class StorageError(DomainError):
    """A problem with the database file the clerk must be told about."""


class DatabaseTooNewError(StorageError):
    """The file was written by a newer version of the application."""


class DatabaseDamagedError(StorageError):
    """The file is not a database, or it is damaged."""


class ReadOnlyError(StorageError):
    """This copy of the application opened the database read-only."""


_DISK_CODES = {
    "SQLITE_BUSY": "数据库正被另一个程序使用,请关闭其他副本后重试。",
    "SQLITE_LOCKED": "数据库正被另一个程序使用,请关闭其他副本后重试。",
    "SQLITE_READONLY": "数据库文件是只读的,无法保存。请检查文件权限或换一个位置。",
    "SQLITE_FULL": "磁盘已满,无法保存。请清理磁盘空间后重试,已保存的数据不受影响。",
    "SQLITE_IOERR": "读写数据库文件时出错,请检查磁盘或U盘是否正常。",
    "SQLITE_CANTOPEN": "无法打开数据库文件,请检查路径和权限。",
    "SQLITE_CORRUPT": "数据库文件已损坏。",
    "SQLITE_NOTADB": "该文件不是本程序的数据库,或已损坏。",
}


def translate_error(exc: sqlite3.Error) -> StorageError | None:
    """A user-facing error for disk and file problems; ``None`` for our own bugs."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for code, message in _DISK_CODES.items():
        if name.startswith(code):
            cls = DatabaseDamagedError if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") else StorageError
            return cls(message)
    text = str(exc)
    if "database is locked" in text:
        return StorageError(_DISK_CODES["SQLITE_BUSY"])
    if "readonly" in text:
        return StorageError(_DISK_CODES["SQLITE_READONLY"])
    if "file is not a database" in text or "malformed" in text:
        return DatabaseDamagedError(_DISK_CODES["SQLITE_NOTADB"])
    return None


class Database:
    """One SQLite file, in autocommit mode with explicit transactions."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 3000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
            self.version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise translate_error(exc) or StorageError(f"无法打开数据库:{exc}") from exc
        if self.version > SCHEMA_VERSION:
            self.conn.close()
            raise DatabaseTooNewError(
                f"该数据库由更新版本的程序创建(结构版本{self.version},本程序支持到{SCHEMA_VERSION})。"
                "请安装最新版本的程序后再打开,数据未作任何改动。"
            )

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; disk errors become StorageError."""
        if self.readonly:
            raise ReadOnlyError("数据库以只读方式打开(另一个窗口正在使用它),不能修改。")
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


def _split(script: str) -> list[str]:
    """Split a migration script into statements (no triggers with inner semicolons here)."""
    return [s.strip() for s in script.split(";") if s.strip()]
