"""Audit log: who (the OS account), when, what, old and new values; viewing and exporting it."""

from __future__ import annotations

import csv
import io
import os
import sys

import pytest

from shangnan_desktop import cli
from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.storage.audit import HEADER, audit_entries, audit_rows, describe, safe_cell
from shangnan_desktop.storage.instance import os_user


def _account() -> str:
    if sys.platform == "win32":
        return os.getlogin()
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def test_user_is_the_os_account_even_if_the_environment_says_otherwise(store, monkeypatch):
    for var in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(var, "冒名者")
    assert os_user() == _account() != "冒名者"
    period, uid = store.latest_period(), store.units()[0].id
    store.set_counts(period, uid, [3, 1])
    assert audit_entries(store)[-1].user == _account()


def test_set_leaves_old_and_new_counts(store):
    period = store.latest_period()
    unit = store.find_unit("城关街道办")
    before = store.counts(period, unit.id)
    store.set_counts(period, unit.id, [40, 30])
    [entry] = audit_entries(store)
    assert (entry.action, entry.period_key, entry.unit_id) == ("修改条数", "2021Q2", unit.id)
    assert entry.unit_name == "城关街道办"
    assert entry.old == list(before) and entry.new == [40, 30]
    assert entry.at[:4].isdigit() and "T" in entry.at


def test_set_many_leaves_one_row_per_unit_and_a_refused_edit_none(store):
    period = store.latest_period()
    a, b = store.units()[:2]
    store.set_many(period, [(a.id, [5, 5]), (b.id, [6, 1])], action="导入")
    entries = [(e.action, e.unit_id, e.new) for e in audit_entries(store)]
    assert entries == [("导入", a.id, [5, 5]), ("导入", b.id, [6, 1])]
    with pytest.raises(ValidationError):
        store.set_counts(period, a.id, [1, 2])  # adopted > submitted
    assert len(audit_entries(store)) == 2


def test_rename_leaves_old_and_new_name(store):
    unit = store.find_unit("城关街道办")
    store.rename_unit(unit.id, "城关街道", store.latest_period())
    [entry] = audit_entries(store)
    assert (entry.action, entry.unit_id, entry.old, entry.new) == ("单位更名", unit.id, "城关街道办", "城关街道")


def test_lock_and_unlock_leave_rows(store):
    period = store.latest_period()
    store.set_locked(period, True)
    store.set_locked(period, False)
    lock, unlock = audit_entries(store)
    assert (lock.action, lock.period_key, lock.old, lock.new) == ("定稿", "2021Q2", False, True)
    assert (unlock.action, unlock.old, unlock.new) == ("解除定稿", True, False)
    rows = audit_rows(store)
    assert rows[0][3:] == ("定稿", "2021年二季度", "", "未定稿", "已定稿")


def test_rows_read_as_words(store):
    period = store.latest_period()
    unit = store.find_unit("城关街道办")
    s, a = store.counts(period, unit.id)
    store.set_counts(period, unit.id, [40, 30])
    store.create_period(Period.parse("2021Q3"))
    rows = audit_rows(store)
    assert rows[0][2:6] == (_account(), "修改条数", "2021年二季度", "城关街道办")
    assert rows[0][6:] == (f"报送信息{s}条，采用信息{a}条", "报送信息40条，采用信息30条")
    assert rows[1][3:5] == ("新建统计期", "2021年三季度")
    assert audit_rows(store, Period.parse("2021Q3")) == [rows[1]]
    assert audit_rows(store, limit=1) == [rows[1]]


def test_describe():
    assert describe("修改数量", [12, 3], ["报送信息", "采用信息"]) == "报送信息12条，采用信息3条"
    assert describe("修改数量", [12, 3], None) == "12、3"
    assert describe("撤销单位", False) == "已停用"  # recorded under the old word, shown in today's
    assert describe("停用单位", True) == "在用"
    assert describe("修改中心采编发布数", None) == ""
    assert describe("修改中心采编发布数", 1769) == "1769"


def test_csv_cells_never_become_formulas():
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("城关街道办") == "城关街道办"


def test_cli_audit_text_csv_and_export(db_path, tmp_path, capsys):
    cli.main(["--db", str(db_path), "init"])  # an explicit --db must exist
    db = ["--db", str(db_path)]
    assert cli.main([*db, "set", "2021Q2", "城关街道办", "--submitted", "40", "--adopted", "30"]) == 0
    assert cli.main([*db, "new-period", "2021Q3"]) == 0
    capsys.readouterr()

    assert cli.main([*db, "audit"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == list(HEADER)
    assert "城关街道办" in out and "报送信息40条，采用信息30条" in out and _account() in out

    assert cli.main([*db, "audit", "--period", "2021Q2", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == list(HEADER) and len(rows) == 2
    assert rows[1][3:] == ["修改条数", "2021年二季度", "城关街道办", rows[1][6], "报送信息40条，采用信息30条"]

    target = tmp_path / "修改记录.csv"
    assert cli.main([*db, "audit", "--output", str(target)]) == 0
    assert "已导出2条修改记录" in capsys.readouterr().out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    assert len(list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))) == 3

    assert cli.main([*db, "audit", "--period", "2021Q9"]) == 2
    assert "季度只能是1到4" in capsys.readouterr().err


def test_a_register_change_reads_as_a_sentence(store, db_path, tmp_path, capsys):
    """修改记录 shows 登记信息 as ``分管领导姓名：李明；…``, never a Python dict with English keys."""
    import datetime

    from shangnan_desktop.domain.register import RegisterEntry
    from shangnan_desktop.storage.register_store import RegisterStore

    unit = store.find_unit("县水利局")
    RegisterStore(store).set(RegisterEntry.build(
        unit.id, datetime.date(2021, 7, 20), leader_name="李明", leader_title="副局长",
        leader_phones="13912345678", admin_phones="0914-6322055、13800000000",
    ))
    RegisterStore(store).set(RegisterEntry.build(unit.id, datetime.date(2021, 7, 20), leader_name="王强"))
    first, second = audit_rows(store)
    assert first[3:6] == ("修改登记信息", "", "县水利局")
    assert first[6] == ""
    assert first[7] == (
        "分管领导姓名：李明；分管领导职务：副局长；分管领导联系电话：13912345678；"
        "管理人员联系电话：0914-6322055、13800000000；确认日期：2021年7月20日"
    )
    assert second[6] == first[7] and second[7] == "分管领导姓名：王强；确认日期：2021年7月20日"
    for text in (*first, *second):
        assert "{" not in text and "leader" not in text and "admin" not in text
    store.close()
    # The CLI and its CSV read the same sentences.
    assert cli.main(["--db", str(store.path), "audit", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[-1][7] == "分管领导姓名：王强；确认日期：2021年7月20日"
    assert cli.main(["--db", str(store.path), "audit"]) == 0
    assert "分管领导姓名：王强；确认日期：2021年7月20日" in capsys.readouterr().out
