"""Issue 12, data lost: a returned per-unit register form never erases a field by omission."""

import openpyxl
import pytest

from shangnan_desktop.storage import Store
from shangnan_desktop.storage.register_store import RegisterStore
from tests.trust.cli import cli, digest

UNIT = "县民政局"


@pytest.fixture
def form(seeded, tmp_path):
    result = cli("register", "set", UNIT, "--leader", "王小明", "--leader-phone", "13912345678",
                 "--admin", "李四", "--admin-phone", "0914-6322055", "--qq", "987654321",
                 "--confirmed", "2021-07-01", db=seeded)
    assert result.code == 0, result
    result = cli("export", "2021Q2", "--annex", "3", "--per-unit", "--format", "xlsx", "-o", tmp_path / "forms",
                 db=seeded)
    assert result.code == 0, result
    path = next(p for p in (tmp_path / "forms").rglob("*.xlsx") if p.stem.endswith(UNIT))
    return path


def _edit(path, change):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    change(ws, rows)
    wb.save(path)


def _entry(db):
    store = Store.open(db, readonly=True)
    try:
        return RegisterStore(store).entry(store.find_unit(UNIT).id)
    finally:
        store.close()


def _import(db, path):
    return cli("register", "import", path, "--yes", "--date", "2021-08-01", db=db)


def test_deleted_row_keeps_its_field(seeded, form):
    def change(ws, rows):
        ws.delete_rows(rows["QQ号码"])
        ws.cell(row=rows["管理人员姓名"], column=3).value = "赵六"
    _edit(form, change)
    result = _import(seeded, form)
    assert result.code == 0 and "→ 空" not in result.out, result
    entry = _entry(seeded)
    assert entry.qq == "987654321" and entry.admin_name == "赵六"


@pytest.mark.parametrize("label", ["QQ号", "QQ", "qq号码", "ＱＱ号码", "QQ 号 码", "QQ号码：", "QQ号码(选填)"])
def test_relabelled_row_still_read(seeded, form, label):
    def change(ws, rows):
        ws.cell(row=rows["QQ号码"], column=1).value = label
        ws.cell(row=rows["QQ号码"], column=3).value = "123456789"
    _edit(form, change)
    result = _import(seeded, form)
    assert result.code == 0, result
    assert _entry(seeded).qq == "123456789"


@pytest.mark.parametrize("label, key, value", [
    ("管理员电话", "admin_phones", ("13800001111",)), ("分管领导手机", "leader_phones", ("13800001111",)),
    ("管理人员", "admin_name", "赵六"), ("分管领导职位", "leader_title", "副局长"),
])
def test_common_label_variants(seeded, form, label, key, value):
    original = {"admin_phones": "管理人员联系电话", "leader_phones": "分管领导联系电话",
                "admin_name": "管理人员姓名", "leader_title": "分管领导职务"}[key]
    text = value[0] if isinstance(value, tuple) else value

    def change(ws, rows):
        ws.cell(row=rows[original], column=1).value = label
        ws.cell(row=rows[original], column=3).value = text
    _edit(form, change)
    result = _import(seeded, form)
    assert result.code == 0, result
    assert getattr(_entry(seeded), key) == value


def test_unknown_label_is_a_problem_and_nothing_is_erased(seeded, form):
    def change(ws, rows):
        ws.cell(row=rows["QQ号码"], column=1).value = "QQ群号"
        ws.cell(row=rows["QQ号码"], column=3).value = "55555"
    _edit(form, change)
    before = digest(seeded)
    result = _import(seeded, form)
    assert "QQ群号" in result.out and "无法识别" in result.out, result
    assert digest(seeded) == before
    assert _entry(seeded).qq == "987654321"


def test_present_and_empty_row_clears_its_field(seeded, form):
    def change(ws, rows):
        ws.cell(row=rows["QQ号码"], column=2).value = None
        ws.cell(row=rows["QQ号码"], column=3).value = None
    _edit(form, change)
    result = _import(seeded, form)
    assert result.code == 0, result
    assert _entry(seeded).qq == "" and _entry(seeded).admin_name == "李四"


def test_register_import_progress_and_cancel(seeded, form):
    import threading

    from shangnan_desktop.reports.importer import ImportCancelled
    from shangnan_desktop.app.imports import preview_register_import

    store = Store.open(seeded)
    try:
        seen = []
        preview_register_import(store, form, progress=lambda n, s: seen.append(n))
        assert seen and seen[-1] > 0
        stop = threading.Event()
        stop.set()
        with pytest.raises(ImportCancelled):
            preview_register_import(store, form, cancel=stop)
    finally:
        store.close()
