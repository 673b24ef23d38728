import pytest

from shangnan_desktop.storage import Store


@pytest.fixture
def seeded(tmp_path):
    """A seeded reference database (2021 Q2), closed, so a child process can open it."""
    path = tmp_path / "data" / "shangnan.sqlite3"
    path.parent.mkdir()
    Store.open(path).close()
    return path


def pytest_collection_modifyitems(config, items):
    """The full-size slow runs only when asked for (``-m slow`` or SHANGNAN_SLOW=1): CI stays fast."""
    import os

    wanted = "slow" in (config.getoption("-m") or "") or os.environ.get("SHANGNAN_SLOW") == "1"
    if wanted:
        return
    skip = pytest.mark.skip(reason="full-size run: use -m slow or SHANGNAN_SLOW=1")
    for item in items:
        if "slow" in item.keywords and "tests/trust/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(skip)
