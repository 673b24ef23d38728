"""Long actions off the window's thread: a worker computes (no Qt widgets, no database), the window stays live.

The sqlite connection stays on the main thread: callers read what they need first (a PeriodSheet, the
PDF bytes) and hand plain data to the worker, which produces bytes or files.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

logger = logging.getLogger(__name__)
_running: set["BusyTask"] = set()  # keeps tasks (and their signals) alive until they report


class BusyTask(QObject):
    """``fn`` in a worker thread behind a busy indicator; ``on_done(result)`` / ``on_error(exc)`` on the main thread."""

    def __init__(
        self,
        parent: QWidget | None,
        text: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        super().__init__(parent)
        self.finished = False
        self.on_done = on_done
        self.on_error = on_error
        self.progress = QProgressDialog(text, "", 0, 0, parent)
        self.progress.setWindowTitle("请稍候")
        self.cancel = cancel
        self.status: str | None = None  # set by the worker (e.g. rows read); shown by the main thread
        if cancel is None:
            self.progress.setCancelButton(None)
        else:
            self.progress.setCancelButtonText("取消")
            self.progress.canceled.connect(cancel.set)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(200)  # shown only if it takes longer than this
        self.progress.setAutoClose(False)
        self.progress.setValue(0)
        self._outcome: tuple[bool, Any] | None = None  # set by the worker: (ok, result or exception)
        # The main thread looks for the outcome (a plain attribute, no cross-thread signal to lose).
        self._poll = QTimer(self)
        self._poll.setInterval(25)
        self._poll.timeout.connect(self._check)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        _running.add(self)
        self._poll.start()
        threading.Thread(target=self._work, args=(fn,), name="busy", daemon=True).start()

    def _work(self, fn: Callable[[], Any]) -> None:
        try:
            outcome = (True, fn())
        except BaseException as exc:  # noqa: BLE001 - reported on the main thread
            outcome = (False, exc)
        self._outcome = outcome

    def _check(self) -> None:
        outcome = self._outcome
        if outcome is None:
            if self.status:
                self.progress.setLabelText(self.status)
            return
        self._poll.stop()
        ok, value = outcome
        if ok:
            self._done(value)
        else:
            self._failed(value)

    def _finish(self) -> None:
        self.finished = True
        if self.cancel is not None:  # closing the dialog emits ``canceled``: that is not the clerk's 取消
            self.progress.canceled.disconnect(self.cancel.set)
        QApplication.restoreOverrideCursor()
        self.progress.reset()
        self.progress.close()
        self.progress.deleteLater()
        _running.discard(self)

    def _done(self, result) -> None:
        self._finish()
        self.on_done(result)

    def _failed(self, exc) -> None:
        self._finish()
        if self.on_error is None:
            raise exc
        self.on_error(exc)


def run_busy(parent, text, fn, on_done, on_error=None, *, cancel: threading.Event | None = None) -> BusyTask:
    return BusyTask(parent, text, fn, on_done, on_error, cancel)
