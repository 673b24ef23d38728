"""Every exported .xlsx opens and converts in LibreOffice headless (as WPS/Excel users would open it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shangnan_desktop.reports.annex import annex_table

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice/libreoffice) is not installed"),
]


@pytest.fixture(scope="module")
def converted(exported, tmp_path_factory):
    out = tmp_path_factory.mktemp("lo")
    profile = (tmp_path_factory.mktemp("lo-profile")).as_uri()
    xlsx = sorted(str(p) for (n, fmt), p in exported["files"].items() if fmt == "xlsx")
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out), *xlsx],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("annex", [1, 2, 3])
def test_xlsx_converts_and_shows_every_unit(exported, converted, pdf_text, annex):
    source = exported["files"][(annex, "xlsx")]
    pdf = converted / (source.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000
    pages = pdf_text.pages(pdf)
    text = "".join(pages).replace(" ", "").replace("\n", "")
    table = annex_table(exported["sheet"], annex)
    assert table.label in text and table.title in text
    for row in table.rows:
        if row.values[1] is not None and isinstance(row.values[0], str):
            assert row.values[0] in text
    if annex == 1:  # scores shown like the notice (General format): 30.4, 6
        words = pdf_text.tokens("\n".join(pages))
        assert pdf_text.contains_run(words, ["过风楼镇", "27", "25", "30.4", "1"])
        assert pdf_text.contains_run(words, ["青山镇", "10", "4", "6", "8"])
    if annex == 2:
        assert len(pages) <= 2
        assert "注：每上报一条信息计0.2分，采用一条信息计1分。" in text
