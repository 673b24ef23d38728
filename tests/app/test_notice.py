"""The notice use cases through the real store: read bound, edit (one step), create lazily, export."""

from __future__ import annotations

import datetime as dt

import pytest

from shangnan_desktop.app import notice as notice_app
from shangnan_desktop.domain import LockedError, NotFoundError, Period, ValidationError
from shangnan_desktop.storage.notice_store import NoticeStore

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")


def test_read_notice_is_bound_to_live_counts(store):
    bound = notice_app.read_notice(store, Q2)
    assert bound.stored and bound.values["发布总数"] == "2315"
    assert "共发布各类信息2315条" in bound.resolved.text
    unit = store.load_sheet(Q2).groups[1].rows[0]
    values = list(unit.counts)
    values[0] += 5
    store.set_counts(Q2, unit.unit_id, values)
    again = notice_app.read_notice(store, Q2)
    assert again.values["部门报送"] == str(int(bound.values["部门报送"]) + 5)


def test_update_is_one_audited_step_and_replays(store):
    before_audit = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    change = notice_app.update_notice(store, Q2, number_serial=57, letters_received=50, letters_handled=45,
                                      opening="现将{季度}情况通报如下：")
    assert change.changed and change.before.number_serial == 56 and change.after.number_serial == 57
    stored = NoticeStore(store).get(Q2)
    assert stored.figures.letters_received == 50 and stored.opening.startswith("现将")
    assert notice_app.read_notice(store, Q2).values["办结率"] == "90%"
    if before_audit is not None:
        assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before_audit + 1
    notice_app.replace_notice(store, Q2, change.before)  # undo
    assert NoticeStore(store).get(Q2) == change.before
    assert not notice_app.update_notice(store, Q2, number_serial=56).changed


def test_update_refuses_bad_values(store):
    with pytest.raises(ValidationError):
        notice_app.update_notice(store, Q2, number_serial=0)
    with pytest.raises(ValidationError):
        notice_app.update_notice(store, Q2, title="  ")
    with pytest.raises(ValidationError):
        notice_app.update_notice(store, Q2, colour="red")
    assert NoticeStore(store).get(Q2).number_serial == 56


def test_sections_as_pairs(store):
    change = notice_app.update_notice(store, Q2, sections=[("一、总体情况", ["共采用{采用总数}条。"])])
    assert len(change.after.sections) == 1
    assert "共采用546条。" in notice_app.read_notice(store, Q2).resolved.text


def test_next_period_notice_is_created_lazily_from_the_previous(store):
    store.create_period(Q3)
    assert NoticeStore(store).get(Q3) is None  # creating the period does not create the notice
    derived = notice_app.read_notice(store, Q3)
    assert not derived.stored and derived.notice.number_serial is None
    assert "2021年三季度" in derived.resolved.text
    created = notice_app.ensure_notice(store, Q3)
    assert created.changed and created.before is None
    assert created.after.date == dt.date(2021, 10, 16)
    assert not notice_app.ensure_notice(store, Q3).changed
    notice_app.replace_notice(store, Q3, None)  # undo of the creation
    assert NoticeStore(store).get(Q3) is None


def test_locked_period_is_not_edited(store):
    store.set_locked(Q2, True)
    with pytest.raises(LockedError):
        notice_app.update_notice(store, Q2, number_serial=60)


def test_no_notice_to_start_from(store):
    NoticeStore(store).delete(Q2)
    with pytest.raises(NotFoundError):
        notice_app.read_notice(store, Q2)
    with pytest.raises(NotFoundError):
        notice_app.ensure_notice(store, Q2)


def test_export_whole_and_body(store, tmp_path):
    files = notice_app.export_notice(store, Q2, "both", tmp_path / "a")
    assert sorted(f.fmt for f in files) == ["docx", "pdf"]
    assert [f.pages for f in files if f.fmt == "pdf"] == [8]
    body = notice_app.export_notice(store, Q2, "pdf", tmp_path / "b", with_annexes=False)
    assert body[0].pages == 4 and body[0].path.stem.endswith("_正文")
    with pytest.raises(ValidationError):
        notice_app.export_notice(store, Q2, "xlsx", tmp_path / "c")
