"""Undo steps: each already done in the database when pushed, undone and redone through the controller."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from shangnan_desktop.domain import DomainError, Period

logger = logging.getLogger(__name__)


class Replayer(Protocol):
    """What an undo step needs from the window's controller (``SheetController``), named here so the two modules
    do not import each other."""

    message: Any  # a Signal(str)
    units_changed: Any  # a Signal()

    def report(self, exc: Exception, *, prefix: str = "") -> None: ...
    def is_locked(self, period: Period) -> bool: ...
    def replay_counts(self, period: Period, values: dict, verb: str) -> None: ...
    def replay_centre_published(self, period: Period, value: int | None) -> None: ...
    def replay_create_period(self, period: Period) -> None: ...
    def replay_delete_period(self, period: Period, show: Period | None) -> None: ...


class StoredCommand(QUndoCommand):
    """A step whose first ``redo`` is a no-op: the action ran (and was saved) before the push.

    If replaying fails (the disk is full, another program locked the file), the
    clerk is told and the step leaves the stack, so the stack never claims a
    state the database does not have.
    """

    #: the period whose table the step changes (None: not tied to a period)
    period: Period | None = None

    def __init__(self, controller: Replayer, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._replay(self.do, "重做")

    def undo(self) -> None:
        self._replay(self.undo_it, "撤销")

    def _replay(self, action, verb: str) -> None:
        try:
            action()
        except DomainError as exc:
            logger.warning("%s of %r failed: %s", verb, self.text(), exc)
            self.controller.report(exc, prefix=f"无法{verb}“{self.text()}”:")
            self.setObsolete(True)
        else:
            self.controller.message.emit(f"已{verb}:{self.text()}")

    def blocked_reason(self, undoing: bool) -> str | None:
        """Why the step cannot be replayed now (a locked quarter), checked before the stack moves."""
        if self.period is not None and self.controller.is_locked(self.period):
            return f"{self.period.label}已定稿,不能{'撤销' if undoing else '重做'}对它的修改。如需修改,请先解除定稿。"
        return None

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError


class CountsCommand(StoredCommand):
    """An edit, a paste or a clear: the counts of some units before and after."""

    def __init__(self, controller, period: Period, before: dict, after: dict, text: str) -> None:
        super().__init__(controller, text)
        self.period = period
        self.before = before
        self.after = after

    def do(self) -> None:
        self.controller.replay_counts(self.period, self.after, "重做")

    def undo_it(self) -> None:
        self.controller.replay_counts(self.period, self.before, "撤销")


class CentrePublishedCommand(StoredCommand):
    def __init__(self, controller, period: Period, before: int | None, after: int | None) -> None:
        super().__init__(controller, "修改县电子政务中心采编发布数")
        self.period = period
        self.before = before
        self.after = after

    def do(self) -> None:
        self.controller.replay_centre_published(self.period, self.after)

    def undo_it(self) -> None:
        self.controller.replay_centre_published(self.period, self.before)


class CreatePeriodCommand(StoredCommand):
    """新建季度; undoing it deletes the (still empty) quarter and shows the one shown before."""

    def __init__(self, controller, period: Period, previous: Period | None) -> None:
        super().__init__(controller, f"新建{period.label}")
        self.period = period
        self.previous = previous

    def do(self) -> None:
        self.controller.replay_create_period(self.period)

    def undo_it(self) -> None:
        self.controller.replay_delete_period(self.period, self.previous)


class UnitCommand(StoredCommand):
    """A change to the unit list: add, rename, move or retire/restore one unit."""

    # period stays None: unit changes touch the unit list; the store skips locked quarters itself

    def __init__(self, controller, text: str, do, undo) -> None:
        super().__init__(controller, text)
        self._do = do
        self._undo = undo

    def do(self) -> None:
        self._do()
        self.controller.units_changed()

    def undo_it(self) -> None:
        self._undo()
        self.controller.units_changed()


class LedgerCommand(StoredCommand):
    """A ledger change (import, an item, a unit's count source): the app layer's ``LedgerStep``."""

    def __init__(self, controller, step) -> None:
        super().__init__(controller, step.text)
        self.period = step.period
        self.step = step

    def do(self) -> None:
        self.controller.replay_ledger(self.step.redo)

    def undo_it(self) -> None:
        self.controller.replay_ledger(self.step.undo)
