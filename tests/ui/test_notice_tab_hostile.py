"""The 通报 tab used carelessly: odd figures typed, and a read-only second copy that must not take edits."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.notice_store import NoticeStore
from tests.ui.test_notice_tab import open_notice, section_edit

Q2 = Period.parse("2021Q2")


def _retype(qtbot, tab, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    edit.insert(text)  # as an input method delivers it (QTest types ASCII only)
    edit.textEdited.emit(edit.text())
    tab.flush()


def test_odd_figures_are_refused_in_chinese_not_crashed_on_nor_stored(window, qtbot, caplog):
    tab = open_notice(window, qtbot)
    stored = NoticeStore(window.store).get(Q2).figures
    with caplog.at_level(logging.ERROR):
        for edit, text in ((tab.key_area, "²"), (tab.letters_received, "9" * 23), (tab.serial, "五十六")):
            _retype(qtbot, tab, edit, text)
            assert tab.problems.text().startswith("未保存：")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert NoticeStore(window.store).get(Q2).figures == stored
    for edit in (tab.key_area, tab.serial):
        edit.undo()  # the clerk puts the two fields right again
    _retype(qtbot, tab, tab.letters_received, "４５")  # full-width digits are digits
    assert NoticeStore(window.store).get(Q2).figures.letters_received == 45


def test_the_read_only_copy_takes_no_notice_edit(qtbot, db_path, settings):
    from shangnan_desktop.ui.main_window import MainWindow

    Store.open(db_path).close()
    store = Store.open(db_path, readonly=True)
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    tab = open_notice(win, qtbot)
    before = tab.notice_from_fields()
    inputs = [tab.office, tab.serial, tab.letters_received, *(h for h, _t in tab._section_edits)]
    assert all(w.isReadOnly() for w in inputs)
    assert all(e.isReadOnly() for e in tab.text_edits()) and not tab.insert_box.isEnabled()
    edit = section_edit(tab)
    edit.setFocus()
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    tab.office.setFocus()
    qtbot.keyClicks(tab.office, "x")
    assert tab.notice_from_fields() == before
    assert not tab.problems.text().startswith("未保存")
    win.close()
    store.close()


def test_undo_on_another_tab_refreshes_the_preview_when_the_notice_is_shown_again(window, qtbot):
    tab = open_notice(window, qtbot)
    tab.office.setFocus()
    tab.office.insert("（试）")
    tab.office.textEdited.emit(tab.office.text())
    tab.flush()
    assert NoticeStore(window.store).get(Q2).office.endswith("（试）")
    tab._preview_timer.stop()
    tab.pdf_data = b"%PDF- the page shown before"
    window.tabs.setCurrentIndex(0)
    window.views[0].setFocus()
    qtbot.waitUntil(lambda: not tab.isVisible())
    window.controller.undo_group.undo()  # Ctrl+Z on the counts tab takes the notice edit back
    assert not NoticeStore(window.store).get(Q2).office.endswith("（试）")
    assert window.statusBar().currentMessage().startswith("已撤销：")
    if tab._preview_timer.isActive():
        tab._preview_timer.timeout.emit()  # fires while hidden: nothing to draw yet
        tab._preview_timer.stop()
    window.tabs.setCurrentIndex(window.notice_index)
    qtbot.waitUntil(lambda: tab.isVisible())
    assert tab._preview_timer.isActive()  # the preview is drawn again, not the page from before the undo
    assert not tab.office.text().endswith("（试）")


def test_pasted_control_characters_are_dropped_in_the_editor(window, qtbot):
    from PySide6.QtCore import QMimeData

    tab = open_notice(window, qtbot)
    edit = tab.opening
    edit.setFocus()
    cursor = edit.textCursor()
    cursor.setPosition(0)
    edit.setTextCursor(cursor)
    mime = QMimeData()
    mime.setText("响\x07铃\u202e\x0b")
    edit.insertFromMimeData(mime)
    assert edit.paragraphs()[0].startswith("响铃") and "\x07" not in edit.toPlainText()
    tab.flush()
    assert NoticeStore(window.store).get(Q2).opening.startswith("响铃")


def test_tab_moves_to_the_next_field_instead_of_typing_a_tab_character(window, qtbot):
    tab = open_notice(window, qtbot)
    before = tab.title.paragraphs()
    tab.title.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.title)
    cursor = tab.title.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    tab.title.setTextCursor(cursor)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not tab.title
    assert tab.title.paragraphs() == before
