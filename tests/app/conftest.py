"""Fixtures for the application layer's use cases."""

from __future__ import annotations

import pytest

from shangnan_desktop.app.workspace import create_workspace, workspace


@pytest.fixture
def ws(db_path):
    """A new seeded database (2021Q2) opened as the window and the command line open it."""
    create_workspace(db_path)
    with workspace(db_path) as store:
        yield store
