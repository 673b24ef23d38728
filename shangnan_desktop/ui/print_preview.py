"""Print preview of the exact PDF pages (QtPdf) and printing them to any printer."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app.files import save_bytes

logger = logging.getLogger(__name__)

SCREEN_DPI = 96
PDF_RASTER_DPI = 200  # a page range printed to a PDF file: sharp on screen and paper, small
PRINT_DPI_CAP = 600  # a page image at 600 dpi is 4960 × 7016 pixels: enough for any office printer
ZOOMS = (("适合宽度", 0.0), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("150%", 1.5))


class PdfPages:
    """A PDF held in a temporary file, rendered page by page with QtPdf."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        fd, self._path = tempfile.mkstemp(prefix="shangnan-print-", suffix=".pdf")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        self.document = QPdfDocument()
        error = self.document.load(self._path)
        if error != QPdfDocument.Error.None_:
            self.close()
            raise ValueError(f"cannot load PDF: {error}")

    @property
    def count(self) -> int:
        return self.document.pageCount()

    def point_size(self, index: int):
        return self.document.pagePointSize(index)

    def render(self, index: int, dpi: float) -> QImage:
        size = self.point_size(index)
        pixels = QSize(max(1, round(size.width() * dpi / 72)), max(1, round(size.height() * dpi / 72)))
        return self.render_size(index, pixels)

    def render_size(self, index: int, pixels: QSize) -> QImage:
        image = self.document.render(index, pixels)
        # QtPdf leaves the paper transparent; print and preview on white
        page = QImage(pixels, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, image)
        painter.end()
        return page

    def close(self) -> None:
        self.document.close()
        try:
            os.unlink(self._path)
        except OSError:
            logger.warning("could not remove %s", self._path)


def page_range(count: int, printer: QPrinter) -> tuple[int, int]:
    """The 1-based first and last page chosen in the print dialog."""
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
    return first, last


def _is_pdf_file(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and bool(printer.outputFileName())


def print_pages(
    pages: PdfPages,
    printer: QPrinter,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Send the chosen pages to ``printer``; returns the pages sent (fewer when cancelled).

    A PDF printer printing every page receives the PDF itself (exact and small). Other printers get each
    page rendered once at the printer's own resolution (capped at PRINT_DPI_CAP), at the size it is
    drawn, so nothing is rendered finer than the device prints or scaled again afterwards.
    """
    first, last = page_range(pages.count, printer)
    total = last - first + 1
    if cancelled is not None and cancelled():
        return 0
    if _is_pdf_file(printer) and (first, last) == (1, pages.count):
        save_bytes(Path(printer.outputFileName()), pages.data)
        if progress is not None:
            progress(total, total)
        return total
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        printer.setResolution(min(printer.resolution(), PDF_RASTER_DPI))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer not ready")
    printed = 0
    try:
        for n in range(first, last + 1):
            if cancelled is not None and cancelled():
                printer.abort()
                break
            if printed:
                printer.newPage()
            target = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            target.moveTo(0, 0)
            points = pages.point_size(n - 1)
            natural = QSize(max(1, round(points.width())), max(1, round(points.height())))
            size = natural.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            scale = min(1.0, PRINT_DPI_CAP / max(1, printer.resolution()))
            image = pages.render_size(n - 1, QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale))))
            place = QRect(
                QPoint(target.x() + (target.width() - size.width()) // 2, target.y() + (target.height() - size.height()) // 2),
                size,
            )
            painter.drawImage(place, image)
            printed += 1
            if progress is not None:
                progress(printed, total)
    finally:
        painter.end()
    return printed


class PrintJob(QObject):
    """Printing in a worker thread behind a progress dialog with 取消; says when it is done."""

    def __init__(self, data: bytes, printer: QPrinter, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.data = data
        self.printer = printer
        self.cancel_requested = False
        self.finished = False
        self.pages_sent = 0
        self.error = ""
        self.total = 0
        self.dialog = QProgressDialog("正在打印…", "取消", 0, 1, parent)
        self.dialog.setWindowTitle("打印")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.message: QMessageBox | None = None
        # the worker leaves plain values here; the main thread polls them (no cross-thread signals)
        self._state: tuple[int, int] | None = None
        self._outcome: tuple[int, str] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(25)
        self._poll.timeout.connect(self._check)

    def start(self) -> None:
        _jobs.add(self)
        self.dialog.show()
        self._poll.start()
        threading.Thread(target=self._run, name="print", daemon=True).start()

    def _report(self, printed: int, total: int) -> None:
        self._state = (printed, total)

    def _finish(self, sent: int, error: str) -> None:
        self._outcome = (sent, error)

    def _check(self) -> None:
        state, outcome = self._state, self._outcome
        if state is not None:
            self._progressed(*state)
        if outcome is not None:
            self._poll.stop()
            self._done(*outcome)

    def cancel(self) -> None:
        if self.finished:
            return
        self.cancel_requested = True
        self.dialog.setLabelText("正在取消…")

    def _run(self) -> None:
        pages = None
        try:
            pages = PdfPages(self.data)
            sent = print_pages(pages, self.printer, self._report, lambda: self.cancel_requested)
        except (OSError, ValueError) as exc:
            logger.warning("printing failed: %s", exc)
            self._finish(0, "打印机没有准备好，请检查打印机是否开机、连接正常后重试。")
        except Exception:  # noqa: BLE001 - never leave the progress dialog open
            logger.exception("printing failed")
            self._finish(0, "打印时出现意外错误，详见日志。")
        else:
            self._finish(sent, "")
        finally:
            if pages is not None:
                pages.close()

    def _progressed(self, printed: int, total: int) -> None:
        self.total = total
        self.dialog.setMaximum(total)
        self.dialog.setValue(printed)
        self.dialog.setLabelText(f"正在打印第{min(printed + 1, total)}页，共{total}页…")

    def _done(self, sent: int, error: str) -> None:
        self.finished = True
        self.pages_sent = sent
        self.error = error
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        _jobs.discard(self)
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        box = QMessageBox(parent)
        box.setWindowTitle("打印")
        if error:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(error)
        elif self.cancel_requested:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(f"已取消打印（已发送{sent}页）。")
        else:
            box.setIcon(QMessageBox.Icon.Information)
            where = self.printer.outputFileName() or self.printer.printerName()
            box.setText(f"打印完成：已发送{sent}页到“{where}”。")
        logger.info("printed %d page(s)%s", sent, " (cancelled)" if self.cancel_requested else "")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if parent is not None:  # the window's shortcuts work again at once when the message closes
            box.finished.connect(lambda _r: parent.window().activateWindow())
        self.message = box
        box.open()


_jobs: set[PrintJob] = set()


def a4_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF already carries the GB/T 9704 margins
    return printer


class PrintPreviewDialog(QDialog):
    """Shows every page of the PDF as it will print; 打印 sends exactly these pages to a printer."""

    def __init__(self, pdf_data: bytes, title: str = "打印预览", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        from shangnan_desktop.ui.screen_fit import fit_to_screen

        fit_to_screen(self, 760, 900)
        self.pages = PdfPages(pdf_data)
        self._labels: list[QLabel] = []

        self.print_button = QPushButton("打印(&P)…")
        self.print_button.clicked.connect(self.print_dialog)
        self.zoom = QComboBox()
        for text, value in ZOOMS:
            self.zoom.addItem(text, value)
        self.zoom.currentIndexChanged.connect(self.refresh)
        self.page_info = QLabel(f"共{self.pages.count}页")
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(self.print_button)
        bar.addWidget(QLabel("缩放："))
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.page_info)
        bar.addWidget(close)

        holder = QWidget()
        holder.setStyleSheet("background: #808080;")
        self._column = QVBoxLayout(holder)
        self._column.setSpacing(12)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for _ in range(self.pages.count):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._labels.append(label)
            self._column.addWidget(label)
        self.scroll = QScrollArea()
        self.scroll.setWidget(holder)
        self.scroll.setWidgetResizable(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_dialog)
        self.refresh()

    def _zoom_factor(self) -> float:
        value = self.zoom.currentData() or 0.0
        if value:
            return float(value)
        if not self.pages.count:
            return 1.0
        width_pt = self.pages.point_size(0).width()
        room = max(200, self.scroll.viewport().width() - 40)
        return room / (width_pt * SCREEN_DPI / 72)

    def refresh(self) -> None:
        ratio = self.devicePixelRatioF() or 1.0
        dpi = SCREEN_DPI * self._zoom_factor()
        for i, label in enumerate(self._labels):
            image = self.pages.render(i, dpi * ratio)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)

    def page_image(self, index: int, dpi: float = SCREEN_DPI) -> QImage:
        return self.pages.render(index, dpi)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not (self.zoom.currentData() or 0.0):
            self.refresh()

    def print_to(self, printer: QPrinter) -> int:
        return print_pages(self.pages, printer)

    def print_dialog(self) -> None:
        printer = a4_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, max(1, self.pages.count))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.print_in_background(printer)

    def print_in_background(self, printer: QPrinter) -> "PrintJob":
        """Render and send the pages in a worker thread; the window stays usable, 取消 stops after a page."""
        job = PrintJob(self.pages.data, printer, self.parentWidget() or self)
        job.start()
        return job

    def done(self, result: int) -> None:
        self.pages.close()
        super().done(result)
