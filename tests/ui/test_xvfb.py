"""Issue 11: the real program on a real X server (Xvfb, 1366×768), driven by real key presses (xdotool).

The keys go wherever the X focus is, as a person's do: into the cell editor while typing. The database
is then checked through the command line, and the log must hold no error. Skipped only when Xvfb or
xdotool is not installed (``.ci/run`` installs both).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shangnan_desktop.storage import Store

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool (apt install xvfb xdotool)"
)
ROOT = Path(__file__).resolve().parents[2]
TITLE = "商南县政府网站信息报送统计"


class Display:
    """An Xvfb server on a free display number (Xvfb picks it and reports it through -displayfd)."""

    def __init__(self, width: int = 1366, height: int = 768) -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as fh:
            number = fh.readline().strip()
        if not number:
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def xdo(display: Display, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["xdotool", *args], env=dict(os.environ, DISPLAY=display.name), capture_output=True, text=True, timeout=20
    )
    if check and result.returncode != 0:
        raise AssertionError(f"xdotool {args}: {result.stderr}")
    return result.stdout


def keys(display: Display, *names: str) -> None:
    xdo(display, "key", "--delay", "40", *names)
    time.sleep(0.15)


def typed(display: Display, text: str) -> None:
    xdo(display, "type", "--delay", "40", text)
    time.sleep(0.1)


def shown_counts(db: Path, home: Path) -> dict[str, tuple[int, int]]:
    result = subprocess.run(
        [sys.executable, "-m", "shangnan_desktop", "--db", str(db), "show", "2021Q2", "--group", "镇办", "--format", "csv"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env=_env(home),
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    return {r[0]: (int(r[1]), int(r[2])) for r in rows[1:] if r and r[0]}


def _env(home: Path, display: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(home / var.lower())
    if display:
        env["DISPLAY"] = display
    return env


def test_real_window_real_keys(tmp_path):
    started = time.monotonic()
    db = tmp_path / "shangnan.sqlite3"
    Store.open(db).close()  # the seeded reference quarter 2021Q2
    home = tmp_path / "home"
    display = Display()
    app = None
    try:
        app = subprocess.Popen(
            [sys.executable, "-m", "shangnan_desktop.ui.app", "--db", str(db)],
            env=_env(home, display.name), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        window = ""
        for _ in range(150):
            window = xdo(display, "search", "--onlyvisible", "--name", TITLE, check=False).split()
            if window or app.poll() is not None:
                break
            time.sleep(0.1)
        assert window, f"the window did not appear: {app.stdout.read() if app.poll() is not None else ''}"
        xdo(display, "windowfocus", "--sync", window[-1])
        time.sleep(0.5)

        keys(display, "F6")  # focus on the 镇办 table, its first count
        keys(display, "ctrl+Home", "Right")  # 过风楼镇 · 报送信息
        typed(display, "31")
        keys(display, "Down")  # issue 11: crashed here (RecursionError); now stores 31 and moves down
        typed(display, "40")  # 赵川镇 · 报送信息, entry mode
        keys(display, "shift", "ctrl", "super", "ctrl+shift")  # modifiers alone: nothing, the editor stays
        keys(display, "F2", "Home")  # edit mode: Home moves the text cursor
        typed(display, "1")  # → 140
        keys(display, "End", "Left", "Right", "Return")  # stored 140, moved down to 清油河镇
        typed(display, "99")
        keys(display, "Escape")  # discarded: 清油河镇 keeps 18
        keys(display, "F3", "Menu", "Escape", "Prior", "Next", "ctrl+Home", "Right")
        typed(display, "7")
        keys(display, "shift+Tab")  # entry mode: stored (过风楼镇 = 7); already at the first count column
        typed(display, "31")
        keys(display, "Tab")  # 过风楼镇 = 31 again, on 采用信息
        keys(display, "alt+f", "Escape", "Escape")  # the 文件 menu opens and closes
        keys(display, "alt", "Escape")  # Alt alone reaches the menu bar (as on Windows); Esc comes back
        keys(display, "F1")
        time.sleep(0.3)
        keys(display, "Escape")  # the user guide closes
        xdo(display, "windowfocus", "--sync", window[-1])  # what a window manager does when a dialog closes
        keys(display, "ctrl+Tab", "ctrl+Tab", "ctrl+Tab")  # 镇办 → 县直部门 → 汇总 → 镇办
        # copy the 2×2 block 过风楼镇/赵川镇 × 报送/采用 and paste it on 十里坪镇
        keys(display, "ctrl+Home", "Right", "shift+Down", "shift+Right", "ctrl+c")
        keys(display, "ctrl+Home", "Right", "Down", "Down", "Down", "Down", "ctrl+v")
        time.sleep(0.3)
        pasted = shown_counts(db, home)
        # one more edit and its undo (Ctrl+Z acts on this quarter only)
        keys(display, "Down", "Down")  # 金丝峡镇 · 报送信息
        typed(display, "8")
        keys(display, "Return", "ctrl+z")
        time.sleep(0.3)
        screenshot = os.environ.get("SHANGNAN_XVFB_SCREENSHOT")
        if screenshot and shutil.which("import"):
            subprocess.run(["import", "-window", "root", screenshot], env=dict(os.environ, DISPLAY=display.name))
        keys(display, "ctrl+q")
        app.wait(15)
        output = app.stdout.read()
    finally:
        if app is not None and app.poll() is None:
            app.kill()
            app.wait(5)
        display.close()

    assert app.returncode == 0, output
    counts = shown_counts(db, home)
    assert pasted["十里坪镇"] == (31, 25) and pasted["富水镇"] == (140, 19), pasted
    assert counts["过风楼镇"] == (31, 25)
    assert counts["赵川镇"] == (140, 19)
    assert counts["清油河镇"] == (18, 17)  # Esc discarded 99
    assert counts["十里坪镇"] == (31, 25) and counts["富水镇"] == (140, 19)  # the paste stays
    assert counts["金丝峡镇"] == (7, 6)  # the 8 was undone
    logs = list((home / "xdg_state_home").rglob("*.log"))
    assert logs, "no log written"
    log = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    for bad in (" ERROR ", " CRITICAL ", "Traceback", "RecursionError"):
        assert bad not in log, log[-3000:]
    assert "Traceback" not in output, output
    assert time.monotonic() - started < 60
