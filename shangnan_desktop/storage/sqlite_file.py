"""The database file itself: our typed errors, SQLite error translation, and the read-only whole-file check.

Kept apart from ``db.py`` so that ``backup.py`` can check files without importing the connection wrapper.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from shangnan_desktop.domain.errors import DomainError
from shangnan_desktop.storage.migrations import MIGRATIONS, SCHEMA_VERSION

logger = logging.getLogger(__name__)


# ``PRAGMA application_id`` of our databases: "SNZW" (商南政务), fixed for good.
APPLICATION_ID = 0x534E5A57


class StorageError(DomainError):
    """A problem with the database file the clerk must be told about."""


class DatabaseUnusableError(StorageError):
    """The file cannot be opened as it is; ``backups`` lists good backups, newest first.

    ``path`` is the database file, ``backups`` holds ``storage.backup.BackupInfo``
    items (empty when there is none or when the error came up mid-session).
    """

    def __init__(self, message: str, *, path: Path | None = None, backups: list | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backups = list(backups or [])

    @property
    def newest_backup(self):
        return self.backups[0] if self.backups else None


class DatabaseTooNewError(DatabaseUnusableError):
    """The file was written by a newer version of the application."""


class DatabaseDamagedError(DatabaseUnusableError):
    """The file is not a database, or it is damaged."""


class ReadOnlyError(StorageError):
    """This copy of the application opened the database read-only."""


_DISK_CODES = {
    "SQLITE_BUSY": "数据库正被另一个程序使用，请关闭其他副本后重试。",
    "SQLITE_LOCKED": "数据库正被另一个程序使用，请关闭其他副本后重试。",
    "SQLITE_READONLY": "数据库文件是只读的，无法保存。请检查文件权限或换一个位置。",
    "SQLITE_FULL": "磁盘已满，无法保存。请清理磁盘空间后重试，已保存的数据不受影响。",
    "SQLITE_IOERR": "读写数据库文件时出错，请检查磁盘或U盘是否正常。",
    "SQLITE_CANTOPEN": "无法打开数据库文件，请检查路径和权限。",
    "SQLITE_CORRUPT": "数据库文件已损坏。",
    "SQLITE_NOTADB": "该文件不是本程序的数据库，或已损坏。",
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



FULL_CHECK_LIMIT = 256 * 1024 * 1024


def _too_new(version: int) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"该数据库由更新版本的程序创建（结构版本{version}，本程序支持到{SCHEMA_VERSION}）。"
        "请安装最新版本的程序后再打开，数据未作任何改动。"
    )


def _not_ours() -> DatabaseDamagedError:
    return DatabaseDamagedError(
        "该文件是一个SQLite数据库，但不是本程序的数据库（可能选错了文件）。文件没有被改动。"
        "请选择本程序的数据库文件（默认名为 shangnan.sqlite3）。"
    )


def _reference_schema(version: int) -> dict[str, tuple]:
    """Names and columns of every table and index our migrations 1..``version`` create."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            for statement in _split(script):
                conn.execute(statement)
        return _schema_shape(conn)
    finally:
        conn.close()


def _schema_shape(conn: sqlite3.Connection) -> dict[str, tuple]:
    shape = {}
    for kind, name, table in conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        if kind == "table":
            cols = tuple((r[1], r[2].upper(), r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{name}")'))
        else:
            cols = (table, tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')))
        shape[f"{kind}:{name}"] = cols
    return shape


def check_file(path: str | Path, *, stamped: bool = True) -> int | None:
    """Check a database file read-only, whole; return its schema version.

    Raises ``DatabaseDamagedError`` (not a database, truncated, damaged pages, a
    database of another program) or ``DatabaseTooNewError``. A read-only
    connection never checkpoints, so the file is not changed by the check.

    A file is ours when it carries our ``application_id``, or — written by a version
    from before the id — when its schema is exactly what our migrations made. With
    ``stamped=False`` such a file is accepted and ``None`` returned instead of the
    version, meaning "ours, to be stamped before the first write".
    """
    path = Path(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = None
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        conn.execute("PRAGMA busy_timeout = 3000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id not in (0, APPLICATION_ID):
            raise _not_ours()
        recognised = app_id == APPLICATION_ID
        if not recognised and 0 < version <= SCHEMA_VERSION:
            recognised = _schema_shape(conn) == _reference_schema(version)
            if not recognised:
                raise _not_ours()
        pragma = "integrity_check" if path.stat().st_size <= FULL_CHECK_LIMIT else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
        if problems == ["ok"]:
            _check_text(conn)
    except UnicodeDecodeError as exc:  # SQLite's own message or a stored text is not UTF-8
        raise DatabaseDamagedError("数据库文件已损坏（其中有无法识别的文字数据）。") from exc
    except sqlite3.Error as exc:
        mapped = translate_error(exc)
        if isinstance(mapped, DatabaseDamagedError):
            raise DatabaseDamagedError(f"{str(mapped).rstrip('。')}（SQLite报告：{exc}）。") from exc
        raise mapped or StorageError(f"无法打开数据库：{exc}") from exc
    except OSError as exc:
        raise StorageError(f"无法读取数据库文件：{exc}") from exc
    finally:
        if conn is not None:
            conn.close()
    if problems != ["ok"]:
        logger.error("integrity check of %s failed: %s", path, problems[:5])
        raise DatabaseDamagedError(f"数据库文件已损坏（完整性检查发现{len(problems)}处问题，如：{problems[0]}）。")
    if version > SCHEMA_VERSION:
        raise _too_new(version)
    if version == 0 and tables:
        raise _not_ours()
    if not recognised and not stamped:
        return None
    return version


# Small tables read whole at open, so damaged text fails here and not in the middle of work.
_TEXT_CHECKED_SKIP = {"audit"}


def _check_text(conn: sqlite3.Connection) -> None:
    """Read every row of the data tables with strict UTF-8 decoding (the audit log is skipped: it is large).

    A NUL character is damage too: nothing the application stores contains one (texts are cleaned of
    control characters, JSON escapes them), but a zeroed sector in the middle of a long text (an
    overflow page, whose bytes SQLite's integrity check does not look into) leaves valid UTF-8."""
    conn.text_factory = str
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        if name not in _TEXT_CHECKED_SKIP and not name.startswith("sqlite_"):
            try:
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            except sqlite3.OperationalError as exc:  # Python's sqlite3 reports bad UTF-8 this way
                if "decode" not in str(exc):
                    raise
                raise DatabaseDamagedError("数据库文件已损坏（其中有无法识别的文字数据）。") from exc
            if any("\x00" in value for row in rows for value in row if isinstance(value, str)):
                raise DatabaseDamagedError("数据库文件已损坏（文字数据中有一段被清零）。")



def _split(script: str) -> list[str]:
    """Split a migration script into statements (no triggers with inner semicolons here)."""
    return [s.strip() for s in script.split(";") if s.strip()]


