"""The import preview dialog: what it lists, when 确认导入 is allowed, and that only confirming stores."""

from __future__ import annotations

import openpyxl
import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.app.imports import preview_import

Q3 = Period.parse("2021Q3")


@pytest.fixture(autouse=True)
def _q3(store):
    """The tests import into a new, empty quarter."""
    store.create_period(Q3)


def sheet(path, rows):
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "报送信息", "采用信息"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def test_changes_are_listed_and_can_be_confirmed(qtbot, store, tmp_path):
    from shangnan_desktop.ui.import_dialog import ImportPreviewDialog

    preview = preview_import(store, Q3, sheet(tmp_path / "a.xlsx", [("县融媒体中心", 5, 4), ("无名单位", 1, 1)]))
    dialog = ImportPreviewDialog(preview)
    qtbot.addWidget(dialog)
    assert dialog.confirm_button.isEnabled()
    assert dialog.changes_table.rowCount() == 1
    cells = [dialog.changes_table.item(0, c).text() for c in range(6)]
    assert cells == ["县融媒体中心", "县直部门", "0", "0", "5", "4"]
    assert dialog.unknown_table.rowCount() == 1 and dialog.unknown_table.item(0, 1).text() == "无名单位"
    assert dialog.bad_table.rowCount() == 0


def test_bad_cells_disable_confirmation(qtbot, store, tmp_path):
    from shangnan_desktop.ui.import_dialog import ImportPreviewDialog

    preview = preview_import(store, Q3, sheet(tmp_path / "b.xlsx", [("县融媒体中心", 5, 4), ("县文旅局", "很多", 1)]))
    dialog = ImportPreviewDialog(preview)
    qtbot.addWidget(dialog)
    assert not dialog.confirm_button.isEnabled()
    assert dialog.tabs.currentWidget() is dialog.bad_table
    assert "不是数字" in dialog.bad_table.item(0, 2).text()
