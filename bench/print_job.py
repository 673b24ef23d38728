"""Printing the 4 annex pages of 2021Q2 through PrintJob: file size, time and the longest UI-thread gap.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/print_job.py
"""
import time, tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer, QElapsedTimer
from PySide6.QtPrintSupport import QPrinter
app = QApplication([])
from shangnan_desktop.storage import Store
from shangnan_desktop.domain import Period
from shangnan_desktop.app.exports import print_pdf
import shangnan_desktop.ui.print_preview as pp
d = tempfile.mkdtemp()
store = Store.open(Path(d) / "x.sqlite3")
data = print_pdf(store, Period.parse("2021Q2"))
print("pdf bytes", len(data))
def run(label, force_raster, rng=None):
    printer = pp.a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = Path(d) / f"{label}.pdf"
    printer.setOutputFileName(str(out))
    if rng:
        printer.setPrintRange(QPrinter.PrintRange.PageRange); printer.setFromTo(*rng)
    orig = pp._is_pdf_file
    if force_raster:
        pp._is_pdf_file = lambda p: False
    gaps = []
    last = [time.monotonic()]
    def tick():
        now = time.monotonic(); gaps.append(now - last[0]); last[0] = now
    t = QTimer(); t.timeout.connect(tick); t.start(10)
    start = time.monotonic()
    job = pp.PrintJob(data, printer, None)
    job.start()
    while not job.finished:
        app.processEvents(); time.sleep(0.002)
    took = time.monotonic() - start
    t.stop(); pp._is_pdf_file = orig
    if job.message: job.message.close()
    print(f"{label}: pages={job.pages_sent} size={out.stat().st_size} bytes time={took:.2f}s max_ui_gap={max(gaps or [0]):.3f}s err={job.error!r} res={printer.resolution()}")
run("direct", False)
run("raster_all4", True)
run("range_2_3", False, (2, 3))
