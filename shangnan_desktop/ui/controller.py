"""The open quarter: every change goes store first, then the sheet and models, then the undo stack."""

from __future__ import annotations

import logging
from typing import Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from shangnan_desktop.app import counts as counts_app
from shangnan_desktop.app import units as units_app
from shangnan_desktop.app.commands import (
    CentrePublishedCommand,
    Command,
    CountsCommand,
    CreatePeriodCommand,
    LedgerCommand,
    UnitCommand,
    UnitIds,
)
from shangnan_desktop.app.workspace import StorageError, Workspace, is_readonly, readonly_reason
from shangnan_desktop.domain import DomainError, LockedError, Period, PeriodSheet, validate_counts
from shangnan_desktop.ui.commands import UndoStep
from shangnan_desktop.ui.models import GroupTableModel

logger = logging.getLogger(__name__)

Changes = Sequence[tuple[int, Sequence[object]]]


class SheetController(QObject):
    """Owns the store, the loaded PeriodSheet, one model per group and the undo stack.

    The window and the views never write to the store themselves; they call
    these methods, which report problems through ``problem`` instead of raising.
    """

    sheetLoaded = Signal()  # another period, or the same one reloaded (unit list changed)
    countsChanged = Signal()  # counts or the centre's count changed: refresh the summary
    periodsChanged = Signal()  # a period was created, deleted, locked or unlocked
    unitsChanged = Signal()  # the unit list changed
    lockChanged = Signal(bool)
    saved = Signal()  # something was written to the database
    message = Signal(str)  # information for the status bar
    ledgerChanged = Signal()  # the shown period's ledger or count sources changed
    ledgerRequested = Signal(int)  # show the 台账 of this unit (查看台账)
    problem = Signal(str, list, bool)  # message, detail lines, severe (a dialog, not just the status bar)

    def __init__(self, store: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # Undo stays in its quarter: one stack per quarter, the shown quarter's stack active; the
        # register (not tied to a quarter) has its own, active while its tab is shown.
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}
        self.register_stack = self._new_stack()
        self.register_shown = False
        self.sheet: PeriodSheet | None = None
        self.models: list[GroupTableModel] = [
            GroupTableModel(g, self._edit_cell, self) for g in units_app.groups(store)
        ]
        self.unit_ids = UnitIds()  # a unit re-created by redo gets a new id

    def push(self, stack: QUndoStack, command: Command) -> None:
        """Keep an app command (already done) as one undo step of ``stack``."""
        stack.push(
            UndoStep(
                command,
                shown=self._replayed,
                report=lambda exc, prefix: self.report(exc, prefix=prefix),
                message=self.message.emit,
            )
        )

    # ---- undo stacks -------------------------------------------------------
    def _new_stack(self) -> QUndoStack:
        stack = QUndoStack(self)
        stack.setUndoLimit(500)
        self.undo_group.addStack(stack)
        return stack

    def stack_for(self, period: Period | None) -> QUndoStack:
        """The undo history of one quarter (created on first use)."""
        key = period.key if period is not None else ""
        if key not in self._stacks:
            self._stacks[key] = self._new_stack()
        return self._stacks[key]

    @property
    def undo_stack(self) -> QUndoStack:
        """The history Ctrl+Z acts on now: the register's, or the shown quarter's."""
        return self.register_stack if self.register_shown else self.stack_for(self.period)

    def show_register_history(self, shown: bool) -> None:
        self.register_shown = shown
        self.undo_group.setActiveStack(self.undo_stack)

    def _forget_period(self, period: Period) -> None:
        stack = self._stacks.pop(period.key, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    # ---- reading ---------------------------------------------------------
    @property
    def period(self) -> Period | None:
        return self.sheet.period if self.sheet else None

    def periods(self):
        return counts_app.periods(self.store)

    def is_locked(self, period: Period) -> bool:
        return counts_app.period_locked(self.store, period)

    def model_for(self, group_id: int) -> GroupTableModel:
        return next(m for m in self.models if m.group.id == group_id)

    def load(self, period: Period) -> bool:
        try:
            sheet = counts_app.load_sheet(self.store, period)
        except DomainError as exc:
            self.report(exc)
            return False
        self.sheet = sheet
        derived = counts_app.count_sources(self.store, period).derived
        for model in self.models:
            model.set_sheet(sheet.group(model.group.id), locked=sheet.locked or self.readonly)
            model.set_derived(derived)
        logger.info("showing %s", period.key)
        self.undo_group.setActiveStack(self.undo_stack)
        self.sheetLoaded.emit()
        self.lockChanged.emit(sheet.locked or self.readonly)
        self.countsChanged.emit()
        return True

    # ---- the ledger (信息台账) ------------------------------------------------
    def push_ledger(self, step) -> None:
        """A ledger change already stored by the app layer: one undo step; counts and marks follow."""
        self.push(self.stack_for(step.period), LedgerCommand(self.store, step))
        self._after_ledger()
        self.message.emit(f"已保存：{step.text}")

    def replay_ledger(self, action) -> None:
        action(self.store)
        self._after_ledger()

    def _after_ledger(self) -> None:
        self._saved()
        self.reload()
        self.ledgerChanged.emit()

    def set_count_source(self, unit_id: int, source: str) -> bool:
        if self.period is None or self.refuse_if_locked():
            return False
        from shangnan_desktop.app import ledger as ledger_app  # loaded on first use: not needed to open the window

        try:
            step = ledger_app.set_source(self.store, self.period, unit_id, source)
        except DomainError as exc:
            self.report(exc)
            return False
        self.push_ledger(step)
        return True

    def reload(self) -> None:
        """Read the shown period again (after a change made outside the models, e.g. an import)."""
        if self.period is not None:
            self.load(self.period)

    # ---- reporting -------------------------------------------------------
    def report(self, exc: Exception, *, prefix: str = "", details: Sequence[str] = ()) -> None:
        severe = isinstance(exc, StorageError)
        if severe:
            logger.error("storage problem: %s", exc)
        text = prefix + str(exc)
        if severe:
            text += "\n\n这次修改没有保存，之前保存的数据完好。"
        self.problem.emit(text, list(details), severe)

    @property
    def readonly(self) -> bool:
        """Another copy of the application has the database: show, never write."""
        return is_readonly(self.store)

    def refuse_if_locked(self) -> bool:
        """True (and the clerk is told why) if nothing is shown or the shown quarter is 定稿."""
        if self.sheet is None:
            return True
        if self.readonly:
            self.problem.emit(readonly_reason(self.store) or "数据库以只读方式打开，不能修改。", [], False)
            return True
        if self.sheet.locked:
            try:
                self.sheet.check_editable()
            except LockedError as exc:
                self.report(exc)
            return True
        return False

    def _saved(self) -> None:
        self.saved.emit()

    # ---- counts ----------------------------------------------------------
    def _edit_cell(self, model: GroupTableModel, row: int, metric: int, value: object) -> bool:
        if isinstance(value, str):
            value = value.strip()
        counts: list[object] = list(model.sheet.rows[row].counts)
        counts[metric] = value
        name = model.sheet.rows[row].name
        label = model.rule.metrics[metric].label
        return self.edit_counts([(model.unit_id(row), counts)], f"修改“{name}”的{label}")

    def edit_counts(self, changes: Changes, text: str, *, action: str = "修改条数") -> bool:
        """Validate and store counts for some units of the shown period as one undo step.

        Returns True when stored (or nothing changed); on any problem nothing is
        stored and ``problem`` is emitted with the Chinese message.
        """
        if self.refuse_if_locked():
            return False
        sheet = self.sheet
        before: dict[int, tuple[int, ...]] = {}
        after: dict[int, tuple[int, ...]] = {}
        try:
            for unit_id, values in changes:
                group, row = sheet.locate(unit_id)
                current = group.rows[row].counts
                parsed = validate_counts(sheet.rule, values, unit=group.rows[row].name)
                if parsed != current:
                    before[unit_id] = current
                    after[unit_id] = parsed
        except DomainError as exc:  # a bad value, or a unit no longer in the list
            self.report(exc)
            return False
        if not after:
            return True
        try:
            counts_app.check_typed_edits(self.store, sheet.period, after)  # derived counts: never typed over
            command = counts_app.edit_counts(
                self.store, sheet.period, before, after, text, ids=self.unit_ids, action=action
            )
        except DomainError as exc:
            self.report(exc)
            return False
        self.push(self.stack_for(sheet.period), command)
        self._show_counts(after)
        self.message.emit(f"已保存：{text}")
        return True

    def _show_counts(self, counts: dict[int, tuple[int, ...]]) -> None:
        for unit_id, values in counts.items():
            group, row = self.sheet.locate(unit_id)
            self.model_for(group.group.id).apply_counts(row, values)
        self._saved()
        self.countsChanged.emit()

    def resolve_unit(self, unit_id: int) -> int:
        return self.unit_ids.resolve(unit_id)

    def _replayed(self, command: Command, undoing: bool) -> None:
        """After an undo or redo: show what the database now holds."""
        after_replay = getattr(command, "after_replay", None)  # a tab's own view of the change (the 通报)
        if after_replay is not None:
            self._saved()
            after_replay()
            return
        if isinstance(command, CreatePeriodCommand):
            self._saved()
            self.periodsChanged.emit()
            if undoing:
                period = command.period
                QTimer.singleShot(0, lambda: self._forget_period(period))  # its history ends with it (not mid-undo)
                known = [p.period for p in self.periods()]
                show = getattr(command, "previous", None)
                target = show if show in known else (known[-1] if known else None)
                if target is not None:
                    self.load(target)
            else:
                self.load(command.period)
        elif isinstance(command, UnitCommand):
            self.units_changed()
        elif isinstance(command, LedgerCommand):
            if self.period != command.period and command.period is not None:
                self.load(command.period)
            self._after_ledger()
        elif self.period != command.period:
            self._saved()
            self.load(command.period)
        elif isinstance(command, CountsCommand):
            self._show_counts(command.shown)
        elif isinstance(command, CentrePublishedCommand):
            self.sheet.centre_published = command.value
            self._saved()
            self.countsChanged.emit()
        else:
            self._saved()
            self.reload()

    # ---- the centre's own count -------------------------------------------
    def set_centre_published(self, value: object) -> bool:
        if self.refuse_if_locked():
            return False
        period = self.sheet.period
        try:
            command = counts_app.set_centre_published(self.store, period, value)
        except DomainError as exc:
            self.report(exc)
            return False
        if command is None:
            return True
        self.push(self.stack_for(period), command)
        self.sheet.centre_published = command.after
        self._saved()
        self.countsChanged.emit()
        self.message.emit("已保存：县电子政务中心采编发布数")
        return True

    # ---- periods ---------------------------------------------------------
    def next_period(self) -> Period:
        return counts_app.next_period(self.store)

    def create_next_period(self) -> Period | None:
        period = self.next_period()
        previous = self.period
        try:
            command = counts_app.create_period(self.store, period)
        except DomainError as exc:
            self.report(exc)
            return None
        command.previous = previous  # undoing it shows the quarter shown before
        self.push(self.stack_for(period), command)
        self._saved()
        self.periodsChanged.emit()
        self.load(period)
        self.message.emit(f"已新建{period.label}：单位名单和评分规则沿用上一期，条数均为0。")
        return period

    def set_locked(self, locked: bool) -> bool:
        """定稿 (read-only) or 解除定稿 for the shown period; not an undo step (it guards them)."""
        if self.sheet is None or self.sheet.locked == locked:
            return True
        period = self.sheet.period
        try:
            counts_app.set_locked(self.store, period, locked)
        except DomainError as exc:
            self.report(exc)
            return False
        self.sheet.locked = locked
        for model in self.models:
            model.set_locked(locked)
        self._saved()
        self.periodsChanged.emit()
        self.lockChanged.emit(locked)
        self.message.emit(f"{period.label}已定稿，不能再修改。" if locked else f"{period.label}已解除定稿，可以修改。")
        return True

    # ---- undo / redo with a guard -----------------------------------------
    def undo(self) -> None:
        self._step(self.undo_stack.index() - 1, undoing=True)

    def redo(self) -> None:
        self._step(self.undo_stack.index(), undoing=False)

    def _step(self, index: int, *, undoing: bool) -> None:
        stack = self.undo_stack
        if not 0 <= index < stack.count():
            return
        command = stack.command(index)
        reason = command.blocked_reason(undoing) if isinstance(command, UndoStep) else None
        if reason:
            self.problem.emit(reason, [], False)
            return
        if undoing:
            stack.undo()
        else:
            stack.redo()

    # ---- units -------------------------------------------------------------
    def units_changed(self) -> None:
        self._saved()
        self.unitsChanged.emit()
        target = self.period
        if target is not None:
            self.load(target)

    def _unit_step(self, run) -> UnitCommand | None | bool:
        """Run a unit use case; False (and the clerk told why) if it was refused, else its command (or None)."""
        try:
            return run()
        except DomainError as exc:
            self.report(exc)
            return False

    def _push_unit(self, command: UnitCommand, note: str = "", *, message: bool = True) -> None:
        self.push(self.stack_for(self.period), command)
        self.units_changed()
        if message:
            self.message.emit(f"已保存：{command.text}{note}")

    def add_unit(self, group_id: int, name: str) -> int | None:
        """Add a unit at the end of a group (and to the shown quarter unless it is locked)."""
        period = self.period if self.period is not None and not self.sheet.locked else None
        command = self._unit_step(lambda: units_app.add_unit(self.store, group_id, name, period, self.unit_ids))
        if not command:
            return None
        self._push_unit(command, "" if period is not None else "（本期已定稿，从下一个新建的季度起列入）")
        return command.unit_id

    def rename_unit(self, unit_id: int, new_name: str) -> bool:
        command = self._unit_step(
            lambda: units_app.rename_unit(self.store, unit_id, new_name, self.period, self.unit_ids)
        )
        if command is False:
            return False
        if command is not None:
            self._push_unit(command)
        return True

    def move_unit(self, unit_id: int, delta: int) -> bool:
        command = self._unit_step(lambda: units_app.move_unit(self.store, unit_id, delta, self.period, self.unit_ids))
        if not command:
            return False
        self._push_unit(command, message=False)
        return True

    def set_unit_active(self, unit_id: int, active: bool) -> bool:
        command = self._unit_step(
            lambda: units_app.set_unit_active(self.store, unit_id, active, self.period, self.unit_ids)
        )
        if command is False:
            return False
        if command is not None:
            self._push_unit(command)
        return True

    def groups(self) -> list:
        return units_app.groups(self.store)

    def units(self, group_id: int) -> Iterable:
        return units_app.units(self.store, group_id, include_retired=True)
