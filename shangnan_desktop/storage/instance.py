"""One writer per database file: an OS file lock, shared within a process.

The lock follows the file's identity, not the path used to reach it: the lock file
is named after the database's real path (a symlink leads to the same lock file), and
on POSIX the database file itself is also ``flock``-ed, so a hard link under another
name meets the same lock (SQLite's own locks are ``fcntl`` locks, independent of
``flock``). Within one process the registry is keyed by (device, inode). The lock
file is opened without following symlinks: a planted link cannot make us truncate
another file.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import platform
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

# Windows locks a byte range; lock one byte far past the holder text so it stays readable.
_WIN_LOCK_OFFSET = 1 << 20
_registry: dict[str, "_Held"] = {}
_registry_guard = threading.Lock()


class _Held:
    def __init__(self, fd: int, identity_fd: int | None = None) -> None:
        self.fd = fd
        self.identity_fd = identity_fd
        self.count = 1


def lock_path(db_path: str | Path) -> Path:
    """``<db>.lock`` beside the database's real file (symlinks resolved)."""
    path = Path(db_path)
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + ".lock")


def _key(db_path: str | Path) -> str:
    """The file's identity (device, inode) when it exists, else its real path."""
    try:
        st = os.stat(db_path)
    except OSError:
        return "path:" + os.path.normcase(os.path.realpath(db_path))
    return f"id:{st.st_dev}:{st.st_ino}"


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def os_user() -> str:
    """The operating-system account running this process (Windows: the logged-on user)."""
    try:
        if os.name == "nt":
            return os.getlogin()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # noqa: BLE001 - fall back to the environment
        try:
            import getpass

            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name is not worth failing a save
            return "未知用户"


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock_file(path: Path) -> int:
    """Open (creating) the lock file; never through a symlink, never anything but a plain file."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o666)
    try:
        import stat as _stat

        if not _stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"lock file {path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _lock_identity(db_path: Path) -> int:
    """``flock`` the database file itself (POSIX); the fd, or -1 if another process holds it."""
    import fcntl

    fd = os.open(db_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return -1
    except BaseException:
        os.close(fd)
        raise
    return fd


class InstanceLock:
    """Exclusive right to write one database file.

    Between processes the lock is exclusive (``flock`` / ``msvcrt.locking``; the OS
    drops it when the holder dies, even by ``kill -9``). Within one process it is
    shared and counted, so opening the same file twice in one program is allowed.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self.acquired = False

    def acquire(self) -> bool:
        """Take the lock if no other process holds it; ``False`` if one does."""
        if self.acquired:
            return True
        key = _key(self.db_path)
        with _registry_guard:
            held = _registry.get(key)
            if held is not None:
                held.count += 1
                self.key = key
                self.acquired = True
                return True
            fd = _open_lock_file(self.path)
            if not _try_lock(fd):
                os.close(fd)
                return False
            identity_fd = None
            if os.name != "nt" and self.db_path.exists():
                try:
                    identity_fd = _lock_identity(self.db_path)
                except OSError:
                    identity_fd = None
                if identity_fd == -1:  # another process has the same file open under another name
                    _unlock(fd)
                    return False
            _registry[key] = _Held(fd, identity_fd)
            self.key = key
            self.acquired = True
        self._write_holder(fd)
        return True

    def _write_holder(self, fd: int) -> None:
        since = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        text = f"{os.getpid()}\n{os_user()}\n{platform.node()}\n{since}\n"
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, text.encode("utf-8"))
        except OSError as exc:  # the lock still holds; the text is only for messages
            logger.warning("could not write lock holder to %s: %s", self.path, exc)

    def bind_identity(self) -> bool:
        """After the database file was created: lock it by identity too; ``False`` if another process has it."""
        if not self.acquired or os.name == "nt":
            return True
        with _registry_guard:
            held = _registry.get(self.key)
            if held is None or held.identity_fd is not None:
                return True
            try:
                fd = _lock_identity(self.db_path)
            except OSError:
                return True
            if fd == -1:
                return False
            held.identity_fd = fd
            new_key = _key(self.db_path)
            if new_key != self.key:
                _registry[new_key] = _registry.pop(self.key)
                self.key = new_key
        return True

    def release(self) -> None:
        if not self.acquired:
            return
        self.acquired = False
        key = getattr(self, "key", None) or _key(self.db_path)
        with _registry_guard:
            held = _registry.get(key)
            if held is None:
                return
            held.count -= 1
            if held.count == 0:
                del _registry[key]
                if held.identity_fd is not None:
                    _unlock(held.identity_fd)
                _unlock(held.fd)

    def holder(self) -> str:
        """Who holds the lock, as a Chinese phrase for messages (best effort)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        if len(lines) < 4:
            return "另一个程序副本"
        pid, user, host, since = lines[:4]
        return f"另一个程序副本（用户{user}，计算机{host}，进程{pid}，{since}起）"

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def held_in_this_process(db_path: str | Path) -> bool:
    """Whether this process has the database open for writing."""
    with _registry_guard:
        return _key(db_path) in _registry or (
            "path:" + os.path.normcase(os.path.realpath(db_path))) in _registry
