"""Export, print preview and import reached from the main window's menu."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from shangnan_desktop.domain import Period
from shangnan_desktop.app.exports import export_period
from shangnan_desktop.storage import Store
from tests.ui.helpers import wait_for
from shangnan_desktop.ui import report_actions
from shangnan_desktop.ui.report_actions import ExportDialog

Q2 = Period.parse("2021Q2")


def test_export_dialog_writes_the_chosen_annexes(qtbot, window, tmp_path):
    dialog = ExportDialog(window.store, Q2, str(tmp_path / "导出"), window)
    qtbot.addWidget(dialog)
    assert len(dialog.annex_boxes) == 3
    dialog.annex_boxes[0].setChecked(False)
    dialog.annex_boxes[2].setChecked(False)
    next(b for b in dialog.format_group.buttons() if b.property("format") == "xlsx").setChecked(True)
    dialog.run_export()
    wait_for(lambda: dialog.task.finished)  # written in a worker thread
    assert dialog.result() == QDialog.DialogCode.Accepted
    files = sorted(p.name for p in (tmp_path / "导出").iterdir())
    assert len(files) == 1 and files[0].startswith("附件2") and files[0].endswith(".xlsx")
    ws = openpyxl.load_workbook(tmp_path / "导出" / files[0]).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "县融媒体中心" in values and 68.4 in values


def test_export_dialog_reports_unwritable_folder_without_closing(qtbot, window, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    dialog = ExportDialog(window.store, Q2, str(blocker), window)
    qtbot.addWidget(dialog)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog.run_export()
    wait_for(lambda: dialog.task.finished)
    assert warnings and "没有写入" in warnings[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert blocker.read_text() == "x"


def test_print_preview_shows_every_annex_page(qtbot, window, monkeypatch):
    dialog = window.reports._preview_dialog()
    qtbot.addWidget(dialog)
    assert dialog.pages.count == 4  # 附件1 one page, 附件2 two, 附件3 one
    image = dialog.page_image(0, dpi=30)
    assert image.width() > 0 and not image.isNull()


def test_import_is_one_undo_step_and_reaches_the_database(qtbot, window, db_path, tmp_path, monkeypatch):
    store = window.store
    q3 = Period.parse("2021Q3")
    window.new_period_action.trigger()
    assert window.current_period() == q3
    exported = export_period(store, Q2, "1", "xlsx", tmp_path / "a1.xlsx")[0].path
    monkeypatch.setattr(report_actions.ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert window.reports.import_workbook(str(exported))
    again = Store.open(db_path)
    towns = [r.counts for r in again.load_sheet(q3).group("镇办").rows]
    assert towns == [r.counts for r in again.load_sheet(Q2).group("镇办").rows]
    window.undo_action.trigger()
    assert all(r.counts == (0, 0) for r in Store.open(db_path).load_sheet(q3).group("镇办").rows)
    window.redo_action.trigger()
    assert Store.open(db_path).load_sheet(q3).group("镇办").rows[0].counts == (27, 25)


def test_import_of_a_hostile_file_is_refused_with_a_message(qtbot, window, tmp_path, monkeypatch):
    bad = Path(tmp_path / "bad.xlsx")
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    assert not window.reports.import_workbook(str(bad))
    assert warnings and "bad.xlsx" in warnings[0]


@pytest.mark.parametrize("accepted", [True, False])
def test_import_stores_only_when_confirmed(qtbot, window, db_path, tmp_path, monkeypatch, accepted):
    window.new_period_action.trigger()
    q3 = window.current_period()
    exported = export_period(window.store, Q2, "2", "xlsx", tmp_path / "a2.xlsx")[0].path
    result = QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected
    monkeypatch.setattr(report_actions.ImportPreviewDialog, "exec", lambda self: result)
    assert window.reports.import_workbook(str(exported)) is accepted
    unit = window.store.find_unit("县融媒体中心")
    assert Store.open(db_path).counts(q3, unit.id) == ((57, 57) if accepted else (0, 0))


def test_import_reads_the_workbook_off_the_window_thread_and_can_be_cancelled(qtbot, window, db_path, tmp_path,
                                                                              monkeypatch):
    """The window's import reads in a worker (the window keeps painting) behind a dialog with 取消; cancelling
    stores nothing."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from shangnan_desktop.app import imports

    window.new_period_action.trigger()
    q3 = window.current_period()
    exported = export_period(window.store, Q2, "2", "xlsx", tmp_path / "a2.xlsx")[0].path
    real_reader = imports.import_reader
    seen: dict[str, object] = {}

    def slow_reader(store, period):
        read = real_reader(store, period)

        def wrapped(path, *, progress=None, cancel=None):
            seen["thread"] = threading.current_thread()
            progress(100, "附件2")
            while not cancel.is_set():  # a huge workbook: only 取消 ends it
                cancel.wait(0.01)
            return read(path, progress=progress, cancel=cancel)  # the real reader then stops at once

        return wrapped

    monkeypatch.setattr(imports, "import_reader", slow_reader)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))  # the window's own event loop keeps running
    timer.start(10)

    def press_cancel():
        task = window.reports.task
        if task is not None and not task.finished and len(ticks) > 5:
            task.progress.canceled.emit()  # what the 取消 button does
        else:
            QTimer.singleShot(20, press_cancel)

    QTimer.singleShot(20, press_cancel)
    assert window.reports.import_workbook(str(exported)) is False
    timer.stop()
    assert seen["thread"] is not threading.main_thread()
    assert len(ticks) > 5
    assert "已取消导入" in window.statusBar().currentMessage()
    unit = window.store.find_unit("县融媒体中心")
    assert Store.open(db_path).counts(q3, unit.id) == (0, 0)
    assert not QApplication.overrideCursor()
