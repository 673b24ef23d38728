"""Issue 12, data lost: a database on a network share is opened read-only, with the reason and what to do."""

import pytest

from shangnan_desktop.storage import ReadOnlyError, Store
from shangnan_desktop.storage.db import StorageError
from shangnan_desktop.storage.network import is_unc, linux_fs_type, network_share_reason
from tests.trust.cli import digest

MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/office nfs4 rw 0 0
//pc2/共享 /mnt/smb cifs rw 0 0
/dev/sdb1 /mnt/office/local ext4 rw 0 0
/dev/sdc1 /mnt/with\\040space cifs rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/mnt/office/data/x.sqlite3", "nfs4"), ("/mnt/smb/x.sqlite3", "cifs"), ("/home/a/x.sqlite3", "ext4"),
    ("/mnt/office/local/x.sqlite3", "ext4"), ("/mnt/officeX/x.sqlite3", "ext4"), ("/mnt/with space/x", "cifs"),
])
def test_mount_table_lookup(path, kind):
    assert linux_fs_type(path, MOUNTS) == kind


@pytest.mark.parametrize("path, unc", [
    (r"\\server\share\数据\x.sqlite3", True), ("//server/share/x.sqlite3", True),
    (r"\\?\UNC\server\share\x.sqlite3", True), (r"\\?\C:\data\x.sqlite3", False),
    (r"C:\data\x.sqlite3", False), ("/home/a/x.sqlite3", False),
])
def test_unc_paths(path, unc):
    assert is_unc(path) is unc
    assert (network_share_reason(path, lambda p: None) is not None) is unc


@pytest.mark.parametrize("kind", ["nfs", "nfs4", "cifs", "smb3", "smbfs", "remote"])
def test_database_on_share_opens_read_only_with_reason(seeded, kind):
    before = digest(seeded)
    store = Store.open(seeded, fs_type=lambda p: kind)
    try:
        assert store.readonly
        reason = store.readonly_reason
        assert "网络共享" in reason and "只读" in reason and "复制到本机" in reason and "备份" in reason
        with pytest.raises(ReadOnlyError):
            store.set_counts(store.latest_period(), store.find_unit("试马镇").id, [3, 1])
        assert store.periods()
    finally:
        store.close()
    assert digest(seeded) == before


@pytest.mark.parametrize("kind", ["ext4", "xfs", "btrfs", "tmpfs", "ntfs", None])
def test_local_file_systems_open_for_writing(seeded, kind):
    store = Store.open(seeded, fs_type=lambda p: kind)
    try:
        assert not store.readonly
    finally:
        store.close()


def test_new_database_is_not_created_on_a_share(tmp_path):
    path = tmp_path / "share" / "x.sqlite3"
    with pytest.raises(StorageError) as err:
        Store.open(path, fs_type=lambda p: "cifs")
    assert "网络共享" in str(err.value)
    assert not path.exists()


def test_real_mount_table_is_consulted(seeded):
    """With the default lookup, this machine's own /proc/mounts decides (local here: writable)."""
    store = Store.open(seeded)
    try:
        assert store.readonly is (network_share_reason(seeded) is not None)
    finally:
        store.close()
