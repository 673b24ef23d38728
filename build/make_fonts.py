#!/usr/bin/env python3
"""Build the bundled CJK fonts in resources/fonts/ from Debian's fonts-noto-cjk.

Usage:
    python build/make_fonts.py [--out DIR] [--src-dir DIR] [--only serif|sans] [--jobs N]

Needs fontTools (``pip install fonttools``) and the Debian package ``fonts-noto-cjk``
(NotoSerifCJK-Regular.ttc and NotoSansCJK-Regular.ttc).

What it does, per font:
  1. finds the Simplified Chinese face inside the .ttc by its name table
     (name ID 1 == "Noto Serif CJK SC" / "Noto Sans CJK SC"), never by a fixed index;
  2. subsets it with fontTools to the character repertoire below, without layout
     features, hinting, vertical metrics or bitmaps;
  3. converts the CFF (PostScript) outlines to TrueType ``glyf`` quadratic outlines
     (cu2qu, max error 1 font unit), because reportlab cannot read CFF;
  4. renames it (OFL "Modified Version"; unique family and PostScript names so it can
     never be confused with an installed Noto font or with another subset);
  5. writes the .ttf atomically.

Repertoires:
  serif  GB 18030-2022 implementation level 1 = the GB 18030 one/two-byte repertoire
         (Python's 'gbk' codec, plus the few non-PUA characters that only the
         'gb18030' codec maps in the two-byte area, e.g. the euro sign and the CJK
         radicals; plus U+FE10-FE19, which GB 18030-2022 moved out of the PUA)
         + CJK Ext A U+3400-4DBF + U+9FA6-9FEF,
         plus every supplementary-plane ideograph (U+20000-3FFFF) that the font has.
  sans   the same GB 18030 two-byte/GBK repertoire only.
  both   + a keep-set of Latin and punctuation ranges (see KEEP_RANGES).

The output is deterministic: the same fontTools version and the same source font
give byte-identical files (timestamps are taken from the source font's head table).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools import version as fonttools_version
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables import ttProgram

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "resources" / "fonts"
DEFAULT_SRC_DIR = Path("/usr/share/fonts/opentype/noto")

CU2QU_MAX_ERR = 1.0  # font units (UPM 1000)

# Always kept, whatever the repertoire (code points the font lacks are skipped).
KEEP_RANGES: list[tuple[int, int]] = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation (incl. U+2014 em dash)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (incl. full-width digits)
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (circled numbers)
    (0x25A0, 0x25FF),  # Geometric Shapes
]
KEEP_CHARS = "√×№℃—０１２３４５６７８９"

EXT_A = (0x3400, 0x4DBF)
URO_TAIL = (0x9FA6, 0x9FEF)  # the 66 ideographs GB 18030-2022 level 1 adds
VERTICAL_FORMS = (0xFE10, 0xFE19)  # remapped from PUA to these in GB 18030-2022
SIP = (0x20000, 0x3FFFF)  # Supplementary + Tertiary Ideographic Planes

DROP_TABLES = ["EBDT", "EBLC", "EBSC", "vhea", "vmtx", "VORG", "GSUB", "GPOS",
               "GDEF", "BASE", "JSTF", "DSIG", "meta"]


@dataclass(frozen=True)
class FontSpec:
    key: str
    src_file: str
    src_family: str
    family: str
    ps_name: str
    out_file: str
    level1: bool  # GB 18030-2022 level 1 + SIP ideographs, else GBK only


SPECS = [
    FontSpec("serif", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC",
             "App Serif SC", "AppSerifSC-Regular", "AppSerifSC-Regular.ttf", True),
    FontSpec("sans", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC",
             "App Sans SC", "AppSansSC-Regular", "AppSansSC-Regular.ttf", False),
]


def log(tag: str, msg: str) -> None:
    print(f"[{tag}] {msg}", flush=True)


def _is_pua(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF


def _span(lo_hi: tuple[int, int]) -> set[int]:
    return set(range(lo_hi[0], lo_hi[1] + 1))


def gb_two_byte_repertoire() -> set[int]:
    """Non-PUA characters of the GBK / GB 18030 one- and two-byte code space."""
    out: set[int] = set()
    for codec in ("gbk", "gb18030"):
        for lead in range(0x81, 0xFF):
            for trail in range(0x40, 0xFF):
                if trail == 0x7F:
                    continue
                try:
                    s = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(s) == 1 and not _is_pua(ord(s)):
                    out.add(ord(s))
    out |= _span(VERTICAL_FORMS)
    return out


def keep_set() -> set[int]:
    out: set[int] = set()
    for r in KEEP_RANGES:
        out |= _span(r)
    out |= {ord(c) for c in KEEP_CHARS}
    return out


def find_face(path: Path, family: str) -> int:
    """Index of the face whose (Windows, en-US) name ID 1 equals ``family``."""
    coll = TTCollection(str(path), lazy=True)
    hits = []
    try:
        for i, face in enumerate(coll.fonts):
            rec = face["name"].getName(1, 3, 1, 0x409)
            if rec is not None and rec.toUnicode() == family:
                hits.append(i)
    finally:
        coll.close()
    if len(hits) != 1:
        raise SystemExit(f"{path}: expected exactly one face named {family!r}, found {hits}")
    return hits[0]


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table by TrueType glyf/loca (quadratic outlines)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    glyf.compile(font)  # computes the glyph bounding boxes
    hmtx = font["hmtx"]
    for name in order:
        adv, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (adv, getattr(glyf.glyphs[name], "xMin", 0))

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxStackElements = 1  # for the prep program below
    font["maxp"] = maxp  # points/contours are recalculated on save

    # Unhinted TrueType: ask rasterisers for smooth rendering at all sizes and switch on
    # dropout control (the usual treatment for unhinted TrueType fonts).
    gasp = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: 0x000F}
    font["gasp"] = gasp
    prep = newTable("prep")
    prep.program = ttProgram.Program()
    prep.program.fromAssembly(["PUSHW[]", "511", "SCANCTRL[]", "PUSHB[]", "4", "SCANTYPE[]"])
    font["prep"] = prep

    font["post"].formatType = 3.0  # no glyph names
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, spec: FontSpec, src_desc: str) -> None:
    name = font["name"]
    version = f"Version {font['head'].fontRevision:.3f}"
    # Drop every record that carries the original font's name, in every language.
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 5, 6, 10, 16, 17, 18, 21, 22)]
    fields = {
        1: spec.family,
        2: "Regular",
        3: f"{version[8:]};APP;{spec.ps_name}",
        4: spec.family,
        5: f"{version}; modified by make_fonts.py",
        6: spec.ps_name,
        10: (f"Modified version of {src_desc}: subset and converted from CFF to "
             "TrueType outlines. Licensed under the SIL Open Font License 1.1."),
    }
    for nid, text in fields.items():
        name.setName(text, nid, 3, 1, 0x409)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))


def build(spec: FontSpec, src_dir: Path, out_dir: Path) -> dict:
    t0 = time.monotonic()
    tag = spec.key
    src = src_dir / spec.src_file
    if not src.is_file():
        raise SystemExit(f"{src} not found (install the Debian package fonts-noto-cjk)")
    idx = find_face(src, spec.src_family)
    log(tag, f"source {src} face #{idx} = {spec.src_family!r}")

    font = TTFont(str(src), fontNumber=idx, recalcBBoxes=True, recalcTimestamp=False)
    src_desc = f"{spec.src_family} {font['head'].fontRevision:.3f}"
    cmap = font.getBestCmap()

    required = gb_two_byte_repertoire()
    if spec.level1:
        required |= _span(EXT_A) | _span(URO_TAIL)
    required -= set(range(0x80))  # ASCII comes from the keep-set
    sip = {cp for cp in cmap if SIP[0] <= cp <= SIP[1]} if spec.level1 else set()
    keep = keep_set()
    unicodes = required | sip | keep

    missing = sorted(cp for cp in required if cp not in cmap)
    keep_missing = sorted(cp for cp in keep if cp not in cmap)
    log(tag, f"repertoire: {len(required)} required (GB) + {len(sip)} SIP ideographs "
             f"+ {len(keep)} keep-set code points; {len(set(cmap) & unicodes)} present in font")
    log(tag, "required but not in font: " + (
        " ".join(f"U+{cp:04X}({chr(cp)})" for cp in missing) if missing else "none"))
    log(tag, f"keep-set code points not in font (mostly unassigned): {len(keep_missing)}")

    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.notdef_glyph = True
    opts.hinting = False
    opts.glyph_names = False
    opts.drop_tables += DROP_TABLES
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    n_glyphs = len(font.getGlyphOrder())
    log(tag, f"subset: {n_glyphs} glyphs ({time.monotonic() - t0:.1f} s); converting CFF -> glyf ...")

    cff_to_glyf(font)
    log(tag, f"converted ({time.monotonic() - t0:.1f} s)")
    rename(font, spec, src_desc)

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / spec.out_file
    tmp = out.with_name(out.name + ".tmp")
    font.save(str(tmp))
    font.close()
    os.replace(tmp, out)
    data = out.read_bytes()
    result = {
        "key": tag, "path": str(out), "size": len(data), "glyphs": n_glyphs,
        "sha256": hashlib.sha256(data).hexdigest(), "missing": missing,
        "seconds": time.monotonic() - t0,
    }
    log(tag, f"wrote {out} ({len(data) / 1e6:.2f} MB, {n_glyphs} glyphs, "
             f"{result['seconds']:.1f} s) sha256 {result['sha256'][:16]}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help=f"output directory (default: {DEFAULT_OUT})")
    ap.add_argument("--src-dir", type=Path, default=DEFAULT_SRC_DIR,
                    help=f"directory with the Noto CJK .ttc files (default: {DEFAULT_SRC_DIR})")
    ap.add_argument("--only", choices=[s.key for s in SPECS], action="append",
                    help="build only this font (may be repeated)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="fonts built in parallel (default: min(2, CPUs))")
    args = ap.parse_args(argv)

    specs = [s for s in SPECS if not args.only or s.key in args.only]
    print(f"make_fonts: fontTools {fonttools_version}, Python {sys.version.split()[0]}, "
          f"out={args.out.resolve()}", flush=True)
    t0 = time.monotonic()
    if args.jobs > 1 and len(specs) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(build, s, args.src_dir, args.out) for s in specs]
            results = [f.result() for f in futures]
    else:
        results = [build(s, args.src_dir, args.out) for s in specs]

    print(f"done in {time.monotonic() - t0:.1f} s:")
    for r in results:
        print(f"  {r['path']}  {r['size']:,} bytes  {r['glyphs']} glyphs  "
              f"missing {len(r['missing'])}  sha256 {r['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
