"""The Qt binding in use survives a long session: no reference-count underflow on None."""

import subprocess
import sys
import textwrap


def test_many_void_qt_calls_do_not_abort_the_process():
    # PySide6 6.12 on Python <= 3.11 drops a reference to None on every void method call
    # and aborts after ~25,000 of them; a clerk's day of editing makes far more.
    code = textwrap.dedent(
        """
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel("x")
        for i in range(60000):
            label.setText(str(i % 10))
        print("survived")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr[-500:]
