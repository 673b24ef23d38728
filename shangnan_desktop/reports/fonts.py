"""PDF fonts per role (仿宋 body, 宋体 page numbers, 黑体 labels, 小标宋 title): Windows fonts first, bundled fallback."""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection

from shangnan_desktop.resources import resource_path

logger = logging.getLogger(__name__)

BODY = "body"  # 仿宋: table text, note
SONG = "song"  # 宋体: page numbers
HEI = "hei"  # 黑体: 附件N label, table header
TITLE = "title"  # 小标宋: the annex title
ROLES = (BODY, SONG, HEI, TITLE)

BUNDLED_ENV = "SHANGNAN_BUNDLED_FONTS"  # "1": only the bundled fonts (tests, CI, identical output everywhere)
BUNDLED_SERIF = "fonts/AppSerifSC-Regular.ttf"
BUNDLED_SANS = "fonts/AppSansSC-Regular.ttf"
MISSING_GLYPH = "\u25a1"  # □, drawn in place of a character no font has (and logged)


@dataclass(frozen=True)
class Candidate:
    """A system font looked up by its registry name, with the usual file name as a second chance."""

    names: tuple[str, ...]
    file: str
    subfont: int = 0


# Registry value names look like "仿宋_GB2312 (TrueType)" or "SimSun & NSimSun (TrueType)".
SYSTEM_CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    BODY: (
        Candidate(("仿宋_GB2312", "FangSong_GB2312"), "FS_GB2312.ttf"),
        Candidate(("FangSong", "仿宋"), "simfang.ttf"),
    ),
    SONG: (Candidate(("SimSun", "宋体"), "simsun.ttc", 0),),
    HEI: (Candidate(("SimHei", "黑体"), "simhei.ttf"),),
    TITLE: (
        Candidate(("方正小标宋简体", "FZXiaoBiaoSong-B05S"), "FZXBSJW.TTF"),
        Candidate(("方正小标宋_GBK", "FZXiaoBiaoSong-B05"), "FZXBSK.TTF"),
        Candidate(("SimSun", "宋体"), "simsun.ttc", 0),
    ),
}
# Names that Excel and WPS know, per role, used in the .xlsx whatever this PC has.
XLSX_NAMES = {BODY: "仿宋", SONG: "宋体", HEI: "黑体", TITLE: "宋体"}


def bundled_only_requested() -> bool:
    return os.environ.get(BUNDLED_ENV, "").strip().lower() in ("1", "true", "yes", "on")


# ---- Windows font registry ------------------------------------------------


def parse_font_registry(values: dict[str, str], fonts_dir: Path) -> dict[str, tuple[Path, int]]:
    """Map every face name in registry values to (file, index in a .ttc).

    ``{"SimSun & NSimSun (TrueType)": "simsun.ttc"}`` gives SimSun → index 0 and
    NSimSun → index 1. Relative file names live in ``fonts_dir``; per-user fonts
    carry a full path.
    """
    faces: dict[str, tuple[Path, int]] = {}
    for raw_name, raw_file in values.items():
        if not isinstance(raw_file, str) or not raw_file.strip():
            continue
        name = raw_name.split(" (")[0].strip()
        path = Path(raw_file.strip())
        if not path.is_absolute():
            path = fonts_dir / path
        for index, face in enumerate(part.strip() for part in name.split("&")):
            if face:
                faces.setdefault(face.casefold(), (path, index))
    return faces


@functools.lru_cache(maxsize=1)
def windows_font_faces() -> dict[str, tuple[Path, int]]:
    """Installed fonts from HKLM and HKCU (per-user fonts since Windows 10 1809); empty elsewhere."""
    if sys.platform != "win32":
        return {}
    import winreg  # type: ignore[import-not-found]

    fonts_dir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    faces: dict[str, tuple[Path, int]] = {}
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        values: dict[str, str] = {}
        try:
            with winreg.OpenKey(hive, key_path) as key:
                i = 0
                while True:
                    try:
                        name, data, _kind = winreg.EnumValue(key, i)
                    except OSError:
                        break
                    values[name] = data
                    i += 1
        except OSError:
            continue
        for face, found in parse_font_registry(values, fonts_dir).items():
            faces.setdefault(face, found)
    return faces


def find_system_font(candidate: Candidate, faces: dict[str, tuple[Path, int]]) -> tuple[Path, int] | None:
    for name in candidate.names:
        found = faces.get(name.casefold())
        if found and found[0].is_file():
            return found
    if sys.platform == "win32":
        path = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / candidate.file
        if path.is_file():
            return path, candidate.subfont
    return None


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities for Paragraph markup (xml.sax.saxutils would import urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- registration ---------------------------------------------------------


@dataclass
class FontSet:
    """reportlab font names per role; ``chains[role]`` is the primary font and its fallbacks."""

    chains: dict[str, tuple[str, ...]]
    coverage: dict[str, Collection[int]]
    families: dict[str, str] = field(default_factory=dict)  # role -> family name for .xlsx
    logged: set[str] = field(default_factory=set)  # missing characters already logged
    # Fallback fonts not parsed yet: registered the first time a character needs them
    # (with the PC's own fonts as primaries, the bundled ones are rarely needed).
    loaders: dict[str, Callable[[], str | None]] = field(default_factory=dict)

    def font(self, role: str) -> str:
        return self.chains[role][0]

    def covers(self, font: str, code: int) -> bool:
        cov = self.coverage.get(font)
        if cov is None:
            with _lock:
                cov = self.coverage.get(font)
                if cov is None:
                    loader = self.loaders.pop(font, None)
                    name = loader() if loader else None
                    cov = _coverage(name) if name else frozenset()
                    self.coverage[font] = cov
        return code in cov

    def runs(self, text: str, role: str, missing: set[str] | None = None) -> list[tuple[str, str]]:
        """Split text into (font, substring) runs: each character in the first font that has it.

        A character no font has is drawn as □, logged once per process and added to ``missing``.
        """
        chain = self.chains[role]
        out: list[tuple[str, str]] = []
        for ch in text:
            code = ord(ch)
            font = chain[0]
            if not ch.isspace() and not self.covers(font, code):
                font = next((f for f in chain[1:] if self.covers(f, code)), "")
                if not font:
                    if missing is not None:
                        missing.add(ch)
                    if ch not in self.logged:
                        logger.warning("no font has %r (U+%04X); drawn as %s", ch, code, MISSING_GLYPH)
                        self.logged.add(ch)
                    font, ch = chain[0] if self.covers(chain[0], ord(MISSING_GLYPH)) else chain[-1], MISSING_GLYPH
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def markup(self, text: str, role: str, missing: set[str] | None = None) -> str:
        """Paragraph markup: user text escaped, characters the primary font lacks wrapped in ``<font>``."""
        primary = self.font(role)
        parts = []
        for font, chunk in self.runs(text, role, missing):
            lines = [escape(line) for line in chunk.split("\n")]
            body = "<br/>".join(lines)
            parts.append(body if font == primary else f'<font name="{font}">{body}</font>')
        return "".join(parts)

    def string_width(self, text: str, role: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(chunk, font, size) for font, chunk in self.runs(text, role))


_lock = threading.Lock()
_registered: dict[tuple[str, int], str | None] = {}  # (file, subfont) -> reportlab name, None if unusable
_font_sets: dict[bool, FontSet] = {}


def _register(path: Path, subfont: int = 0) -> str | None:
    """Register a font file once per process; ``None`` if reportlab cannot use it (CFF, no-embed)."""
    key = (os.path.normcase(str(path.resolve())), subfont)
    if key in _registered:
        return _registered[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from shangnan_desktop.reports.font_cache import load_ttfont

    name = f"SN-{path.stem}-{subfont}"  # see _bundled_name
    try:
        pdfmetrics.registerFont(load_ttfont(name, path, subfont))
    except (TTFError, OSError, ValueError, IndexError) as exc:
        logger.warning("font %s (face %d) cannot be embedded, skipped: %s", path, subfont, exc)
        _registered[key] = None
        return None
    logger.info("registered font %s face %d as %s", path, subfont, name)
    _registered[key] = name
    return name


def _bundled_name(path: Path) -> str:
    """The reportlab name ``_register`` gives a file, known before the file is parsed."""
    return f"SN-{path.stem}-0"


def _coverage(name: str) -> Collection[int]:
    """The code points a registered font has (its cmap's keys, not copied)."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(name).face.charToGlyph.keys()


def font_set(*, bundled_only: bool | None = None) -> FontSet:
    """The fonts for PDFs, registered once per process (and once per mode)."""
    if bundled_only is None:
        bundled_only = bundled_only_requested()
    with _lock:
        if bundled_only in _font_sets:
            return _font_sets[bundled_only]
        faces = {} if bundled_only else windows_font_faces()
        serif_path, sans_path = resource_path(BUNDLED_SERIF), resource_path(BUNDLED_SANS)
        serif, sans = _bundled_name(serif_path), _bundled_name(sans_path)
        loaders = {serif: lambda: _register(serif_path), sans: lambda: _register(sans_path)}
        if not (serif_path.is_file() or sans_path.is_file()):
            from shangnan_desktop.reports.safe_write import ExportError

            raise ExportError("程序自带的字体文件缺失或已损坏，无法生成PDF。请重新安装本程序。")
        chains: dict[str, tuple[str, ...]] = {}
        families: dict[str, str] = {}
        coverage: dict[str, Collection[int]] = {}
        for role in ROLES:
            chain: list[str] = []
            for candidate in SYSTEM_CANDIDATES[role] if faces else ():
                found = find_system_font(candidate, faces)
                name = _register(*found) if found else None
                if name and name not in chain:
                    chain.append(name)
                    families.setdefault(role, candidate.names[0])
            preferred = sans if role == HEI else serif
            for name in (preferred, serif, sans):
                if name not in chain:
                    chain.append(name)
            # The primary font is needed at once; a bundled one that fails to load is dropped.
            while chain and chain[0] in loaders:
                if loaders[chain[0]]() is not None:
                    break
                logger.error("bundled font %s could not be loaded", chain[0])
                chain.pop(0)
            if not chain:
                from shangnan_desktop.reports.safe_write import ExportError

                raise ExportError("程序自带的字体文件缺失或已损坏，无法生成PDF。请重新安装本程序。")
            coverage.setdefault(chain[0], _coverage(chain[0]))
            chains[role] = tuple(chain)
            logger.info("PDF font for %s: %s", role, " > ".join(chain))
        pending = {n: f for n, f in loaders.items() if n not in coverage}
        result = FontSet(chains, coverage, families, loaders=pending)
        _font_sets[bundled_only] = result
        return result


def xlsx_font_name(role: str) -> str:
    """The font name written into .xlsx cells: this PC's 小标宋 if it has one, else the usual names."""
    if role == TITLE and not bundled_only_requested() and sys.platform == "win32":
        faces = windows_font_faces()
        for candidate in SYSTEM_CANDIDATES[TITLE][:2]:
            if find_system_font(candidate, faces):
                return candidate.names[0]
    return XLSX_NAMES[role]
