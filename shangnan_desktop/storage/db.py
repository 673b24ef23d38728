"""SQLite connection: pragmas, migrations, one transaction per user action, typed errors."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import weakref
from pathlib import Path
from typing import Iterator

from shangnan_desktop.domain.errors import DomainError
from shangnan_desktop.storage.instance import InstanceLock
from shangnan_desktop.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from shangnan_desktop.storage.protect import remember_database

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
        from shangnan_desktop.storage.network import network_share_reason

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
                self.readonly_reason = "另一个程序副本正在使用该数据库,本窗口以只读方式打开,不能修改。"
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
                "无法在数据库所在文件夹创建锁文件(文件夹可能是只读的),本窗口以只读方式打开,不能修改。"
            )
            return
        if acquired:
            self.lock = lock
            # A Database dropped without close() (a command that just returns) gives the lock back too.
            self._lock_finalizer = weakref.finalize(self, lock.release)
            return
        self.readonly = True
        self.readonly_reason = (
            f"{lock.holder()}正在使用该数据库。为免两处同时修改而互相覆盖,本窗口以只读方式打开:"
            "可以查看和导出,不能修改。请关闭另一个副本后重新打开。"
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
            raise StorageError(f"无法读取数据库文件“{self.path}”:{os_error_text(exc)}") from exc
        try:
            if exists and size > 0:
                check_file(self.path, stamped=False)
            elif exists:
                # A database is never 0 bytes: it was truncated or emptied, and the clerk's
                # data is gone from it. Refuse, leave the file as it is, offer the newest backup.
                raise DatabaseDamagedError(
                    "数据库文件是空的(0字节),可能在写入时被截断或被其他程序清空,其中的数据已不在。"
                    "该文件已原样保留,没有被改动。"
                )
            elif not self.readonly:
                # A missing file would be created afresh; with backups beside it
                # the clerk's data existed, so say so instead of starting an empty database.
                from shangnan_desktop.storage.backup import good_backups

                if good_backups(self.path):
                    raise DatabaseDamagedError(
                        "找不到数据库文件(可能被移动、删除,或上次恢复备份时被中断),但备份文件夹中有它的备份。"
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
            raise translate_error(exc) or StorageError(f"无法打开数据库:{exc}") from exc
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
        if 0 < self.version < target and not self.readonly:
            from shangnan_desktop.storage.backup import create_backup

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
FULL_CHECK_LIMIT = 256 * 1024 * 1024


def _too_new(version: int) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"该数据库由更新版本的程序创建(结构版本{version},本程序支持到{SCHEMA_VERSION})。"
        "请安装最新版本的程序后再打开,数据未作任何改动。"
    )


def _not_ours() -> DatabaseDamagedError:
    return DatabaseDamagedError(
        "该文件是一个SQLite数据库,但不是本程序的数据库(可能选错了文件)。文件没有被改动。"
        "请选择本程序的数据库文件(默认名为 shangnan.sqlite3)。"
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
        raise DatabaseDamagedError("数据库文件已损坏(其中有无法识别的文字数据)。") from exc
    except sqlite3.Error as exc:
        mapped = translate_error(exc)
        if isinstance(mapped, DatabaseDamagedError):
            raise DatabaseDamagedError(f"{str(mapped).rstrip('。')}(SQLite报告:{exc})。") from exc
        raise mapped or StorageError(f"无法打开数据库:{exc}") from exc
    except OSError as exc:
        raise StorageError(f"无法读取数据库文件:{exc}") from exc
    finally:
        if conn is not None:
            conn.close()
    if problems != ["ok"]:
        logger.error("integrity check of %s failed: %s", path, problems[:5])
        raise DatabaseDamagedError(f"数据库文件已损坏(完整性检查发现{len(problems)}处问题,如:{problems[0]})。")
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
    """Read every row of the data tables with strict UTF-8 decoding (the audit log is skipped: it is large)."""
    conn.text_factory = str
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        if name not in _TEXT_CHECKED_SKIP and not name.startswith("sqlite_"):
            try:
                conn.execute(f'SELECT * FROM "{name}"').fetchall()
            except sqlite3.OperationalError as exc:  # Python's sqlite3 reports bad UTF-8 this way
                if "decode" not in str(exc):
                    raise
                raise DatabaseDamagedError("数据库文件已损坏(其中有无法识别的文字数据)。") from exc


def with_backups(exc: DatabaseUnusableError, path: Path) -> DatabaseUnusableError:
    """The same error, its message completed with the newest good backup (if any)."""
    from shangnan_desktop.storage.backup import good_backups, offer_text

    backups = good_backups(path)
    return type(exc)(f"{exc}{offer_text(path, backups)}", path=path, backups=backups)


def _split(script: str) -> list[str]:
    """Split a migration script into statements (no triggers with inner semicolons here)."""
    return [s.strip() for s in script.split(";") if s.strip()]


_ERRNO_TEXT = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "磁盘或文件夹是只读的",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "磁盘配额已用完",
    "EISDIR": "这是一个文件夹,不是文件",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "ENAMETOOLONG": "文件名或路径太长",
    "EEXIST": "文件已存在",
    "EBUSY": "文件正被其他程序使用",
    "ELOOP": "路径中的快捷方式(符号链接)层数过多或指向自身",
    "EIO": "磁盘读写出错",
    "EMFILE": "打开的文件太多",
    "EXDEV": "不能跨磁盘移动",
    "ENOTEMPTY": "文件夹不是空的",
    "ETXTBSY": "文件正被其他程序使用",
}


def os_error_text(exc: OSError) -> str:
    """An operating-system error as Chinese words (the English text only when we have none)."""
    import errno as _errno

    name = _errno.errorcode.get(exc.errno or -1, "")
    text = _ERRNO_TEXT.get(name)
    if text is None:
        winerror = getattr(exc, "winerror", None)
        text = {5: "没有权限", 32: "文件正被其他程序使用", 112: "磁盘已满", 39: "磁盘已满"}.get(winerror)
    return text or f"系统错误({exc.strerror or exc})"
