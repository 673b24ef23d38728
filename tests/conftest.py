"""Shared fixtures: headless Qt, a fresh database per test, isolated Qt settings and data folder."""

import os

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from shangnan_desktop.reports.fonts import BUNDLED_ENV  # noqa: E402
from shangnan_desktop.storage import Store  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "shangnan.sqlite3"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def pdf_fonts(monkeypatch):
    """PDFs use only the bundled fonts, identical on every machine (set per test, never at import).

    A test that wants this PC's own fonts calls ``monkeypatch.delenv(BUNDLED_ENV)``; module- and
    session-scoped fixtures use ``tests.pdf_fonts.bundled_fonts()``.
    """
    monkeypatch.setenv(BUNDLED_ENV, "1")


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Keep every test away from the user's database, logs and Qt settings (and out of ``tmp_path``)."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SHANGNAN_DB", str(home / "default" / "shangnan.sqlite3"))
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    from PySide6.QtCore import QSettings

    settings_dir = home / "qsettings"
    settings_dir.mkdir()
    old_format = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(settings_dir))
    yield
    QSettings.setDefaultFormat(old_format)
