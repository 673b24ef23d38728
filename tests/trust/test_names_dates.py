"""Issue 12, wrong numbers: look-alike unit names, and the register's dates (one rule everywhere)."""

import datetime as dt

import pytest

from shangnan_desktop.domain import ValidationError
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.register_store import RegisterStore
from tests.trust.cli import cli, digest


def _group_ids(store):
    return {g.name: g.id for g in store.groups()}


@pytest.mark.parametrize("lookalike", ["ＸＹ中心", "XY 中心", "X\u200bY中心", "XY\u3000中心", " XY中心 ", "XY\ufeff中心"])
@pytest.mark.parametrize("where", ["镇办", "县直部门"])
def test_lookalike_names_refused_in_any_group(seeded, lookalike, where):
    store = Store.open(seeded)
    try:
        ids = _group_ids(store)
        store.add_unit(ids["县直部门"], "XY中心", store.latest_period())
        with pytest.raises(ValidationError):
            store.add_unit(ids[where], lookalike, store.latest_period())
        other = store.add_unit(ids[where], "XZ中心", store.latest_period())
        with pytest.raises(ValidationError):
            store.rename_unit(other.id, lookalike)
    finally:
        store.close()


def test_same_name_in_two_groups_needs_group_on_cli(seeded):
    """A database from before names had to be unique: the CLI must not pick one silently."""
    store = Store.open(seeded)
    period = store.latest_period()
    ids = _group_ids(store)
    a = store.add_unit(ids["镇办"], "XY中心", period)
    with store.db.transaction() as conn:  # as an older version could have stored it
        b_id = conn.execute("INSERT INTO units (group_id, name, position) VALUES (?, 'ＸＹ中心', 999)",
                            (ids["县直部门"],)).lastrowid
        store._insert_entry(conn, store._period_row(period)[0], b_id, "ＸＹ中心")
    store.close()
    before = digest(seeded)
    for typed in ("XY中心", "ＸＹ中心", "XY 中心"):
        result = cli("set", "2021Q2", typed, "--submitted", "3", db=seeded)
        assert result.code == 2 and "--group" in result.err, result
    assert digest(seeded) == before
    assert cli("set", "2021Q2", "XY中心", "--submitted", "3", "--group", "县直部门", db=seeded).code == 0
    assert cli("set", "2021Q2", "ＸＹ中心", "--submitted", "5", "--group", "镇办", db=seeded).code == 0
    store = Store.open(seeded, readonly=True)
    try:
        assert store.counts(period, b_id)[0] == 3 and store.counts(period, a.id)[0] == 5
    finally:
        store.close()


TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
BAD_DATES = ["2099-01-01", TOMORROW, "2021-13-01", "2021-02-30", "2021-00-10", "20211301", "昨天", "2021-7",
             "1999-12-31", "７月"]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_cli_register_set_refuses_bad_dates(seeded, bad):
    before = digest(seeded)
    result = cli("register", "set", "试马镇", "--qq", "987654321", "--confirmed", bad, db=seeded)
    assert result.code == 2, result
    assert "Traceback" not in result.err and "确认日期" in result.err
    assert digest(seeded) == before


@pytest.mark.parametrize("bad", BAD_DATES)
def test_register_import_date_uses_the_same_rule(seeded, tmp_path, bad):
    result = cli("register", "import", tmp_path / "x.xlsx", "--date", bad, db=seeded)
    assert result.code == 2 and "Traceback" not in result.err and "确认日期" in result.err, result


@pytest.mark.parametrize("good, day", [("2021-07-20", dt.date(2021, 7, 20)), ("2021/7/20", dt.date(2021, 7, 20)),
                                       ("2021年7月20日", dt.date(2021, 7, 20)), ("２０２１-０７-２０", dt.date(2021, 7, 20)),
                                       (TODAY.isoformat(), TODAY)])
def test_cli_register_set_accepts_what_the_window_accepts(seeded, good, day):
    from shangnan_desktop.domain.register import parse_date

    assert parse_date(good, TODAY) == day
    result = cli("register", "set", "试马镇", "--qq", "987654321", "--confirmed", good, db=seeded)
    assert result.code == 0, result
    store = Store.open(seeded, readonly=True)
    try:
        assert RegisterStore(store).entry(store.find_unit("试马镇").id).confirmed_on == day
    finally:
        store.close()


def test_window_uses_the_domain_rule():
    from shangnan_desktop.domain import register as domain
    from shangnan_desktop.ui import register_model

    assert register_model.parse_date is domain.parse_date
    with pytest.raises(ValidationError):
        register_model.edited_entry(1, None, {register_model.DATE_COLUMN: "2099-01-01"}, TODAY)


@pytest.mark.parametrize("args", [["--qq", "0123"], ["--leader-phone", "12345"], ["--admin", "张3"]])
def test_cli_register_phone_and_qq_rules(seeded, args):
    before = digest(seeded)
    result = cli("register", "set", "试马镇", *args, db=seeded)
    assert result.code == 2 and "Traceback" not in result.err, result
    assert digest(seeded) == before


def test_import_refuses_a_name_shared_by_two_units(seeded, tmp_path):
    from tests.trust import rawxlsx

    store = Store.open(seeded)
    period = store.latest_period()
    ids = _group_ids(store)
    store.add_unit(ids["镇办"], "XY中心", period)
    with store.db.transaction() as conn:
        b_id = conn.execute("INSERT INTO units (group_id, name, position) VALUES (?, 'ＸＹ中心', 999)",
                            (ids["县直部门"],)).lastrowid
        store._insert_entry(conn, store._period_row(period)[0], b_id, "ＸＹ中心")
    store.close()
    book = rawxlsx.write(tmp_path / "附件.xlsx", [("表", rawxlsx.annex_rows(
        "2021年二季度统计表", ["单位", "报送信息", "采用信息"], [["XY中心", 5, 4]]), "visible")])
    before = digest(seeded)
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 2 and "两个单位" in result.out, result
    assert digest(seeded) == before
