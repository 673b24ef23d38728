"""SQLite storage: schema, migrations, transactions, backups."""

from shangnan_desktop.storage.db import (
    Database,
    DatabaseDamagedError,
    DatabaseTooNewError,
    DatabaseUnusableError,
    ReadOnlyError,
    StorageError,
)
from shangnan_desktop.storage.store import PeriodInfo, Store

__all__ = [
    "Database", "DatabaseDamagedError", "DatabaseTooNewError", "DatabaseUnusableError", "PeriodInfo", "ReadOnlyError",
    "StorageError", "Store",
]
