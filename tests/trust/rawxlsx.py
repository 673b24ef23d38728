"""Write .xlsx files directly as XML in a zip: fast enough to build hostile workbooks in a test."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable, Iterator
from xml.sax.saxutils import escape

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '{sheets}{shared}</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="xl/workbook.xml"/></Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def col(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, SharedRef):
        return f'<c r="{ref}" t="s"><v>{value.index}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


class SharedRef:
    def __init__(self, index: int) -> None:
        self.index = index


def sheet_xml(rows: Iterable[tuple[int, list]]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}><sheetData>'
    for number, values in rows:
        cells = "".join(cell(f"{col(i)}{number}", v) for i, v in enumerate(values))
        yield f'<row r="{number}">{cells}</row>'
    yield "</sheetData></worksheet>"


def write(path: Path, sheets: list[tuple[str, Iterable[tuple[int, list]], str]],
          shared: Iterable[str] | None = None, shared_count: int | None = None) -> Path:
    """``sheets``: (title, numbered rows, state) with state visible/hidden/veryHidden."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        shared_ct = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>') if shared is not None else ""
        z.writestr("[Content_Types].xml", CT.format(sheets=overrides, shared=shared_ct))
        z.writestr("_rels/.rels", ROOT_RELS)
        entries = "".join(
            f'<sheet name="{escape(t)}" sheetId="{i}" state="{st}" r:id="rId{i}"/>'
            for i, (t, _r, st) in enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                      f'<workbook {NS} {RNS}><sheets>{entries}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                   f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_t, rows, _st) in enumerate(sheets, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w") as fh:
                buf = []
                for piece in sheet_xml(rows):
                    buf.append(piece)
                    if len(buf) > 500:
                        fh.write("".join(buf).encode())
                        buf = []
                fh.write("".join(buf).encode())
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w") as fh:
                n = shared_count if shared_count is not None else 0
                fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {NS} count="{n}" '
                         f'uniqueCount="{n}">'.encode())
                buf = []
                for text in shared:
                    buf.append(f"<si><t>{escape(text)}</t></si>")
                    if len(buf) > 5000:
                        fh.write("".join(buf).encode())
                        buf = []
                fh.write("".join(buf).encode())
                fh.write(b"</sst>")
    return path


def annex_rows(title: str, header: list[str], body: list[list], start: int = 1):
    """A title row, a header row, then the body rows numbered from there."""
    yield start, [title]
    yield start + 1, header
    for i, row in enumerate(body, start=start + 2):
        yield i, row
