"""Undoable commands: what a use case that changes data hands back, already done in the database.

Plain Python, no Qt. ``undo()`` puts the database back as it was before the change, ``do()`` makes the change
again (each in one transaction; a ``DomainError`` when that is no longer possible, e.g. the quarter is 定稿 or the
disk is full). ``period`` is the quarter the change belongs to (``None``: the unit list or the register);
``blocked_reason`` says why it cannot be replayed now. The window keeps these on its per-quarter undo stacks
(one generic adapter, ``ui/commands.py``); the command line just runs the use case and drops the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.register_store import RegisterStore


class UnitIds:
    """A unit re-created by redoing 新增单位 gets a new id; later steps still name it by its first id."""

    def __init__(self) -> None:
        self._alias: dict[int, int] = {}

    def resolve(self, unit_id: int) -> int:
        while unit_id in self._alias:
            unit_id = self._alias[unit_id]
        return unit_id

    def moved(self, first: int, now: int) -> None:
        if first == now:
            self._alias.pop(first, None)
        else:
            self._alias[first] = now


def is_locked(store: Store, period: Period) -> bool:
    return any(p.period == period and p.locked for p in store.periods())


class Command:
    """One undo step of a change already made: ``text`` (what the clerk sees), ``period`` (or None)."""

    def __init__(self, store: Store, text: str, period: Period | None = None) -> None:
        self.store = store
        self.text = text
        self.period = period

    def do(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    def blocked_reason(self, undoing: bool) -> str | None:
        """Why the step cannot be replayed now (its quarter is 定稿); checked before the stack moves."""
        if self.period is not None and is_locked(self.store, self.period):
            return f"{self.period.label}已定稿，不能{'撤销' if undoing else '重做'}对它的修改。如需修改，请先解除定稿。"
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.text!r} {self.period.key if self.period else ''}>"


class CountsCommand(Command):
    """An edit, a paste, a clear or an import: the counts of some units before and after."""

    def __init__(self, store: Store, period: Period, before: dict, after: dict, text: str, ids: UnitIds) -> None:
        super().__init__(store, text, period)
        self.before = before
        self.after = after
        self.ids = ids

    def _store(self, counts: dict, verb: str) -> dict[int, tuple[int, ...]]:
        resolved = {self.ids.resolve(uid): values for uid, values in counts.items()}
        self.store.set_many(self.period, list(resolved.items()), action=f"{verb}修改条数")
        self.shown = resolved  # the unit ids as they are now, for the window to show
        return resolved

    def do(self) -> None:
        self._store(self.after, "重做")

    def undo(self) -> None:
        self._store(self.before, "撤销")


class CentrePublishedCommand(Command):
    def __init__(self, store: Store, period: Period, before: int | None, after: int | None) -> None:
        super().__init__(store, "修改县电子政务中心采编发布数", period)
        self.before = before
        self.after = after
        self.value = after  # the value stored by the last do/undo

    def do(self) -> None:
        self.value = self.store.set_centre_published(self.period, self.after)

    def undo(self) -> None:
        self.value = self.store.set_centre_published(self.period, self.before)


class CreatePeriodCommand(Command):
    """新建季度; undoing it deletes the quarter again, as long as nothing was typed into it."""

    def __init__(self, store: Store, period: Period) -> None:
        super().__init__(store, f"新建{period.label}", period)

    def do(self) -> None:
        self.store.create_period(self.period)

    def undo(self) -> None:
        sheet = self.store.load_sheet(self.period)
        if any(any(g.totals) for g in sheet.groups) or sheet.centre_published:
            raise ValidationError(f"{self.period.label}已录入数据，不能撤销新建。")
        self.store.delete_period(self.period)

    def blocked_reason(self, undoing: bool) -> str | None:
        if not undoing:  # redo re-creates a quarter that does not exist: nothing can be locked
            return None
        return super().blocked_reason(undoing)


class UnitCommand(Command):
    """A change to the unit list (add, rename, move, retire/reactivate one unit).

    ``period`` stays None: the unit list is not a quarter's; the store itself leaves 定稿 quarters as they are.
    ``where`` is the quarter the change was made from (the one that shows it first), or None.
    """

    def __init__(self, store: Store, text: str, do: Callable[[], object], undo: Callable[[], object],
                 where: Period | None = None) -> None:
        super().__init__(store, text)
        self._do = do
        self._undo = undo
        self.where = where

    def do(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


class RegisterCommand(Command):
    """Entries of some units in the register (附件3) before and after: an edit, a paste, a confirmation, an import."""

    def __init__(self, store: Store, before: dict[int, RegisterEntry | None], after: dict[int, RegisterEntry],
                 text: str) -> None:
        super().__init__(store, text)
        self.before = before
        self.after = after
        self.units = list(after)

    def _store(self, entries: dict[int, RegisterEntry | None], verb: str) -> None:
        stored = [e if e is not None else RegisterEntry(uid) for uid, e in entries.items()]
        RegisterStore(self.store).set_many(stored, action=f"{verb}修改登记表")

    def do(self) -> None:
        self._store(self.after, "重做")

    def undo(self) -> None:
        self._store(self.before, "撤销")


@dataclass
class LedgerStep:
    """One undoable ledger change (``app.ledger``), already done and saved: ``undo``/``redo`` replay it on the store."""

    text: str
    period: Period | None
    undo: Callable[[Store], object]
    redo: Callable[[Store], object]
    result: object = None


class LedgerCommand(Command):
    """A ``LedgerStep`` as one undo step of the window's per-quarter history."""

    def __init__(self, store: Store, step: LedgerStep) -> None:
        super().__init__(store, step.text, step.period)
        self.step = step

    def do(self) -> None:
        self.step.redo(self.store)

    def undo(self) -> None:
        self.step.undo(self.store)
