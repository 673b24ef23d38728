"""The 台账 tab used carelessly: keys sent where the focus is, odd text typed, a read-only second copy."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import LedgerItem
from shangnan_desktop.storage import Store
from shangnan_desktop.ui.ledger_tab import ItemDialog
from tests.ui.helpers import stored_counts

Q2 = Period.parse("2021Q2")


def _ledger_with_one_item(window, store):
    unit = store.find_unit("过风楼镇", Q2).id
    assert window.ledger.add_item(LedgerItem.create(unit, "春耕动员会", dt.date(2021, 5, 5), "采用"))
    return unit


def _focus_ledger(window, qtbot):
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.ledger.parentWidget().parentWidget()))
    view = window.ledger.view
    view.selectRow(0)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    return view


def test_delete_in_the_ledger_deletes_the_item_never_the_hidden_counts(window, qtbot, store):
    _ledger_with_one_item(window, store)
    counts = window.views[0]
    counts.setCurrentIndex(counts.model().index(0, 2))  # 过风楼镇 · 采用信息: 清零 would succeed there
    before = stored_counts(store.path, "2021Q2", "过风楼镇")
    _focus_ledger(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    assert stored_counts(store.path, "2021Q2", "过风楼镇") == before
    assert ledger_app.items(store, Q2) == []  # the selected item went, as one undo step
    window.controller.undo_group.undo()
    assert [i.title for i in ledger_app.items(store, Q2)] == ["春耕动员会"]


def test_paste_and_a_button_focus_on_the_ledger_tab_leave_the_counts_alone(window, qtbot, store):
    _ledger_with_one_item(window, store)
    counts = window.views[0]
    counts.setCurrentIndex(counts.model().index(0, 1))
    before = stored_counts(store.path, "2021Q2", "过风楼镇")
    QApplication.clipboard().setText("5\t5")
    _focus_ledger(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert stored_counts(store.path, "2021Q2", "过风楼镇") == before
    window.ledger.recount_button.setFocus()  # a button of the tab has the focus: the window's 清零 must not act
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.ledger.recount_button)
    window._on_table("clear_selection")
    window._on_table("paste")
    assert stored_counts(store.path, "2021Q2", "过风楼镇") == before


def test_a_refused_item_keeps_the_dialog_and_everything_typed(qtbot):
    dialog = ItemDialog([(7, "过风楼镇")], None)
    qtbot.addWidget(dialog)
    dialog.show()
    for field, text in ((dialog.title, "   "), (dialog.submitted, "2021-02-30")):
        field.setFocus()
        qtbot.keyClicks(field, text)  # QTest types ASCII only; the Chinese goes in as an input method would
    dialog.column.insert("镇办动态")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() == 0
    assert "2021-02-30" in dialog.error.text() and "有效日期" in dialog.error.text()
    assert dialog.column.text() == "镇办动态"  # nothing typed is lost
    dialog.submitted.setText("2021年5月3日")
    dialog.accept()
    assert dialog.isVisible() and "标题" in dialog.error.text()
    dialog.title.setText("春耕\u202e动员\x07会😀")
    dialog.published.setText("21/7/1")
    dialog.accept()
    assert dialog.isVisible() and "21/7/1" in dialog.error.text()
    dialog.published.setText("2021/5/4")
    dialog.accept()
    assert not dialog.isVisible()
    item = dialog.result_item
    assert (item.title, item.submitted_on, item.published_on, item.column) == (
        "春耕动员会😀", dt.date(2021, 5, 3), dt.date(2021, 5, 4), "镇办动态")


def test_a_long_title_does_not_stretch_the_undo_button(window, qtbot, store):
    unit = store.find_unit("过风楼镇", Q2).id
    assert window.ledger.add_item(LedgerItem.create(unit, "长" * 300, dt.date(2021, 5, 5), "采用"))
    assert len(window.undo_action.text()) < 40
    assert window.menuWidget().sizeHint().width() <= 1366


def test_the_read_only_copy_opens_no_item_dialog(qtbot, db_path, settings, monkeypatch):
    from shangnan_desktop.ui.main_window import MainWindow

    writer = Store.open(db_path)
    unit = writer.find_unit("过风楼镇", Q2).id
    ledger_app.add_item(writer, Q2, LedgerItem.create(unit, "春耕动员会", dt.date(2021, 5, 5), "采用"))
    writer.close()
    store = Store.open(db_path, readonly=True)
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    opened = []
    monkeypatch.setattr(ItemDialog, "exec", lambda self: opened.append(self) or 0)
    win.ledger.view.selectRow(0)
    assert not win.ledger.edit_selected()
    assert not win.ledger.add_item()
    assert opened == []  # refused before the clerk types anything
    QTimer.singleShot(0, lambda: None)
    win.close()
    store.close()


def test_the_file_dialog_shows_the_article_lists_it_asks_for(qtbot, tmp_path):
    import re

    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QFileDialog

    from shangnan_desktop.ui.ledger_tab import FILE_FILTER

    for name in ("文章列表.csv", "文章列表.xlsx", "旧格式.xls", "说明.docx"):
        (tmp_path / name).write_bytes(b"x")
    dialog = QFileDialog(None, "导入文章列表", str(tmp_path), FILE_FILTER)
    qtbot.addWidget(dialog)
    filters = dialog.nameFilters()
    assert len(filters) == 2, filters  # Qt separates filters with ASCII “;;” only
    # how Qt's file dialog reads a filter's patterns (qt_file_dialog_filter_reg_exp in qfiledialog.cpp)
    qt_filter = re.compile(r"^(.*)\(([a-zA-Z0-9_.,*? +;#\-\[\]@{}/!<>$%&=^~:|]*)\)$")
    patterns = qt_filter.match(filters[0]).group(2).split()
    shown = set(QDir(str(tmp_path)).entryList(patterns, QDir.Filter.Files))
    assert shown == {"文章列表.csv", "文章列表.xlsx", "旧格式.xls"}, shown


def test_the_mapping_step_speaks_of_its_own_choices_not_of_the_command_line(window, qtbot, store, tmp_path,
                                                                            monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "文章列表.csv"
    path.write_text("文章标题,副标题,发布单位,报送时间,审核\n春耕,动员,试马镇,2021-04-02,已采用\n", encoding="utf-8")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warned.append(text))
    ledger_before = ledger_app.items(store, Q2)

    def walk(dialog):
        rows = {dialog.mapping.item(r, 0).text(): r for r in range(dialog.mapping.rowCount())}
        dialog.mapping.cellWidget(rows["审核"], 1).setCurrentText("不导入")
        dialog._next()  # no 状态 column chosen
        assert dialog.steps.currentIndex() == 0
        dialog.mapping.cellWidget(rows["审核"], 1).setCurrentText("状态")
        dialog.mapping.cellWidget(rows["副标题"], 1).setCurrentText("标题")
        dialog._next()  # 标题 chosen for two columns: not silently the last one
        assert dialog.steps.currentIndex() == 0
        dialog.reject()  # the clerk gives up midway

    assert not window.ledger.import_file(path, dialog_hook=walk)
    assert "状态" in warned[0] and "导入为" in warned[0]
    assert "标题" in warned[1] and "2列" in warned[1]
    assert not any("列名=字段" in w for w in warned), warned
    assert ledger_app.items(store, Q2) == ledger_before


def test_a_statistics_table_instead_of_an_article_list_is_told_apart(window, qtbot, store, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QMessageBox

    narrow = tmp_path / "附件2.xlsx"  # a title row, then a table of two columns
    wb = openpyxl.Workbook()
    wb.active.append(["附件2"])
    wb.active.append(["单位", "报送信息"])
    wb.active.append(["县文旅局", 60])
    wb.save(narrow)
    problems = []
    window.controller.problem.connect(lambda text, *_: problems.append(text))
    assert not window.ledger.import_file(narrow, dialog_hook=lambda d: None)
    assert "不像文章列表" in problems[-1] and "附件2" in problems[-1]

    annex = tmp_path / "附件1.xlsx"  # wide enough, but the counts table of the annexes: told which import it needs
    wb = openpyxl.Workbook()
    wb.active.append(["附件1"])
    wb.active.append(["序号", "镇办", "报送信息", "采用信息", "得分", "排名"])
    wb.active.append([1, "过风楼镇", 27, 25, 30.4, 1])
    wb.save(annex)
    assert not window.ledger.import_file(annex, dialog_hook=lambda d: None)
    assert "统计表" in problems[-1] and "文件 → 导入Excel表" in problems[-1]

    other = tmp_path / "其他表.xlsx"  # wide enough, no 标题 column and not ours: the mapping step says so
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "镇办", "联系人", "电话", "地址", "备注"])
    wb.active.append([1, "过风楼镇", "张三", "0914-1234567", "过风楼", ""])
    wb.save(other)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warned.append(text))

    def walk(dialog):
        assert dialog.mapping.item(0, 0).text() == "序号"
        dialog._next()
        dialog.reject()

    assert not window.ledger.import_file(other, dialog_hook=walk)
    assert "“标题”" in warned[0] and "选错了文件" in warned[0]
    assert ledger_app.items(store, Q2) == []


def test_enter_in_the_mapping_table_goes_to_the_next_step(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    path = tmp_path / "文章列表.csv"
    path.write_text("标题,报送单位,报送时间,状态\n试马镇春耕,试马镇,2021-04-02,已采用\n", encoding="utf-8")
    seen = []

    def walk(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.mapping.setFocus()
        dialog.mapping.setCurrentCell(0, 0)
        # the key goes to the table, where the clerk's focus is (window activation is not reliable offscreen)
        qtbot.keyClick(dialog.mapping, Qt.Key.Key_Return)
        seen.append(dialog.steps.currentIndex())

    window.ledger.import_file(path, dialog_hook=walk)
    assert seen == [2]  # past the mapping (no unknown names here: straight to the preview)
