"""Returned 附件3 workbooks: the preview (old → new per field, refused rows and why), then storing on confirmation."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from shangnan_desktop import cli
from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.app.exports import export_period
from shangnan_desktop.app.register import export_filled, export_unit_forms
from shangnan_desktop.app.imports import apply_register_import, preview_register_import
from shangnan_desktop.storage.register_store import RegisterStore
from shangnan_desktop.storage.audit import audit_entries
from tests.register_data import fill_register

Q2 = Period.parse("2021Q2")
RETURNED = dt.date(2021, 8, 2)


@pytest.fixture
def full(store):
    return fill_register(store)


@pytest.fixture
def filled_xlsx(store, full, tmp_path):
    return export_filled(store, Q2, ("xlsx",), tmp_path / "filled.xlsx", today=RETURNED)[0].path


def row_of(ws, unit: str) -> int:
    for row in ws.iter_rows(min_col=2, max_col=2):
        if row[0].value == unit:
            return row[0].row
    raise AssertionError(unit)


def edit(path, changes, out=None):
    """``changes``: {(unit, column letter): value}, in the filled layout."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for (unit, col), value in changes.items():
        ws[f"{col}{row_of(ws, unit)}"] = value
    out = out or path
    wb.save(out)
    return out


def snapshot(store):
    return {uid: (e, e.valid_from) for uid, e in RegisterStore(store).current().items()}


def test_unchanged_export_reimports_as_nothing_to_change(store, full, filled_xlsx):
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED, reconfirm=False)
    assert preview.sheets == ["汇总表（内部资料）"]
    assert not preview.changes and not preview.refused and not preview.confirmations
    assert len(preview.unchanged) == 62


def test_preview_shows_old_and_new_per_field_and_stores_nothing(store, full, filled_xlsx):
    edit(filled_xlsx, {("赵川镇", "C"): "司马懿", ("赵川镇", "E"): "13912345678/(0914)6322055",
                       ("县文旅局", "I"): 123456789})
    before = snapshot(store)
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED, reconfirm=False)
    assert snapshot(store) == before
    changes = {c.unit: c for c in preview.changes}
    assert set(changes) == {"赵川镇", "县文旅局"}
    zc = changes["赵川镇"]
    old = full[store.find_unit("赵川镇").id]
    assert [(f.label, f.old, f.new) for f in zc.fields] == [
        ("分管领导姓名", old.leader_name, "司马懿"),
        ("分管领导联系电话", old.display("leader_phones"), "13912345678、0914-6322055"),
    ]
    assert zc.new.confirmed_on == RETURNED and zc.old == old
    assert "“司马懿”" in preview.as_text() and "→" in preview.as_text()
    assert [(f.label, f.new) for f in changes["县文旅局"].fields] == [("QQ号码", "123456789")]  # typed as a number

    assert apply_register_import(store, preview) == 2
    reg = RegisterStore(store)
    unit = store.find_unit("赵川镇").id
    assert reg.entry(unit).leader_name == "司马懿" and reg.entry(unit).confirmed_on == RETURNED
    assert [h.leader_name for h in reg.history(unit)] == [old.leader_name, "司马懿"]  # the old entry is kept
    assert audit_entries(store)[-1].action == "导入登记表"


def test_refused_rows_carry_their_reasons_and_the_rest_still_imports(store, full, filled_xlsx):
    wb = openpyxl.load_workbook(filled_xlsx)
    ws = wb.active
    r = row_of(ws, "湘河镇")
    ws[f"I{r}"] = "0123"  # QQ starting with 0
    ws[f"E{r}"] = "6322055"  # no area code
    ws[f"C{row_of(ws, '富水镇')}"] = "=HYPERLINK(\"x\")"  # a formula
    ws[f"H{row_of(ws, '青山镇')}"] = dt.datetime(2021, 7, 1)  # Excel turned a number into a date
    ws[f"B{row_of(ws, '试马镇')}"] = "不存在的单位"
    ws[f"B{row_of(ws, '县司法局')}"] = "县文旅局"  # the same unit twice
    ws[f"C{row_of(ws, '县公安局')}"] = "王五"
    wb.save(filled_xlsx)
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED, reconfirm=False)
    reasons = {p.unit: p.message for p in preview.refused}
    assert "区号" in reasons["湘河镇"] and "QQ号码“0123”无效" in reasons["湘河镇"]  # both problems of the row
    assert "公式" in reasons["富水镇"]
    assert "日期" in reasons["青山镇"]
    assert "找不到该单位" in reasons["不存在的单位"]
    assert "出现了两次" in reasons["县文旅局"]
    assert all("工作表“汇总表（内部资料）”" in p.where for p in preview.refused)
    assert [c.unit for c in preview.changes] == ["县公安局"]
    assert apply_register_import(store, preview) == 1
    assert RegisterStore(store).entry(store.find_unit("湘河镇").id) == full[store.find_unit("湘河镇").id]


def test_reconfirmation_of_unchanged_rows(store, full, filled_xlsx):
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED)
    assert len(preview.confirmations) == 62 and not preview.changes
    assert "记为2021-08-02已确认" in preview.as_text()
    assert apply_register_import(store, preview) == 62
    assert {e.confirmed_on for e in RegisterStore(store).current().values()} == {RETURNED}


def test_blank_rows_leave_the_register_alone(store, full, filled_xlsx):
    cols = "CDEFGHI"
    edit(filled_xlsx, {("县审计局", c): None for c in cols})
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED, reconfirm=False)
    assert preview.empty == ["县审计局"] and not preview.changes


def test_the_published_blank_form_filled_in_by_a_unit(store, tmp_path):
    path = export_period(store, Q2, "3", "xlsx", tmp_path / "blank.xlsx")[0].path
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col, value in zip("BCDEFGHI", ("县审计局", "张喆", "副局长", "13900000000", "李玥", "科员", "0914-6322055", "12345")):
        ws[f"{col}5"] = value
    wb.save(path)
    preview = preview_register_import(store, path, confirmed_on=RETURNED)
    assert [c.unit for c in preview.changes] == ["县审计局"] and not preview.refused
    assert preview.changes[0].old is None
    assert [f.old for f in preview.changes[0].fields] == [""] * 7
    apply_register_import(store, preview)
    assert RegisterStore(store).entry(store.find_unit("县审计局").id).admin_phones == ("0914-6322055",)


def test_per_unit_form_corrections_win_and_placeholders_are_ignored(store, full, tmp_path):
    files = export_unit_forms(store, Q2, ("xlsx",), tmp_path / "forms", today=RETURNED)
    path = next(f.path for f in files if f.path.stem.endswith("_县民政局"))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws["A4"].value == "项目"
    labels = {ws.cell(row=r, column=1).value: r for r in range(5, 13)}
    ws.cell(row=labels["管理人员姓名"], column=3).value = "上官婉儿"
    ws.cell(row=labels["分管领导职务"], column=3).value = "无"
    ws.cell(row=labels["QQ号码"], column=2).value = 55555  # corrected in place, 更正 left empty
    wb.save(path)
    preview = preview_register_import(store, path, confirmed_on=RETURNED)
    assert preview.sheets == ["核对表（内部资料）"]
    [change] = preview.changes
    assert change.unit == "县民政局"
    assert [(f.label, f.new) for f in change.fields] == [("管理人员姓名", "上官婉儿"), ("QQ号码", "55555")]


def test_per_unit_form_with_a_bad_correction_is_refused(store, full, tmp_path):
    files = export_unit_forms(store, Q2, ("xlsx",), tmp_path / "forms", today=RETURNED)
    path = next(f.path for f in files if f.path.stem.endswith("_县民政局"))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["C11"] = "12345"  # 管理人员联系电话: neither a mobile nor a landline
    wb.save(path)
    preview = preview_register_import(store, path, confirmed_on=RETURNED)
    assert not preview.can_apply
    [problem] = preview.refused
    assert problem.unit == "县民政局" and "管理人员联系电话" in problem.message


def test_apply_refuses_if_the_register_changed_after_the_preview(store, full, filled_xlsx):
    edit(filled_xlsx, {("赵川镇", "C"): "司马懿"})
    preview = preview_register_import(store, filled_xlsx, confirmed_on=RETURNED, reconfirm=False)
    unit = store.find_unit("赵川镇").id
    RegisterStore(store).set(full[unit].with_values(admin_name="诸葛亮"))
    before = snapshot(store)
    with pytest.raises(DomainError, match="预览之后已被修改"):
        apply_register_import(store, preview)
    assert snapshot(store) == before


def test_a_workbook_of_another_kind_is_refused(store, tmp_path):
    path = export_period(store, Q2, "1", "xlsx", tmp_path / "a1.xlsx")[0].path
    with pytest.raises(ValidationError, match="不是本程序导出的管理责任人登记表"):
        preview_register_import(store, path)
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DomainError, match="不是有效的Excel"):
        preview_register_import(store, bad)


def test_cli_register_import_previews_then_stores_with_yes(capsys, store, full, filled_xlsx):
    edit(filled_xlsx, {("赵川镇", "D"): "镇长"})
    db = str(store.db.path)
    code = cli.main(["--db", db, "register", "import", str(filled_xlsx), "--changes-only"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "赵川镇：分管领导职务" in out and "尚未写入" in out
    assert RegisterStore(store).entry(store.find_unit("赵川镇").id).leader_title != "镇长"
    code = cli.main(["--db", db, "register", "import", str(filled_xlsx), "--changes-only", "--yes",
                     "--date", "2021-08-03"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "保存了1个单位" in out
    store2_entry = RegisterStore(store).entry(store.find_unit("赵川镇").id)
    assert store2_entry.leader_title == "镇长" and store2_entry.confirmed_on == dt.date(2021, 8, 3)
    code = cli.main(["--db", db, "register", "import", str(filled_xlsx), "--date", "8月3日"])
    assert code == 2 and "日期" in capsys.readouterr().err


def test_entry_rebuilt_from_a_row_equals_a_typed_one(store):
    """The import builds entries with the same rules as typing: 09146322055 is stored as 0914-6322055."""
    unit = store.find_unit("县民政局").id
    typed = RegisterEntry.build(unit, RETURNED, admin_phones="0914-6322055")
    assert RegisterEntry.build(unit, RETURNED, admin_phones="09146322055") == typed
