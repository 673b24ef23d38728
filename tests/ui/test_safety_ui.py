"""What the clerk sees of data safety: a read-only second copy, a damaged file at start, backups."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import create_backup, list_backups
from shangnan_desktop.ui import app as app_module
from shangnan_desktop.ui.backup_dialog import BackupDialog

Q2 = Period.parse("2021Q2")


def test_read_only_store_shows_a_banner_and_refuses_edits(qtbot, db_path, settings):
    from shangnan_desktop.ui.main_window import MainWindow

    Store.open(db_path).close()
    store = Store.open(db_path, readonly=True)
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    assert win.lock_banner.isVisible() and win.lock_banner.text().startswith("只读")
    assert not win.new_period_action.isEnabled()
    # the quarter itself is not 定稿: the (disabled) lock action must not offer 解除定稿
    assert win.lock_action.text() == "定稿(&L)" and not win.lock_action.isChecked()
    assert not win.lock_action.isEnabled()
    model = win.controller.models[0]
    assert not (model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable)
    assert not win.controller.edit_counts([(store.units()[0].id, (1, 1))], "x")
    assert Store.open(db_path).counts(Q2, store.units()[0].id) == (27, 25)
    win.close()
    store.close()


def test_damaged_database_at_start_is_restored_from_the_newest_backup(qtbot, db_path, monkeypatch):
    store = Store.open(db_path)
    uid = store.units()[0].id
    store.set_counts(Q2, uid, (40, 30))
    create_backup(store, "manual")
    store.set_counts(Q2, uid, (41, 31))
    store.close()
    data = bytearray(db_path.read_bytes())
    data[:100] = b"\xff" * 100  # the header is gone
    db_path.write_bytes(bytes(data))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    restored = app_module.open_store(db_path)
    assert restored is not None
    assert "备份" in asked[0]
    assert restored.counts(Q2, uid) == (40, 30)
    aside = [p for p in db_path.parent.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes()[:100] == b"\xff" * 100
    assert "保留" in told[0]
    restored.close()


def test_damaged_database_without_a_yes_is_left_alone(qtbot, db_path, monkeypatch):
    store = Store.open(db_path)
    create_backup(store, "manual")
    store.close()
    db_path.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert app_module.open_store(db_path) is None
    assert db_path.read_bytes() == b"this is not a database" * 100


def test_backup_dialog_backs_up_and_a_chosen_restore_is_applied(qtbot, db_path, monkeypatch):
    store = Store.open(db_path)
    uid = store.units()[0].id
    dialog = BackupDialog(store)
    qtbot.addWidget(dialog)
    before = len(list_backups(db_path))
    assert dialog.backup_now() is not None
    assert len(list_backups(db_path)) == before + 1 == dialog.table.rowCount()
    store.set_counts(Q2, uid, (50, 50))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    dialog.ask_restore()
    assert dialog.chosen is not None
    store.close()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    app_module._restore(db_path, dialog.chosen)
    again = Store.open(db_path)
    assert again.counts(Q2, uid) == (27, 25)
    assert any(".replaced-" in p.name for p in db_path.parent.iterdir())
    again.close()


def test_audit_dialog_shows_who_changed_what_and_exports_csv(qtbot, db_path, tmp_path):
    from shangnan_desktop.ui.audit_dialog import AuditDialog

    store = Store.open(db_path)
    uid = store.find_unit("试马镇").id
    store.set_counts(Q2, uid, (3, 3))
    store.create_period(Q2.next())
    dialog = AuditDialog(store)
    qtbot.addWidget(dialog)
    shown = [[dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
             for r in range(dialog.table.rowCount())]
    numbers = [int(row[0]) for row in shown]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) > 1  # 最新在前: the newest on top
    change = next(row for row in shown if row[3] == "修改条数")
    assert change[5] == "试马镇" and change[7] == "报送信息3条，采用信息3条" and change[2]
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findText("2021年三季度"))
    assert all(dialog.table.item(r, 3).text() != "修改条数" for r in range(dialog.table.rowCount()))
    dialog.period_combo.setCurrentIndex(0)
    out = tmp_path / "log.csv"
    assert dialog.export_csv(out) == len(shown)
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "试马镇" in text.decode("utf-8-sig")
    store.close()
