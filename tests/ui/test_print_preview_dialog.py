"""The print preview shows exactly the PDF's pages and prints them (to a PDF printer here)."""

from __future__ import annotations

import os

import pytest
from pypdf import PdfReader

from shangnan_desktop.domain import Period
from shangnan_desktop.app.exports import print_pdf

Q2 = Period.parse("2021Q2")


@pytest.fixture
def pdf_bytes(store):
    return print_pdf(store, Q2)


def _dark_fraction(image) -> float:
    from PySide6.QtGui import QColor

    dark = total = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            total += 1
            if QColor(image.pixel(x, y)).lightness() < 128:
                dark += 1
    return dark / total


def test_preview_shows_every_pdf_page(qtbot, pdf_bytes, tmp_path):
    from shangnan_desktop.ui.print_preview import PrintPreviewDialog

    expected = len(PdfReader(__import__("io").BytesIO(pdf_bytes)).pages)
    dialog = PrintPreviewDialog(pdf_bytes)
    qtbot.addWidget(dialog)
    assert dialog.pages.count == expected == 4
    assert len(dialog._labels) == expected
    assert all(not label.pixmap().isNull() for label in dialog._labels)
    image = dialog.page_image(0, dpi=50)
    assert abs(image.width() / image.height() - 210 / 297) < 0.01
    assert 0.001 < _dark_fraction(image) < 0.3  # text and rules on white paper
    dialog.zoom.setCurrentIndex(3)  # 100 %
    assert dialog._labels[0].pixmap().width() == pytest.approx(210 / 25.4 * 96, abs=3)
    dialog.reject()


def test_print_sends_the_pages_to_the_printer(qtbot, pdf_bytes, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from shangnan_desktop.ui.print_preview import PrintPreviewDialog, a4_printer

    dialog = PrintPreviewDialog(pdf_bytes)
    qtbot.addWidget(dialog)
    printer = a4_printer()
    printer.setResolution(100)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.print_to(printer) == 4
    assert len(PdfReader(str(out)).pages) == 4

    printer = a4_printer()
    printer.setResolution(100)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer) == 2
    assert len(PdfReader(str(tmp_path / "range.pdf")).pages) == 2
    dialog.reject()


def test_temporary_pdf_is_removed_when_closed(qtbot, pdf_bytes):
    from shangnan_desktop.ui.print_preview import PrintPreviewDialog

    dialog = PrintPreviewDialog(pdf_bytes)
    qtbot.addWidget(dialog)
    path = dialog.pages._path
    assert os.path.exists(path)
    dialog.reject()
    assert not os.path.exists(path)
