"""Re-import: exported workbooks and plain sheets, a preview first, all or nothing, formulas refused."""

from __future__ import annotations

import openpyxl
import pytest

from shangnan_desktop import cli
from shangnan_desktop.domain import DomainError, LockedError, Period, ValidationError
from shangnan_desktop.app.exports import export_period
from shangnan_desktop.app.imports import apply_import, preview_import
from shangnan_desktop.reports.annex import annex_tables
from shangnan_desktop.storage.audit import audit_entries

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")


def table_state(store, period):
    """What the annexes show for a period, without the titles (which name the period)."""
    return [[(r.values, r.unit_id) for r in t.rows] for t in annex_tables(store.load_sheet(period))[:-1]]


def plain_sheet(path, rows, header=("单位", "报送信息", "采用信息"), title_rows=2):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    for i in range(title_rows):
        ws.append([f"说明行{i}"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_round_trip_export_then_import_into_a_new_quarter(store, tmp_path, capsys):
    files = export_period(store, Q2, "all", "xlsx", tmp_path / "out")
    store.create_period(Q3)
    assert table_state(store, Q3) != table_state(store, Q2)
    db = str(store.db.path)
    for f in files[:2]:  # 附件1 and 附件2; 附件3 has no counts
        # Q2's workbooks into Q3: refused without the explicit consent (issue 12), imported with it
        assert cli.main(["--db", db, "import", "2021Q3", str(f.path), "--yes"]) == 2
        assert "--other-period-ok" in capsys.readouterr().err
        assert cli.main(["--db", db, "import", "2021Q3", str(f.path), "--yes", "--other-period-ok"]) == 0
    out = capsys.readouterr().out
    assert "已导入2021年三季度" in out
    assert table_state(store, Q3) == table_state(store, Q2)
    assert store.load_sheet(Q3).summary().totals == store.load_sheet(Q2).summary().totals


def test_without_yes_nothing_is_written(store, tmp_path, capsys):
    [f] = export_period(store, Q2, "1", "xlsx", tmp_path)
    store.create_period(Q3)
    before = table_state(store, Q3)
    assert cli.main(["--db", str(store.db.path), "import", "2021Q3", str(f.path)]) == 0
    out = capsys.readouterr().out
    assert "将修改10个单位" in out and "尚未写入" in out
    assert table_state(store, Q3) == before


def test_plain_sheet_with_spaces_and_full_width_characters(store, tmp_path):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "p.xlsx", [
        (" 县融媒体中心 ", 5, 4),
        ("县\u3000文旅局", "６", "３"),  # 全角 digits and an ideographic space
        ("过风楼镇", 3.0, 2),
        ("合计", 14, 9),
        (None, None, None),
        ("不存在的单位", 1, 1),
    ], header=("单位名称", "报送信息(条)", "采用信息(条)"))
    preview = preview_import(store, Q3, path)
    assert preview.sheets == ["数据"] and not preview.bad
    changed = {c.name: c.new for c in preview.changes}
    assert changed == {"县融媒体中心": (5, 4), "县文旅局": (6, 3), "过风楼镇": (3, 2)}
    assert [p.unit for p in preview.unknown] == ["不存在的单位"]
    assert len(preview.not_in_file) == 62 - 3
    assert apply_import(store, preview) == 3
    sheet = store.load_sheet(Q3)
    group, row = sheet.locate(store.find_unit("县文旅局").id)
    assert group.rows[row].counts == (6, 3)


@pytest.mark.parametrize("value, reason", [
    ("abc", "不是数字"), (-1, "负数"), (2.5, "不是整数"), ("=1+1", "公式"), (True, "整数"),
])
def test_bad_cells_block_the_whole_import(store, tmp_path, value, reason):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "bad.xlsx", [("县融媒体中心", 5, 4), ("县文旅局", value, 0)])
    before = table_state(store, Q3)
    audit = len(audit_entries(store))
    preview = preview_import(store, Q3, path)
    assert len(preview.bad) == 1 and reason in preview.bad[0].message
    assert "B5" in preview.bad[0].where
    assert not preview.can_apply
    with pytest.raises(ValidationError):
        apply_import(store, preview)
    assert table_state(store, Q3) == before and len(audit_entries(store)) == audit


def test_adopted_more_than_submitted_and_duplicates_are_bad(store, tmp_path):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "x.xlsx", [("县融媒体中心", 1, 4), ("县文旅局", 2, 1), ("县文旅局", 2, 1)])
    preview = preview_import(store, Q3, path)
    messages = " ".join(p.message for p in preview.bad)
    assert "不能多于" in messages and "出现了两次" in messages


def test_cli_refuses_a_file_with_errors_even_with_yes(store, tmp_path, capsys):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "x.xlsx", [("县融媒体中心", 5, 4), ("县文旅局", "多", 1)])
    before = table_state(store, Q3)
    assert cli.main(["--db", str(store.db.path), "import", "2021Q3", str(path), "--yes"]) == 2
    assert "未导入任何数据" in capsys.readouterr().err
    assert table_state(store, Q3) == before


def test_files_without_a_header_or_not_xlsx(store, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["名字", "数量"])
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(ValidationError, match="没有找到表头"):
        preview_import(store, Q2, tmp_path / "h.xlsx")
    (tmp_path / "t.xlsx").write_text("单位,报送信息,采用信息\n", encoding="utf-8")
    with pytest.raises(DomainError, match="不是有效的Excel"):
        preview_import(store, Q2, tmp_path / "t.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(DomainError, match="另存为"):
        preview_import(store, Q2, tmp_path / "old.xls")
    with pytest.raises(DomainError, match="找不到文件"):
        preview_import(store, Q2, tmp_path / "missing.xlsx")


def test_locked_quarter_is_not_changed(store, tmp_path):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "p.xlsx", [("县融媒体中心", 5, 4)])
    preview = preview_import(store, Q3, path)
    store.set_locked(Q3, True)
    with pytest.raises(LockedError):
        apply_import(store, preview)


def test_changes_after_the_preview_are_not_overwritten(store, tmp_path):
    store.create_period(Q3)
    path = plain_sheet(tmp_path / "p.xlsx", [("县融媒体中心", 5, 4), ("县文旅局", 3, 3)])
    preview = preview_import(store, Q3, path)
    unit = store.find_unit("县融媒体中心")
    store.set_counts(Q3, unit.id, (9, 9))
    with pytest.raises(DomainError, match="预览之后已被修改"):
        apply_import(store, preview)
    assert store.counts(Q3, unit.id) == (9, 9)
    assert store.counts(Q3, store.find_unit("县文旅局").id) == (0, 0)
