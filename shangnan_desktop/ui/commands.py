"""The one undo step the window keeps: an app command (``app/commands.py``) on a QUndoStack.

The change was made (and saved) by the use case before the push, so the first ``redo`` does nothing. Later
``undo``/``redo`` run the command's ``undo()``/``do()``, then let the owner show the result. If replaying fails
(the disk is full, another program locked the file), the clerk is told and the step leaves the stack, so the
stack never claims a state the database does not have.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtGui import QUndoCommand

from shangnan_desktop.app.commands import Command
from shangnan_desktop.domain import DomainError, Period

logger = logging.getLogger(__name__)


class UndoStep(QUndoCommand):
    """``shown(command, undoing)`` refreshes the views after a replay; ``report(exc, prefix)`` tells the clerk
    why a replay failed; ``message(text)`` goes to the status bar."""

    def __init__(
        self,
        command: Command,
        *,
        shown: Callable[[Command, bool], None],
        report: Callable[[Exception, str], None],
        message: Callable[[str], None],
    ) -> None:
        super().__init__(command.text)
        self.command = command
        self._shown = shown
        self._report = report
        self._message = message
        self._pushed = False

    @property
    def period(self) -> Period | None:
        """The quarter the step belongs to (None: the unit list or the register)."""
        return self.command.period

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._replay(undoing=False)

    def undo(self) -> None:
        self._replay(undoing=True)

    def _replay(self, *, undoing: bool) -> None:
        verb = "撤销" if undoing else "重做"
        try:
            self.command.undo() if undoing else self.command.do()
        except DomainError as exc:
            logger.warning("%s of %r failed: %s", verb, self.text(), exc)
            self._report(exc, f"无法{verb}“{self.text()}”：")
            self.setObsolete(True)
            return
        self._shown(self.command, undoing)
        self._message(f"已{verb}：{self.text()}")

    def blocked_reason(self, undoing: bool) -> str | None:
        """Why the step cannot be replayed now (a locked quarter), checked before the stack moves."""
        return self.command.blocked_reason(undoing)
