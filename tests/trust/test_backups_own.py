"""Issue 12, data lost: each database's backups are its own, even when two share a stem."""

from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import KEEP, create_backup, list_backups
from tests.trust.cli import cli


def _db(folder, name, submitted):
    path = folder / name
    store = Store.open(path)
    store.set_counts(store.latest_period(), store.find_unit("试马镇").id, [submitted, 0])
    create_backup(store, "manual")
    store.close()
    return path


def _submitted(path):
    store = Store.open(path, readonly=True)
    try:
        return store.counts(store.latest_period(), store.find_unit("试马镇").id)[0]
    finally:
        store.close()


def test_restore_latest_restores_its_own_backup(tmp_path):
    names = ["data.db", "data.sqlite3", "data", "data.db.bak"]
    paths = {name: _db(tmp_path, name, i + 11) for i, name in enumerate(names)}
    for name, path in paths.items():
        assert len(list_backups(path)) == 1, name
    for i, (name, path) in enumerate(paths.items()):
        store = Store.open(path)  # change it after the backup, then restore
        store.set_counts(store.latest_period(), store.find_unit("试马镇").id, [99, 0])
        store.close()
        result = cli("backup", "restore", "--latest", db=path)
        assert result.code == 0, result
        assert _submitted(path) == i + 11, name
    # the other databases were not touched by any of the restores
    assert [_submitted(p) for p in paths.values()] == [11, 12, 13, 14]


def test_pruning_one_database_keeps_the_others_backups(tmp_path):
    a = _db(tmp_path, "data.db", 5)
    b = _db(tmp_path, "data.sqlite3", 6)
    kept = list_backups(b)
    store = Store.open(a)
    for _ in range(KEEP + 3):
        create_backup(store, "manual")
    store.close()
    assert len(list_backups(a)) == KEEP
    assert list_backups(b) == kept and all(x.path.exists() for x in kept)


def test_backup_list_shows_only_its_own(tmp_path):
    a = _db(tmp_path, "data.db", 5)
    _db(tmp_path, "data.sqlite3", 6)
    out = cli("backup", "list", db=a).out
    assert "共1个备份" in out and "data.sqlite3-" not in out


def test_backups_named_by_older_versions_still_found_when_unambiguous(tmp_path):
    a = _db(tmp_path, "shangnan.sqlite3", 7)
    [new] = list_backups(a)
    legacy = new.path.with_name(new.name.replace("shangnan.sqlite3-", "shangnan-").replace("-000001-", "-000000-"))
    new.path.rename(legacy)
    assert [b.path for b in list_backups(a)] == [legacy]
    _db(tmp_path, "shangnan.db", 8)  # now the stem is shared: the old name no longer says whose it is
    assert legacy not in [b.path for b in list_backups(a)]
