"""Issue 12, data lost: no output (export, audit, backup) is written over the database, its side files or a backup."""

import os

import pytest

from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import create_backup
from tests.trust.cli import cli, db_files, digest


def _targets(db):
    lock = db.with_name(db.name + ".lock")
    link = db.with_name("link.sqlite3")
    os.link(db, link)
    sym = db.parent / "sym.csv"
    sym.symlink_to(db)
    return {"db": db, "wal": db.with_name(db.name + "-wal"), "shm": db.with_name(db.name + "-shm"),
            "lock": lock, "hardlink": link, "symlink": sym, "relative": db.parent / "." / db.name}


@pytest.mark.parametrize("which", ["db", "wal", "shm", "lock", "hardlink", "symlink", "relative", "backup"])
def test_audit_output_never_over_database(seeded, which):
    store = Store.open(seeded)
    backup = create_backup(store, "manual").path
    store.close()
    targets = _targets(seeded)
    targets["backup"] = backup
    watched = [seeded, backup]
    before = digest(*watched)
    result = cli("audit", "--output", targets[which], db=seeded)
    assert result.code == 2, result
    assert "不能用来保存" in result.err and "Traceback" not in result.err
    assert digest(*watched) == before
    _side_files_untouched(seeded)


def _side_files_untouched(db):
    wal, shm = db_files(db)[1:]
    assert not wal.exists() or wal.stat().st_size == 0 or not wal.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not shm.exists() or not shm.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\xef\xbb\xbf" not in db.with_name(db.name + ".lock").read_bytes()[:3]


@pytest.mark.parametrize("which", ["hardlink", "symlink", "db-named-xlsx"])
def test_export_output_never_over_database(seeded, which):
    if which == "db-named-xlsx":  # a database whose own name looks like a workbook
        renamed = seeded.with_name("数据.xlsx")
        seeded.rename(renamed)
        seeded = renamed
    targets = {"db-named-xlsx": seeded, "hardlink": seeded.with_name("附件1.xlsx"),
               "symlink": seeded.parent / "导出.xlsx"}
    if which == "hardlink":
        os.link(seeded, targets[which])
    elif which == "symlink":
        targets[which].symlink_to(seeded)
    before = digest(seeded)
    result = cli("export", "2021Q2", "--annex", "1", "--format", "xlsx", "-o", targets[which], db=seeded)
    assert result.code == 2, result
    assert "不能用来保存" in result.err and "Traceback" not in result.err
    assert digest(seeded) == before
    _side_files_untouched(seeded)
    Store.open(seeded, readonly=True).close()


def test_audit_output_elsewhere_still_works(seeded, tmp_path):
    out = tmp_path / "audit.csv"
    result = cli("audit", "--output", out, db=seeded)
    assert result.code == 0, result
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
