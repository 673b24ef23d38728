"""Public exports never carry a name, phone or QQ number from the register; internal ones do, marked on every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.reports.export import tables_for
from shangnan_desktop.app.exports import export_period, print_pdf
from shangnan_desktop.reports.annex import INTERNAL, INTERNAL_MARK, PUBLIC
from shangnan_desktop.app.register import export_unit_forms, register_units
from shangnan_desktop.reports.register_export import filled_register_table
from shangnan_desktop.storage import Store
from tests.pdf_fonts import bundled_fonts
from tests.register_data import file_texts, fill_register, found, pdf_texts, secrets

Q2 = Period.parse("2021Q2")


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A database whose register holds an entry for each of the 62 units, and its exports."""
    root = tmp_path_factory.mktemp("privacy")
    store = Store.open(root / "p.db")
    entries = fill_register(store)
    with bundled_fonts():
        public = export_period(store, Q2, "all", "both", root / "public")
        printed = root / "print.pdf"
        printed.write_bytes(print_pdf(store, Q2))
        internal = export_period(store, Q2, "3", "both", root / "internal", filled=True)
        forms = export_unit_forms(store, Q2, ("pdf", "xlsx"), root / "forms")
    sheet = store.load_sheet(Q2)
    names = {u.id: u.name for u in store.units()}
    register = register_units(store)
    store.close()
    return {
        "entries": entries, "public": [f.path for f in public] + [printed], "internal": [f.path for f in internal],
        "forms": forms, "sheet": sheet, "names": names,
        "register": register,
    }


def test_the_register_is_full_and_every_value_distinct(filled):
    entries = list(filled["entries"].values())
    assert len(entries) == 62
    values = [v for e in entries for v in e.personal_values()]
    assert len(values) == len(set(values))
    # no registered name happens to be part of a unit name (the scan would find it for the wrong reason)
    unit_text = "".join(filled["names"].values())
    assert not any(e.leader_name in unit_text or e.admin_name in unit_text for e in entries)


def test_every_public_export_kind_is_scanned(filled):
    kinds = sorted(p.suffix + ":" + p.name.split("_")[0] for p in filled["public"])
    assert kinds == sorted([".pdf:附件1", ".xlsx:附件1", ".pdf:附件2", ".xlsx:附件2", ".pdf:附件3", ".xlsx:附件3",
                            ".pdf:print.pdf"])


def test_public_exports_hold_no_personal_data(filled):
    values = secrets(filled["entries"].values())
    for path in filled["public"]:
        texts = file_texts(path)
        assert sum(len(t) for t in texts) > 500, path  # the scan reads real text, not nothing
        leaked = found(texts, values)
        assert not leaked, f"{path.name} contains {sorted(leaked)[:10]}"
        assert not found(texts, {INTERNAL_MARK}), path.name


def test_the_same_scan_finds_everything_in_the_internal_export(filled):
    values = secrets(filled["entries"].values())
    personal = {v for e in filled["entries"].values() for v in e.personal_values()}
    assert len(filled["internal"]) == 2
    for path in filled["internal"]:
        texts = file_texts(path)
        assert personal <= found(texts, values), path.name


def test_internal_exports_say_so_on_every_page(filled):
    from pypdf import PdfReader

    for path in filled["internal"] + [f.path for f in filled["forms"]]:
        if path.suffix == ".pdf":
            pages = PdfReader(str(path)).pages
            assert len(pages) >= 1
            assert all(INTERNAL_MARK in (p.extract_text() or "") for p in pages), path.name
        else:
            import openpyxl

            ws = openpyxl.load_workbook(path).active
            assert "内部资料" in ws.title  # the tab is short: 汇总表（内部资料）
            assert ws.oddHeader.right.text == INTERNAL_MARK and ws.evenHeader.right.text == INTERNAL_MARK


def test_a_unit_form_holds_only_that_units_data(filled):
    entries = filled["entries"]
    xlsx = [f.path for f in filled["forms"] if f.fmt == "xlsx"]
    assert len(xlsx) == 62
    by_name = {filled["names"][uid]: e for uid, e in entries.items()}
    for path in xlsx[:: 7]:  # every seventh form, from both groups
        unit = path.stem.rsplit("_", 1)[1]
        own = by_name[unit]
        others = secrets(e for e in entries.values() if e is not own)
        texts = file_texts(path)
        assert set(own.personal_values()) <= found(texts, set(own.personal_values())), unit
        assert not found(texts, others), unit
    pdf = next(f.path for f in filled["forms"] if f.fmt == "pdf")
    pages = pdf_texts(pdf)[:62]
    for page, (name, entry) in zip(pages, by_name.items()):
        assert name in page and entry.leader_name in page and entry.qq in page


def test_every_table_says_whether_it_is_public(filled):
    tables = tables_for(filled["sheet"], [1, 2, 3])
    assert [t.audience for t in tables] == [PUBLIC, PUBLIC, PUBLIC]
    assert all(not t.marking for t in tables)
    # the notice's 附件3 is the blank form (public); filled from the register it is internal
    assert tables[2].kind == "register" and all(v is None for r in tables[2].rows for v in r.values[1:])
    assert filled_register_table(filled["register"], 3, today=dt.date(2021, 8, 1)).audience == INTERNAL
    with pytest.raises(ValueError):
        tables[0].__class__(**{**tables[0].__dict__, "audience": "secret"})


def test_paths_are_distinct_files(filled):
    paths = filled["public"] + filled["internal"]
    assert len({Path(p).name for p in paths}) == len(paths)  # the internal list never overwrites the blank form
