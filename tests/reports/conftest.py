"""Fixtures for the report tests: the 2021 Q2 exports and a PDF text reader (the store is in tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store
from tests.pdf_fonts import bundled_fonts

Q2 = Period.parse("2021Q2")


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """2021 Q2 exported once per session: {(annex number, fmt): path}, plus the sheet it came from."""
    from shangnan_desktop.app.exports import export_period

    root = tmp_path_factory.mktemp("export")
    s = Store.open(root / "q2.db")
    with bundled_fonts():
        files = export_period(s, Q2, "all", "both", root / "out")
    sheet = s.load_sheet(Q2)
    s.close()
    return {"files": {(int(f.annex.removeprefix("附件")), f.fmt): f.path for f in files}, "sheet": sheet,
            "exported": files}


class PdfText:
    """Text read back from a PDF with pypdf, page by page, and token-run matching."""

    @staticmethod
    def pages(path: Path) -> list[str]:
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(str(path)).pages]

    @staticmethod
    def tokens(text: str) -> list[str]:
        return re.split(r"\s+", text.strip())

    @staticmethod
    def contains_run(seq: list[str], run: list[str]) -> bool:
        n = len(run)
        return any(seq[i : i + n] == run for i in range(len(seq) - n + 1))


@pytest.fixture
def pdf_text() -> PdfText:
    return PdfText()


@pytest.fixture(scope="session")
def notice_files(tmp_path_factory):
    """The 2021 Q2 notice with its annexes, rendered once per session to PDF and .docx."""
    from shangnan_desktop.reports.notice_docx import write_notice_docx
    from shangnan_desktop.reports.notice_model import load_reference_notice, notice_document
    from shangnan_desktop.reports.notice_pdf import write_notice_pdf

    root = tmp_path_factory.mktemp("notice")
    s = Store.open(root / "q2.db")
    sheet = s.load_sheet(Q2)
    s.close()
    document = notice_document(load_reference_notice(), sheet)
    pdf = write_notice_pdf(document, root / "notice.pdf")
    write_notice_docx(document, root / "notice.docx")
    return {"pdf": root / "notice.pdf", "docx": root / "notice.docx", "result": pdf, "document": document,
            "sheet": sheet, "root": root}
