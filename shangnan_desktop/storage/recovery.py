"""Opening the database at application start: damage check, read-only second copy, start-up backup, recovery."""

from __future__ import annotations

import logging
from pathlib import Path

from shangnan_desktop.storage.backup import BackupInfo, RestoreResult, backup_if_changed, good_backups, restore_backup
from shangnan_desktop.storage.db import StorageError
from shangnan_desktop.storage.store import Store

logger = logging.getLogger(__name__)


def open_or_recover(path: str | Path, *, seed: bool = True) -> Store:
    """Open the database the way the application does at start.

    - A damaged file or a newer schema raises ``DatabaseDamagedError`` /
      ``DatabaseTooNewError`` (both ``DatabaseUnusableError``): ``str(err)`` is the
      Chinese message, ``err.backups`` the good backups newest first, ``err.path`` the
      file. The file is not touched; offer ``recover(err.path, err.newest_backup)``.
    - If another copy of the application has the file open, the store is read-only
      and ``store.readonly_reason`` is the message to show.
    - Otherwise, if the data changed since the newest backup, a start-up backup is
      made (``store.startup_backup``); if that fails, ``store.backup_warning`` says why
      and the application still opens.
    """
    store = Store.open(path, seed=seed)
    store.startup_backup = None
    store.backup_warning = None
    if not store.readonly:
        try:
            store.startup_backup = backup_if_changed(store)
        except StorageError as exc:
            logger.error("start-up backup failed: %s", exc)
            store.backup_warning = str(exc)
    return store


def recover(path: str | Path, backup: BackupInfo | str | Path | None = None) -> RestoreResult:
    """Keep the current (damaged) file aside under a new name and restore ``backup``.

    Without ``backup`` the newest good backup is used. Returns where the old file
    went (``result.aside``); open the database again afterwards.
    """
    if backup is None:
        backups = good_backups(path)
        if not backups:
            raise StorageError("没有可用的备份,无法恢复。请保留损坏的文件,并联系技术人员。")
        backup = backups[0]
    return restore_backup(path, backup)
