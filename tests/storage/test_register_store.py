"""The register in SQLite: current entry, history by date, constraints."""

import datetime as dt
import sqlite3

import pytest

from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage.register_store import RegisterStore
from shangnan_desktop.storage.audit import audit_entries


def test_history_answers_who_was_responsible_on_a_day(store):
    reg = RegisterStore(store)
    unit = store.find_unit("县水利局").id
    first = RegisterEntry.build(unit, dt.date(2021, 7, 1), admin_name="王五", admin_phones="13912345678")
    assert reg.set(first)
    between = dt.datetime.now()
    second = first.with_values(dt.date(2021, 10, 1), admin_name="赵六")
    assert reg.set(second)
    assert not reg.set(second)  # unchanged: no new history row
    history = reg.history(unit)
    assert [h.admin_name for h in history] == ["王五", "赵六"]
    assert history[0].valid_to is not None and history[1].valid_to is None
    assert reg.on(unit, between).admin_name == "王五"
    assert reg.entry(unit).admin_name == "赵六"
    assert reg.on(unit, dt.date(2000, 1, 1)) is None
    actions = [row.action for row in reversed(audit_entries(store))]
    assert actions[:2] == ["修改登记表", "修改登记表"]


def test_database_refuses_bad_register_rows(store):
    for qq in ("0123456", "12a456", "1234"):
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO register (unit_id, qq, valid_from) VALUES (1, ?, '2021-01-01')", (qq,)
            )
    store.conn.execute("INSERT INTO register (unit_id, valid_from) VALUES (1, '2021-01-01')")
    with pytest.raises(sqlite3.IntegrityError):  # only one current entry per unit
        store.conn.execute("INSERT INTO register (unit_id, valid_from) VALUES (1, '2021-01-02')")
