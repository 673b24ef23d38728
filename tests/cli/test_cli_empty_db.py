"""An empty ``--db`` (``--db=``, ``--db ""``) in a real process: told in Chinese, never taken as the current folder.

Before the review (2026-11-30) it became ``Path("")``, the current folder: a subcommand said the disk or
USB stick was faulty, and the window (no subcommand) opened a blocking error dialog instead of a usage line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "shangnan_desktop", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.mark.parametrize("args", [["--db="], ["--db", ""], ["periods", "--db="], ["--db", " ", "periods"]])
def test_an_empty_db_path_is_a_usage_error_in_chinese(tmp_path, args):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "数据库路径为空" in result.stderr
    assert "U盘" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing made in the current folder
