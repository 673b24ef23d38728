"""The window's actions across periods: the 上期排名/变化 columns, the score chart and a unit's history.

Kept beside the window (as ``report_actions``): the window creates one ``HistoryActions`` and it adds its
entries to the 编辑, 期间 and 单位 menus, a toolbar toggle and the double-click on a unit's name. Every figure comes from ``app.history``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QAction

from shangnan_desktop.domain import DomainError
from shangnan_desktop.ui.models import UNIT_ID_ROLE


class HistoryActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.dialogs: list = []  # open dialogs (modeless), kept alive
        self.compare_action = QAction("显示上期排名(&B)", window)
        self.compare_action.setObjectName("compareAction")
        self.compare_action.setCheckable(True)
        self.compare_action.setToolTip("在排名后加上期排名和变化两列（↑上升、↓下降、持平、新增）")
        self.compare_action.setStatusTip(self.compare_action.toolTip())
        self.compare_action.toggled.connect(self.set_compare)
        self.chart_action = QAction("得分排名图(&T)…", window)
        self.chart_action.setToolTip("本期各组得分的条形图，按排名排列")
        self.chart_action.triggered.connect(self.open_chart)
        self.history_action = QAction("单位历史(&I)…", window)
        self.history_action.setShortcut("Ctrl+Shift+H")
        self.history_action.setToolTip("当前单位各期的报送、采用条数、得分和排名（也可双击单位名称）")
        self.history_action.triggered.connect(self.open_current_history)
        for action in (self.compare_action, self.chart_action, self.history_action):
            window.addAction(action)

        # into the existing menus (the menu bar stays as it is): the view toggle beside 按排名显示,
        # the period's chart under 期间, a unit's history under 单位
        menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
        for title, action in (("编辑(&E)", self.compare_action), ("季度(&P)", self.chart_action),
                              ("单位(&U)", self.history_action)):
            menu = menus.get(title)
            if menu is None:
                continue
            if title == "编辑(&E)":
                menu.insertAction(window.resort_action, action)
            else:
                menu.addSeparator()
                menu.addAction(action)
            menu.setToolTipsVisible(True)
        window.toolbar.insertAction(window.rank_order_action, self.compare_action)
        for view in window.views:
            view.doubleClicked.connect(lambda index, v=view: self._double_clicked(v, index))
        self.controller.countsChanged.connect(self.refresh)

    # ---- the comparison columns ---------------------------------------------------
    def set_compare(self, on: bool) -> None:
        if on:
            self.refresh()
        else:
            for model in self.controller.models:
                model.set_compare(None)

    def refresh(self) -> None:
        """New texts for the two columns (after a load or an edit), from the app layer's comparison."""
        sheet = self.controller.sheet
        if not self.compare_action.isChecked() or sheet is None:
            return
        from shangnan_desktop.app import history  # loaded on first use: not needed to open the window

        try:
            texts = history.changes_by_unit(history.compare_with_previous(self.window.store, sheet.period, sheet))
        except DomainError as exc:
            self.controller.report(exc)
            return
        for model in self.controller.models:
            model.set_compare(texts)

    # ---- a unit's history -----------------------------------------------------------
    def _double_clicked(self, view, index: QModelIndex) -> None:
        if index.isValid() and index.column() == 0:
            self.open_history(index.data(UNIT_ID_ROLE))

    def open_current_history(self) -> None:
        view = self.window.active_view()
        index = view.currentIndex() if view is not None else QModelIndex()
        if not index.isValid():
            self.window.statusBar().showMessage("请先在表格中选中一个单位。", 6000)
            return
        self.open_history(index.data(UNIT_ID_ROLE))

    def open_history(self, unit_id: int | None):
        from shangnan_desktop.ui.history_views import UnitHistoryDialog

        if unit_id is None:
            return None
        try:
            from shangnan_desktop.app import history

            result = history.history_of(self.window.store, int(unit_id))
        except DomainError as exc:
            self.controller.report(exc)
            return None
        return self._show(UnitHistoryDialog(result, self.window))

    # ---- the score chart -----------------------------------------------------------
    def open_chart(self):
        from shangnan_desktop.ui.history_views import ScoreChartDialog

        sheet = self.controller.sheet
        if sheet is None:
            return None
        return self._show(ScoreChartDialog(sheet, self.window))

    def _show(self, dialog):
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog
