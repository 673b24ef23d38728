"""The register of responsible persons (附件3): read, edit, contact settings, filled annex and per-unit forms."""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from shangnan_desktop.app.commands import RegisterCommand
from shangnan_desktop.domain import Period, Unit
from shangnan_desktop.domain.register import RegisterEntry, edited_entry
from shangnan_desktop.reports import register_export
from shangnan_desktop.reports.export import ExportedFile
from shangnan_desktop.reports.annex import annex_count
from shangnan_desktop.reports.register_export import FORMS_NAME, RegisterUnit, ReturnContact, select_units
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.register_store import RegisterStore


def register_units(store: Store) -> list[RegisterUnit]:
    """Every active unit in group order, then unit order, with its current entry."""
    current = RegisterStore(store).current()
    out = []
    for group in store.groups():
        for unit in store.units(group.id, include_retired=False):
            out.append(RegisterUnit(group, unit, current.get(unit.id)))
    return out


def register_number(store: Store, period: Period | None) -> int:
    """The annex number the form has: after one annex per group."""
    if period is not None:
        return annex_count(store.load_sheet(period))
    return len(store.groups()) + 1


def load_contact(store: Store) -> ReturnContact:
    """The 核对表's return line as the clerk set it (empty parts: unset)."""
    return ReturnContact.from_settings({key: store.setting(key, "") for key in ReturnContact.KEYS.values()})


def save_contact(store: Store, contact: ReturnContact) -> None:
    for key, value in contact.settings().items():
        store.set_setting(key, value)


def export_filled(
    store: Store, period: Period | None, formats: Sequence[str], output: str | Path, *, today: _dt.date | None = None
) -> list[ExportedFile]:
    """附件3 filled from the register (内部资料 on every page), as .xlsx and/or PDF."""
    return register_export.export_filled(
        register_units(store), register_number(store, period), period, formats, output,
        today=today or _dt.date.today(),
    )


def export_unit_forms(
    store: Store,
    period: Period | None,
    formats: Sequence[str],
    folder: str | Path,
    *,
    stale_only: bool = False,
    today: _dt.date | None = None,
) -> list[ExportedFile]:
    """Per-unit forms into ``folder``: one PDF with a page per unit, and/or one .xlsx per unit."""
    today = today or _dt.date.today()
    units = select_units(
        register_units(store), stale_only=stale_only, today=today, max_age=RegisterStore(store).max_age_days()
    )
    return register_export.export_unit_forms(
        units, register_number(store, period), load_contact(store), formats, folder
    )


@dataclass(frozen=True)
class RegisterLine:
    """One active unit as the register list shows it."""

    group_name: str
    unit: Unit
    entry: RegisterEntry | None


@dataclass(frozen=True)
class RegisterOverview:
    lines: list[RegisterLine]
    max_age_days: int


def register_overview(store: Store) -> RegisterOverview:
    """Every active unit with its group name and current entry, and how old an entry may be before it is stale."""
    register = RegisterStore(store)
    current = register.current()
    groups = {g.id: g.name for g in store.groups()}
    lines = [RegisterLine(groups[u.group_id], u, current.get(u.id)) for u in store.units(include_retired=False)]
    return RegisterOverview(lines, register.max_age_days())


def edit_register(
    store: Store, unit_name: str, given: dict[str, str], today: _dt.date, *, confirmed: _dt.date | None = None,
    group: str | None = None,
) -> tuple[str, bool]:
    """Change some fields of a unit's entry (and confirm it on ``confirmed`` or today); (unit name, changed)."""
    unit = store.find_unit(unit_name, None, group=group)
    register = RegisterStore(store)
    entry = edited_entry(unit.id, register.entry(unit.id), given, today, date=confirmed or today, date_given=True)
    return unit.name, register.set(entry)


def entry(store: Store, unit_id: int) -> RegisterEntry | None:
    """A unit's current entry (None: never registered)."""
    return RegisterStore(store).entry(unit_id)


def current_entries(store: Store) -> dict[int, RegisterEntry]:
    return RegisterStore(store).current()


def max_age_days(store: Store) -> int:
    return RegisterStore(store).max_age_days()


def set_max_age_days(store: Store, days: int) -> None:
    RegisterStore(store).set_max_age_days(days)


def edit_entries(
    store: Store, after: dict[int, RegisterEntry], text: str, *, action: str = "修改登记表"
) -> RegisterCommand | None:
    """Store new entries (unit id -> entry) in one transaction, or none; None when nothing changes.

    An edit, a paste, 已确认 or a confirmed import of returned forms: one undo step each.
    """
    register = RegisterStore(store)
    before = {uid: register.entry(uid) for uid in after}
    after = {uid: e for uid, e in after.items() if before[uid] != e}
    if not after:
        return None
    register.set_many(after.values(), action=action)
    return RegisterCommand(store, {u: before[u] for u in after}, after, text)


def update_contact(store: Store, given: dict[str, str]) -> tuple[ReturnContact, bool]:
    """The 核对表's return line, with ``given`` parts changed and saved (checked first); (contact, saved)."""
    contact = load_contact(store)
    if not given:
        return contact, False
    contact = ReturnContact.build(**{**asdict(contact), **given})
    save_contact(store, contact)
    return contact, True


__all__ = [
    "FORMS_NAME", "RegisterCommand", "RegisterLine", "RegisterOverview", "RegisterUnit", "ReturnContact", "current_entries",
    "edit_entries", "edit_register", "entry", "export_filled", "max_age_days", "set_max_age_days",
    "export_unit_forms", "load_contact", "register_number", "register_overview", "register_units", "save_contact",
    "update_contact",
]
