"""Files no export, audit or backup output may ever be written over.

Every database this process opens is remembered (for the life of the process):
the file itself, its ``-wal``, ``-shm``, ``-journal`` and lock files, and its
backups are protected. Targets are compared by identity (device and inode, so a
hard link or symlink is caught) and, for files that do not exist yet, by their
resolved path.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from shangnan_desktop.storage.backup import list_backups

_known: dict[str, Path] = {}
_guard = threading.Lock()
_SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")
_BACKUP_NAME = re.compile(r"^.+-\d{6,}-\d{8}-\d{6}-[a-z]+\.sqlite3$")


def _norm(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def remember_database(path: str | Path) -> None:
    """Protect ``path`` and its companions for the rest of this process."""
    p = Path(path)
    with _guard:
        _known[_norm(p)] = p


def protected_paths(db_path: str | Path) -> list[Path]:
    """The database, its side files and its backups."""
    db = Path(db_path)
    paths = [db, *(db.with_name(db.name + s) for s in _SIDE_FILES)]
    paths += [b.path for b in list_backups(db)]
    return paths


def _same(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass
    return _norm(a) == _norm(b)


def protected_reason(target: str | Path, extra: tuple[str | Path, ...] = ()) -> str | None:
    """A Chinese sentence if ``target`` is a database, its side file or a backup; else ``None``."""
    target = Path(target)
    with _guard:
        dbs = list(_known.values())
    dbs += [Path(p) for p in extra]
    for db in dbs:
        for p in protected_paths(db):
            if _same(target, p):
                what = "数据库文件" if p == db else ("备份文件" if p.parent.name == "backups" else "数据库的附属文件")
                return (
                    f"“{target}”是本程序的{what}（{p.name}），不能用来保存导出的内容，否则数据会被覆盖。"
                    "请换一个文件名或文件夹。"
                )
    if target.parent.name == "backups" and _BACKUP_NAME.match(target.name):
        return f"“{target}”是一个备份文件，不能用来保存导出的内容。请换一个文件名或文件夹。"
    return None
