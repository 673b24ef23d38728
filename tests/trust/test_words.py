"""Issue 12, clear words: every command-line error is Chinese, including argparse's and the OS's."""

import os
import re
import subprocess
import uuid

import pytest

from tests.trust.cli import cli, digest

ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|the following arguments|"
                     r"unrecognized arguments|invalid choice|expected one argument|No such file|"
                     r"Permission denied|File name too long|No space left|Traceback|error:")


@pytest.mark.parametrize("args", [
    ["--help"], ["set", "--help"], ["register", "set", "--help"], ["backup", "restore", "--help"],
    ["set"], ["register", "set"], ["show", "2021Q2", "--bogus"], ["show", "2021Q2", "--format", "xml"],
    ["show", "2021Q2", "--group"], ["nosuch"], ["audit", "--limit", "x"], ["backup"],
])
def test_argparse_speaks_chinese(seeded, args):
    result = cli(*args, db=seeded)
    text = result.out + result.err
    assert not ENGLISH.search(text), text
    if "--help" in args:
        assert result.code == 0 and "用法：" in text and "显示本帮助并退出" in text
    else:
        assert result.code == 2 and "参数错误" in result.err and "用法：" in result.err


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_before_or_after_subcommand(seeded, where):
    args = ["set", "2021Q2", "试马镇", "--submitted", "5", "--adopted", "4"]
    argv = ["--db", seeded, *args] if where == "before" else [*args, "--db", seeded]
    result = cli(*argv)
    assert result.code == 0 and "已保存" in result.out, result
    assert "5" in cli("show", "2021Q2", "--group", "镇办", "--format", "csv", "--db", seeded).out


def test_db_after_nested_subcommand(seeded):
    result = cli("register", "show", "--db", seeded)
    assert result.code == 0, result
    result = cli("backup", "list", "--db", seeded)
    assert result.code == 0, result


def test_set_without_values_refused(seeded):
    before = digest(seeded)
    result = cli("set", "2021Q2", "试马镇", db=seeded)
    assert result.code == 2 and "没有给出要录入的数值" in result.err, result
    assert digest(seeded) == before


def test_os_errors_inside_chinese_sentences(seeded, tmp_path):
    long_name = "长" * 100 + ".xlsx"
    for args in (["export", "2021Q2", "--annex", "1", "--format", "xlsx", "-o", tmp_path / long_name],
                 ["audit", "--output", tmp_path / ("长" * 100 + ".csv")],
                 ["import", "2021Q2", tmp_path / "没有这个文件.xlsx"]):
        result = cli(*args, db=seeded)
        assert result.code == 2, result
        assert not ENGLISH.search(result.err), result.err
        assert re.search(r"[\u4e00-\u9fff]", result.err)
    assert "太长" in cli("audit", "--output", tmp_path / ("长" * 100 + ".csv"), db=seeded).err


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "full"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tiny tmpfs")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {proc.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_says_so_and_leaves_no_temporary_files(seeded, full_disk):
    filler = full_disk / f"filler-{uuid.uuid4().hex}"
    with open(filler, "wb") as fh:  # leave a few KB, less than one export needs
        try:
            fh.write(b"\0" * (40 * 1024))
        except OSError:
            pass
    for args in (["export", "2021Q2", "--format", "both", "-o", full_disk],
                 ["audit", "--output", full_disk / "记录.csv"]):
        result = cli(*args, db=seeded)
        assert result.code == 2, result
        assert "磁盘已满" in result.err and not ENGLISH.search(result.err), result.err
        left = [p.name for p in full_disk.iterdir() if p != filler]
        assert not [n for n in left if n.startswith(".") or n.endswith(".tmp")], left  # no temporary files
        for name in left:  # a file that was finished before the disk filled up is whole
            assert name.endswith(".xlsx")
            import zipfile
            assert zipfile.ZipFile(full_disk / name).testzip() is None
