"""reportlab's parsed TrueType tables, cached in the user's cache folder between processes.

Parsing the cmap, widths and glyph locations of a large CJK font is most of a cold PDF export
(about 40 ms per bundled font on a fast PC, several times that on an office one). The parsed
tables are written once to the user's cache folder (never the program folder, which may be
read-only or frozen) and read back with ``marshal`` and ``array``: no pickle, no code.

A cache file is used only when everything that could change the parse matches: the font file's
bytes (a checksum, recomputed only when the file's size or modification time differ from the
cache's record), the face index in a collection, the reportlab and Python versions and this
format's number; its payload carries its own SHA-256. Anything else (missing, stale, truncated,
corrupt, unreadable) is ignored and the font is parsed and the cache rewritten, silently.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
import sys
import tempfile
from array import array
from collections import Counter
from pathlib import Path

logger = logging.getLogger(__name__)

FORMAT = 3  # 3: the font file's size and time beside its checksum
MAGIC = b"SNFONT\x00\x01"
CACHE_ENV = "SHANGNAN_FONT_CACHE"  # "0": never read or write the cache
# Large per-glyph tables stored as typed arrays (fast to read back); the rest of the face as is.
_TABLES = ("charToGlyph", "charWidths", "hmetrics", "glyphPos")
_SKIPPED = ("_ttf_data", "_pdfScale", "glyphToChar", *_TABLES)


def cache_dir() -> Path:
    import platformdirs

    from shangnan_desktop import APP_ID

    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)) / "pdf-fonts"


def cache_enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() not in ("0", "false", "no", "off")


def cache_file(path: Path, subfont: int = 0) -> Path:
    """One cache file per font file and face; a new font or version overwrites it."""
    return cache_dir() / f"{path.stem}-{subfont}.tables"


def cache_key(subfont: int) -> bytes:
    """What the parse depends on besides the font's bytes: the face, the reportlab and Python versions,
    the byte order and this format."""
    import reportlab

    return (
        f"face {subfont}|reportlab {reportlab.Version}|python {sys.version_info[0]}.{sys.version_info[1]}"
        f"|{sys.byteorder}|format {FORMAT}"
    ).encode()


def checksum(font_bytes) -> str:
    """The font's bytes as their CRC-32 and length: a checksum of every byte that any edit, truncation or
    replacement of the file changes (3 ms for both bundled fonts, where SHA-256 takes 10 ms); it guards
    against staleness, not against an adversary (one who can write the user's cache folder can change
    anything the user runs)."""
    import zlib

    return f"crc32 {zlib.crc32(font_bytes):08x} length {len(font_bytes)}"


def _stat_of(path: Path) -> list[int] | None:
    """Size and modification time of the font file: when both are as the cache recorded, the bytes are
    taken to be the same (as Python trusts its .pyc files) and the checksum is not recomputed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def load_ttfont(name: str, path: Path, subfont: int = 0):
    """A reportlab ``TTFont`` for ``path``: from the cache when it is valid, else parsed (and cached)."""
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(path)
    if not cache_enabled():
        return TTFont(name, str(path), subfontIndex=subfont)
    data = _map(path)
    key = cache_key(subfont)
    stat = _stat_of(path)
    target = cache_file(path, subfont)
    font = _read(target, key, stat, name, path, data)
    if font is not None:
        return font
    font = TTFont(name, str(path), subfontIndex=subfont)
    _write(target, key, checksum(data), stat, font)
    return font


# ---- reading ------------------------------------------------------------------------------


def _map(path: Path):
    """The font file's bytes, memory-mapped read-only (reportlab only ever slices them): no 20 MB
    copy, and the pages are the page cache's own. A plain read where mapping is not possible."""
    import mmap

    try:
        with open(path, "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # an empty file cannot be mapped; the parse will reject it
        return path.read_bytes()



def _read(target: Path, key: bytes, stat: list[int] | None, name: str, path: Path, data: bytes):
    try:
        blob = target.read_bytes()
    except OSError:
        return None
    try:
        if not blob.startswith(MAGIC):
            raise ValueError("not a font cache file")
        header_len = int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 4], "little")
        start = len(MAGIC) + 4
        header = marshal.loads(blob[start : start + header_len])
        payload = blob[start + header_len :]
        if header.get("key") != key:
            logger.info("font cache %s is for another font or version: rebuilt", target.name)
            return None
        if (stat is None or header.get("stat") != stat) and header.get("checksum") != checksum(data):
            logger.info("font cache %s is for another version of the font file: rebuilt", target.name)
            return None
        if header.get("sha256") != hashlib.sha256(payload).digest():
            raise ValueError("checksum mismatch")
        # Some 200,000 small objects are made here; the cyclic collector would walk every live
        # object several times meanwhile (none of them can form a cycle).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return _font_from(marshal.loads(payload), name, path, data)
        finally:
            if was_enabled:
                gc.enable()
    except Exception as exc:  # noqa: BLE001 - any damage means: parse the font again
        logger.warning("font cache %s unusable (%s): rebuilt", target, exc)
        return None


def _font_from(state: dict, name: str, path: Path, data: bytes):
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont

    face_state = dict(state["face"])
    for attr, raw in state["names"].items():
        face_state[attr] = TTFNameBytes(raw, "utf8")
    tables = state["tables"]

    def arr(code_and_bytes) -> list:
        code, raw = code_and_bytes
        values = array(code)
        values.frombytes(raw)
        return values.tolist()

    codes = arr(tables["c2g_keys"])
    face_state["charToGlyph"] = dict(zip(codes, arr(tables["c2g_values"])))
    # Widths: most CJK glyphs share one advance; one shared int object, not 30,000 equal ones.
    width_codes = codes if tables["width_keys"] is None else arr(tables["width_keys"])
    common, other_codes, other_widths = tables["common_width"], arr(tables["other_codes"]), arr(tables["other_widths"])
    widths = dict.fromkeys(width_codes, common)
    widths.update(zip(other_codes, other_widths))
    if len(widths) != len(width_codes):
        raise ValueError("width table does not match its codes")
    face_state["charWidths"] = widths
    face_state["hmetrics"] = list(zip(arr(tables["advances"]), arr(tables["bearings"])))
    face_state["glyphPos"] = arr(tables["glyph_pos"])
    if len(face_state["hmetrics"]) != face_state["numGlyphs"] or len(face_state["glyphPos"]) != face_state["numGlyphs"] + 1:
        raise ValueError("glyph tables do not match the glyph count")

    face = _cached_face_class().__new__(_cached_face_class())
    face.__dict__.update(face_state)
    face.filename = str(path)
    face._ttf_data = data
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)

    font = TTFont.__new__(TTFont)
    font.__dict__.update(state["font"])
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    return font


_face_class = None


class _TableSlices:
    """A font table read by slicing only (``table[a:b]`` gives bytes), without copying it whole."""

    def __init__(self, data, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            return bytes(self)[key]
        first, last, _ = key.indices(self._length)
        return bytes(self._data[self._start + first : self._start + max(first, last)])

    def __bytes__(self) -> bytes:
        return bytes(self._data[self._start : self._start + self._length])


def _cached_face_class():
    """``TTFontFace`` whose ``glyphToChar`` (used only for text shaping) is rebuilt on first use."""
    global _face_class
    if _face_class is None:
        from reportlab.pdfbase.ttfonts import TTFontFace

        class CachedTTFontFace(TTFontFace):
            def get_table(self, tag: str):
                # The glyph table is most of the file (12 MB of the serif): subsetting reads a few
                # hundred glyphs out of it, so hand it over as slices of the mapped file, not a copy.
                if tag == "glyf":
                    pos, length = self.get_table_pos(tag)
                    return _TableSlices(self._ttf_data, pos, length)
                return super().get_table(tag)

            def __getattr__(self, attr: str):
                if attr != "glyphToChar":
                    raise AttributeError(attr)
                glyph_to_char: dict[int, list[int]] = {}
                for code, glyph in self.charToGlyph.items():
                    glyph_to_char.setdefault(glyph, []).append(code)
                self.glyphToChar = glyph_to_char
                return glyph_to_char

        _face_class = CachedTTFontFace
    return _face_class


# ---- writing ------------------------------------------------------------------------------


def _typed(values, code: str) -> tuple[str, bytes]:
    return code, array(code, values).tobytes()


def _state_of(font) -> dict:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    face = font.face
    plain, names = {}, {}
    for attr, value in vars(face).items():
        if attr in _SKIPPED:
            continue
        if isinstance(value, TTFNameBytes):
            names[attr] = bytes(value)
        else:
            plain[attr] = value
    widths = face.charWidths
    width_code = "q" if all(type(w) is int for w in widths.values()) else "d"
    common = Counter(widths.values()).most_common(1)[0][0] if widths else 0
    others = [(code, w) for code, w in widths.items() if w != common or type(w) is not type(common)]
    tables = {
        "c2g_keys": _typed(face.charToGlyph.keys(), "I"),
        "c2g_values": _typed(face.charToGlyph.values(), "I"),
        "width_keys": None if list(widths) == list(face.charToGlyph) else _typed(widths.keys(), "I"),
        "common_width": common,
        "other_codes": _typed((code for code, _w in others), "I"),
        "other_widths": _typed((w for _c, w in others), width_code),
        "advances": _typed((aw for aw, _lsb in face.hmetrics), "q"),
        "bearings": _typed((lsb for _aw, lsb in face.hmetrics), "q"),
        "glyph_pos": _typed(face.glyphPos, "Q"),
    }
    own = {k: v for k, v in vars(font).items() if k not in ("face", "encoding", "state", "fontName")}
    return {"face": plain, "names": names, "tables": tables, "font": own}


def _write(target: Path, key: bytes, font_checksum: str, stat: list[int] | None, font) -> None:
    try:
        payload = marshal.dumps(_state_of(font))
    except (ValueError, TypeError, OverflowError) as exc:  # an attribute marshal cannot hold: no cache
        logger.info("font tables of %s not cacheable: %s", target.stem, exc)
        return
    header = marshal.dumps({
        "key": key, "checksum": font_checksum, "stat": stat, "sha256": hashlib.sha256(payload).digest(),
    })
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + len(header).to_bytes(4, "little") + header + payload)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only or full profile: the fonts are parsed each time
        logger.info("font cache not written to %s: %s", target, exc)
        return
    logger.info("font tables of %s cached in %s", target.stem, target)
