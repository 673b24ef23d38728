"""The parsed-font cache: used when valid, rebuilt silently when missing, stale or corrupt."""

from __future__ import annotations

import shutil

import pytest

from shangnan_desktop.reports import font_cache
from shangnan_desktop.reports.font_cache import cache_file, load_ttfont
from shangnan_desktop.resources import resource_path

SERIF = resource_path("fonts/AppSerifSC-Regular.ttf")
SANS = resource_path("fonts/AppSansSC-Regular.ttf")
SAMPLE = "附件2 商南县2021年第二季度各镇办、县直部门政府网站信息报送采用情况统计表 0.2 ABC —"


def _tables(font) -> dict:
    face = font.face
    return {
        "charToGlyph": face.charToGlyph, "charWidths": face.charWidths, "hmetrics": face.hmetrics,
        "glyphPos": face.glyphPos, "name": face.name, "ascent": face.ascent, "descent": face.descent,
        "bbox": face.bbox, "numGlyphs": face.numGlyphs, "flags": face.flags, "table": face.table,
        "defaultWidth": face.defaultWidth, "unitsPerEm": face.unitsPerEm, "filename": face.filename,
    }


def _subset(font) -> bytes:
    """The embedded font program reportlab makes for SAMPLE's characters."""
    codes = sorted({ord(c) for c in SAMPLE if ord(c) in font.face.charToGlyph})
    return font.face.makeSubset(codes)


@pytest.fixture
def parsed():
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont("reference", str(SANS))


def test_a_cached_font_equals_a_freshly_parsed_one(parsed, monkeypatch):
    target = cache_file(SANS)
    assert not target.exists()  # the tests' own empty cache folder
    first = load_ttfont("first", SANS)  # parses and writes the cache
    assert target.is_file()
    reads = []
    monkeypatch.setattr(font_cache, "_font_from", lambda *a, _f=font_cache._font_from: reads.append(1) or _f(*a))
    second = load_ttfont("second", SANS)
    assert reads == [1]  # really read from the cache
    assert _tables(second) == _tables(parsed) == _tables(first)
    assert _subset(second) == _subset(parsed)
    assert second.stringWidth(SAMPLE, 12) == parsed.stringWidth(SAMPLE, 12)
    assert set(vars(second)) == set(vars(parsed)) and set(vars(second.face)) >= set(vars(parsed.face)) - {"glyphToChar", "_pos"}
    assert second.face.glyphToChar[second.face.charToGlyph[ord("县")]][0] == ord("县")


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip a byte in the tables", "garbage", "empty", "other font's cache", "stale key"],
)
def test_a_damaged_or_stale_cache_is_rebuilt_silently_and_never_used(damage, parsed, caplog):
    load_ttfont("warm", SANS)
    target = cache_file(SANS)
    blob = bytearray(target.read_bytes())
    if damage == "truncate":
        target.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip a byte in the tables":
        blob[-5000] ^= 0x41  # deep inside the widths/glyph arrays: marshal would load it happily
        target.write_bytes(bytes(blob))
    elif damage == "garbage":
        target.write_bytes(b"\x00\xff" * 1000)
    elif damage == "empty":
        target.write_bytes(b"")
    elif damage == "other font's cache":
        load_ttfont("serif", SERIF)
        shutil.copyfile(cache_file(SERIF), target)
    else:  # written by another reportlab: same layout, different key
        blob = bytes(blob).replace(b"reportlab ", b"reportlab 0", 1)
        target.write_bytes(blob)
    font = load_ttfont("again", SANS)
    assert _tables(font) == _tables(parsed)
    assert _subset(font) == _subset(parsed)
    # rebuilt: the next process reads a good cache again
    assert target.read_bytes()[: len(font_cache.MAGIC)] == font_cache.MAGIC
    assert _tables(load_ttfont("third", SANS)) == _tables(parsed)


def test_a_changed_font_file_is_not_served_from_the_old_cache(tmp_path):
    copy = tmp_path / "AppSansSC-Regular.ttf"  # same name, hence the same cache file
    shutil.copyfile(SANS, copy)
    load_ttfont("sans", copy)
    shutil.copyfile(SERIF, copy)  # replaced by another font: the hash differs
    font = load_ttfont("now-serif", copy)
    assert font.face.numGlyphs == load_ttfont("serif", SERIF).face.numGlyphs
    assert font.face.numGlyphs != load_ttfont("sans", SANS).face.numGlyphs


def test_the_checksum_is_recomputed_only_when_the_files_size_or_time_changed(tmp_path, monkeypatch, parsed):
    import os

    copy = tmp_path / "AppSansSC-Regular.ttf"
    shutil.copyfile(SANS, copy)
    load_ttfont("sans", copy)  # parses, writes the cache with the checksum and the file's size and time
    sums, parses = [], []
    monkeypatch.setattr(font_cache, "checksum", lambda data, _f=font_cache.checksum: sums.append(1) or _f(data))
    from reportlab.pdfbase import ttfonts

    monkeypatch.setattr(ttfonts.TTFont, "__init__", lambda self, *a, _f=ttfonts.TTFont.__init__, **k: parses.append(1) or _f(self, *a, **k))
    load_ttfont("again", copy)
    assert sums == [] and parses == []  # size and time as recorded: no 20 MB read
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # copied again, touched: same bytes
    font = load_ttfont("touched", copy)
    assert sums == [1] and parses == []  # the checksum matches: still the cache
    assert _tables(font)["numGlyphs"] == _tables(parsed)["numGlyphs"]
    blob = bytearray(copy.read_bytes())
    blob[-1] ^= 0x01  # one byte edited at the end (a table reportlab reads may differ): rebuilt
    copy.write_bytes(bytes(blob))
    load_ttfont("edited", copy)
    assert parses == [1]


def test_an_unwritable_cache_folder_only_costs_time(monkeypatch, tmp_path, parsed):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(font_cache, "cache_dir", lambda: blocker / "pdf-fonts")
    font = load_ttfont("nowhere", SANS)
    assert _tables(font) == _tables(parsed)


def test_the_cache_lives_in_the_users_cache_folder_not_the_program_folder():
    target = cache_file(SANS)
    assert SANS.parent not in target.parents
    assert "cache" in str(target).lower()


def test_the_cli_writes_the_same_pdf_with_and_without_the_cache(tmp_path):
    """Real processes: no cache, then one that writes it, then one that reads it (reportlab's
    invariant mode leaves out the timestamps and random IDs)."""
    import os
    import subprocess
    import sys

    db = tmp_path / "q2.sqlite3"
    env = dict(os.environ, RL_invariant="1", SHANGNAN_BUNDLED_FONTS="1", XDG_CACHE_HOME=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-m", "shangnan_desktop", "--db", str(db), "init"], env=env, check=True,
                   capture_output=True)  # an explicit --db must exist (issue 12)
    outputs = []
    for i, cache in enumerate(("0", "1", "1")):
        out = tmp_path / f"a2-{i}.pdf"
        subprocess.run(
            [sys.executable, "-m", "shangnan_desktop", "--db", str(db), "export", "2021Q2", "--annex", "2",
             "--format", "pdf", "-o", str(out)],
            env=dict(env, SHANGNAN_FONT_CACHE=cache), check=True, capture_output=True,
        )
        outputs.append(out.read_bytes())
        if i == 0:
            assert not (tmp_path / "cache").exists()  # disabled means not written either
    assert list((tmp_path / "cache").rglob("*.tables"))
    assert outputs[0] == outputs[1] == outputs[2]
