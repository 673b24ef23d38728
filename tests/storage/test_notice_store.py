"""The notice (通报) in SQLite, through the real store: seeded reference, edits with audit rows,
a new quarter from the previous one, refusals that leave the file untouched, the migration."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3

import pytest

from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.notice import NoticeFigures, bind
from shangnan_desktop.reports.notice_model import load_reference_notice
from shangnan_desktop.storage import Database, Store
from shangnan_desktop.storage.audit import audit_entries
from shangnan_desktop.storage.migrations import SCHEMA_VERSION
from shangnan_desktop.storage.notice_store import NoticeStore, notice_json
from shangnan_desktop.storage.seed import load_reference_data
from tests.storage.fixtures import make_v1

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")


def file_bytes(store) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    path = store.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_a_new_reference_database_holds_the_2021q2_notice(store):
    notices = NoticeStore(store)
    notice = notices.get(Q2)
    assert notice == load_reference_notice()
    assert notice.number == "商南政办函〔2021〕56号"
    assert notice.figures.key_area_published == 174 and notice.figures.disclosure_handled == 8
    assert (notice.figures.letters_received, notice.figures.letters_handled) == (44, 44)
    assert notices.periods() == [Q2]
    text = bind(notice, store.load_sheet(Q2)).text
    assert "共发布各类信息2315条" in text and "共采用546条" in text
    assert not audit_entries(store)  # seeding is no clerk's change


def test_set_writes_one_audit_row_with_the_changed_fields_and_the_text_follows_counts(store):
    notices = NoticeStore(store)
    old = notices.get(Q2)
    new = dataclasses.replace(old, number_serial=57, figures=dataclasses.replace(old.figures, disclosure_handled=9))
    assert notices.set(new)
    assert notices.get(Q2) == new
    before = len(audit_entries(store))
    assert not notices.set(new)  # unchanged: nothing written
    assert len(audit_entries(store)) == before
    entry = audit_entries(store)[-1]
    assert entry.action == "修改通报" and entry.period_key == "2021Q2"
    assert entry.old == {"number_serial": 56, "figures": json.loads(notice_json(old))["figures"]}
    assert entry.new["number_serial"] == 57 and entry.new["figures"]["disclosure_handled"] == 9
    # bound numbers come from the counts, never from the stored text
    unit = store.find_unit("过风楼镇").id
    submitted, adopted = store.counts(Q2, unit)
    store.set_counts(Q2, unit, (submitted + 10, adopted + 10))
    assert "共采用556条" in bind(notices.get(Q2), store.load_sheet(Q2)).text


def test_update_changes_named_fields(store):
    notices = NoticeStore(store)
    stored = notices.update(Q2, title="关于{期间}信息报送情况的通报")
    assert stored.title == "关于{期间}信息报送情况的通报"
    with pytest.raises(DomainError):
        notices.update(Q2, no_such_field=1)


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(title="  "), "标题不能为空"),
        (dict(office=""), "发文机关不能为空"),
        (dict(number_serial=0), "序号"),
        (dict(figures=NoticeFigures(letters_received=-1)), "不小于0"),
        (dict(number_prefix="字" * 31), "机关代字过长"),
    ],
)
def test_a_refused_notice_leaves_the_database_byte_identical(store, change, message):
    notices = NoticeStore(store)
    bad = dataclasses.replace(notices.get(Q2), **change)
    before = file_bytes(store)
    with pytest.raises(DomainError, match=message):
        notices.set(bad)
    assert file_bytes(store) == before


def test_a_locked_or_missing_period_refuses_edits_byte_identical(store):
    notices = NoticeStore(store)
    store.set_locked(Q2, True)
    before = file_bytes(store)
    with pytest.raises(DomainError, match="已定稿"):
        notices.set(dataclasses.replace(notices.get(Q2), number_serial=60))
    with pytest.raises(DomainError, match="已定稿"):
        notices.delete(Q2)
    with pytest.raises(DomainError, match="没有"):
        notices.create_next(Period.parse("2022Q1"))
    assert file_bytes(store) == before


def test_the_table_refuses_what_the_domain_refuses(store):
    notices = NoticeStore(store)
    good = json.loads(notice_json(notices.get(Q2)))
    period_id = store.conn.execute("SELECT id FROM periods WHERE key = '2021Q2'").fetchone()[0]
    bad_values = [
        {**good, "office": " "},
        {**good, "title": ""},
        {**good, "number_serial": 0},
        {**good, "number_serial": "56"},
        {**good, "date": "2021-02-30"},
        {**good, "sections": "一、总体情况"},
        {**good, "figures": {**good["figures"], "letters_handled": -1}},
        {**good, "figures": {**good["figures"], "key_area_published": 1.5}},
    ]
    for data in bad_values:
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "UPDATE notices SET data = ? WHERE period_id = ?", (json.dumps(data, ensure_ascii=False), period_id)
            )
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE notices SET data = 'not json' WHERE period_id = ?", (period_id,))


def test_a_new_quarter_starts_from_the_previous_notice(store):
    notices = NoticeStore(store)
    store.create_period(Q3)
    notice = notices.create_next(Q3)
    q2 = notices.get(Q2)
    assert notice.period == Q3 and notice.sections == q2.sections and notice.title == q2.title
    assert notice.number_serial is None and notice.date == dt.date(2021, 10, 16)
    assert notice.figures == NoticeFigures(reply_deadline="10月23日")
    assert notice.praised == {}
    resolved = bind(notice, store.load_sheet(Q3))
    assert "2021年三季度" in resolved.text and "重点领域信息" in resolved.missing
    assert [e.action for e in audit_entries(store)][-1] == "新建通报"
    with pytest.raises(DomainError, match="已有通报"):
        notices.create_next(Q3)
    assert notices.delete(Q3) == notice  # the undo
    assert notices.get(Q3) is None and notices.get(Q2) == q2


def test_deleting_a_period_deletes_its_notice(store):
    notices = NoticeStore(store)
    store.create_period(Q3)
    notices.create_next(Q3)
    store.delete_period(Q3)
    assert notices.periods() == [Q2]
    assert store.conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 1


def _reference_db_before_notices(path):
    """A reference database as this application made it before migration 4 (no notices table)."""
    db = Database(path)
    db.migrate(target=3)  # the schema before migration 4
    store = Store(db)
    load_reference_data(store)  # the counts only: no notices table yet
    store.close()


def test_an_existing_reference_database_gets_the_notice_through_the_migration(tmp_path):
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    _reference_db_before_notices(old)
    migrated = Store.open(old)
    new = Store.open(fresh)
    try:
        assert migrated.db.version == SCHEMA_VERSION
        assert NoticeStore(migrated).get(Q2) == NoticeStore(new).get(Q2) == load_reference_notice()
        row = "SELECT data FROM notices"
        assert migrated.conn.execute(row).fetchall() == new.conn.execute(row).fetchall()
    finally:
        migrated.close()
        new.close()


def test_a_database_without_the_reference_period_gets_no_notice(tmp_path):
    # the version-1 fixture has a 2021Q2 of its own (not the reference's units)
    v1 = tmp_path / "v1.sqlite3"
    shutil.copyfile(make_v1.V1_FILE, v1)
    store = Store.open(v1)
    try:
        assert store.conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 0
        assert NoticeStore(store).get(Q2) is None
    finally:
        store.close()
    # the reference with one of its units removed is no longer the reference period
    old = tmp_path / "old.sqlite3"
    _reference_db_before_notices(old)
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("DELETE FROM entries WHERE name = '县烟草局'")
    conn.close()
    store = Store.open(old)
    try:
        assert NoticeStore(store).get(Q2) is None
    finally:
        store.close()
