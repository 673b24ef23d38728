"""Print preview of the exact PDF pages (QtPdf) and printing them to any printer."""

from __future__ import annotations

import logging
import os
import tempfile

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

SCREEN_DPI = 96
PRINT_DPI_CAP = 600  # a page image at 600 dpi is 4960 × 7016 pixels: enough for any office printer
ZOOMS = (("适合宽度", 0.0), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("150%", 1.5))


class PdfPages:
    """A PDF held in a temporary file, rendered page by page with QtPdf."""

    def __init__(self, data: bytes) -> None:
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


def print_pages(pages: PdfPages, printer: QPrinter) -> int:
    """Paint the chosen pages on ``printer`` (whole paper, no extra margins); returns pages printed."""
    first, last = 1, pages.count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(pages.count, printer.toPage() or pages.count)
    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer not ready")
    printed = 0
    try:
        for n in range(first, last + 1):
            if printed:
                printer.newPage()
            image = pages.render(n - 1, dpi)
            target = printer.paperRect(QPrinter.Unit.DevicePixel)
            target.moveTo(0, 0)
            scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(
                target.x() + (target.width() - scaled.width()) / 2,
                target.y() + (target.height() - scaled.height()) / 2,
                image.scaled(scaled, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation),
            )
            printed += 1
    finally:
        painter.end()
    return printed


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
        bar.addWidget(QLabel("缩放:"))
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
            return
        try:
            printed = self.print_to(printer)
        except OSError:
            QMessageBox.warning(self, "打印失败", "打印机没有准备好,请检查打印机是否开机、连接正常后重试。")
            return
        logger.info("printed %d page(s)", printed)

    def done(self, result: int) -> None:
        self.pages.close()
        super().done(result)
