"""The application layer's use cases, each through a real store on a real file (no mocks)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest

from shangnan_desktop.app import backups, counts, exports, imports
from shangnan_desktop.app import register as register_app
from shangnan_desktop.app.files import ExportError, save_bytes
from shangnan_desktop.app.workspace import create_workspace, open_workspace, recover, workspace
from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.storage.instance import held_in_this_process
from shangnan_desktop.storage.audit import audit_entries

Q2 = Period.parse("2021Q2")
TODAY = dt.date(2021, 7, 20)


def _unit_id(store, name):
    return store.find_unit(name, Q2).id


# ---- workspace ----------------------------------------------------------------------------------


def test_workspace_is_closed_when_the_block_ends_even_on_an_error(db_path):
    create_workspace(db_path)
    with pytest.raises(RuntimeError):
        with workspace(db_path) as store:
            assert held_in_this_process(db_path)
            raise RuntimeError("boom")
    assert not held_in_this_process(db_path)
    with pytest.raises(sqlite3.ProgrammingError):
        store.conn.execute("SELECT 1")


def test_create_workspace_seeds_the_reference_quarters(tmp_path):
    labels = create_workspace(tmp_path / "new.sqlite3")
    assert "2021年二季度" in "、".join(labels)


def test_open_workspace_reports_the_startup_backup_as_a_result_not_as_store_attributes(db_path):
    opened = open_workspace(db_path)
    try:
        assert opened.startup_backup is not None and opened.startup_backup.reason == "startup"
        assert opened.backup_warning is None and not opened.readonly
        assert not hasattr(opened.store, "startup_backup") and not hasattr(opened.store, "backup_warning")
    finally:
        opened.close()


def test_recover_puts_the_newest_good_backup_in_place_and_keeps_the_old_file(db_path):
    with workspace(db_path) as store:
        uid = _unit_id(store, "试马镇")
        counts.set_counts(store, Q2, "试马镇", {"submitted": 50, "adopted": 5})
        backups.create_backup(store)
        counts.set_counts(store, Q2, "试马镇", {"submitted": 1, "adopted": 0})
    result = recover(db_path)
    assert result.aside.exists()
    with workspace(db_path) as store:
        assert tuple(store.counts(Q2, uid)) == (50, 5)


# ---- counts and periods -------------------------------------------------------------------------


def test_set_counts_stores_the_given_values_and_keeps_the_others(store):
    uid = _unit_id(store, "试马镇")
    before = tuple(store.counts(Q2, uid))
    saved = counts.set_counts(store, Q2, "试马镇", {"submitted": before[0] + 7, "adopted": None})
    assert saved.unit_name == "试马镇" and saved.counts == (before[0] + 7, before[1])
    assert tuple(store.counts(Q2, uid)) == saved.counts
    assert audit_entries(store, limit=1)[-1].unit_name == "试马镇"


def test_set_counts_refuses_a_metric_the_rule_does_not_have_and_stores_nothing(store):
    uid = _unit_id(store, "试马镇")
    before = tuple(store.counts(Q2, uid))
    with pytest.raises(ValidationError, match="评分规则中没有指标“likes”"):
        counts.set_counts(store, Q2, "试马镇", {"submitted": 99}, [("likes", "3")])
    assert tuple(store.counts(Q2, uid)) == before


def test_create_period_and_read_it_back(store):
    q3 = Period.parse("2021Q3")
    counts.create_period(store, q3)
    assert q3 in [info.period for info in counts.periods(store)]
    sheet = counts.load_sheet(store, q3)
    assert all(all(c == 0 for c in row.counts) for g in sheet.groups for row in g.rows)
    assert "2021年三季度" in counts.summary_text(store, q3) or "三季度" in counts.summary_text(store, q3)


# ---- the register -------------------------------------------------------------------------------


def test_edit_register_then_overview_shows_it(store):
    name, changed = register_app.edit_register(store, "试马镇", {"qq": "987654321"}, TODAY)
    assert (name, changed) == ("试马镇", True)
    line = next(l for l in register_app.register_overview(store).lines if l.unit.name == "试马镇")
    assert line.entry.qq == "987654321" and line.entry.confirmed_on == TODAY and line.group_name == "镇办"
    assert register_app.edit_register(store, "试马镇", {"qq": "987654321"}, TODAY) == ("试马镇", False)


def test_update_contact_checks_before_it_saves(store):
    contact, saved = register_app.update_contact(store, {"room": "125", "name": "张群"})
    assert saved and contact.room == "125室"
    with pytest.raises(DomainError):
        register_app.update_contact(store, {"fax": "abc"})
    assert register_app.load_contact(store) == contact


# ---- import: preview, then apply after a backup -------------------------------------------------


def _count_sheet(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "报送信息", "采用信息"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_import_preview_writes_nothing_and_apply_backs_up_first(store, tmp_path):
    uid = _unit_id(store, "试马镇")
    path = _count_sheet(tmp_path / "counts.xlsx", [("试马镇", 44, 4)])
    preview = imports.preview_import(store, Q2, path)
    assert [c.unit_id for c in preview.changes] == [uid]
    assert tuple(store.counts(Q2, uid)) != (44, 4)
    assert [b.reason for b in backups.list_backups(store.path)] == []
    assert imports.apply_import(store, preview) == 1
    assert tuple(store.counts(Q2, uid)) == (44, 4)
    assert [b.reason for b in backups.list_backups(store.path)] == ["import"]


def test_import_refused_when_the_data_changed_after_the_preview(store, tmp_path):
    path = _count_sheet(tmp_path / "counts.xlsx", [("试马镇", 44, 4)])
    preview = imports.preview_import(store, Q2, path)
    counts.set_counts(store, Q2, "试马镇", {"submitted": 45, "adopted": 4})
    with pytest.raises(DomainError, match="预览之后已被修改"):
        imports.apply_import(store, preview)
    assert tuple(store.counts(Q2, _unit_id(store, "试马镇"))) == (45, 4)


def test_register_import_round_trip_through_the_filled_annex(store, tmp_path):
    register_app.edit_register(store, "试马镇", {"qq": "111222333"}, TODAY)
    [filled] = register_app.export_filled(store, Q2, ("xlsx",), tmp_path / "filled.xlsx", today=TODAY)
    register_app.edit_register(store, "试马镇", {"qq": "999888777"}, TODAY)
    preview = imports.preview_register_import(store, filled.path, confirmed_on=TODAY, reconfirm=False)
    assert [c.unit for c in preview.to_store] == ["试马镇"]
    assert imports.apply_register_import(store, preview) == 1
    line = next(l for l in register_app.register_overview(store).lines if l.unit.name == "试马镇")
    assert line.entry.qq == "111222333"


def test_a_count_import_is_one_undo_step(store, tmp_path):
    uid = _unit_id(store, "试马镇")
    old = tuple(store.counts(Q2, uid))
    path = _count_sheet(tmp_path / "counts.xlsx", [("试马镇", 44, 4)])
    command = imports.import_counts(store, imports.preview_import(store, Q2, path))
    assert command.text == "导入counts.xlsx" and command.period == Q2
    assert tuple(store.counts(Q2, uid)) == (44, 4)
    command.undo()
    assert tuple(store.counts(Q2, uid)) == old
    command.do()
    assert tuple(store.counts(Q2, uid)) == (44, 4)
    assert imports.import_counts(store, imports.preview_import(store, Q2, path)) is None  # nothing differs now


def test_a_register_import_is_one_undo_step(store, tmp_path):
    register_app.edit_register(store, "试马镇", {"qq": "111222333"}, TODAY)
    [filled] = register_app.export_filled(store, Q2, ("xlsx",), tmp_path / "filled.xlsx", today=TODAY)
    register_app.edit_register(store, "试马镇", {"qq": "999888777"}, TODAY)
    preview = imports.preview_register_import(store, filled.path, confirmed_on=TODAY, reconfirm=False)
    command = imports.import_register(store, preview)
    uid = _unit_id(store, "试马镇")
    assert command.text == "导入filled.xlsx" and command.period is None and command.units == [uid]
    assert register_app.entry(store, uid).qq == "111222333"
    command.undo()
    assert register_app.entry(store, uid).qq == "999888777"
    command.do()
    assert register_app.entry(store, uid).qq == "111222333"


# ---- export, print, per-unit forms --------------------------------------------------------------


def test_export_period_and_print_pages(store, tmp_path):
    files = exports.export_period(store, Q2, "1", "xlsx", tmp_path / "a1.xlsx")
    assert [f.path.name for f in files] == ["a1.xlsx"] and files[0].path.stat().st_size > 0
    data = exports.print_pdf(store, Q2)
    again = exports.print_pages(store.load_sheet(Q2))  # the same pages (the PDF id differs per run)
    pages = data.count(b"/Type /Page\n")
    assert data.startswith(b"%PDF") and again.startswith(b"%PDF") and pages == again.count(b"/Type /Page\n") > 0
    assert [c.label for c in exports.annex_choices(store.load_sheet(Q2))] == ["附件1", "附件2", "附件3"]


def test_unit_forms_only_for_stale_units(store, tmp_path):
    register_app.edit_register(store, "试马镇", {"qq": "111222333"}, TODAY)
    all_forms = register_app.export_unit_forms(store, Q2, ("xlsx",), tmp_path / "all", today=TODAY)
    stale = register_app.export_unit_forms(store, Q2, ("xlsx",), tmp_path / "stale", stale_only=True, today=TODAY)
    assert len(stale) == len(all_forms) - 1


# ---- backups, audit and saved files -------------------------------------------------------------


def test_backup_then_restore_and_read_the_audit(store, tmp_path):
    counts.set_counts(store, Q2, "试马镇", {"submitted": 33, "adopted": 3})
    info = backups.create_backup(store)
    assert backups.is_good(info) and backups.list_backups(store.path) == [info]
    rows = backups.audit_table(store, Q2, 1)
    assert len(rows) == 1 and "试马镇" in rows[0] and len(rows[0]) == len(backups.AUDIT_HEADER)
    path = store.path
    store.close()
    result = backups.restore(path, info)
    assert result.aside is not None and result.aside.exists()


def test_saved_files_never_go_over_the_database(store, tmp_path):
    with pytest.raises(ExportError, match="数据库文件"):
        save_bytes(store.path, b"not a database")
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert save_bytes(tmp_path / "audit.csv", b"x").read_bytes() == b"x"
