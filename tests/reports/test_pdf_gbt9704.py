"""The PDF annexes measured against GB/T 9704-2012, with the standard's millimetres written out here.

Nothing is taken from ``reports/pdf.py``: a wrong constant there must fail these tests. Facts used
(see /work/shared/research/exports.md §2): A4 210 × 297 mm; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
(so the type area runs from x = 28 to 184 mm and y = 37 to 262 mm from the top); page numbers in
4号 (14 pt) 宋体 as “— n —”, the 一字线 7 mm below the type area, odd pages right and even pages left,
each one character (one 4号 em) in from the type area's edge.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

PT = 25.4 / 72  # millimetres per point
PAGE_W, PAGE_H = 210.0, 297.0
TYPE_LEFT, TYPE_TOP = 28.0, 37.0
TYPE_W, TYPE_H = 156.0, 225.0
TYPE_RIGHT, TYPE_BOTTOM = TYPE_LEFT + TYPE_W, TYPE_TOP + TYPE_H  # 184 mm, 262 mm
NUMBER_PT = 14.0  # 4号
ONE_CHAR = NUMBER_PT * PT  # 居右/居左空一字: 4.94 mm
DASH_BELOW = 7.0  # the 一字线 lies 7 mm below the type area
TOL = 0.5  # mm; the standard allows ±1 mm for the margins

DPI = 127  # 5 pixels per millimetre
poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="pdftoppm/pdftotext (poppler-utils) not installed",
)


def _ink(path: Path, out: Path) -> list[tuple[int, int, bytes]]:
    """Each page as a greyscale bitmap: (width, height, pixels), via pdftoppm."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(out / "page")], check=True)
    pages = []
    for f in sorted(out.glob("page*.pgm"), key=lambda p: int(re.search(r"(\d+)\.pgm$", p.name)[1])):
        data = f.read_bytes()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        pages.append((int(m[1]), int(m[2]), data[m.end():]))
    return pages


DARK = re.compile(rb"[\x00-\x7f]")


def _ink_box(page: tuple[int, int, bytes], y_from: float, y_to: float, x_from: float = 0, x_to: float = PAGE_W):
    """(left, top, right, bottom) in mm of the dark pixels between the given lines, or None."""
    w, h, px = page
    mm = 25.4 / DPI
    c0, c1 = round(x_from / mm), min(w, round(x_to / mm))
    left = top = right = bottom = None
    for row in range(max(0, round(y_from / mm)), min(h, round(y_to / mm))):
        line = px[row * w + c0 : row * w + c1]
        first = DARK.search(line)
        if first is None:
            continue
        last = len(line) - DARK.search(line[::-1]).start()
        left = min(left, c0 + first.start()) if left is not None else c0 + first.start()
        right = max(right, c0 + last) if right is not None else c0 + last
        top = row if top is None else top
        bottom = row + 1
    if top is None:
        return None
    return left * mm, top * mm, right * mm, bottom * mm


def _words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words per page with their boxes in mm from the top left, via pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([
            (float(a) * PT, float(b) * PT, float(c) * PT, float(d) * PT, text)
            for a, b, c, d, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ])
    return pages


@pytest.mark.parametrize("annex", [1, 2, 3])
def test_pages_are_a4_portrait(exported, annex):
    for page in PdfReader(str(exported["files"][(annex, "pdf")])).pages:
        box = page.mediabox
        assert float(box.width) * PT == pytest.approx(PAGE_W, abs=0.1)
        assert float(box.height) * PT == pytest.approx(PAGE_H, abs=0.1)


@poppler
@pytest.mark.parametrize("annex", [1, 2, 3])
def test_everything_but_the_page_number_lies_in_the_type_area_and_the_table_spans_its_width(
    exported, annex, tmp_path
):
    pages = _ink(exported["files"][(annex, "pdf")], tmp_path)
    assert pages
    for i, page in enumerate(pages, start=1):
        assert (page[0] * 25.4 / DPI, page[1] * 25.4 / DPI) == pytest.approx((PAGE_W, PAGE_H), abs=0.3)
        # Nothing is printed in the margins above, left or right of the type area.
        assert _ink_box(page, 0, TYPE_TOP - TOL) is None, f"page {i}: ink in the top margin"
        assert _ink_box(page, 0, PAGE_H, 0, TYPE_LEFT - TOL) is None, f"page {i}: ink in the left margin"
        assert _ink_box(page, 0, PAGE_H, TYPE_RIGHT + TOL, PAGE_W) is None, f"page {i}: ink in the right margin"
        # The table's rules run from edge to edge of the 156 mm type area.
        left, top, right, bottom = _ink_box(page, 0, TYPE_BOTTOM + TOL)
        assert left == pytest.approx(TYPE_LEFT, abs=TOL), f"page {i}"
        assert right == pytest.approx(TYPE_RIGHT, abs=TOL), f"page {i}"
        assert top < TYPE_TOP + 5, f"page {i}: the first line starts well below the top of the type area"
        # Below the type area only the page number line, 7 mm down.
        assert _ink_box(page, TYPE_BOTTOM + TOL, TYPE_BOTTOM + DASH_BELOW - 3) is None, f"page {i}"
        assert _ink_box(page, TYPE_BOTTOM + DASH_BELOW + 4, PAGE_H) is None, f"page {i}: ink in the bottom margin"
        if i < len(pages):  # a page the table runs over from is filled down to the type area's bottom
            assert bottom > TYPE_BOTTOM - 10, f"page {i} ends at {bottom:.1f} mm"


@poppler
def test_page_numbers_follow_gbt_9704(exported, tmp_path):
    path = exported["files"][(2, "pdf")]  # two pages: one odd, one even
    words = _words(path)
    ink = _ink(path, tmp_path)
    assert len(words) == len(ink) == 2
    for n, (page_words, page) in enumerate(zip(words, ink), start=1):
        line = [w for w in page_words if w[1] > TYPE_BOTTOM]
        assert " ".join(w[4] for w in line) == f"— {n} —"
        for _x0, y0, _x1, y1, _text in line:
            assert (y1 - y0) / PT == pytest.approx(NUMBER_PT, abs=0.2)  # 4号
        start, end = min(w[0] for w in line), max(w[2] for w in line)
        if n % 2:  # odd: right, one character in from the type area's right edge
            assert end == pytest.approx(TYPE_RIGHT - ONE_CHAR, abs=TOL)
        else:  # even: left, one character in
            assert start == pytest.approx(TYPE_LEFT + ONE_CHAR, abs=TOL)
        dash = line[0]
        box = _ink_box(page, TYPE_BOTTOM, PAGE_H, dash[0], dash[2])
        assert box is not None
        dash_centre = (box[1] + box[3]) / 2
        assert dash_centre == pytest.approx(TYPE_BOTTOM + DASH_BELOW, abs=0.75)


def test_page_numbers_sit_outside_on_odd_and_even_pages(exported):
    """The same placement read with pypdf only (runs where poppler is missing)."""
    reader = PdfReader(str(exported["files"][(2, "pdf")]))
    found = []
    for page in reader.pages:
        spots = []
        page.extract_text(
            visitor_text=lambda text, cm, tm, fd, fs: spots.append((tm[4] * PT, tm[5] * PT)) if "—" in text else None
        )
        [(x, y)] = spots
        found.append((x, y))
    (x1, y1), (x2, y2) = found
    baseline_from_bottom = PAGE_H - TYPE_BOTTOM - DASH_BELOW  # 28 mm: the dash's centre, a little above the baseline
    assert y1 == y2 and baseline_from_bottom - 3 < y1 < baseline_from_bottom
    assert PAGE_W / 2 < x1 < TYPE_RIGHT - ONE_CHAR - 10  # odd: right (the run starts before the number)
    assert x2 == pytest.approx(TYPE_LEFT + ONE_CHAR, abs=TOL)  # even: left, one character in
