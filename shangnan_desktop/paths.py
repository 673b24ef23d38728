"""Where the user's data lives: outside the program folder, so upgrades keep it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from shangnan_desktop import APP_ID

DB_FILENAME = "shangnan.sqlite3"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def default_db_path() -> Path:
    """``SHANGNAN_DB`` if set, else the database in the user's data folder."""
    env = os.environ.get("SHANGNAN_DB")
    return Path(env) if env else data_dir() / DB_FILENAME
