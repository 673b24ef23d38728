"""Store.remove_unit: only a unit without data can be deleted (it undoes 'add unit')."""

import pytest

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.storage.audit import audit_entries

Q2 = Period.parse("2021Q2")


def test_a_new_unit_without_data_is_removed_everywhere(store):
    group = store.group_by_name("镇办")
    unit = store.add_unit(group.id, "新设镇", Q2)
    assert any(r.name == "新设镇" for r in store.load_sheet(Q2).group("镇办").rows)
    store.remove_unit(unit.id)
    assert all(u.name != "新设镇" for u in store.units())
    assert all(r.name != "新设镇" for r in store.load_sheet(Q2).group("镇办").rows)
    assert audit_entries(store, limit=1)[-1].action == "删除单位"


def test_a_unit_with_counts_or_in_a_locked_period_is_kept(store):
    group = store.group_by_name("镇办")
    unit = store.add_unit(group.id, "新设镇", Q2)
    store.set_counts(Q2, unit.id, [1, 0])
    with pytest.raises(ValidationError, match="已有报送数据"):
        store.remove_unit(unit.id)
    store.set_counts(Q2, unit.id, [0, 0])
    store.set_locked(Q2, True)
    with pytest.raises(ValidationError, match="已定稿"):
        store.remove_unit(unit.id)
    assert store.unit(unit.id).name == "新设镇"
