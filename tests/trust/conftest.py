import pytest

from shangnan_desktop.storage import Store


@pytest.fixture
def seeded(tmp_path):
    """A seeded reference database (2021 Q2), closed, so a child process can open it."""
    path = tmp_path / "data" / "shangnan.sqlite3"
    path.parent.mkdir()
    Store.open(path).close()
    return path
