"""附件3 from the register: the filled internal list, the per-unit forms, and the CLI that makes them."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from pypdf import PdfReader

from shangnan_desktop import cli
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.reports.annex import INTERNAL, INTERNAL_MARK, PUBLIC, UNIT_FORM, annex_table
from shangnan_desktop.reports.register_export import (
    FORM_CORRECTION_HEADER,
    FORM_CURRENT_HEADER,
    filled_register_table,
    unit_form_table,
)
from shangnan_desktop.app.register import export_filled, export_unit_forms, load_contact, register_units, save_contact
from shangnan_desktop.reports.safe_write import ExportError
from shangnan_desktop.storage.register_store import RegisterStore
from tests.register_data import fill_register

Q2 = Period.parse("2021Q2")
TODAY = dt.date(2021, 8, 1)


@pytest.fixture
def full(store):
    """Every unit registered except 县水利局, whose entry is removed again (blank)."""
    entries = fill_register(store)
    water = store.find_unit("县水利局").id
    RegisterStore(store).set(RegisterEntry(water))
    entries.pop(water)
    return entries


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_filled_table_has_a_row_per_unit_under_group_headings(store, full):
    table = filled_register_table(register_units(store), 3, today=TODAY)
    assert table.audience == INTERNAL and table.marking == INTERNAL_MARK == "内部资料\u3000注意保存"
    # An internal 汇总表, not the notice's 附件3: no label, nobody stamps it, landscape.
    assert table.title == "商南县政府网站管理责任人汇总表" and not table.show_label and table.landscape
    assert {c.text for c in table.header if c.col == 1} == {"单位名称"}
    sections = [r.values[0] for r in table.rows if r.section]
    assert sections == ["镇办", "县直部门"]
    units = [r for r in table.rows if not r.section]
    assert len(units) == 62 and [r.values[0] for r in units] == list(range(1, 63))
    names = {u.id: u.name for u in store.units()}
    assert [r.values[1] for r in units] == [names[u.id] for u in store.units(include_retired=False)]
    first = units[0]
    entry = full[first.unit_id]
    assert first.values[2:5] == (entry.leader_name, entry.leader_title, "\n".join(entry.leader_phones))
    assert first.values[8] == entry.qq
    water = next(r for r in units if r.values[1] == "县水利局")
    assert water.values[2:] == (None,) * 7  # not registered: an empty line to chase
    assert table.note == "注：本表根据截至2021年8月1日的登记信息汇总，共62个单位，其中已登记61个、未登记1个（空白行）。"


def test_retired_units_are_left_out(store, full):
    unit = store.find_unit("县烟草局")
    store.set_unit_active(unit.id, False)
    table = filled_register_table(register_units(store), 3, today=TODAY)
    assert "县烟草局" not in [r.values[1] for r in table.rows]


def test_filled_pdf_marks_every_page_and_carries_the_data(store, full, tmp_path):
    files = export_filled(store, Q2, ("pdf", "xlsx"), tmp_path, today=TODAY)
    pdf = next(f for f in files if f.fmt == "pdf")
    assert pdf.path.name == "商南县政府网站管理责任人汇总表（内部资料）.pdf"
    pages = [p.extract_text() for p in PdfReader(str(pdf.path)).pages]
    assert len(pages) == pdf.pages >= 2
    assert all(INTERNAL_MARK in p for p in pages)
    assert all(f"— {n} —" in p for n, p in enumerate(pages, start=1))  # numbered like the other annexes
    assert not any("附件3" in p for p in pages)
    page = PdfReader(str(pdf.path)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = "".join(pages).replace(" ", "").replace("\n", "")
    assert all(e.leader_name in text and e.qq in text for e in full.values())


def test_filled_xlsx_has_the_mark_in_header_and_tab_and_keeps_the_form_layout(store, full, tmp_path):
    files = export_filled(store, Q2, ("xlsx",), tmp_path / "f.xlsx", today=TODAY)
    wb = openpyxl.load_workbook(files[0].path)
    ws = wb.active
    assert ws.title == "汇总表（内部资料）"
    assert ws["A1"].value is None and ws["A2"].value == "商南县政府网站管理责任人汇总表"
    assert ws["B3"].value == "单位名称" and ws.page_setup.orientation == "landscape"
    for header in (ws.oddHeader, ws.evenHeader):
        assert header.right.text == INTERNAL_MARK
    assert ws.oddFooter.right.text and "&P" in ws.oddFooter.right.text
    assert ws["C3"].value == "分管领导" and ws["F3"].value == "管理人员" and ws["I3"].value == "QQ号码"
    assert ws["A5"].value == "镇办" and "A5:I5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A6"].value == 1 and ws["B6"].value == "过风楼镇"
    entry = full[store.find_unit("过风楼镇").id]
    assert ws["C6"].value == entry.leader_name and ws["I6"].value == entry.qq
    assert ws["I6"].data_type == "s"  # a QQ number stays text: no 8.07E+8, no lost leading digits
    assert ws["E6"].value == "\n".join(entry.leader_phones)
    assert ws.print_title_rows == "$3:$4"


def test_unit_form_lists_each_field_with_room_for_a_correction(store, full):
    item = next(u for u in register_units(store) if u.unit.name == "县文旅局")
    table = unit_form_table(item, 3)
    assert table.kind == UNIT_FORM and table.audience == INTERNAL and table.page_numbers is None
    assert [c.header for c in table.columns] == ["项目", FORM_CURRENT_HEADER, FORM_CORRECTION_HEADER]
    assert [r.values[0] for r in table.rows] == [
        "单位名称", "分管领导姓名", "分管领导职务", "分管领导联系电话", "管理人员姓名", "管理人员职务", "管理人员联系电话", "QQ号码"]
    assert table.rows[0].values[1] == "县文旅局"
    assert table.rows[1].values[1] == item.entry.leader_name
    assert all(r.values[2] is None for r in table.rows)
    assert "2021年7月20日确认" in table.subtitle
    assert "盖章" in table.note
    blank = next(u for u in register_units(store) if u.unit.name == "县水利局")
    assert "尚未登记" in unit_form_table(blank, 3).subtitle


def test_unit_forms_one_pdf_page_and_one_workbook_per_unit(store, full, tmp_path):
    files = export_unit_forms(store, Q2, ("pdf", "xlsx"), tmp_path / "forms", today=TODAY)
    pdf = [f for f in files if f.fmt == "pdf"]
    xlsx = [f for f in files if f.fmt == "xlsx"]
    assert len(pdf) == 1 and pdf[0].pages == 62 and len(xlsx) == 62
    pages = [p.extract_text() for p in PdfReader(str(pdf[0].path)).pages]
    units = [u.name for u in store.units(include_retired=False)]
    assert all(name in page and INTERNAL_MARK in page for name, page in zip(units, pages))
    assert not any("— 1 —" in p for p in pages)  # forms are not numbered pages of one document
    assert sorted(f.path.name for f in xlsx) == sorted(f"商南县政府网站管理责任人登记信息核对表_{u}.xlsx" for u in units)
    assert all("商南县政府网站管理责任人登记信息核对表" in p and "附件3" not in p for p in pages)
    ws = openpyxl.load_workbook(xlsx[0].path).active
    assert ws["A4"].value == "项目" and ws["B5"].value == units[0]


def test_unit_forms_for_stale_units_only(store, full, tmp_path):
    reg = RegisterStore(store)
    fresh = store.find_unit("县文旅局").id
    reg.set(full[fresh].with_values(confirmed_on=dt.date(2022, 1, 1)))
    files = export_unit_forms(store, Q2, ("xlsx",), tmp_path / "stale", stale_only=True, today=dt.date(2022, 2, 1))
    names = {f.path.stem.rsplit("_", 1)[1] for f in files}
    assert len(names) == 61 and "县文旅局" not in names and "县水利局" in names
    for uid, entry in full.items():
        reg.set(entry.with_values(confirmed_on=dt.date(2022, 1, 1)))
    reg.set(RegisterEntry.build(store.find_unit("县水利局").id, dt.date(2022, 1, 1), admin_name="王五"))
    with pytest.raises(DomainError, match="没有需要核对的单位"):
        export_unit_forms(store, Q2, ("xlsx",), tmp_path / "none", stale_only=True, today=dt.date(2022, 2, 1))


def test_unit_forms_need_a_folder(store, full, tmp_path):
    with pytest.raises(ExportError, match="文件夹"):
        export_unit_forms(store, Q2, ("pdf",), tmp_path / "forms.pdf")


def test_blank_form_stays_public_whatever_the_register_holds(store, full):
    table = annex_table(store.load_sheet(Q2), 3)
    assert table.audience == PUBLIC and not table.marking
    assert all(v is None for r in table.rows for v in r.values[1:])


def test_cli_export_filled_and_per_unit(capsys, store, full, tmp_path):
    db = str(store.db.path)
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "3", "--filled", "-o", str(tmp_path / "a"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "商南县政府网站管理责任人汇总表（内部资料）.pdf", "商南县政府网站管理责任人汇总表（内部资料）.xlsx"]
    assert "内部资料" in out and "请勿公开" in out

    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "1", "--filled", "-o", str(tmp_path / "b"))
    assert code == 2 and "只适用于附件3" in err and not (tmp_path / "b").exists()

    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--per-unit", "--format", "pdf",
                         "-o", str(tmp_path / "c"))
    assert code == 0, err
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["商南县政府网站管理责任人登记信息核对表（各单位）.pdf"]
    assert "（共62页）" in out

    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--stale", "-o", str(tmp_path / "d"))
    assert code == 2 and "--per-unit" in err
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "2", "--per-unit",
                         "-o", str(tmp_path / "e"))
    assert code == 2 and "只适用于附件3" in err


def test_cli_export_all_with_filled_keeps_the_ranking_annexes_public(capsys, store, full, tmp_path):
    db = str(store.db.path)
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--filled", "--format", "xlsx", "-o", str(tmp_path))
    assert code == 0, err
    titles = sorted(openpyxl.load_workbook(p).active.title for p in tmp_path.glob("*.xlsx"))
    assert titles == ["汇总表（内部资料）", "附件1", "附件2"]


def test_unit_form_carries_the_return_line_the_clerk_set(store, full, tmp_path):
    from shangnan_desktop.reports.register_export import ReturnContact

    item = next(u for u in register_units(store) if u.unit.name == "县文旅局")
    assert "请报县电子政务中心。" in unit_form_table(item, 3, load_contact(store)).note  # nothing set yet
    save_contact(store, ReturnContact.build(deadline="7月23日", room="125", name="张群", fax="6322055"))
    contact = load_contact(store)
    assert contact == ReturnContact("7月23日", "125室", "张群", "6322055")
    line = "请于7月23日前报县电子政务中心125室（联系人：张群，传真：6322055）"
    assert line in unit_form_table(item, 3, contact).note
    assert unit_form_table(item, 3, contact).title == "商南县政府网站管理责任人登记信息核对表"
    files = export_unit_forms(store, Q2, ("pdf",), tmp_path / "forms", today=TODAY)
    text = PdfReader(str(files[0].path)).pages[0].extract_text().replace("\n", "").replace(" ", "")
    assert line in text


@pytest.mark.parametrize("values, message", [
    ({"deadline": "下周"}, "交回期限"), ({"fax": "63a2055"}, "传真号码"), ({"name": "张"}, "联系人"),
])
def test_return_contact_refuses_slips_with_a_clear_message(values, message):
    from shangnan_desktop.domain import ValidationError
    from shangnan_desktop.reports.register_export import ReturnContact

    with pytest.raises(ValidationError, match=message):
        ReturnContact.build(**values)


def test_summary_names_never_wrap_onto_three_lines(store, full):
    """A4 landscape: every unit name fits two lines of its column, and 序号 one line (measured)."""
    from shangnan_desktop.reports.fonts import BODY, HEI, font_set
    from shangnan_desktop.reports.pdf import CELL_SIDE_PADDING, _col_widths

    table = filled_register_table(register_units(store), 3, today=TODAY)
    widths = _col_widths(table)
    fonts = font_set()
    room = widths[1] - 2 * CELL_SIDE_PADDING
    names = [r.values[1] for r in table.rows if not r.section]
    assert max(fonts.string_width(n, BODY, 10.5) for n in names) <= 2 * room
    assert fonts.string_width("序号", HEI, 10.5) <= widths[0] - 2 * CELL_SIDE_PADDING


def test_cli_register_contact_sets_the_return_line_once(capsys, store, full, tmp_path):
    db = str(store.db.path)
    code, out, err = run(capsys, "--db", db, "register", "contact", "--deadline", "7月23日", "--room", "125室",
                         "--name", "张群", "--fax", "6322055")
    assert code == 0, err
    line = "请于7月23日前报县电子政务中心125室（联系人：张群，传真：6322055）"
    assert line in out
    code, out, err = run(capsys, "--db", db, "register", "contact", "--fax", "63a")
    assert code == 2 and "传真号码" in err
    code, out, err = run(capsys, "--db", db, "register", "contact", "--deadline", "8月1日")
    assert code == 0 and "请于8月1日前报县电子政务中心125室（联系人：张群，传真：6322055）" in out  # the rest kept
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--per-unit", "--format", "pdf",
                         "-o", str(tmp_path / "c"))
    assert code == 0, err
    [pdf] = (tmp_path / "c").iterdir()
    text = PdfReader(str(pdf)).pages[0].extract_text().replace("\n", "").replace(" ", "")
    assert "请于8月1日前报县电子政务中心125室（联系人：张群，传真：6322055）" in text
