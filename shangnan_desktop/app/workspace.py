"""Open, create, recover and close a workspace (the database file), with the start-up backup."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from shangnan_desktop.storage import DatabaseUnusableError, StorageError, Store
from shangnan_desktop.storage.backup import BackupInfo, RestoreResult, backup_if_changed, good_backups, restore_backup

logger = logging.getLogger(__name__)


#: The open workspace as the window and the command line hold it: a handle to hand to the use cases in ``app``
#: (its methods are storage's API, not the views'). ``OpenedWorkspace.store`` is one.
Workspace = Store


def database_path(store: Workspace) -> Path:
    """The database file the workspace works on (absolute)."""
    return Path(store.path).resolve()


def readonly_reason(store: Workspace) -> str | None:
    """Why the workspace is read-only (another copy has the file open), or None when it can be changed."""
    return store.readonly_reason if store.readonly else None


def is_readonly(store: Workspace) -> bool:
    return bool(store.readonly)


@contextlib.contextmanager
def workspace(path: str | Path, *, readonly: bool = False) -> Iterator[Store]:
    """The store at ``path``, closed when the block ends (also on an error)."""
    store = Store.open(Path(path), readonly=readonly)
    try:
        yield store
    finally:
        store.close()


def create_workspace(path: str | Path) -> list[str]:
    """Create and seed a new database; returns the labels of the periods it holds."""
    with workspace(path) as store:
        return [info.period.label for info in store.periods()]


@dataclass
class OpenedWorkspace:
    """The store the window works on, and what happened while opening it.

    ``startup_backup``: the backup made because the data changed since the newest one (``None``: none needed,
    or read-only). ``backup_warning``: why that backup failed (the window still opens), else ``None``.
    """

    store: Store
    startup_backup: BackupInfo | None = None
    backup_warning: str | None = None

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def readonly_reason(self) -> str | None:
        return self.store.readonly_reason

    def close(self) -> None:
        self.store.close()


def open_workspace(path: str | Path, *, seed: bool = True) -> OpenedWorkspace:
    """Open the database the way the window does at start.

    - A damaged file or a newer schema raises ``DatabaseDamagedError`` / ``DatabaseTooNewError`` (both
      ``DatabaseUnusableError``): ``str(err)`` is the Chinese message, ``err.backups`` the good backups newest
      first, ``err.path`` the file. The file is not touched; offer ``recover(err.path, err.newest_backup)``.
    - If another copy of the application has the file open, the store is read-only and
      ``readonly_reason`` is the message to show.
    - Otherwise, if the data changed since the newest backup, a start-up backup is made; if that fails,
      ``backup_warning`` says why and the workspace still opens.
    """
    store = Store.open(path, seed=seed)
    opened = OpenedWorkspace(store)
    if not store.readonly:
        try:
            opened.startup_backup = backup_if_changed(store)
        except StorageError as exc:
            logger.error("start-up backup failed: %s", exc)
            opened.backup_warning = str(exc)
    return opened


def recover(path: str | Path, backup: BackupInfo | str | Path | None = None) -> RestoreResult:
    """Keep the current (damaged) file aside under a new name and restore ``backup``.

    Without ``backup`` the newest good backup is used. Returns where the old file went (``result.aside``);
    open the workspace again afterwards.
    """
    if backup is None:
        backups = good_backups(path)
        if not backups:
            raise StorageError("没有可用的备份，无法恢复。请保留损坏的文件，并联系技术人员。")
        backup = backups[0]
    return restore_backup(path, backup)


__all__ = [
    "DatabaseUnusableError", "StorageError", "OpenedWorkspace", "Workspace", "create_county_workspace",
    "create_workspace", "database_path", "is_readonly", "open_workspace", "readonly_reason", "recover",
    "units_from_xlsx", "workspace",
]


def create_county_workspace(path: str | Path, setup) -> list[str]:
    """Create a new county's database (``storage.county.CountySetup``: settings, groups and units, the
    first period and its rule), built whole before it gets its name; returns its periods' labels."""
    from shangnan_desktop.storage.county import county_loader  # a new county's database: rarely

    store = Store.create(Path(path), county_loader(setup))
    try:
        return [info.period.label for info in store.periods()]
    finally:
        store.close()


def units_from_xlsx(path: str | Path, column: int = 1) -> list[str]:
    """A group's unit names from one column of an .xlsx (the setup wizard)."""
    from shangnan_desktop.reports.unit_list import read_unit_column  # loads openpyxl: only when asked

    return read_unit_column(path, column)
