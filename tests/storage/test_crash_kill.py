"""Kill test: SIGKILL a writer at random moments; every edit it reported as saved must survive.

SHANGNAN_KILLS sets the number of kills (default 30); SHANGNAN_KILL_SEED replays a run.
Full run for docs/reliability.md:
    SHANGNAN_KILLS=200 pytest -m slow -s tests/storage/test_crash_kill.py
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

from shangnan_desktop.storage import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]


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


def _read_lines(stream, sink: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        sink.append(raw.decode())


def _parse(lines: list[str]):
    """Edits reported saved, in order, and the one in flight (begun, not reported), if any."""
    begun: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    done: list[int] = []
    ready = False
    for line in lines:
        if not line.endswith("\n"):
            continue  # cut off by the kill: never reported
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


def run_kill_trials(db: Path, kills: int, seed: int) -> Stats:
    rng = random.Random(seed)
    stats = Stats()
    start = time.monotonic()
    Store.open(db).close()  # create and seed once
    expected, audits = _snapshot(db)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    next_seq = 1
    for trial in range(kills):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), str(seed), str(next_seq)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
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
            time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(10)
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, f"writer stopped by itself ({proc.returncode}): {stderr}"
        stats.kills += 1

        ready, committed, in_flight, last_seq = _parse(lines)
        stats.kills_before_ready += not ready
        if last_seq is not None:
            next_seq = last_seq + 1

        # 1. The file is intact (raw connection: runs WAL recovery as any program would).
        conn = sqlite3.connect(db)
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        conn.close()
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
    stats.seconds = time.monotonic() - start
    return stats


def test_every_reported_edit_survives_kill_9(tmp_path):
    kills = int(os.environ.get("SHANGNAN_KILLS", "30"))
    seed = int(os.environ.get("SHANGNAN_KILL_SEED", str(random.SystemRandom().randrange(1, 10**6))))
    stats = run_kill_trials(tmp_path / "shangnan.sqlite3", kills, seed)
    print(
        f"\nkill test (seed {seed}): {stats.kills} kills in {stats.seconds:.1f} s, "
        f"{stats.kills_before_ready} before the store was open, "
        f"{stats.kills_with_edit_in_flight} with an edit in flight "
        f"({stats.in_flight_applied} landed whole, {stats.in_flight_not_applied} not at all); "
        f"{stats.reported_edits} reported edits ({stats.reported_unit_values} unit values) checked; "
        f"lost {stats.lost}, integrity failures {stats.integrity_failures}"
    )
    assert stats.kills == kills
    assert stats.notes == [], f"seed {seed}: " + "; ".join(stats.notes[:10])
    assert stats.lost == 0
    assert stats.integrity_failures == 0
    # The test must actually have killed writers mid-work, not only idle ones.
    assert stats.reported_edits > kills
    if kills >= 20:
        assert stats.kills_with_edit_in_flight > 0
