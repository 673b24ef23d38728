"""The 通报 tab: bound words follow the counts, placeholders can't be broken, edits saved as undo steps."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QTextCursor

from shangnan_desktop.domain import Period
from shangnan_desktop.storage.notice_store import NoticeStore

Q2 = Period.parse("2021Q2")


def open_notice(window, qtbot):
    window.tabs.setCurrentIndex(window.notice_index)
    tab = window.notice
    qtbot.waitUntil(lambda: tab.bound is not None)
    return tab


def section_edit(tab, i=0):
    return tab._section_edits[i][1]


def token(edit, name):
    return next(t for t in edit.tokens() if t[2] == name)


def test_bound_text_updates_when_a_count_changes(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    assert "共发布各类信息2315条" in edit.toPlainText()
    sheet = window.controller.sheet
    row = sheet.groups[0].rows[0]
    counts = list(row.counts)
    counts[0] += 7
    counts[1] += 7
    assert window.controller.edit_counts([(row.unit_id, counts)], "测试")
    qtbot.waitUntil(lambda: "共发布各类信息2322条" in edit.toPlainText())
    assert "镇办报送信息139条" in edit.toPlainText()
    # the stored text still holds the placeholder, not the number
    stored = NoticeStore(window.store).get(Q2)
    assert "{发布总数}" in stored.sections[0].paragraphs[0]
    # the preview follows (timers driven by hand: after tests/ui/test_app.py's run() Qt timers no longer fire
    # inside qtbot.waitUntil in the same process)
    assert tab._preview_timer.isActive()
    tab._render_preview()
    qtbot.waitUntil(lambda: tab.pdf_data is not None or tab.renderer._check() or tab.pdf_data is not None, timeout=20000)
    assert tab.page_info.text() == "共8页"


def _cursor_at(edit, pos):
    cursor = edit.textCursor()
    cursor.setPosition(pos)
    edit.setTextCursor(cursor)
    return cursor


def test_typing_inside_a_placeholder_goes_beside_it(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    start, end, _ = token(edit, "发布总数")
    edit.setFocus()
    _cursor_at(edit, start + 2)  # a click between the 3 and the 1 of 2315
    assert edit.textCursor().position() in (start, end)
    qtbot.keyClicks(edit, "9")
    paragraphs = edit.paragraphs()
    assert "{发布总数}" in paragraphs[0]
    assert "{发布总数}9" in paragraphs[0] or "9{发布总数}" in paragraphs[0]
    assert token(edit, "发布总数")[1] - token(edit, "发布总数")[0] == 4  # still 2315, one token


def test_arrow_keys_treat_a_placeholder_as_one_character(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    start, end, _ = token(edit, "发布总数")
    edit.setFocus()
    _cursor_at(edit, start)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    assert edit.textCursor().position() == end
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    assert edit.textCursor().position() == start


def test_backspace_and_delete_remove_a_placeholder_whole(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    start, end, _ = token(edit, "发布总数")
    edit.setFocus()
    _cursor_at(edit, end)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    text = edit.paragraphs()[0]
    assert "{发布总数}" not in text and "共发布各类信息条" in text
    start, end, _ = token(edit, "采用总数")
    _cursor_at(edit, start)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    text = edit.paragraphs()[0]
    assert "{采用总数}" not in text and "共采用条" in text
    assert "{中心发布}" in text  # the others untouched
    # saved (debounced) as one step each, then undone through the window's history
    tab.flush()
    assert "{发布总数}" not in NoticeStore(window.store).get(Q2).sections[0].paragraphs[0]
    window.controller.undo()
    assert "{发布总数}" in NoticeStore(window.store).get(Q2).sections[0].paragraphs[0]
    assert "{发布总数}" in section_edit(tab).paragraphs()[0]


def test_a_selection_into_a_placeholder_deletes_it_whole(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    start, end, _ = token(edit, "发布总数")
    edit.setFocus()
    cursor = edit.textCursor()
    cursor.setPosition(start - 2)  # "信息" before 2315 …
    cursor.setPosition(start + 2, QTextCursor.MoveMode.KeepAnchor)  # … into the middle of it
    edit.setTextCursor(cursor)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    text = edit.paragraphs()[0]
    assert "共发布各类条" in text and "{发布总数}" not in text and "15条" not in text


def test_paste_into_a_placeholder_does_not_break_it(window, qtbot):
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    start, end, _ = token(edit, "采用总数")
    edit.setFocus()
    _cursor_at(edit, start + 1)
    mime = QMimeData()
    mime.setText("约")
    edit.insertFromMimeData(mime)
    text = edit.paragraphs()[0]
    assert "{采用总数}" in text and ("约{采用总数}" in text or "{采用总数}约" in text)
    # a pasted placeholder of a known figure becomes a token itself
    _cursor_at(edit, len(edit.toPlainText()))
    mime.setText("共{零报送单位数}个")
    edit.insertFromMimeData(mime)
    assert any(name == "零报送单位数" for _s, _e, name in edit.tokens())
    tab.flush()
    assert "共{零报送单位数}个" in "".join(NoticeStore(window.store).get(Q2).sections[0].paragraphs)


def test_fields_are_saved_and_bad_ones_refused(window, qtbot):
    tab = open_notice(window, qtbot)
    tab.letters_handled.setFocus()
    tab.letters_handled.selectAll()
    qtbot.keyClicks(tab.letters_handled, "33")
    assert tab._save_timer.isActive() and tab._save_timer.interval() <= 1000  # saved within a second …
    tab.flush()  # … (driven by hand here, see above)
    assert NoticeStore(window.store).get(Q2).figures.letters_handled == 33
    assert "75%" in tab.rate.text() and "75%" in section_edit(tab).toPlainText()
    tab.serial.setFocus()
    tab.serial.selectAll()
    qtbot.keyClicks(tab.serial, "5a")
    tab.flush()
    assert NoticeStore(window.store).get(Q2).number_serial == 56
    assert "序号" in tab.problems.text()


def test_next_quarter_notice_is_created_on_first_open(window, qtbot):
    window.controller.create_next_period()
    tab = open_notice(window, qtbot)
    q3 = Period.parse("2021Q3")
    assert tab.period == q3 and NoticeStore(window.store).get(q3) is not None
    assert "2021年三季度" in tab.title.toPlainText()
    assert tab.serial.text() == "" and tab.key_area.text() == ""


def test_a_locked_quarter_notice_is_read_only(window, qtbot):
    window.store.set_locked(Q2, True)
    window.controller.lockChanged.emit(True)
    tab = open_notice(window, qtbot)
    edit = section_edit(tab)
    before = edit.paragraphs()
    start, end, _ = token(edit, "发布总数")
    edit.setFocus()
    _cursor_at(edit, end)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "x")
    mime = QMimeData()
    mime.setText("y")
    edit.insertFromMimeData(mime)
    assert edit.paragraphs() == before and tab.office.isReadOnly()
    tab.flush()
    assert NoticeStore(window.store).get(Q2).sections[0].paragraphs[0] == before[0]


def test_export_from_the_tab_writes_docx_and_pdf(window, qtbot, tmp_path):
    tab = open_notice(window, qtbot)
    task = tab.export(True, folder=str(tmp_path / "out"))
    qtbot.waitUntil(lambda: task.finished or task._check() or task.finished, timeout=20000)
    names = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert names == [".docx", ".pdf"]
    task = tab.export(False, folder=str(tmp_path / "body"))
    qtbot.waitUntil(lambda: task.finished or task._check() or task.finished, timeout=20000)
    assert all(p.stem.endswith("_正文") for p in (tmp_path / "body").iterdir())
