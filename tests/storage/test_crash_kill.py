"""Kill tests: SIGKILL a writer at random moments; every edit it reported as saved must survive.

SHANGNAN_KILLS sets the number of kills of the edit test (default 30; the backup and
restore tests use a third of it); SHANGNAN_KILL_SEED replays a run. Full run:
    SHANGNAN_KILLS=300 pytest -m slow -s tests/storage/test_crash_kill.py
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shangnan_desktop.storage import DatabaseDamagedError, Store
from shangnan_desktop.storage.backup import KEEP, create_backup, is_good, list_backups
from shangnan_desktop.storage.db import check_file
from shangnan_desktop.storage.instance import lock_path
from shangnan_desktop.app.workspace import recover

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def _kills(divisor: int = 1) -> int:
    return max(5, int(os.environ.get("SHANGNAN_KILLS", "30")) // divisor)


def _seed() -> int:
    return int(os.environ.get("SHANGNAN_KILL_SEED", str(random.SystemRandom().randrange(1, 10**6))))


@dataclass
class Stats:
    kills: int = 0
    kills_before_ready: int = 0
    kills_with_edit_in_flight: int = 0
    in_flight_applied: int = 0
    in_flight_not_applied: int = 0
    reported_edits: int = 0  # transactions the writer reported as saved
    reported_unit_values: int = 0  # unit values in those transactions
    lost: int = 0
    integrity_failures: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _read_lines(stream, sink: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        sink.append(raw.decode())


def run_and_kill(args: list[str], rng: random.Random, *, max_delay: float = 0.25) -> list[str]:
    """Start the writer, SIGKILL it at a random moment, return the complete lines it wrote."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    lines: list[str] = []
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    if rng.random() < 0.2:  # some kills land while the program starts and opens the file
        time.sleep(rng.uniform(0.0, 0.12))
    else:
        deadline = time.monotonic() + 30
        while not lines and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, max_delay))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(10)
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, f"writer stopped by itself ({proc.returncode}): {stderr}"
    return [line for line in lines if line.endswith("\n")]  # a line cut by the kill was never reported


def _snapshot(db: Path) -> tuple[dict[int, tuple[int, ...]], int]:
    store = Store.open(db)
    try:
        assert not store.readonly, store.readonly_reason  # the killed writer's lock is gone
        sheet = store.load_sheet(store.latest_period())
        counts = {row.unit_id: row.counts for group in sheet.groups for row in group.rows}
        audits = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        return counts, audits
    finally:
        store.close()


def _integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)  # a plain connection runs WAL recovery as any program would
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def _parse(lines: list[str]):
    """Edits reported saved, in order, and the one in flight (begun, not reported), if any."""
    begun: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    done: list[int] = []
    ready = False
    for line in lines:
        parts = line.split()
        if parts == ["READY"]:
            ready = True
        elif parts[0] == "B":
            begun[int(parts[1])] = [
                (int(u), (int(s), int(a))) for u, s, a in (item.split(":") for item in parts[2].split(","))
            ]
        elif parts[0] == "C":
            done.append(int(parts[1]))
    committed = [(seq, begun[seq]) for seq in done]
    pending = [seq for seq in begun if seq not in set(done)]
    assert len(pending) <= 1, pending
    in_flight = begun[pending[0]] if pending else None
    return ready, committed, in_flight, max(begun, default=None)


def run_kill_trials(db: Path, kills: int, seed: int, mode: str = "edit") -> Stats:
    rng = random.Random(seed)
    stats = Stats()
    start = time.monotonic()
    Store.open(db).close()  # create and seed once
    expected, audits = _snapshot(db)
    next_seq = 1
    for trial in range(kills):
        lines = run_and_kill([str(db), str(seed), str(next_seq), mode], rng)
        stats.kills += 1
        ready, committed, in_flight, last_seq = _parse(lines)
        stats.kills_before_ready += not ready
        if last_seq is not None:
            next_seq = last_seq + 1

        # 1. The file is intact.
        result = _integrity(db)
        if result != ["ok"]:
            stats.integrity_failures += 1
            stats.notes.append(f"trial {trial}: integrity {result[:3]}")

        # 2. Every reported edit is there; the one in flight is all there or not at all.
        for _seq, changes in committed:
            stats.reported_edits += 1
            stats.reported_unit_values += len(changes)
            for uid, counts in changes:
                expected[uid] = counts
            audits += len(changes)
        actual, actual_audits = _snapshot(db)
        if in_flight is not None:
            stats.kills_with_edit_in_flight += 1
            units = {uid for uid, _ in in_flight}
            if all(actual[uid] == counts for uid, counts in in_flight):
                stats.in_flight_applied += 1
                for uid, counts in in_flight:
                    expected[uid] = counts
                audits += len(in_flight)
            elif all(actual[uid] == expected[uid] for uid in units):
                stats.in_flight_not_applied += 1
            else:
                stats.notes.append(f"trial {trial}: in-flight edit applied in part: {in_flight}")
        lost = [uid for uid in expected if actual[uid] != expected[uid]]
        stats.lost += len(lost)
        if lost:
            stats.notes.append(f"trial {trial}: units {lost[:5]} differ from the last reported values")
        if actual_audits != audits:
            stats.notes.append(f"trial {trial}: {actual_audits} audit rows, expected {audits}")
            audits = actual_audits

        # 3. Backup mode: every backup that carries a backup name is whole; at most KEEP of them.
        if mode == "backup":
            backups = list_backups(db)
            bad = [b.name for b in backups if not is_good(b)]
            # A kill between publishing a backup and pruning leaves one extra until the next backup.
            if bad or len(backups) > KEEP + 1:
                stats.notes.append(f"trial {trial}: {len(backups)} backups, broken: {bad}")
            reported = [line.split()[2] for line in lines if line.startswith("K ")]
            if reported and reported[-1] not in {b.name for b in backups}:
                stats.notes.append(f"trial {trial}: reported backup {reported[-1]} missing")
    stats.seconds = time.monotonic() - start
    return stats


def _report(name: str, seed: int, stats: Stats) -> None:
    print(
        f"\n{name} (seed {seed}): {stats.kills} kills in {stats.seconds:.1f} s, "
        f"{stats.kills_before_ready} before the store was open, "
        f"{stats.kills_with_edit_in_flight} with an edit in flight "
        f"({stats.in_flight_applied} landed whole, {stats.in_flight_not_applied} not at all); "
        f"{stats.reported_edits} reported edits ({stats.reported_unit_values} unit values) checked; "
        f"lost {stats.lost}, integrity failures {stats.integrity_failures}"
    )


def _assert_clean(stats: Stats, kills: int, seed: int) -> None:
    assert stats.kills == kills
    assert stats.notes == [], f"seed {seed}: " + "; ".join(stats.notes[:10])
    assert stats.lost == 0
    assert stats.integrity_failures == 0
    assert stats.reported_edits > kills  # writers were killed mid-work, not only idle ones
    if kills >= 20:
        assert stats.kills_with_edit_in_flight > 0


def test_every_reported_edit_survives_kill_9(tmp_path):
    kills, seed = _kills(), _seed()
    stats = run_kill_trials(tmp_path / "shangnan.sqlite3", kills, seed)
    _report("kill test, edits", seed, stats)
    _assert_clean(stats, kills, seed)


def test_kill_9_during_backups_leaves_no_broken_backup(tmp_path):
    kills, seed = _kills(3), _seed()
    stats = run_kill_trials(tmp_path / "shangnan.sqlite3", kills, seed, mode="backup")
    _report("kill test, edits with a backup after each", seed, stats)
    _assert_clean(stats, kills, seed)


def test_kill_9_during_restore_loses_nothing(tmp_path):
    """Restores run in a loop and are killed: the database is always one whole backup and
    every replaced file is kept whole. (Without hard links, on FAT, a kill between the two
    renames may leave the file missing: then the open says so and offers the backup.)"""
    kills, seed = _kills(3), _seed()
    rng = random.Random(seed)
    db = tmp_path / "shangnan.sqlite3"
    store = Store.open(db)
    period, uid = store.latest_period(), store.units()[0].id
    values = {}
    for n in (10, 20, 30):
        store.set_counts(period, uid, [n, 1])
        values[create_backup(store, "manual").name] = (n, 1)
    store.close()
    current = (30, 1)
    seen_aside: set[Path] = set()
    missing = restores = 0
    for trial in range(kills):
        lines = run_and_kill([str(db), str(seed + trial), "0", "restore"], rng, max_delay=0.15)
        started = [line.split()[2] for line in lines if line.startswith("S ")]
        finished = [line.split()[2] for line in lines if line.startswith("R ")]
        restores += len(finished)
        allowed = {values[finished[-1]] if finished else current}
        if len(started) > len(finished):
            allowed.add(values[started[-1]])
        try:
            store = Store.open(db)
        except DatabaseDamagedError as exc:
            assert "找不到数据库文件" in str(exc), str(exc)
            missing += 1
            recover(db)
            store = Store.open(db)
            allowed.add(store.counts(period, uid))  # the newest backup, as offered
        current = store.counts(period, uid)
        store.close()
        assert current in allowed, (trial, current, allowed)
        assert _integrity(db) == ["ok"]
        for aside in set(db.parent.glob("shangnan.*-*.sqlite3")) - seen_aside:
            check_file(aside)  # every replaced file is a whole database
            seen_aside.add(aside)
        assert [b.name for b in list_backups(db)] == sorted(values, reverse=True)  # backups untouched
    print(
        f"\nkill test, restores (seed {seed}): {kills} kills, {restores} restores reported, "
        f"{len(seen_aside)} replaced files kept and checked, {missing} kills left the file missing (told, recovered)"
    )
    assert restores > 0
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    try:
        os.link(probe, tmp_path / "probe-link")
    except OSError:
        return
    assert missing == 0  # with hard links the database never goes missing


def test_kill_9_while_creating_a_new_database(tmp_path):
    """The first run is killed while it creates, migrates and seeds the file: the next open
    always finds (or completes) the full reference data and every reported edit."""
    kills, seed = _kills(3), _seed()
    rng = random.Random(seed)
    clean = tmp_path / "clean.sqlite3"
    reference, _ = _snapshot(clean)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    during_creation = 0
    for trial in range(kills):
        db = tmp_path / f"run{trial}" / "shangnan.sqlite3"
        db.parent.mkdir()
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), str(seed), "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        if trial % 2 == 0:  # aim at the few milliseconds of creating, migrating and seeding
            deadline = time.monotonic() + 10
            while not lock_path(db).exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0.0, 0.008))
        else:
            time.sleep(rng.uniform(0.05, 0.3))
        existed = db.exists()
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate()
        lines = [line + "\n" for line in out.decode().split("\n")[:-1]]
        ready, committed, in_flight, _ = _parse(lines)
        during_creation += existed and not ready
        if db.exists():
            assert _integrity(db) == ["ok"], (seed, trial)
        counts, _ = _snapshot(db)
        expected = dict(reference)
        for _seq, changes in committed:
            expected.update(changes)
        in_flight_units = {uid for uid, _ in in_flight or []}
        wrong = [uid for uid in expected if counts[uid] != expected[uid] and uid not in in_flight_units]
        assert wrong == [], (seed, trial, wrong[:5])
    print(f"\nkill test, first run (seed {seed}): {kills} kills, {during_creation} while the file was being created")
