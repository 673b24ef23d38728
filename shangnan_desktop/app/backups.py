"""Back up and restore the database, and read the audit log (谁、何时、改了什么)."""

from __future__ import annotations

from pathlib import Path

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.audit import HEADER as AUDIT_HEADER
from shangnan_desktop.storage.audit import audit_entries, audit_rows, safe_cell
from shangnan_desktop.storage.backup import (
    BackupInfo,
    RestoreResult,
    backup_dir,
    find_backup,
    good_backups,
    is_good,
    list_backups,
    restore_backup,
)
from shangnan_desktop.storage.backup import create_backup as _create_backup


def create_backup(store: Store, reason: str = "manual") -> BackupInfo:
    """A consistent copy of the open database into its backups folder."""
    return _create_backup(store, reason)


def restore(db_path: str | Path, backup: BackupInfo | str | Path) -> RestoreResult:
    """Put ``backup`` in place of the database file; the current file is renamed and kept, never deleted."""
    return restore_backup(Path(db_path), backup)


def audit_table(store: Store, period: Period | None = None, limit: int | None = None) -> list[tuple[str, ...]]:
    """The audit log as display rows (newest first), the columns of ``AUDIT_HEADER``."""
    return audit_rows(store, period, limit)


__all__ = [
    "AUDIT_HEADER", "BackupInfo", "RestoreResult", "audit_entries", "audit_table", "backup_dir", "create_backup",
    "find_backup", "good_backups", "is_good", "list_backups", "restore", "safe_cell",
]
