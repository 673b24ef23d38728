"""Issue 12, data lost: the one-writer lock follows the database file's identity, not its path."""

import os
import subprocess
import sys
import textwrap

import pytest

from shangnan_desktop.storage import Store
from tests.trust.cli import cli

HOLD = textwrap.dedent("""
    import sys
    from shangnan_desktop.storage import Store
    store = Store.open(sys.argv[1])
    print("readonly" if store.readonly else "writer", flush=True)
    sys.stdin.readline()
    store.close()
""")


@pytest.fixture
def holder():
    procs = []

    def start(path):
        proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline().strip() == "writer"
        return proc

    yield start
    for proc in procs:
        proc.communicate("\n", timeout=30)


def _names(db, tmp_path):
    hard = tmp_path / "elsewhere" / "hard.sqlite3"
    hard.parent.mkdir()
    os.link(db, hard)
    sym = tmp_path / "sym.sqlite3"
    sym.symlink_to(db)
    return {"same": db, "hardlink": hard, "symlink": sym, "dotted": db.parent / ".." / db.parent.name / db.name}


@pytest.mark.skipif(os.name == "nt", reason="hard links and flock: POSIX")
@pytest.mark.parametrize("which", ["same", "hardlink", "symlink", "dotted"])
def test_second_writer_under_another_name_is_read_only(seeded, tmp_path, holder, which):
    other = _names(seeded, tmp_path)[which]
    holder(seeded)
    store = Store.open(other)
    try:
        assert store.readonly, which
        assert "只读" in store.readonly_reason
    finally:
        store.close()
    result = cli("set", "2021Q2", "试马镇", "--submitted", "9", db=other)
    assert result.code == 2 and "只读" in result.err and "已保存" not in result.out, result


@pytest.mark.skipif(os.name == "nt", reason="hard links and flock: POSIX")
def test_lock_taken_through_hard_link_blocks_the_original(seeded, tmp_path, holder):
    hard = _names(seeded, tmp_path)["hardlink"]
    holder(hard)
    store = Store.open(seeded)
    try:
        assert store.readonly
    finally:
        store.close()


def test_lock_file_symlink_never_truncates_its_target(seeded, tmp_path):
    victim = tmp_path / "重要.txt"
    victim.write_text("不能被清空的内容", encoding="utf-8")
    lock = seeded.with_name(seeded.name + ".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    store = Store.open(seeded)
    try:
        assert store.readonly  # no lock could be taken safely: read-only, and it says why
        assert store.readonly_reason
    finally:
        store.close()
    assert victim.read_text(encoding="utf-8") == "不能被清空的内容"


def test_one_process_may_open_the_same_file_twice(seeded, tmp_path):
    hard = _names(seeded, tmp_path)["hardlink"]
    first = Store.open(seeded)
    second = Store.open(hard)
    try:
        assert not first.readonly and not second.readonly
    finally:
        second.close()
        first.close()
