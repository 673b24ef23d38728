"""A register filled for every active unit with distinct names, phone and QQ numbers, and text scanners for exports."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from shangnan_desktop.domain.register import RegisterEntry
from shangnan_desktop.storage.register_store import RegisterStore

# Rare characters, so that no registered name occurs by chance in a unit name, a title or a note.
SURNAMES = "欧阳诸葛司马上官东方皇甫尉迟公孙慕容长孙宇文轩辕令狐钟离"
GIVEN = "翊瑾琰珩璟琛玥瑜瑶璇婧嫣翎霁澈暄晗曦昀煜"
TITLES = ("副镇长", "副局长", "党组成员、副主任", "办公室主任", "信息员", "综合股股长")
CONFIRMED = dt.date(2021, 7, 20)


def person(i: int, role: int) -> str:
    """A distinct three- or four-character name for unit ``i`` and role 0 (leader) or 1 (admin)."""
    surname = SURNAMES[2 * (i % 10): 2 * (i % 10) + 2]
    k = 2 * i + role
    return surname + GIVEN[k % len(GIVEN)] + GIVEN[(k // len(GIVEN) + 3 * role) % len(GIVEN)]


def fill_register(store, confirmed: dt.date = CONFIRMED) -> dict[int, RegisterEntry]:
    """An entry for every active unit; every name, phone and QQ number differs from every other."""
    entries = []
    for i, unit in enumerate(store.units(include_retired=False)):
        entries.append(RegisterEntry.build(
            unit.id, confirmed,
            leader_name=person(i, 0), leader_title=TITLES[i % len(TITLES)],
            leader_phones=f"1390914{i:04d}" + (f"、0914-63{i:05d}" if i % 2 == 0 else ""),
            admin_name=person(i, 1), admin_title=TITLES[(i + 2) % len(TITLES)],
            admin_phones=f"(0914)68{i:05d} 1580914{i:04d}",
            qq=f"7{i:03d}91400",
        ))
    RegisterStore(store).set_many(entries)
    return {e.unit_id: e for e in entries}


def secrets(entries) -> set[str]:
    """Every personal value, and every phone number also as bare digits."""
    out: set[str] = set()
    for entry in entries:
        for value in entry.personal_values():
            out.add(value)
            out.add(value.replace("-", ""))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_texts(path: Path) -> list[str]:
    """Every page's text by pypdf and by pdftotext (if installed), and the document's metadata."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    texts = [page.extract_text() or "" for page in reader.pages]
    texts.append(" ".join(str(v) for v in (reader.metadata or {}).values()))
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
        texts.append(result.stdout.decode("utf-8"))
    return texts


def xlsx_texts(path: Path) -> list[str]:
    """Every cell, sheet title, header and footer, document property, and the raw XML of every part."""
    import openpyxl

    texts: list[str] = []
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        texts.append(ws.title)
        for row in ws.iter_rows():
            texts.extend(str(c.value) for c in row if c.value is not None)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            texts.extend(part.text or "" for part in (hf.left, hf.center, hf.right))
    props = wb.properties
    texts.extend(str(getattr(props, k)) for k in ("title", "subject", "creator", "description", "keywords"))
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            texts.append(archive.read(name).decode("utf-8", errors="replace"))
    return texts


def file_texts(path: Path) -> list[str]:
    return pdf_texts(path) if path.suffix.lower() == ".pdf" else xlsx_texts(path)


def found(texts: list[str], values: set[str]) -> set[str]:
    """The values that occur in any of the texts (whitespace and line breaks ignored)."""
    joined = "\n".join(_squash(t) for t in texts)
    return {v for v in values if _squash(v) in joined}
