"""Font resolution per role: Windows registry parsing, bundled fallback, per-character fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from shangnan_desktop.reports import fonts
from shangnan_desktop.reports.fonts import BODY, HEI, MISSING_GLYPH, TITLE, font_set, parse_font_registry


def test_registry_values_map_faces_to_files_and_ttc_indexes(tmp_path):
    values = {
        "SimSun & NSimSun (TrueType)": "simsun.ttc",
        "仿宋_GB2312 (TrueType)": "仿宋_GB2312.ttf",
        "FangSong (TrueType)": "simfang.ttf",
        "方正小标宋简体 (TrueType)": r"C:\Users\clerk\AppData\Local\Microsoft\Windows\Fonts\FZXBSJW.TTF",
        "Broken (TrueType)": "",
    }
    faces = parse_font_registry(values, Path("C:/Windows/Fonts"))
    assert faces["simsun"] == (Path("C:/Windows/Fonts/simsun.ttc"), 0)
    assert faces["nsimsun"] == (Path("C:/Windows/Fonts/simsun.ttc"), 1)
    assert faces["仿宋_gb2312"][0].name == "仿宋_GB2312.ttf"
    assert faces["方正小标宋简体"][0].name.endswith("FZXBSJW.TTF")
    assert "broken" not in faces


def test_fonts_are_registered_once_per_process():
    first = font_set(bundled_only=True)
    assert font_set(bundled_only=True) is first
    assert first.font(HEI) != first.font(BODY)  # 黑体 role uses the bundled sans
    assert first.font(TITLE) == first.font(BODY)


def test_characters_fall_back_per_character():
    fs = font_set(bundled_only=True)
    rare = "\U00020164"  # 𠅤: only the bundled serif has it, not the sans
    runs = fs.runs(f"张{rare}主任", HEI)
    assert [chunk for _font, chunk in runs] == ["张", rare, "主任"]
    assert runs[1][0] == fs.font(BODY) and runs[0][0] == fs.font(HEI)
    markup = fs.markup(f"张{rare}", HEI)
    assert f'<font name="{fs.font(BODY)}">{rare}</font>' in markup


def test_a_character_no_font_has_is_logged_and_drawn_as_a_box(caplog):
    fs = font_set(bundled_only=True)
    missing: set[str] = set()
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        runs = fs.runs("县\U0001F600局\U0001F600", BODY, missing)
    assert "".join(chunk for _f, chunk in runs) == f"县{MISSING_GLYPH}局{MISSING_GLYPH}"
    assert missing == {"\U0001F600"}
    assert any("1F600" in r.getMessage() for r in caplog.records) or "\U0001F600" in fs.logged


def test_markup_escapes_user_text():
    fs = font_set(bundled_only=True)
    assert fs.markup("A<b>&C", BODY) == "A&lt;b&gt;&amp;C"
    assert fs.markup("单位名称\n(加盖公章)", HEI) == "单位名称<br/>(加盖公章)"


def _system_font(*names: str) -> Path | None:
    for name in names:
        found = sorted(Path("/usr/share/fonts").rglob(name))
        if found:
            return found[0]
    return None


def test_system_fonts_come_first_and_unusable_ones_are_skipped(monkeypatch, caplog):
    """Stand-ins for Windows fonts: a Latin TrueType as 仿宋, a CFF collection (unembeddable here) as 宋体."""
    latin = _system_font("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf")
    cff = _system_font("NotoSerifCJK-Regular.ttc")
    if latin is None or cff is None:
        pytest.skip("needs DejaVu/Liberation and Noto CJK system fonts as stand-ins")
    faces = {"fangsong": (latin, 0), "simsun": (cff, 0)}
    monkeypatch.setattr(fonts, "windows_font_faces", lambda: faces)
    monkeypatch.setattr(fonts, "_font_sets", {})
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        fs = font_set(bundled_only=False)
    bundled = font_set(bundled_only=True)
    assert fs.chains[BODY][0] != bundled.font(BODY) and fs.chains[BODY][1:] == bundled.chains[BODY]
    assert fs.chains[fonts.SONG] == bundled.chains[fonts.SONG]  # the CFF font was skipped
    assert any("cannot be embedded" in r.getMessage() for r in caplog.records)
    runs = fs.runs("县A局", BODY)
    assert runs == [(bundled.font(BODY), "县"), (fs.font(BODY), "A"), (bundled.font(BODY), "局")]


def test_with_the_pcs_own_fonts_the_bundled_ones_load_only_when_a_character_needs_them(monkeypatch):
    latin = _system_font("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf")
    if latin is None:
        pytest.skip("needs DejaVu or Liberation as a stand-in for the Windows fonts")
    faces = {"fangsong": (latin, 0), "simsun": (latin, 0), "simhei": (latin, 0)}
    monkeypatch.setattr(fonts, "windows_font_faces", lambda: faces)
    monkeypatch.setattr(fonts, "_font_sets", {})
    fs = font_set(bundled_only=False)
    bundled_serif = fonts._bundled_name(fonts.resource_path(fonts.BUNDLED_SERIF))
    assert all(fs.font(role) not in fs.loaders for role in fonts.ROLES)  # primaries are the PC's
    assert bundled_serif in fs.loaders and bundled_serif not in fs.coverage  # not parsed yet
    assert fs.runs("A", BODY) == [(fs.font(BODY), "A")]
    assert bundled_serif in fs.loaders  # Latin text needs no fallback
    assert fs.runs("A县", BODY) == [(fs.font(BODY), "A"), (bundled_serif, "县")]
    assert bundled_serif not in fs.loaders and fs.coverage[bundled_serif]
