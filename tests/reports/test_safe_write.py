"""Files appear whole or not at all; disk problems give a Chinese message and leave nothing behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

import pytest

from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.reports import safe_write
from shangnan_desktop.app.exports import export_period
from shangnan_desktop.reports.safe_write import ExportError, write_atomic, write_bytes_atomic

Q2 = Period.parse("2021Q2")
NOBODY = 65534


@contextlib.contextmanager
def unprivileged():
    """Root ignores folder permissions: drop the effective uid for the block, then restore it."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def readonly_folder():
    parent = Path(tempfile.mkdtemp(prefix="sn-ro-"))
    parent.chmod(0o755)
    folder = parent / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    parent.rmdir()


def test_error_is_a_domain_error():
    assert issubclass(ExportError, DomainError)


def test_read_only_folder_gives_chinese_error_and_no_file(store, readonly_folder, tmp_path):
    # warm up: modules and fonts are loaded before losing the right to read them
    export_period(store, Q2, "1", "both", tmp_path / "warm")
    with unprivileged():
        with pytest.raises(ExportError) as info:
            export_period(store, Q2, "2", "xlsx", readonly_folder / "附件2.xlsx")
        with pytest.raises(ExportError):
            export_period(store, Q2, "1", "pdf", readonly_folder / "附件1.pdf")
    assert "没有权限" in str(info.value) and "只读" in str(info.value)
    assert list(readonly_folder.iterdir()) == []


def test_target_locked_by_another_program(tmp_path, monkeypatch):
    target = tmp_path / "附件1.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")  # what Windows says when Excel holds the file

    monkeypatch.setattr(safe_write.os, "replace", locked)
    with pytest.raises(ExportError, match="正在Excel、WPS或PDF阅读器中打开"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["附件1.xlsx"]


def test_full_disk_leaves_no_partial_file(tmp_path):
    target = tmp_path / "附件2.pdf"

    def write(fh):
        fh.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ExportError, match="磁盘已满"):
        write_atomic(target, write)
    assert list(tmp_path.iterdir()) == []


def test_a_bug_in_the_writer_also_leaves_nothing(tmp_path):
    def write(fh):
        fh.write(b"partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "a.xlsx", write)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_folder_as_target(tmp_path):
    with pytest.raises(ExportError, match="不存在"):
        write_bytes_atomic(tmp_path / "nope" / "a.pdf", b"x")
    with pytest.raises(ExportError, match="文件夹"):
        write_bytes_atomic(tmp_path, b"x")


def test_successful_write_replaces_whole_file(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old content that is longer")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [target]
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o644 or target.stat().st_mode & 0o044
