"""Export, print preview, print and import, wired into the main window's 文件 menu."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app import counts as counts_app
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.ui.busy import BusyTask, run_busy

if TYPE_CHECKING:
    from shangnan_desktop.ui.print_preview import PrintPreviewDialog

logger = logging.getLogger(__name__)
EXPORT_FOLDER_KEY = "export/folder"
IMPORT_FOLDER_KEY = "import/folder"


def __getattr__(name: str):
    """``ImportPreviewDialog`` on first use: its module and the importer it needs are not
    wanted at start-up."""
    if name == "ImportPreviewDialog":
        from shangnan_desktop.ui.import_dialog import ImportPreviewDialog

        return ImportPreviewDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ExportDialog(QDialog):
    """Choose annexes, formats and a folder; every file is written whole or not at all."""

    def __init__(self, store, period: Period, folder: str, parent: QWidget | None = None) -> None:
        from shangnan_desktop.app import exports  # loaded on first use: not needed to open the window
        super().__init__(parent)
        self.store = store
        self.period = period
        self.sheet = counts_app.load_sheet(store, period)
        self.setWindowTitle(f"导出{period.label}附件")
        self.exported: list = []
        self.task = None  # the export running in the background

        annexes = QGroupBox("附件")
        box = QVBoxLayout(annexes)
        self.annex_boxes: list[QCheckBox] = []
        for choice in exports.annex_choices(self.sheet):
            check = QCheckBox(f"{choice.label}  {choice.title}")
            check.setChecked(True)
            box.addWidget(check)
            self.annex_boxes.append(check)

        formats = QGroupBox("格式")
        row = QHBoxLayout(formats)
        self.format_group = QButtonGroup(self)
        for i, (text, key) in enumerate((("Excel和PDF", "both"), ("仅Excel(.xlsx)", "xlsx"), ("仅PDF", "pdf"))):
            radio = QRadioButton(text)
            radio.setProperty("format", key)
            radio.setChecked(i == 0)
            self.format_group.addButton(radio)
            row.addWidget(radio)

        self.folder_edit = QLineEdit(folder)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("保存到文件夹："))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(annexes)
        layout.addWidget(formats)
        layout.addLayout(folder_row)
        layout.addWidget(QLabel("同名文件将被替换；正在Excel或WPS中打开的文件请先关闭。"))
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存位置", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def chosen_annexes(self) -> list[int]:
        return [i + 1 for i, box in enumerate(self.annex_boxes) if box.isChecked()]

    def chosen_format(self) -> str:
        return self.format_group.checkedButton().property("format")

    def run_export(self) -> None:
        """Write the files in a worker thread behind a busy indicator; the dialog closes when they are written."""
        from shangnan_desktop.app import exports  # loaded on first use: not needed to open the window
        numbers = self.chosen_annexes()
        folder = self.folder_edit.text().strip()
        if not numbers:
            QMessageBox.warning(self, "导出", "请至少选择一个附件。")
            return
        if not folder:
            QMessageBox.warning(self, "导出", "请选择保存文件的文件夹。")
            return
        if self.task is not None and not self.task.finished:
            return
        try:
            tables = exports.annex_tables(self.sheet, numbers)  # plain data, read here; the worker only writes files
        except DomainError as exc:
            QMessageBox.warning(self, "导出失败", f"{exc}\n\n没有写入任何不完整的文件。")
            return
        formats = exports.chosen_formats(self.chosen_format())
        self.export_button.setEnabled(False)
        self.task = run_busy(
            self, "正在导出，请稍候…", lambda: exports.write_tables(tables, formats, Path(folder)), self._exported, self._failed
        )

    def _exported(self, files) -> None:
        self.export_button.setEnabled(True)
        self.exported = files
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if not isinstance(exc, DomainError):
            raise exc
        QMessageBox.warning(self, "导出失败", f"{exc}\n\n没有写入任何不完整的文件。")


class ReportActions:
    """Export, print and import behind the main window's 文件 entries (built on their first use)."""

    def __init__(self, window) -> None:
        self.window = window
        self.task = None  # the last background step (page making), for tests and to keep it alive

    @property
    def store(self):
        return self.window.store

    def _period(self) -> Period | None:
        period = self.window.current_period()
        if period is None:
            QMessageBox.information(self.window, "提示", "还没有任何季度，请先新建季度。")
        return period

    def _settings(self):
        return self.window.settings

    def export(self) -> ExportDialog | None:
        period = self._period()
        if period is None:
            return None
        folder = str(self._settings().value(EXPORT_FOLDER_KEY, "") or Path.home() / "Documents")
        dialog = ExportDialog(self.store, period, folder, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.exported:
            self._settings().setValue(EXPORT_FOLDER_KEY, dialog.folder_edit.text())
            names = "\n".join(f.path.name for f in dialog.exported)
            box = QMessageBox(self.window)
            box.setWindowTitle("导出完成")
            box.setText(f"已导出{len(dialog.exported)}个文件到：\n{dialog.exported[0].path.parent}\n\n{names}")
            open_button = box.addButton("打开文件夹", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.exec()
            if box.clickedButton() is open_button:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(dialog.exported[0].path.parent)))
        return dialog

    def _preview_dialog(self) -> PrintPreviewDialog | None:
        """The preview, its pages made here (waits; the menu entries use ``_with_pages``)."""
        from shangnan_desktop.app import exports  # loaded on first use: not needed to open the window
        period = self._period()
        if period is None:
            return None
        try:
            data = exports.print_pdf(self.store, period)
        except DomainError as exc:
            QMessageBox.warning(self.window, "无法生成打印页面", str(exc))
            return None
        from shangnan_desktop.ui.print_preview import PrintPreviewDialog  # lazy: QtPdf is not wanted at start-up

        return PrintPreviewDialog(data, f"打印预览 — {period.label}附件", self.window)

    def _with_pages(self, then) -> None:
        """Make the PDF pages in a worker thread (the quarter is read here first), then ``then(dialog)``."""
        period = self._period()
        if period is None:
            return
        for view in self.window.views:
            view.commit_pending()
        try:
            sheet = counts_app.load_sheet(self.store, period)
        except DomainError as exc:
            QMessageBox.warning(self.window, "无法生成打印页面", str(exc))
            return

        def make() -> bytes:
            from shangnan_desktop.app import exports  # loaded on first use: not needed to open the window
            return exports.print_pages(sheet)

        def ready(data: bytes) -> None:
            from shangnan_desktop.ui.print_preview import PrintPreviewDialog  # lazy: QtPdf

            then(PrintPreviewDialog(data, f"打印预览 — {period.label}附件", self.window))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, DomainError):
                raise exc
            QMessageBox.warning(self.window, "无法生成打印页面", str(exc))

        self.task = run_busy(self.window, "正在生成打印页面…", make, ready, failed)

    def print_preview(self) -> None:
        self._with_pages(lambda dialog: dialog.open())

    def print_now(self) -> None:
        def go(dialog: PrintPreviewDialog) -> None:
            dialog.print_dialog()
            dialog.done(0)

        self._with_pages(go)

    def _read_off_thread(self, read, path: str):
        """Read the workbook in a worker behind a progress dialog with 取消; the window stays live meanwhile.
        Returns the preview, or None (the clerk was told why, or cancelled)."""
        cancel = threading.Event()
        outcome: dict[str, object] = {}
        task: BusyTask | None = None

        def progress(rows: int, sheet: str) -> None:  # worker thread: plain attribute only
            if task is not None:
                task.status = f"正在读取工作表“{sheet}”：已读{rows}行…"

        def done(preview) -> None:
            outcome["preview"] = preview

        def failed(exc: BaseException) -> None:
            outcome["error"] = exc

        task = run_busy(self.window, f"正在读取“{Path(path).name}”…", lambda: read(path, progress=progress, cancel=cancel),
                        done, failed, cancel=cancel)
        self.task = task
        while not task.finished:  # the window's events go on (a plain loop: no nested exec() to be cut short)
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        error = outcome.get("error")
        if error is not None:
            if not isinstance(error, DomainError):
                raise error
            if cancel.is_set():
                self.window.statusBar().showMessage("已取消导入，没有写入任何数据。", 8000)
            else:
                QMessageBox.warning(self.window, "无法导入", str(error))
            return None
        return outcome.get("preview")

    def import_workbook(self, path: str | None = None) -> bool:
        """Preview a workbook against the shown quarter; on confirmation store it as one undo step."""
        period = self._period()
        if period is None:
            return False
        if path is None:
            folder = str(self._settings().value(IMPORT_FOLDER_KEY, "") or "")
            path, _ = QFileDialog.getOpenFileName(self.window, "选择要导入的Excel文件", folder, "Excel 工作簿 (*.xlsx)")
            if not path:
                return False
            self._settings().setValue(IMPORT_FOLDER_KEY, str(Path(path).parent))
        from shangnan_desktop.app.imports import backup_before_import, import_reader  # lazy: not wanted at start-up

        try:
            read = import_reader(self.store, period)  # the quarter, read here: the worker touches no database
        except DomainError as exc:
            QMessageBox.warning(self.window, "无法导入", str(exc))
            return False
        preview = self._read_off_thread(read, path)
        if preview is None:
            return False
        from shangnan_desktop.ui.import_dialog import ImportPreviewDialog  # lazy: not wanted at start-up

        dialog = ImportPreviewDialog(preview, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if preview.bad:
            QMessageBox.warning(self.window, "导入失败", f"文件中有{len(preview.bad)}处错误，未导入任何数据。")
            return False
        try:
            backup_before_import(self.store)
        except DomainError as exc:
            QMessageBox.warning(self.window, "导入失败", f"导入前的自动备份没有成功，未导入任何数据。\n\n{exc}")
            return False
        changes = [(c.unit_id, c.new) for c in preview.changes]
        stored = self.window.controller.edit_counts(changes, f"导入{Path(path).name}", action="导入Excel")
        if stored:
            self.window.statusBar().showMessage(f"已导入{len(changes)}个单位的数据（可撤销）。", 8000)
        return stored
