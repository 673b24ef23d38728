"""One writer per database file: an OS file lock on ``<db>.lock``, shared within a process."""

from __future__ import annotations

import datetime as _dt
import logging
import os
import socket
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

# Windows locks a byte range; lock one byte far past the holder text so it stays readable.
_WIN_LOCK_OFFSET = 1 << 20
_registry: dict[str, "_Held"] = {}
_registry_guard = threading.Lock()


class _Held:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.count = 1


def lock_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


def _key(db_path: str | Path) -> str:
    return os.path.normcase(str(Path(db_path).resolve()))


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
                self.acquired = True
                return True
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            if not _try_lock(fd):
                os.close(fd)
                return False
            _registry[key] = _Held(fd)
            self.acquired = True
        self._write_holder(fd)
        return True

    def _write_holder(self, fd: int) -> None:
        since = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        text = f"{os.getpid()}\n{os_user()}\n{socket.gethostname()}\n{since}\n"
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, text.encode("utf-8"))
        except OSError as exc:  # the lock still holds; the text is only for messages
            logger.warning("could not write lock holder to %s: %s", self.path, exc)

    def release(self) -> None:
        if not self.acquired:
            return
        self.acquired = False
        key = _key(self.db_path)
        with _registry_guard:
            held = _registry.get(key)
            if held is None:
                return
            held.count -= 1
            if held.count == 0:
                del _registry[key]
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
        return f"另一个程序副本(用户{user},计算机{host},进程{pid},{since}起)"

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def held_in_this_process(db_path: str | Path) -> bool:
    """Whether this process has the database open for writing."""
    with _registry_guard:
        return _key(db_path) in _registry
