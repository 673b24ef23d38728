"""The main window: period selector, one table per group, the summary, menus and messages."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTime
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop import APP_ID, APP_NAME, __version__
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.app import counts as counts_app
from shangnan_desktop.app.workspace import Workspace, database_path, readonly_reason
from shangnan_desktop.ui.controller import SheetController
from shangnan_desktop.ui.sheet_view import SheetView
from shangnan_desktop.ui.summary_panel import SummaryPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

logger = logging.getLogger(__name__)

MAX_LISTED_PROBLEMS = 15
# 文件 menu entries carried out by ReportActions (export, printing, import), built on the first use of one:
# name → (text, shortcut, ReportActions method, tip)
FILE_ACTIONS = {
    "export": ("导出附件(&E)…", "Ctrl+E", "export", "把本期附件导出为Excel和PDF文件"),
    "print_preview": ("打印预览(&V)…", "", "print_preview", "预览打印效果（与PDF完全一致）"),
    "print": ("打印(&P)…", "Ctrl+P", "print_now", "打印本期附件1至附件3"),
    "import": ("导入Excel表(&I)…", "Ctrl+I", "import_workbook", "从Excel表读入本期各单位的报送和采用条数"),
}


def app_settings() -> QSettings:
    """The application's settings (window layout, last period); tests redirect IniFormat to a temp folder."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, APP_ID)


class GroupPane(QWidget):
    """A group's title line above its table."""

    def __init__(self, view: SheetView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setContentsMargins(4, 4, 4, 2)
        layout.addWidget(self.title)
        layout.addWidget(view, 1)

    def natural_height(self) -> int:
        """Height that shows every row without scrolling or blank space."""
        view = self.view
        header = view.horizontalHeader().sizeHint().height()
        return (
            self.title.sizeHint().height() + self.layout().spacing() + header
            + view.verticalHeader().length() + 2 * view.frameWidth() + 6
        )

    def set_title(self, text: str, tooltip: str) -> None:
        self.title.setText(text)
        self.title.setToolTip(tooltip)


class _LazyPage(QWidget):
    """A tab's page that receives its widget the first time the tab is shown or used."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.content: QWidget | None = None

    def fill(self, widget: QWidget, scroll: bool) -> None:
        if scroll:
            holder = QScrollArea()
            holder.setWidget(widget)
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
        else:
            holder = widget
        self.layout().addWidget(holder)
        holder.show()  # a child added to a shown page would otherwise appear only after the next events
        self.content = widget


class MainWindow(QMainWindow):
    def __init__(self, store: Workspace, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else app_settings()
        self.controller = SheetController(store, self)
        self.error_box: QMessageBox | None = None
        self.restore_requested = None  # a BackupInfo chosen in 备份与恢复: app.run restores it and reopens
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")

        self.views: list[SheetView] = []
        self.panes: list[GroupPane] = []
        for model in self.controller.models:
            view = SheetView(model, self.controller)
            view.setObjectName(f"table-{model.group.name}")
            view.problem.connect(self.show_problem)
            view.installEventFilter(self)
            self.views.append(view)
            self.panes.append(GroupPane(view))
        self._active_view = self.views[0] if self.views else None
        self._find_last: tuple[int, int] | None = None
        self.summary = SummaryPanel(self.controller)

        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._reports = None  # ReportActions, built on the first export, print or import
        from shangnan_desktop.ui.history_actions import HistoryActions

        self.history = HistoryActions(self)  # 上期排名/变化, score chart, a unit's history
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        db_label = QLabel(f"数据库：{database_path(store).name}")
        db_label.setToolTip(str(database_path(store)))
        self.statusBar().addPermanentWidget(db_label)

        c = self.controller
        c.sheetLoaded.connect(self._sheet_loaded)
        c.periodsChanged.connect(self._fill_periods)
        c.lockChanged.connect(self._lock_changed)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        c.problem.connect(self.show_problem)
        c.saved.connect(lambda: self.saved_label.setText(f"已自动保存 {QTime.currentTime().toString('HH:mm:ss')}"))

        self._fill_periods()
        self._restore_settings()

    # ---- construction ----------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(4)
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setStyleSheet(
            "QLabel#lockBanner { background: #fff4ce; color: #6b4e00; border: 1px solid #e0c56e;"
            " padding: 5px 8px; }"
        )
        self.lock_banner.setWordWrap(True)
        self.lock_banner.hide()
        layout.addWidget(self.lock_banner)

        # Left: the first group above the summary; right: the other groups (the long department list).
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.setObjectName("leftSplitter")
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("rightSplitter")
        if self.panes:
            self.left_splitter.addWidget(self.panes[0])
        self.left_splitter.addWidget(self.summary)
        for pane in self.panes[1:]:
            self.right_splitter.addWidget(pane)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.left_splitter)
        if self.panes[1:]:
            self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setChildrenCollapsible(False)
        self.left_splitter.setChildrenCollapsible(False)
        self.left_splitter.setStretchFactor(0, 0)
        self.left_splitter.setStretchFactor(1, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.main_splitter, "信息报送统计")
        # The other tabs are built the first time they are shown or used (``register``, ``ledger``,
        # ``notice``): the window opens on the count tables without importing or building them.
        self._register: QWidget | None = None
        self._ledger: QWidget | None = None
        self._notice: QWidget | None = None
        self._register_page = _LazyPage("registerPage")
        self._ledger_page = _LazyPage("ledgerPage")
        self._notice_page = _LazyPage("noticePage")
        self.register_index = self.tabs.addTab(self._register_page, "网站管理责任人登记（附件3）")
        self.ledger_index = self.tabs.addTab(self._ledger_page, "台账")
        self.notice_index = self.tabs.addTab(self._notice_page, "通报")
        self.controller.ledgerRequested.connect(self._show_ledger_of)
        self.controller.sheetLoaded.connect(self._notice_period)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    # ---- the tabs built on first use ----------------------------------------------------
    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    @property
    def register(self):
        """The 附件3 register tab (``RegisterTab``), built on first use."""
        if self._register is None:
            from shangnan_desktop.ui.register_tab import RegisterTab

            tab = RegisterTab(self.store, self.controller.register_stack, self)
            tab.message.connect(self._status)
            self.controller.unitsChanged.connect(tab.reload)
            self._register = tab
            self._register_page.fill(tab, scroll=True)  # its buttons need more width than a small screen may give
        return self._register

    @property
    def ledger(self):
        """The 台账 tab (``LedgerTab``), built on first use."""
        if self._ledger is None:
            from shangnan_desktop.ui.ledger_tab import LedgerTab

            tab = LedgerTab(self.controller, self)
            tab.message.connect(self._status)
            self._ledger = tab
            self._ledger_page.fill(tab, scroll=True)  # its filters and buttons need more width than a small screen
            tab.reload()
        return self._ledger

    @property
    def notice(self):
        """The 通报 tab (``NoticeTab``), built on first use and filled for the shown period."""
        if self._notice is None:
            from shangnan_desktop.ui.notice_tab import NoticeTab

            tab = NoticeTab(self.store, self.controller, self)
            tab.message.connect(self._status)
            self.controller.countsChanged.connect(tab.counts_changed)
            self._notice = tab
            self._notice_page.fill(tab, scroll=False)
        return self._notice

    def _show_ledger_of(self, unit_id: int) -> None:
        """查看台账 on a unit's row: the 台账 tab, filtered to the unit (the tab follows the signal once built)."""
        if self._ledger is None:
            self.ledger.show_unit(unit_id)
        self.tabs.setCurrentIndex(self.ledger_index)

    def built_tabs(self) -> list[QWidget]:
        """The tabs other than the count tables built so far."""
        return [t for t in (self._register, self._ledger, self._notice) if t is not None]

    def _pending_views(self) -> list:
        """Every table whose open cell editor must be committed before the window moves on."""
        return [*self.views, *([self._register.view] if self._register is not None else [])]

    def _commit_pending(self) -> None:
        for view in self._pending_views():
            view.commit_pending()
        if self._notice is not None:
            self._notice.flush()

    def _tab_changed(self, index: int) -> None:
        self._commit_pending()
        if index == self.register_index:
            self.register  # noqa: B018 - built on first show
        elif index == self.ledger_index:
            self.ledger  # noqa: B018
        self.controller.show_register_history(index == self.register_index)
        self._notice_period()

    def _notice_period(self) -> None:
        """The 通报 tab follows the shown period, read when the tab is open."""
        if self.tabs.currentIndex() == self.notice_index and self.notice.period != self.controller.period:
            self.notice.show_period(self.controller.period)

    def _action(self, text: str, slot: Callable | None = None, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        c = self.controller
        self.undo_action = self._action("撤销(&U)", c.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("重做(&R)", c.redo, ["Ctrl+Y", "Ctrl+Shift+Z"])
        group = c.undo_group  # the shown quarter's own history (or the register's)
        group.canUndoChanged.connect(self.undo_action.setEnabled)
        group.canRedoChanged.connect(self.redo_action.setEnabled)
        group.undoTextChanged.connect(lambda t: self.undo_action.setText(f"撤销 {t}(&U)" if t else "撤销(&U)"))
        group.redoTextChanged.connect(lambda t: self.redo_action.setText(f"重做 {t}(&R)" if t else "重做(&R)"))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.copy_action = self._action("复制(&C)", lambda: self._on_table("copy"), QKeySequence.StandardKey.Copy)
        self.paste_action = self._action(
            "粘贴(&P)", lambda: self._on_table("paste"), QKeySequence.StandardKey.Paste,
            "从Excel/WPS复制一块条数，粘贴到当前单元格起的区域（整块保存或整块拒绝）",
        )
        self.clear_action = self._action(
            "清零(&D)", lambda: self._on_table("clear_selection"), "Del", "把选中的报送、采用条数设为0"
        )
        self.rank_order_action = self._action(
            "按排名显示(&K)", self.set_rank_order, "Ctrl+R", "按得分从高到低排列各表（并列按单位顺序）"
        )
        self.rank_order_action.setCheckable(True)
        self.resort_action = self._action(
            "重新按排名排序(&S)", self.resort, "F5", "编辑时行不移动；按F5按最新得分重新排列"
        )
        self.new_period_action = self._action(
            "新建季度(&N)", self.create_period, "Ctrl+N", "新建下一个季度：沿用单位名单和评分规则，条数为0"
        )
        self.lock_action = self._action("定稿(&L)", self.toggle_lock, "Ctrl+L", "定稿后本季度只读；可解除定稿")
        self.lock_action.setCheckable(True)
        self.prev_period_action = self._action("上一期(&P)", lambda: self._step_period(-1), "Ctrl+PgUp")
        self.next_period_action = self._action("下一期(&X)", lambda: self._step_period(1), "Ctrl+PgDown")
        self.units_action = self._action("管理单位(&M)…", self.open_units_dialog, "Ctrl+U")
        self.rule_action = self._action("评分规则(&R)…", self.open_rule_dialog)
        self.new_database_action = self._action("新建数据库(&N)…", self.open_county_wizard)
        self.audit_action = self._action("修改记录(&H)…", self.open_audit_dialog, None, "查看各项数据的修改时间、修改人和修改内容")
        self.backup_action = self._action("备份与恢复(&B)…", self.open_backup_dialog, None, "查看自动备份，立即备份，或从备份恢复")
        self.about_action = self._action("关于(&A)", self.show_about)
        self.help_action = self._action("使用说明(&G)", self.show_help, QKeySequence.StandardKey.HelpContents)
        self.next_region_action = self._action(
            "下一区域", lambda: self.cycle_region(1), ["F6", "Ctrl+Tab"], "在镇办表、县直部门表和汇总之间切换"
        )
        self.prev_region_action = self._action("上一区域", lambda: self.cycle_region(-1), ["Shift+F6", "Ctrl+Shift+Tab"])
        self.find_action = self._action("查找单位(&F)…", self.start_find, QKeySequence.StandardKey.Find,
                                        "按名称中的任意文字查找单位")
        self.quit_action = self._action("退出(&Q)", self.close, QKeySequence.StandardKey.Quit)
        self.file_actions: dict[str, QAction] = {}
        for name, (text, shortcut, method, tip) in FILE_ACTIONS.items():
            action = self._action(text, lambda _checked=False, m=method: getattr(self.reports, m)(), shortcut or None, tip)
            self.file_actions[name] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("文件(&F)")
        for name in ("export", "print_preview", "print", "import"):
            self.file_menu.addAction(self.file_actions[name])
            if name in ("export", "print"):
                self.file_menu.addSeparator()
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.new_database_action)
        self.file_menu.addAction(self.audit_action)
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.file_menu.setToolTipsVisible(True)

        edit = bar.addMenu("编辑(&E)")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.copy_action, self.paste_action, self.clear_action])
        edit.addSeparator()
        edit.addActions([self.rank_order_action, self.resort_action])

        period = bar.addMenu("季度(&P)")
        period.addActions([self.new_period_action, self.lock_action])
        period.addAction(self.rule_action)
        period.addSeparator()
        period.addActions([self.prev_period_action, self.next_period_action])

        units = bar.addMenu("单位(&U)")
        units.addAction(self.units_action)

        edit.addSeparator()
        edit.addAction(self.find_action)

        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("常用")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(QLabel(" 季度："))
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setMinimumContentsLength(14)
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        bar.addWidget(self.period_combo)
        bar.addSeparator()
        bar.addActions([self.new_period_action, self.lock_action])
        bar.addSeparator()
        bar.addActions([self.undo_action, self.redo_action])
        bar.addSeparator()
        bar.addAction(self.rank_order_action)
        bar.addSeparator()
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findUnit")
        self.find_edit.setPlaceholderText("查找单位（Ctrl+F）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(180)
        self.find_edit.setToolTip("输入单位名称中的任意文字，回车找下一个，Esc回到表格")
        self.find_edit.textEdited.connect(lambda _t: self.find_unit(again=False))
        self.find_edit.returnPressed.connect(lambda: self.find_unit(again=True))
        self.find_edit.installEventFilter(self)
        bar.addWidget(self.find_edit)
        self.addToolBar(bar)
        self.toolbar = bar

    # ---- hooks for other parts of the application -------------------------------------
    @property
    def reports(self):
        """Export, print and import (``ReportActions``), built on first use: the window opens without them."""
        if self._reports is None:
            from shangnan_desktop.ui.report_actions import ReportActions

            self._reports = ReportActions(self)
        return self._reports

    def open_audit_dialog(self):
        from shangnan_desktop.ui.audit_dialog import AuditDialog

        dialog = AuditDialog(self.store, self)
        dialog.exec()
        return dialog

    def open_backup_dialog(self):
        from PySide6.QtWidgets import QDialog  # built on first use: not needed to open the window

        from shangnan_desktop.ui.backup_dialog import BackupDialog

        for view in self.views:
            view.commit_pending()
        dialog = BackupDialog(self.store, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore_requested = dialog.chosen
            self.close()
        return dialog

    def open_county_wizard(self) -> None:
        """文件 → 新建数据库: the setup wizard, then where to save the new database."""
        from shangnan_desktop.ui.county_wizard import create_from_wizard  # opened rarely: loaded on first use

        create_from_wizard(self)

    def open_rule_dialog(self) -> None:
        """统计期 → 评分规则: edit the rule from the shown period on, then show the period again."""
        from shangnan_desktop.ui.rule_dialog import RuleDialog  # a dialog opened rarely: loaded on first use

        period = self.controller.period
        if period is None or self.controller.readonly:
            return
        dialog = RuleDialog(self.store, period, self)
        if dialog.exec() and dialog.saved is not None:
            self.controller.load(period)

    def current_period(self) -> Period | None:
        return self.controller.period

    # ---- periods ---------------------------------------------------------------------
    def _fill_periods(self) -> None:
        shown = self.controller.period
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for info in reversed(self.controller.periods()):
            text = info.period.label + ("（已定稿）" if info.locked else "")
            self.period_combo.addItem(text, info.period.key)
        if shown is not None:
            self.period_combo.setCurrentIndex(self.period_combo.findData(shown.key))
        self.period_combo.blockSignals(False)
        self._update_period_actions()

    def _period_chosen(self, index: int) -> None:
        key = self.period_combo.itemData(index)
        if key and (self.controller.period is None or key != self.controller.period.key):
            self.show_period(Period.parse(key))

    def show_period(self, period: Period) -> bool:
        for view in self.views:
            view.commit_pending()
        return self.controller.load(period)

    def _step_period(self, delta: int) -> None:
        index = self.period_combo.currentIndex() - delta  # the list is newest first
        if 0 <= index < self.period_combo.count():
            self.period_combo.setCurrentIndex(index)

    def _sheet_loaded(self) -> None:
        sheet = self.controller.sheet
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData(sheet.period.key))
        self.period_combo.blockSignals(False)
        for pane in self.panes:
            g = sheet.group(pane.view.source.group.id)
            pane.set_title(f"{g.name}（{len(g)}个单位）", g.group.title(sheet.period.label))
        for view in self.views:
            view.set_rank_order(self.rank_order_action.isChecked())
        self.setWindowTitle(f"{sheet.period.label} - {APP_NAME}")
        self._update_period_actions()

    def _update_period_actions(self) -> None:
        index = self.period_combo.currentIndex()
        self.prev_period_action.setEnabled(0 <= index < self.period_combo.count() - 1)
        self.next_period_action.setEnabled(index > 0)

    def create_period(self) -> None:
        for view in self.views:
            view.commit_pending()
        self.controller.create_next_period()

    def _lock_changed(self, locked: bool) -> None:
        sheet = self.controller.sheet
        quarter_locked = bool(sheet is not None and sheet.locked)  # read-only copy: the quarter's own state
        self.lock_action.blockSignals(True)
        self.lock_action.setChecked(quarter_locked)
        self.lock_action.blockSignals(False)
        self.lock_action.setText("解除定稿(&L)" if quarter_locked else "定稿(&L)")
        if self.controller.readonly:
            self.lock_banner.setText(f"只读：{readonly_reason(self.store) or '数据库以只读方式打开。'}")
            self.lock_action.setEnabled(False)
            self.new_period_action.setEnabled(False)
            self.units_action.setEnabled(False)
        elif locked and sheet is not None:
            self.lock_banner.setText(
                f"{sheet.period.label}已定稿，只能查看，不能修改。如需修改，请选择“季度 → 解除定稿”。"
            )
        self.lock_banner.setVisible(locked)
        for action in (self.paste_action, self.clear_action):
            action.setEnabled(not locked)

    def toggle_lock(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # built on first use: not needed to open the window

        sheet = self.controller.sheet
        if sheet is None:
            return
        if not sheet.locked:
            self._commit_pending()  # an open cell editor and the 通报 field being typed are saved first
            self.controller.set_locked(True)
        else:
            answer = QMessageBox.question(
                self,
                "解除定稿",
                f"{sheet.period.label}已定稿。解除定稿后可以修改数据，已导出或已发布的表格不会随之改变。\n\n确定要解除定稿吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.controller.set_locked(False)
        self._lock_changed(self.controller.sheet.locked)

    # ---- tables --------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if isinstance(watched, SheetView) and event.type() == QEvent.Type.FocusIn:
            self._active_view = watched
        if watched is getattr(self, "find_edit", None) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.active_view().setFocus()
                return True
        return super().eventFilter(watched, event)

    # ---- keyboard: regions, find, help -----------------------------------------------
    def regions(self) -> list[QWidget]:
        """F6 / Ctrl+Tab order: 镇办 → 县直部门 → 汇总."""
        return [*self.views, self.summary.centre_edit]

    def cycle_region(self, delta: int) -> None:
        for view in self._pending_views():
            view.commit_pending()
        regions = self.regions()
        focus = QApplication.focusWidget()
        current = -1
        if self.tabs.currentIndex() == 0:
            for i, widget in enumerate(regions):
                if focus is widget or (focus is not None and widget.isAncestorOf(focus)):
                    current = i
        else:
            self.tabs.setCurrentIndex(0)
        target = regions[(current + delta) % len(regions)] if current >= 0 else regions[0 if delta > 0 else -1]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if target is self.summary.centre_edit:
            self.summary.ensureWidgetVisible(target)
            self.statusBar().showMessage("汇总：县电子政务中心采编发布数", 4000)
        else:
            name = target.source.group.name
            self.statusBar().showMessage(f"{name}表", 4000)

    def start_find(self) -> None:
        for view in self._pending_views():
            view.commit_pending()
        self.tabs.setCurrentIndex(0)
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_unit(self, again: bool = False) -> bool:
        """Select the next unit (in 镇办, then 县直部门) whose name contains the text; True when found."""
        needle = self.find_edit.text().strip()
        if not needle:
            return False
        hits: list[tuple[int, int]] = []  # (view number, view row)
        for n, view in enumerate(self.views):
            model = view.model()
            for row in range(model.rowCount()):
                if needle.casefold() in str(model.index(row, 0).data() or "").casefold():
                    hits.append((n, row))
        if not hits:
            self.statusBar().showMessage(f"没有名称中含“{needle}”的单位。", 6000)
            self.find_edit.setStyleSheet("QLineEdit { background: #fde8e6; }")
            return False
        self.find_edit.setStyleSheet("")
        start = 0
        if again and self._find_last in hits:
            start = (hits.index(self._find_last) + 1) % len(hits)
        n, row = hits[start]
        self._find_last = (n, row)
        view = self.views[n]
        index = view.model().index(row, 1)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        self._active_view = view
        self.statusBar().showMessage(
            f"找到{len(hits)}个单位，第{start + 1}个：{view.model().index(row, 0).data()}（回车找下一个，Esc回到表格）", 8000
        )
        return True

    def show_help(self):
        from shangnan_desktop.ui.help_dialog import HelpDialog

        for view in self._pending_views():
            view.commit_pending()
        dialog = HelpDialog(self)
        dialog.finished.connect(lambda _r: self.activateWindow())  # keyboard shortcuts work again at once
        dialog.open()
        self.help_dialog = dialog
        return dialog

    def active_view(self) -> SheetView:
        focus = QApplication.focusWidget()
        for view in self.views:
            if focus is view or (focus is not None and view.isAncestorOf(focus)):
                self._active_view = view
        return self._active_view

    def _on_table(self, method: str) -> None:
        """Clipboard and Delete act on the table in use, never while another input field has the focus."""
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QComboBox)) and not any(v.isAncestorOf(focus) for v in self.views):
            return
        if focus is not None and self.tabs.isAncestorOf(focus) and not self.main_splitter.isAncestorOf(focus):
            return  # the focus is on another tab (台账, 通报 …): never the hidden count tables
        view = self.active_view()
        if view is not None:
            getattr(view, method)()

    def set_rank_order(self, on: bool) -> None:
        for view in self.views:
            view.set_rank_order(on)
        self.statusBar().showMessage("按排名显示（编辑时行不移动，按F5重新排序）" if on else "按单位顺序显示", 6000)

    def resort(self) -> None:
        for view in self.views:
            view.resort()

    def open_units_dialog(self) -> None:
        from shangnan_desktop.ui.units_dialog import UnitsDialog

        group_id = self.active_view().source.group.id if self.views else None
        self.units_dialog = UnitsDialog(self.controller, self, group_id)
        self.units_dialog.open()

    # ---- messages --------------------------------------------------------------------
    def show_problem(self, text: str, details: list | None = None, severe: bool = False) -> None:
        """A refused edit: in the status bar and beside the cell; a dialog for lists and disk problems."""
        from PySide6.QtWidgets import QMessageBox  # built on first use: not needed to open the window

        details = list(details or [])
        first_line = text.splitlines()[0] if text else ""
        self.statusBar().showMessage(first_line + (f" {details[0]}" if len(details) == 1 else ""), 15000)
        if not details and not severe:
            view = self.active_view()
            if view is not None and self.isActiveWindow():  # a dialog in front shows its own message
                view.show_message_at_current(text)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Critical if severe else QMessageBox.Icon.Warning)
        box.setWindowTitle("无法保存" if severe else "数据有误")
        box.setText(text)
        if details:
            listed = details[:MAX_LISTED_PROBLEMS]
            more = len(details) - len(listed)
            info = "\n".join(f"{i}. {d}" for i, d in enumerate(listed, start=1))
            if more > 0:
                info += f"\n……另有{more}处，见“详细信息”。"
            box.setInformativeText(info)
            box.setDetailedText("\n".join(details))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.error_box = box
        box.open()

    def about_rule_text(self) -> str:
        """The scoring rule of the shown quarter in words, from the rule itself (the rule is data)."""
        period = self.current_period()
        if period is None:
            return ""
        try:
            phrases = [m.note_phrase() for m in counts_app.rule(self.store, period).metrics if m.note]
        except DomainError:
            return ""
        return "（" + "，".join(phrases) + "；并列得分名次相同）" if phrases else ""

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # built on first use: not needed to open the window

        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"<h3>{APP_NAME}</h3>"
            f"<p>版本 {__version__}</p>"
            "<p>录入各镇办和县直部门向县政府网站报送、采用的信息条数，自动计算得分和排名"
            f"{self.about_rule_text()}。</p>"
            f"<p>数据库文件：<br><code>{database_path(self.store)}</code></p>"
            "<p>所有修改立即保存在本机，无需联网。</p>",
        )

    # ---- settings --------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        from shangnan_desktop.ui.screen_fit import fit_to_screen, fits

        geometry = s.value("window/geometry")
        restored = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            restored = self.restoreGeometry(geometry)
            if restored and not (self.isMaximized() or fits(self, self.frameGeometry())):
                restored = False  # saved on a larger screen: start fitted to this one
        if not restored:
            area = self.screen().availableGeometry() if self.screen() else None
            fit_to_screen(self, 1280, 800)
            if area is not None:
                self.move(area.topLeft())
        for splitter in (self.main_splitter, self.left_splitter, self.right_splitter):
            state = s.value(f"window/{splitter.objectName()}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        if s.value("window/rankOrder", False, type=bool):
            self.rank_order_action.setChecked(True)
        self.show_period(self._initial_period())
        if not (isinstance(s.value("window/mainSplitter"), QByteArray)):
            self._default_splitter_sizes()

    def _default_splitter_sizes(self) -> None:
        width = max(self.width(), 900)
        if self.main_splitter.count() > 1:
            self.main_splitter.setSizes([int(width * 0.47), int(width * 0.53)])
        if self.panes:
            total = sum(self.left_splitter.sizes()) or self.height()
            table = min(self.panes[0].natural_height(), int(total * 0.62))
            self.left_splitter.setSizes([table, max(total - table, 150)])

    def _initial_period(self) -> Period:
        """The period shown last time, unless a newer one has been created since; else the latest."""
        known = [p.period for p in self.controller.periods()]
        if not known:  # a database without any period (not seeded): start with the current quarter
            counts_app.create_period(self.store, self.controller.next_period())
            self._fill_periods()
            known = [p.period for p in self.controller.periods()]
        latest = known[-1]
        key = self._settings_key()
        last = self.settings.value(f"{key}/period")
        latest_then = self.settings.value(f"{key}/latest")
        try:
            if last and latest_then == latest.key:
                period = Period.parse(str(last))
                if period in known:
                    return period
        except DomainError:  # a damaged settings file must not stop the program
            logger.warning("ignoring stored period %r", last)
        return latest

    def _settings_key(self) -> str:
        """Per-database settings group: the last period belongs to one database file."""
        path = database_path(self.store).as_posix()
        return "db-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        for splitter in (self.main_splitter, self.left_splitter, self.right_splitter):
            s.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        s.setValue("window/rankOrder", self.rank_order_action.isChecked())
        if self.controller.period is not None:
            key = self._settings_key()
            s.setValue(f"{key}/period", self.controller.period.key)
            latest = counts_app.latest_period(self.store)
            s.setValue(f"{key}/latest", latest.key if latest else "")
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        try:
            self._commit_pending()
            self.save_settings()
        except Exception:  # noqa: BLE001 - closing must always work; the data is saved already
            logger.exception("while closing the window")
        super().closeEvent(event)
