"""Start-up: Chinese Qt dialogs, fonts, logging, the crash handler, and run() opening the window."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from shangnan_desktop.ui import app as app_module


def test_qt_dialogs_speak_chinese(qapp):
    loaded = app_module.load_qt_translations(qapp)
    assert "qtbase" in loaded
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QMessageBox(QMessageBox.Icon.Question, "t", "t", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)"}
    box.deleteLater()


def test_bundled_fonts_load_and_cover_chinese(qapp):
    families = app_module.load_bundled_fonts()
    assert families[:2] == ["App Sans SC", "App Serif SC"]
    for family in families:
        assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    before = qapp.font()
    try:
        assert app_module.setup_fonts(qapp, "bundled") == "App Sans SC"
        assert qapp.font().family() == "App Sans SC"
        # On this machine (or any PC with Chinese system fonts) "auto" keeps the system's font.
        if app_module.has_chinese_font():
            qapp.setFont(before)
            assert app_module.setup_fonts(qapp, "auto") is None
    finally:
        qapp.setFont(before)


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def test_unexpected_errors_are_logged_and_shown_in_chinese(qtbot, tmp_path, monkeypatch, restore_logging):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_path = app_module.setup_logging(tmp_path / "logs")
    hook = app_module.install_excepthook(log_path)
    assert sys.excepthook is hook
    before = list(QApplication.topLevelWidgets())  # another test may leave a box open (kept alive: ids stay unique)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        hook(*sys.exc_info())
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible() and not any(w is b for b in before)
    ]
    assert boxes and boxes[-1].windowTitle() == "程序出错"
    assert "已经保存的数据不受影响" in boxes[-1].text()
    assert "boom in a slot" in boxes[-1].detailedText()
    copy = next(b for b in boxes[-1].buttons() if b.text() == "复制报告")
    copy.click()
    assert "boom in a slot" in QApplication.clipboard().text()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "boom in a slot" in log_path.read_text(encoding="utf-8")


def test_run_opens_the_main_window_on_the_given_database(qtbot, db_path, tmp_path, monkeypatch, restore_logging):
    from shangnan_desktop import paths
    from shangnan_desktop.ui.main_window import MainWindow

    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen = []

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend((w.controller.period.key, w.store.db.path) for w in windows)
        for w in windows:
            w.close()
        QApplication.instance().quit()

    QTimer.singleShot(200, close_window)
    asked = []  # a --db path that does not exist: the window asks before creating it (issue 12)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    assert app_module.run(db_path) == 0
    assert asked and str(db_path) in asked[0]
    assert seen == [("2021Q2", db_path)]
    assert db_path.exists()
    assert "database" in (tmp_path / "logs" / app_module.LOG_FILE).read_text(encoding="utf-8")


def test_cli_without_a_subcommand_starts_the_window(monkeypatch, db_path):
    from shangnan_desktop import cli

    called = []
    monkeypatch.setattr(app_module, "run", lambda path: called.append(path) or 0)
    assert cli.main(["--db", str(db_path)]) == 0
    assert called == [db_path]


def test_a_mistyped_database_path_is_not_created_without_asking(qtbot, tmp_path, monkeypatch, restore_logging):
    from shangnan_desktop import paths

    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    typo = tmp_path / "数据" / "错字" / "x.sqlite3"
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    assert app_module.run(typo) == 1
    assert asked and "新建" in asked[0] and str(typo) in asked[0]
    assert not (tmp_path / "数据").exists()


def test_a_database_that_cannot_be_opened_is_reported(qtbot, tmp_path, monkeypatch, restore_logging):
    from shangnan_desktop import paths

    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database file at all" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    assert app_module.run(bad) == 1
    assert shown and shown[0][0] == "无法打开数据库" and str(bad) in shown[0][1]


def test_screenshot_renders_the_window_offscreen(qapp, tmp_path):
    from PySide6.QtGui import QImage

    from shangnan_desktop.ui import screenshot

    before = qapp.font()
    try:
        out = screenshot.render(tmp_path / "shot.png", width=1000, height=700)
    finally:
        qapp.setFont(before)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1000, 7) for y in range(0, 700, 7)}
    assert len(colours) > 10  # tables, text and shading, not an empty grey window


def test_application_identity_and_icon(qapp):
    from shangnan_desktop import APP_ID

    app_module.create_application()
    assert qapp.organizationName() == APP_ID and qapp.applicationName() == APP_ID
    assert not qapp.windowIcon().isNull()
