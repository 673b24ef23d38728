"""Article lists saved by a real office suite (LibreOffice: shared strings, date styles, BIFF8 .xls) read alike."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.reports import ledger_import as li
from shangnan_desktop.reports.ledger_import import preview_ledger_import
from tests.reports.ledger_files import write_xlsx
from tests.reports.test_ledger_import import Q2, SPEC, matcher, resolve_known

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice/libreoffice) is not installed"),
]


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("out")
    profile = tmp_path_factory.mktemp("lo-profile").as_uri()
    source = write_xlsx(src / "文章列表.xlsx", SPEC)
    files = {}
    for fmt in ("xls", "xlsx"):
        result = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(out),
             str(source)],
            capture_output=True, text=True, timeout=240,
        )
        assert result.returncode == 0, result.stderr
        files[fmt] = out / f"文章列表.{fmt}"
    return files


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_office_saved_lists_give_the_same_counts(office_files, fmt):
    preview = resolve_known(preview_ledger_import(office_files[fmt], Q2, matcher()))
    assert preview.kind == fmt
    assert preview.problems == []
    assert preview.rows[0].submitted_on.isoformat() == "2021-04-28"
    assert preview.counts() == {
        1: {SUBMITTED: 2, ADOPTED: 2}, 3: {SUBMITTED: 1, ADOPTED: 1},
        2: {SUBMITTED: 1, ADOPTED: 1}, 5: {SUBMITTED: 1, ADOPTED: 0},
    }


def test_lean_reader_agrees_with_openpyxl_on_an_office_file(office_files):
    path = office_files["xlsx"]
    lean, full = li._read_xlsx_lean(path), li._read_xlsx_openpyxl(path)

    def trimmed(rows):
        return [(n, tuple(v for v in values if v is not None)) for n, values in rows]

    assert trimmed(lean.rows) == trimmed(full.rows)
