"""Every use case that changes data returns one undoable command; undo and do replay it on the real store."""

from __future__ import annotations

import datetime as dt

import pytest

from shangnan_desktop.app import counts, units
from shangnan_desktop.app import register as register_app
from shangnan_desktop.app.commands import Command, UnitIds
from shangnan_desktop.domain import LockedError, Period, ValidationError
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage.audit import audit_entries

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")


def names(store, group_id=1):
    return [u.name for u in store.units(group_id)]


def test_counts_edit_is_stored_and_undone_and_redone(store):
    before = {1: store.counts(Q2, 1), 2: store.counts(Q2, 2)}
    command = counts.edit_counts(store, Q2, before, {1: (30, 28), 2: (5, 4)}, "粘贴", action="粘贴数量")
    assert isinstance(command, Command) and command.text == "粘贴" and command.period == Q2
    assert (store.counts(Q2, 1), store.counts(Q2, 2)) == ((30, 28), (5, 4))
    assert audit_entries(store)[-1].action == "粘贴数量"
    command.undo()
    assert (store.counts(Q2, 1), store.counts(Q2, 2)) == (before[1], before[2])
    assert audit_entries(store)[-1].action == "撤销修改条数"
    command.do()
    assert store.counts(Q2, 1) == (30, 28) and command.shown == {1: (30, 28), 2: (5, 4)}
    assert counts.edit_counts(store, Q2, {}, {}, "无") is None


def test_a_locked_quarter_blocks_its_commands_and_lock_is_no_undo_step(store):
    command = counts.edit_counts(store, Q2, {1: store.counts(Q2, 1)}, {1: (9, 9)}, "修改")
    assert command.blocked_reason(True) is None
    assert counts.set_locked(store, Q2, True) is None  # not an undo step: it guards them
    assert counts.period_locked(store, Q2)
    assert command.blocked_reason(True) == "2021年二季度已定稿，不能撤销对它的修改。如需修改，请先解除定稿。"
    assert "不能重做" in command.blocked_reason(False)
    with pytest.raises(LockedError):
        command.undo()
    assert store.counts(Q2, 1) == (9, 9)
    counts.set_locked(store, Q2, False)
    assert command.blocked_reason(True) is None
    command.undo()
    assert store.counts(Q2, 1) == (27, 25)


def test_centre_published_count_is_one_step_and_unchanged_is_none(store):
    command = counts.set_centre_published(store, Q2, "1800")
    assert command.text == "修改县电子政务中心采编发布数" and (command.before, command.after) == (1769, 1800)
    assert store.load_sheet(Q2).centre_published == 1800
    command.undo()
    assert store.load_sheet(Q2).centre_published == 1769 and command.value == 1769
    command.do()
    assert store.load_sheet(Q2).centre_published == 1800
    assert counts.set_centre_published(store, Q2, 1800) is None
    with pytest.raises(ValidationError):
        counts.set_centre_published(store, Q2, "很多")


def test_create_period_is_undone_by_deleting_it_unless_it_has_data(store):
    assert counts.next_period(store) == Q3
    command = counts.create_period(store, Q3)
    assert command.text == "新建2021年三季度" and command.period == Q3
    assert [p.period for p in counts.periods(store)] == [Q2, Q3]
    command.undo()
    assert [p.period for p in counts.periods(store)] == [Q2]
    command.do()
    assert counts.latest_period(store) == Q3
    counts.edit_counts(store, Q3, {1: (0, 0)}, {1: (1, 1)}, "修改")
    with pytest.raises(ValidationError, match="已录入数据，不能撤销新建"):
        command.undo()
    assert counts.latest_period(store) == Q3


def test_next_period_without_any_quarter_is_todays(store):
    store.delete_period(Q2)
    assert counts.next_period(store, dt.date(2026, 11, 30)) == Period(2026, "Q", 4)


def test_add_unit_undo_removes_it_and_redo_keeps_later_steps_working(store):
    ids = UnitIds()
    add = units.add_unit(store, 1, "  新镇 ", Q2, ids)
    assert add.text == "新增单位“新镇”" and add.name == "新镇" and add.period is None and add.where == Q2
    first_id = add.unit_id
    assert names(store)[-1] == "新镇" and first_id in {r.unit_id for g in store.load_sheet(Q2).groups for r in g.rows}
    edit = counts.edit_counts(store, Q2, {first_id: (0, 0)}, {first_id: (3, 2)}, "修改", ids=ids)
    edit.undo()
    add.undo()
    assert "新镇" not in names(store)
    units.add_unit(store, 2, "县新局", None, ids)  # (from another quarter's history) takes the freed id
    add.do()  # re-created under a new id; the later step still finds it
    assert ids.resolve(first_id) != first_id and store.unit(ids.resolve(first_id)).name == "新镇"
    edit.do()
    assert store.counts(Q2, ids.resolve(first_id)) == (3, 2)


def test_rename_unit_from_a_quarter_on(store):
    ids = UnitIds()
    command = units.rename_unit(store, 1, "过风楼", Q2, ids)
    assert command.text == "单位“过风楼镇”更名为“过风楼”"
    assert store.unit(1).name == "过风楼" and store.load_sheet(Q2).groups[0].rows[0].name == "过风楼"
    command.undo()
    assert store.unit(1).name == "过风楼镇"
    command.do()
    assert store.unit(1).name == "过风楼"
    assert units.rename_unit(store, 1, "过风楼", Q2, ids) is None
    with pytest.raises(ValidationError):
        units.rename_unit(store, 1, "赵川镇", Q2, ids)


def test_move_unit_and_none_at_the_end(store):
    ids = UnitIds()
    first = names(store)
    command = units.move_unit(store, 2, -1, Q2, ids)
    assert command.text == "上移“赵川镇”" and names(store)[:2] == ["赵川镇", "过风楼镇"]
    command.undo()
    assert names(store) == first
    command.do()
    assert names(store)[:2] == ["赵川镇", "过风楼镇"]
    assert units.move_unit(store, 2, -1, Q2, ids) is None


def test_retire_and_reactivate_a_unit(store):
    ids = UnitIds()
    retire = units.set_unit_active(store, 3, False, Q2, ids)
    assert retire.text == "停用单位“清油河镇”" and not store.unit(3).active
    assert units.set_unit_active(store, 3, False, Q2, ids) is None
    retire.undo()
    assert store.unit(3).active
    retire.do()
    reactivate = units.set_unit_active(store, 3, True, Q2, ids)
    assert reactivate.text == "启用单位“清油河镇”" and store.unit(3).active
    reactivate.undo()
    assert not store.unit(3).active
    assert [u.id for u in units.units(store, 1, include_retired=False)].count(3) == 0


def test_register_edit_is_one_step_and_undo_returns_to_unregistered(store):
    entry = RegisterEntry.build(4, leader_name="张喆", leader_title="副镇长", leader_phones="13912345678")
    command = register_app.edit_entries(store, {4: entry}, "修改登记")
    assert command.text == "修改登记" and command.period is None and command.blocked_reason(True) is None
    assert register_app.entry(store, 4).leader_name == "张喆"
    command.undo()
    stored = register_app.entry(store, 4)
    assert stored is None or stored.is_blank
    command.do()
    assert register_app.current_entries(store)[4].leader_phones == ("13912345678",)
    assert register_app.edit_entries(store, {4: register_app.entry(store, 4)}, "不变") is None
