"""Issue 11: the main window, every dialog and the print preview fit 1366×768, 1280×720 and 1024×768."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shangnan_desktop.storage import Store

FRAME = (16, 40)  # room for a window manager's border and title bar


def _big_geometry(tmp_path) -> str:
    """saveGeometry() of a 1280×800 window at (40, 40), as a 1920×1080 screen would have stored it."""
    code = (
        "from PySide6.QtWidgets import QApplication, QMainWindow;app=QApplication([]);"
        "w=QMainWindow();w.setGeometry(40,40,1280,1000);w.show();app.processEvents();"
        "print(bytes(w.saveGeometry().toBase64()).decode())"
    )
    config = tmp_path / "big.json"
    config.write_text(json.dumps({"screens": [{"name": "big", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1024, 768)])
def test_windows_fit_the_screen(tmp_path, db_path, size):
    Store.open(db_path).close()
    width, height = size
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    probe = Path(__file__).with_name("screen_probe.py")
    result = subprocess.run(
        [sys.executable, str(probe), str(db_path), str(tmp_path / "s.ini"), _big_geometry(tmp_path)],
        env=env, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = data["area"]
    assert (aw, ah) == (width, height)
    assert set(data["windows"]) >= {"main", "units", "audit", "backup", "export", "help", "print_preview"}
    for name, info in data["windows"].items():
        x, y, w, h = info["frame"]
        assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah, (name, info, size)
        cw, ch = info["size"]
        assert cw + FRAME[0] <= aw and ch + FRAME[1] <= ah, (name, info, size)  # title bar included
        mw, mh = info["min"]
        assert mw <= aw and mh + FRAME[1] <= ah, (name, "nothing needed off-screen", info, size)
