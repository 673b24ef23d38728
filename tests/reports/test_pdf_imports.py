"""reportlab imported for a PDF export with its URL pattern and Pillow loaded on first use."""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import re, sys
from shangnan_desktop.reports.pdf import import_platypus
import_platypus()
assert re.compile.__module__ == "re", "re.compile left patched"
from reportlab.platypus import paragraph
assert type(paragraph.uri_pat).__name__ == "_PatternOnFirstUse"
assert "PIL._imaging" not in sys.modules, "Pillow loaded at import"
real = re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
for text in ("https://www.shangnan.gov.cn/xxgk/index.html", "ftp://10.0.0.1/a", "not a url", "http://例子.中国"):
    assert bool(paragraph.uri_pat.match(text)) == bool(real.match(text)), text
# Pillow still works when reportlab needs it: a picture drawn into a PDF
import io
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
buf = io.BytesIO()
Image.new("RGB", (4, 4), (200, 0, 0)).save(buf, "PNG")
buf.seek(0)
pdf = io.BytesIO()
c = Canvas(pdf)
c.drawImage(ImageReader(buf), 10, 10, 20, 20)
c.save()
assert pdf.getvalue().startswith(b"%PDF") and b"/Image" in pdf.getvalue()
print("ok")
"""


def test_lazy_url_pattern_and_pillow_behave_as_the_real_ones():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_pdf_export_imports_neither_openpyxl_nor_pillow():
    probe = (
        "import sys, tempfile, pathlib\n"
        "from shangnan_desktop.domain import Period\n"
        "from shangnan_desktop.storage import Store\n"
        "from shangnan_desktop.app.exports import export_period\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "s = Store.open(d / 'q2.sqlite3')\n"
        "export_period(s, Period.parse('2021Q2'), '2', 'pdf', d / 'a2.pdf')\n"
        "print(sorted(m for m in ('openpyxl', 'PIL._imaging') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
