"""Shared fixtures: headless Qt, a fresh database per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from shangnan_desktop.storage import Store  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "shangnan.sqlite3"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()
