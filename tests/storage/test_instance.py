"""Two copies of the application on one file: the second is told and is read-only; never two writers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shangnan_desktop.storage import ReadOnlyError, Store, StorageError
from shangnan_desktop.storage.backup import create_backup, list_backups, restore_backup
from shangnan_desktop.storage.instance import InstanceLock, lock_path
from shangnan_desktop.app.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[2]

# The other copy of the application: opens the store, then obeys commands on stdin.
OTHER_COPY = textwrap.dedent(
    """
    import sys
    from shangnan_desktop.storage import Store, ReadOnlyError
    store = Store.open(sys.argv[1])
    period = store.latest_period()
    print("READY", "readonly" if store.readonly else "writable", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "set":
            try:
                store.set_counts(period, int(cmd[1]), [int(cmd[2]), int(cmd[3])])
                print("OK", flush=True)
            except ReadOnlyError as exc:
                print("REFUSED", exc, flush=True)
        elif cmd[0] == "get":
            print("COUNTS", *store.counts(period, int(cmd[1])), flush=True)
        elif cmd[0] == "quit":
            store.close()
            print("BYE", flush=True)
            break
    """
)


class OtherCopy:
    def __init__(self, db: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", OTHER_COPY, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.state = self._read().split()[1]

    def _read(self) -> str:
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(self.proc.stderr.read())
        return line.strip()

    def ask(self, command: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def quit(self) -> None:
        assert self.ask("quit") == "BYE"
        self.proc.wait(10)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def close_pipes(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            stream.close()


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "shangnan.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def other(db_path):
    copies = []

    def start():
        copy = OtherCopy(db_path)
        copies.append(copy)
        return copy

    yield start
    for copy in copies:
        if copy.proc.poll() is None:
            copy.kill()
        copy.close_pipes()


def test_second_copy_is_told_and_opens_read_only(db_path, other):
    first = other()
    assert first.state == "writable"
    store = Store.open(db_path)
    try:
        assert store.readonly
        reason = store.readonly_reason
        assert "只读" in reason and f"进程{first.proc.pid}" in reason
        period, uid = store.latest_period(), store.units()[0].id
        before = store.counts(period, uid)
        with pytest.raises(ReadOnlyError):
            store.set_counts(period, uid, [1, 1])
        assert first.ask(f"set {uid} 77 7") == "OK"
        assert store.counts(period, uid) == (77, 7)  # the read-only copy sees the writer's saved edits
        assert before != (77, 7)
    finally:
        store.close()
    first.quit()
    store = Store.open(db_path)
    assert not store.readonly and store.readonly_reason is None
    store.close()


def test_a_copy_started_second_cannot_overwrite_this_ones_edits(db_path, other):
    store = Store.open(db_path)
    period, uid = store.latest_period(), store.units()[0].id
    store.set_counts(period, uid, [50, 5])
    second = other()
    assert second.state == "readonly"
    answer = second.ask(f"set {uid} 1 0")
    assert answer.startswith("REFUSED") and "只读" in answer
    assert second.ask(f"get {uid}") == "COUNTS 50 5"
    store.set_counts(period, uid, [51, 5])
    assert second.ask(f"get {uid}") == "COUNTS 51 5"
    store.close()
    second.quit()


def test_the_lock_goes_with_a_killed_copy(db_path, other):
    first = other()
    first.kill()
    store = Store.open(db_path)
    assert not store.readonly
    store.close()


def test_one_process_may_open_the_file_twice(db_path, other):
    a = Store.open(db_path)
    b = Store.open(db_path)
    assert not a.readonly and not b.readonly
    a.close()
    still = other()
    assert still.state == "readonly"  # b still holds the file for this process
    still.quit()
    b.close()
    free = other()
    assert free.state == "writable"
    free.quit()


def test_read_only_copy_makes_no_startup_backup_and_cannot_restore(db_path, other):
    store = Store.open(db_path)
    backup = create_backup(store, "manual")
    store.close()
    first = other()
    second = open_workspace(db_path)
    assert second.readonly and second.startup_backup is None
    second.close()
    assert list_backups(db_path) == [backup]
    with pytest.raises(StorageError, match="正在使用该数据库"):
        restore_backup(db_path, backup)
    first.quit()


def test_lock_file_names_the_holder(db_path, other):
    first = other()
    lock = InstanceLock(db_path)
    assert lock.path == lock_path(db_path) == db_path.with_name("shangnan.sqlite3.lock")
    assert not lock.acquire()
    assert f"进程{first.proc.pid}" in lock.holder()
    first.quit()
    assert lock.acquire()
    lock.release()
