"""The unit list: add, rename, move, retire (停用) and reactivate (启用) a unit, each an undoable command."""

from __future__ import annotations

from shangnan_desktop.app.commands import UnitCommand, UnitIds
from shangnan_desktop.domain import Group, Period, Unit
from shangnan_desktop.storage import Store


def groups(store: Store) -> list[Group]:
    return store.groups()


def units(store: Store, group_id: int | None = None, *, include_retired: bool = True) -> list[Unit]:
    return store.units(group_id, include_retired=include_retired)


def unit(store: Store, unit_id: int) -> Unit:
    return store.unit(unit_id)


def add_unit(store: Store, group_id: int, name: str, period: Period | None, ids: UnitIds) -> UnitCommand:
    """A new unit at the end of its group, also in ``period`` (None: from the next new quarter on).

    The command's ``unit_id`` is the new unit's id (the one later steps name it by), ``name`` its stored name.
    """
    state: dict[str, object] = {"id": None}

    def do() -> None:
        added = store.add_unit(group_id, name, period)
        if state["id"] is None:
            state["id"] = added.id
        else:
            ids.moved(state["id"], added.id)  # redo re-creates it under a new id
        state["name"] = added.name

    def undo() -> None:
        store.remove_unit(ids.resolve(state["id"]))

    do()
    command = UnitCommand(store, f"新增单位“{state['name']}”", do, undo, period)
    command.unit_id = state["id"]
    command.name = state["name"]
    return command


def rename_unit(store: Store, unit_id: int, new_name: str, period: Period | None, ids: UnitIds) -> UnitCommand | None:
    """Rename a unit from ``period`` on (earlier and 定稿 quarters keep the old name); None if the name stays."""
    old_name = store.unit(ids.resolve(unit_id)).name
    store.rename_unit(ids.resolve(unit_id), new_name, period)
    new = store.unit(ids.resolve(unit_id)).name
    if new == old_name:
        return None
    return UnitCommand(
        store, f"单位“{old_name}”更名为“{new}”",
        lambda: store.rename_unit(ids.resolve(unit_id), new_name, period),
        lambda: store.rename_unit(ids.resolve(unit_id), old_name, period),
        period,
    )


def move_unit(store: Store, unit_id: int, delta: int, period: Period | None, ids: UnitIds) -> UnitCommand | None:
    """Move a unit up (-1) or down (+1) within its group; None at either end."""
    name = store.unit(ids.resolve(unit_id)).name
    if not store.move_unit(ids.resolve(unit_id), delta, period):
        return None
    return UnitCommand(
        store, f"{'上移' if delta < 0 else '下移'}“{name}”",
        lambda: store.move_unit(ids.resolve(unit_id), delta, period),
        lambda: store.move_unit(ids.resolve(unit_id), -delta, period),
        period,
    )


def set_unit_active(
    store: Store, unit_id: int, active: bool, period: Period | None, ids: UnitIds
) -> UnitCommand | None:
    """启用 (active) or 停用 a unit: a retired unit keeps its past counts and is left out of new quarters.

    None when it already is so.
    """
    found = store.unit(ids.resolve(unit_id))
    if found.active == active:
        return None
    store.set_unit_active(ids.resolve(unit_id), active, period)
    return UnitCommand(
        store, f"{'启用' if active else '停用'}单位“{found.name}”",
        lambda: store.set_unit_active(ids.resolve(unit_id), active, period),
        lambda: store.set_unit_active(ids.resolve(unit_id), not active, period),
        period,
    )
