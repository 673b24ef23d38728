"""Imports: read a workbook into a preview (nothing written), then apply it in one transaction after a backup."""

from __future__ import annotations

import datetime as _dt
import logging
from pathlib import Path

from shangnan_desktop.app.commands import CountsCommand, RegisterCommand, UnitIds
from shangnan_desktop.app.counts import edit_counts
from shangnan_desktop.app.register import edit_entries
from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.reports.importer import ImportPreview, read_import
from shangnan_desktop.reports.register_import import RegisterImportPreview, read_register_import
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import before_import
from shangnan_desktop.storage.ledger_store import LedgerStore
from shangnan_desktop.storage.register_store import RegisterStore

logger = logging.getLogger(__name__)


def preview_import(store: Store, period: Period, path: str | Path, *, progress=None, cancel=None) -> ImportPreview:
    """Read a count workbook and compare it with the quarter; nothing is written. Safe off the UI thread."""
    sheet = store.load_sheet(period)
    return read_import(path, sheet=sheet, all_units=store.units(), progress=progress, cancel=cancel)


def import_reader(store: Store, period: Period):
    """What the window reads a workbook with off the UI thread: the quarter is read here (the store stays on
    its own thread), the returned ``read(path, progress=None, cancel=None)`` touches no database."""
    sheet = store.load_sheet(period)
    units = store.units()

    def read(path: str | Path, *, progress=None, cancel=None) -> ImportPreview:
        return read_import(path, sheet=sheet, all_units=units, progress=progress, cancel=cancel)

    return read


def backup_before_import(store: Store) -> None:
    """The backup every import makes first (no backup, no import); the window's import is an undoable edit."""
    before_import(store)


def import_counts(store: Store, preview: ImportPreview, *, ids: UnitIds | None = None) -> CountsCommand | None:
    """Store every change of the preview in one transaction after a backup, or nothing: one undo step
    (None: nothing to change)."""
    if preview.bad:
        raise ValidationError(f"文件中有{len(preview.bad)}处错误，未导入任何数据。请改正后重新导入。")
    if not preview.changes:
        return None
    sheet = store.load_sheet(preview.period)
    for change in preview.changes:
        group, row = sheet.locate(change.unit_id)
        if tuple(group.rows[row].counts) != change.old:
            raise DomainError(f"“{change.name}”的数据在预览之后已被修改，未导入任何数据。请重新导入。")
    ledger = LedgerStore(store)
    for change in preview.changes:  # a count workbook never types over counts derived from the ledger
        ledger.check_typed_edit(preview.period, change.unit_id)
    before_import(store)  # no backup, no import
    command = edit_counts(
        store, preview.period, {c.unit_id: tuple(c.old) for c in preview.changes},
        {c.unit_id: tuple(c.new) for c in preview.changes}, f"导入{Path(preview.path).name}", ids=ids,
        action="导入Excel",
    )
    logger.info("imported %d units into %s from %s", len(preview.changes), preview.period.key, preview.path)
    return command


def apply_import(store: Store, preview: ImportPreview) -> int:
    """``import_counts`` for the command line: returns how many units changed."""
    import_counts(store, preview)
    return len(preview.changes)


def preview_register_import(
    store: Store, path: str | Path, *, confirmed_on: _dt.date | None = None, reconfirm: bool = True,
    progress=None, cancel=None,
) -> RegisterImportPreview:
    """Read a returned 附件3 workbook and compare it with the register; raises ``DomainError`` if unusable."""
    return read_register_import(
        path, units=store.units(), groups=store.groups(), current=RegisterStore(store).current(),
        confirmed_on=confirmed_on, reconfirm=reconfirm, progress=progress, cancel=cancel,
    )


def import_register(store: Store, preview: RegisterImportPreview) -> RegisterCommand | None:
    """Store every entry of the preview in one transaction, or nothing: one undo step (None: nothing stored)."""
    register = RegisterStore(store)
    todo = preview.to_store
    if not todo:
        return None
    for change in todo:
        now = register.entry(change.unit_id)
        if now != change.old:
            raise DomainError(f"“{change.unit}”的登记信息在预览之后已被修改，未导入任何数据。请重新导入。")
    command = edit_entries(
        store, {c.unit_id: c.new for c in todo}, f"导入{Path(preview.path).name}", action="导入登记表"
    )
    logger.info("register import from %s: %d units stored", preview.path, len(command.after) if command else 0)
    return command


def apply_register_import(store: Store, preview: RegisterImportPreview) -> int:
    """``import_register`` for the command line: returns how many units were stored."""
    command = import_register(store, preview)
    return len(command.after) if command else 0


__all__ = [
    "ImportPreview", "RegisterImportPreview", "backup_before_import", "apply_import", "apply_register_import", "import_counts",
    "import_reader", "import_register", "preview_import", "preview_register_import"]
