"""The status list: units with no entry, or one not confirmed within the configured number of days."""

from __future__ import annotations

import csv
import datetime as dt
import io

from shangnan_desktop import cli
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage.register_store import RegisterStore


def show(capsys, db, *extra):
    code = cli.main(["--db", db, "register", "show", "--format", "csv", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.reader(io.StringIO(out)))


def test_stale_list_follows_the_configured_age(capsys, store):
    reg = RegisterStore(store)
    today = dt.date.today()
    recent = store.find_unit("县文旅局").id
    old = store.find_unit("赵川镇").id
    reg.set(RegisterEntry.build(recent, today - dt.timedelta(days=10), admin_name="王五", qq="12345"))
    reg.set(RegisterEntry.build(old, today - dt.timedelta(days=40), admin_name="赵六"))
    db = str(store.db.path)

    rows = show(capsys, db)
    assert rows[0][:2] == ["分组", "单位"] and rows[0][-2:] == ["确认日期", "状态"]
    assert len(rows) == 63
    state = {r[1]: r[-1] for r in rows[1:]}
    assert state["县文旅局"] == "正常" and state["赵川镇"] == "正常" and state["县水利局"] == "未登记"

    stale = {r[1]: r[-1] for r in show(capsys, db, "--stale")[1:]}
    assert len(stale) == 60 and "县文旅局" not in stale and "赵川镇" not in stale

    reg.set_max_age_days(30)
    stale = {r[1]: r[-1] for r in show(capsys, db, "--stale")[1:]}
    assert len(stale) == 61 and stale["赵川镇"] == "超过30天未确认"
    assert reg.max_age_days() == 30


def test_set_then_show_round_trip(capsys, store):
    db = str(store.db.path)
    code = cli.main(["--db", db, "register", "set", "县民政局", "--leader", "欧阳翊", "--leader-phone", "(0914)6322055",
                     "--qq", "１２３４５６", "--confirmed", "2021-07-20"])
    assert code == 0
    capsys.readouterr()
    row = next(r for r in show(capsys, db) if r[1] == "县民政局")
    assert row[2] == "欧阳翊" and row[4] == "0914-6322055" and row[8] == "123456" and row[9] == "2021-07-20"
    code = cli.main(["--db", db, "register", "set", "县民政局", "--qq", "0123"])
    assert code == 2 and "QQ号码" in capsys.readouterr().err
    row = next(r for r in show(capsys, db) if r[1] == "县民政局")
    assert row[8] == "123456"  # nothing stored
