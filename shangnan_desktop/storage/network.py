"""Is the database on a network share? SQLite's locking is unreliable over SMB/NFS and WAL does not work there.

A database found on a UNC path (``\\\\server\\share\\…``), a Windows drive the
system reports as remote (``GetDriveTypeW`` = ``DRIVE_REMOTE``) or a Linux NFS /
CIFS / SMB mount is opened read-only, with a message saying why and what to do.
The file-system lookup can be replaced (``fs_type`` arguments) so that tests can
exercise every case on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath
from typing import Callable

NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs", "sshfs",
    "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "lustre", "gpfs", "fuse.rclone",
})
DRIVE_REMOTE = 4

NETWORK_MESSAGE = (
    "数据库文件在网络共享文件夹中（{where}）。多台电脑通过网络同时打开同一个数据库文件时，"
    "锁定不可靠，数据可能丢失或损坏，因此本次以只读方式打开：可以查看和导出，不能修改。"
    "请把数据库文件复制到本机（如“文档”文件夹）后打开使用；备份可以放在共享文件夹中。"
)

FsTypeLookup = Callable[[str], "str | None"]


def is_unc(path: str) -> bool:
    r"""``\\server\share\…`` or ``//server/share/…`` (also ``\\?\UNC\…``)."""
    text = str(path)
    if text.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return text.startswith(("\\\\", "//")) and bool(PureWindowsPath(text).drive)


def _windows_drive_type(path: str) -> str | None:
    import ctypes

    drive = PureWindowsPath(path).drive
    if not drive:
        return None
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return "remote" if kind == DRIVE_REMOTE else None


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs from ``/proc/mounts`` text (octal escapes decoded)."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = fields[1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")
            out.append((point, fields[2]))
    return out


def linux_fs_type(path: str, mounts_text: str | None = None) -> str | None:
    """The file-system type of the mount holding ``path`` (longest matching mount point)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best, kind = "", None
    for point, fstype in parse_mounts(mounts_text):
        prefix = point.rstrip("/") + "/"
        if (path == point or path.startswith(prefix) or point == "/") and len(point) >= len(best):
            best, kind = point, fstype
    return kind


def default_fs_type(path: str) -> str | None:
    if os.name == "nt":
        return _windows_drive_type(path)
    if os.path.exists("/proc/mounts"):
        return linux_fs_type(path)
    return None


def network_share_reason(path: str | Path, fs_type: FsTypeLookup | None = None) -> str | None:
    """The Chinese message if ``path`` is on a network share, else ``None``."""
    raw = str(path)
    if is_unc(raw):
        return NETWORK_MESSAGE.format(where=raw)
    lookup = fs_type or default_fs_type
    real = os.path.realpath(raw)
    if is_unc(real):
        return NETWORK_MESSAGE.format(where=real)
    probe = real
    while not os.path.exists(probe) and os.path.dirname(probe) != probe:  # a file not created yet
        probe = os.path.dirname(probe)
    try:
        kind = lookup(probe)
    except Exception:  # noqa: BLE001 - a failed lookup must not stop the clerk from working
        return None
    if kind == "remote" or (kind or "").lower() in NETWORK_FS_TYPES:
        return NETWORK_MESSAGE.format(where=f"{real},{kind}" if kind != "remote" else real)
    return None
