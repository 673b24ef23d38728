"""The open quarter: every change goes store first, then the sheet and models, then the undo stack."""

from __future__ import annotations

import datetime as _dt
import logging
from typing import Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from shangnan_desktop.domain import DomainError, LockedError, Period, PeriodSheet, ValidationError, validate_counts
from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.app.workspace import StorageError, Store
from shangnan_desktop.ui.commands import (
    LedgerCommand,
    CentrePublishedCommand,
    CountsCommand,
    CreatePeriodCommand,
    StoredCommand,
    UnitCommand,
)
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

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # Undo stays in its quarter: one stack per quarter, the shown quarter's stack active; the
        # register (not tied to a quarter) has its own, active while its tab is shown.
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}
        self.register_stack = self._new_stack()
        self.register_shown = False
        self.sheet: PeriodSheet | None = None
        self.models: list[GroupTableModel] = [GroupTableModel(g, self._edit_cell, self) for g in store.groups()]
        self._unit_alias: dict[int, int] = {}  # a unit re-created by redo gets a new id

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
        return self.store.periods()

    def is_locked(self, period: Period) -> bool:
        return any(p.period == period and p.locked for p in self.store.periods())

    def model_for(self, group_id: int) -> GroupTableModel:
        return next(m for m in self.models if m.group.id == group_id)

    def load(self, period: Period) -> bool:
        try:
            sheet = self.store.load_sheet(period)
        except DomainError as exc:
            self.report(exc)
            return False
        self.sheet = sheet
        derived = ledger_app.sources(self.store, period).derived
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
        self.stack_for(step.period).push(LedgerCommand(self, step))
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
            text += "\n\n这次修改没有保存,之前保存的数据完好。"
        self.problem.emit(text, list(details), severe)

    @property
    def readonly(self) -> bool:
        """Another copy of the application has the database: show, never write."""
        return bool(getattr(self.store, "readonly", False))

    def refuse_if_locked(self) -> bool:
        """True (and the clerk is told why) if nothing is shown or the shown quarter is 定稿."""
        if self.sheet is None:
            return True
        if self.readonly:
            self.problem.emit(self.store.readonly_reason or "数据库以只读方式打开,不能修改。", [], False)
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

    def edit_counts(self, changes: Changes, text: str, *, action: str = "修改数量") -> bool:
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
            ledger_app.check_typed_edits(self.store, sheet.period, after)  # derived counts: never typed over
            self.store.set_many(sheet.period, list(after.items()), action=action)
        except DomainError as exc:
            self.report(exc)
            return False
        self.stack_for(sheet.period).push(CountsCommand(self, sheet.period, before, after, text))
        self._show_counts(after)
        self.message.emit(f"已保存:{text}")
        return True

    def _show_counts(self, counts: dict[int, tuple[int, ...]]) -> None:
        for unit_id, values in counts.items():
            group, row = self.sheet.locate(unit_id)
            self.model_for(group.group.id).apply_counts(row, values)
        self._saved()
        self.countsChanged.emit()

    def replay_counts(self, period: Period, counts: dict[int, tuple[int, ...]], verb: str) -> None:
        """Undo/redo of counts: show the period, store, then show the counts (raises DomainError)."""
        resolved = {self.resolve_unit(uid): values for uid, values in counts.items()}
        if self.period != period:
            if not self.load(period):
                raise DomainError(f"无法打开{period.label}。")
        self.store.set_many(period, list(resolved.items()), action=f"{verb}修改数量")
        self._show_counts(resolved)

    def resolve_unit(self, unit_id: int) -> int:
        while unit_id in self._unit_alias:
            unit_id = self._unit_alias[unit_id]
        return unit_id

    # ---- the centre's own count -------------------------------------------
    def set_centre_published(self, value: object) -> bool:
        if self.refuse_if_locked():
            return False
        period = self.sheet.period
        before = self.sheet.centre_published
        try:
            after = self.store.set_centre_published(period, value)
        except DomainError as exc:
            self.report(exc)
            return False
        if after == before:
            return True
        self.stack_for(period).push(CentrePublishedCommand(self, period, before, after))
        self.sheet.centre_published = after
        self._saved()
        self.countsChanged.emit()
        self.message.emit("已保存:县电子政务中心采编发布数")
        return True

    def replay_centre_published(self, period: Period, value: int | None) -> None:
        if self.period != period:
            self.load(period)
        self.store.set_centre_published(period, value)
        self.sheet.centre_published = value
        self._saved()
        self.countsChanged.emit()

    # ---- periods ---------------------------------------------------------
    def next_period(self) -> Period:
        latest = self.store.latest_period()
        if latest is not None:
            return latest.next()
        today = _dt.date.today()
        return Period(today.year, "Q", (today.month - 1) // 3 + 1)

    def create_next_period(self) -> Period | None:
        period = self.next_period()
        previous = self.period
        try:
            self.store.create_period(period)
        except DomainError as exc:
            self.report(exc)
            return None
        self.stack_for(period).push(CreatePeriodCommand(self, period, previous))
        self._saved()
        self.periodsChanged.emit()
        self.load(period)
        self.message.emit(f"已新建{period.label}:单位名单和评分规则沿用上一期,数量均为0。")
        return period

    def replay_create_period(self, period: Period) -> None:
        self.store.create_period(period)
        self._saved()
        self.periodsChanged.emit()
        self.load(period)

    def replay_delete_period(self, period: Period, show: Period | None) -> None:
        sheet = self.store.load_sheet(period)
        if any(any(g.totals) for g in sheet.groups) or sheet.centre_published:
            raise ValidationError(f"{period.label}已录入数据,不能撤销新建。")
        self.store.delete_period(period)
        QTimer.singleShot(0, lambda: self._forget_period(period))  # its history ends with it (not mid-undo)
        self._saved()
        self.periodsChanged.emit()
        known = [p.period for p in self.store.periods()]
        target = show if show in known else (known[-1] if known else None)
        if target is not None:
            self.load(target)

    def set_locked(self, locked: bool) -> bool:
        """定稿 (read-only) or 解除定稿 for the shown period; not an undo step (it guards them)."""
        if self.sheet is None or self.sheet.locked == locked:
            return True
        period = self.sheet.period
        try:
            self.store.set_locked(period, locked)
        except DomainError as exc:
            self.report(exc)
            return False
        self.sheet.locked = locked
        for model in self.models:
            model.set_locked(locked)
        self._saved()
        self.periodsChanged.emit()
        self.lockChanged.emit(locked)
        self.message.emit(f"{period.label}已定稿,不能再修改。" if locked else f"{period.label}已解除定稿,可以修改。")
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
        reason = command.blocked_reason(undoing) if isinstance(command, StoredCommand) else None
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

    def _unit_step(self, text: str, do, undo) -> bool:
        try:
            do()
        except DomainError as exc:
            self.report(exc)
            return False
        self.stack_for(self.period).push(UnitCommand(self, text, do, undo))
        self.units_changed()
        self.message.emit(f"已保存:{text}")
        return True

    def add_unit(self, group_id: int, name: str) -> int | None:
        """Add a unit at the end of a group (and to the shown quarter unless it is locked)."""
        period = self.period if self.period is not None and not self.sheet.locked else None
        state = {"id": None}

        def do() -> None:
            unit = self.store.add_unit(group_id, name, period)
            if state["id"] is None:
                state["id"] = unit.id
            elif unit.id != state["id"]:
                self._unit_alias[state["id"]] = unit.id  # later steps name the unit by its first id
            else:
                self._unit_alias.pop(state["id"], None)
            state["name"] = unit.name

        def undo() -> None:
            self.store.remove_unit(self.resolve_unit(state["id"]))

        try:
            do()
        except DomainError as exc:
            self.report(exc)
            return None
        text = f"新增单位“{state['name']}”"
        self.stack_for(self.period).push(UnitCommand(self, text, do, undo))
        self.units_changed()
        note = "" if period is not None else "(本期已定稿,从下一个新建的季度起列入)"
        self.message.emit(f"已保存:{text}{note}")
        return state["id"]

    def rename_unit(self, unit_id: int, new_name: str) -> bool:
        period = self.period
        try:
            old_name = self.store.unit(unit_id).name
        except DomainError as exc:
            self.report(exc)
            return False
        state: dict[str, str] = {}

        def do() -> None:
            self.store.rename_unit(self.resolve_unit(unit_id), new_name, period)
            state["new"] = self.store.unit(self.resolve_unit(unit_id)).name

        def undo() -> None:
            self.store.rename_unit(self.resolve_unit(unit_id), old_name, period)

        try:
            do()
        except DomainError as exc:
            self.report(exc)
            return False
        if state["new"] == old_name:
            return True
        text = f"单位“{old_name}”更名为“{state['new']}”"
        self.stack_for(self.period).push(UnitCommand(self, text, do, undo))
        self.units_changed()
        self.message.emit(f"已保存:{text}")
        return True

    def move_unit(self, unit_id: int, delta: int) -> bool:
        period = self.period
        try:
            unit = self.store.unit(unit_id)
            moved = self.store.move_unit(unit_id, delta, period)
        except DomainError as exc:
            self.report(exc)
            return False
        if not moved:
            return False
        text = f"{'上移' if delta < 0 else '下移'}“{unit.name}”"
        self.stack_for(period).push(
            UnitCommand(
                self,
                text,
                lambda: self.store.move_unit(self.resolve_unit(unit_id), delta, period),
                lambda: self.store.move_unit(self.resolve_unit(unit_id), -delta, period),
            )
        )
        self.units_changed()
        return True

    def set_unit_active(self, unit_id: int, active: bool) -> bool:
        period = self.period
        try:
            unit = self.store.unit(unit_id)
        except DomainError as exc:
            self.report(exc)
            return False
        if unit.active == active:
            return True
        text = f"{'启用' if active else '停用'}单位“{unit.name}”"
        return self._unit_step(
            text,
            lambda: self.store.set_unit_active(self.resolve_unit(unit_id), active, period),
            lambda: self.store.set_unit_active(self.resolve_unit(unit_id), not active, period),
        )

    def units(self, group_id: int) -> Iterable:
        return self.store.units(group_id, include_retired=True)
