"""Run the real command line in a child process; compare database files byte for byte."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(*args: object, db: Path | None = None, env: dict | None = None, cwd: Path | None = None,
        timeout: float = 120) -> Result:
    argv = [sys.executable, "-m", "shangnan_desktop"]
    if db is not None:
        argv += ["--db", str(db)]
    argv += [str(a) for a in args]
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=full_env, cwd=cwd,
                          timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def digest(*paths: Path) -> dict[str, str | None]:
    """Content hash of each file (None if missing): "byte-identical" is equality of these."""
    out = {}
    for p in paths:
        p = Path(p)
        out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
    return out


def db_files(db: Path) -> list[Path]:
    db = Path(db)
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
