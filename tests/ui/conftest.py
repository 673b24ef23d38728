"""Fixtures for driving the real main window offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings



@pytest.fixture(scope="session", autouse=True)
def _chinese_ui(qapp):
    """Qt's Chinese translations and, on a machine without Chinese fonts, the bundled font."""
    from shangnan_desktop.ui.app import load_qt_translations, setup_fonts

    load_qt_translations(qapp)
    setup_fonts(qapp)
    yield


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, settings):
    """The main window on the test's ``store`` (fresh, seeded: 2021Q2), shown offscreen and focused on 镇办."""
    from shangnan_desktop.ui.main_window import MainWindow

    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    # the window in front, as a person's window is (a dialog hidden by an earlier test may still be active)
    from PySide6.QtWidgets import QApplication

    win.activateWindow()
    for _ in range(200):
        if QApplication.activeWindow() is win:
            break
        QApplication.processEvents()
    win.views[0].setFocus()
    yield win
    win.close()


@pytest.fixture(autouse=True)
def _close_leftover_boxes(qapp):
    """A message box a test left open must not be mistaken for the next test's (random order)."""
    yield
    from PySide6.QtWidgets import QApplication, QMessageBox

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.close()
