"""Issue 11: printing runs in the background with progress, 取消 and a message when done; small output."""

from __future__ import annotations

import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter

from shangnan_desktop.domain import Period
from shangnan_desktop.app.exports import print_pdf
from shangnan_desktop.storage import Store
from tests.ui.helpers import wait_for

Q2 = Period.parse("2021Q2")
MB = 1024 * 1024


@pytest.fixture
def annex_pdf(db_path) -> bytes:
    store = Store.open(db_path)
    try:
        return print_pdf(store, Q2)
    finally:
        store.close()


def pdf_printer(path, page_range=None) -> QPrinter:
    from shangnan_desktop.ui.print_preview import a4_printer

    printer = a4_printer()  # HighResolution: 1200 dpi for a PDF printer
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    if page_range:
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(*page_range)
    return printer


def run_job(qtbot, data, printer, *, cancel=False):
    from shangnan_desktop.ui.print_preview import PrintJob

    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    job = PrintJob(data, printer, None)
    if cancel:
        job.dialog.canceled.emit()  # what the 取消 button sends
    job.start()
    assert job.dialog.isVisible() or job.finished  # the progress dialog is up while printing
    wait_for(lambda: job.finished)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    return job, max(gaps, default=0.0)


def test_printing_four_annex_pages_to_a_pdf_printer(qtbot, annex_pdf, tmp_path):
    out = tmp_path / "printed.pdf"
    job, _gap = run_job(qtbot, annex_pdf, pdf_printer(out))
    assert job.pages_sent == 4 and not job.error
    assert len(PdfReader(str(out)).pages) == 4
    assert out.stat().st_size <= 2 * MB
    assert job.message is not None and "打印完成" in job.message.text() and "4页" in job.message.text()
    job.message.close()


def test_a_page_range_is_rendered_at_a_bounded_resolution(qtbot, annex_pdf, tmp_path):
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out, (1, 3))
    job, _gap = run_job(qtbot, annex_pdf, printer)
    assert job.pages_sent == 3 and len(PdfReader(str(out)).pages) == 3
    assert printer.resolution() <= 300  # not the PDF printer's nominal 1200 dpi
    assert out.stat().st_size <= 2 * MB
    job.message.close()


def test_cancel_stops_printing_and_says_so(qtbot, annex_pdf, tmp_path):
    job, _gap = run_job(qtbot, annex_pdf, pdf_printer(tmp_path / "c.pdf", (1, 4)), cancel=True)
    assert job.pages_sent == 0 and job.cancel_requested
    assert "已取消" in job.message.text()
    job.message.close()


def test_print_menu_entry_does_not_block_the_window(qtbot, window, monkeypatch, tmp_path):
    """文件 → 打印: pages made in the background, then the print dialog, then printing in the background."""
    from PySide6.QtPrintSupport import QPrintDialog

    from shangnan_desktop.ui import print_preview

    out = tmp_path / "menu.pdf"
    started = []

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    real_start = print_preview.PrintJob.start
    monkeypatch.setattr(print_preview.PrintJob, "start", lambda self: (started.append(self), real_start(self)))
    window.file_actions["print"].trigger()
    assert not started  # returns at once: the pages are being made in a worker thread
    wait_for(lambda: bool(started) and started[0].finished)
    assert len(PdfReader(str(out)).pages) == 4
    started[0].message.close()
