"""Starting the window: logging, Chinese Qt dialogs, fonts, the crash handler, the database."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator, qVersion
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from shangnan_desktop import APP_ID, APP_NAME, __version__
from shangnan_desktop.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

logger = logging.getLogger(__name__)

BUNDLED_FONTS = ("fonts/AppSansSC-Regular.ttf", "fonts/AppSerifSC-Regular.ttf")
LOG_FILE = "shangnan-desktop.log"
_translators: list[QTranslator] = []  # kept alive as long as the application
_crash_dialogs: list[QMessageBox] = []


# ---- logging and crashes ------------------------------------------------------------
def setup_logging(log_dir: Path | None = None) -> Path | None:
    """Log to a rotating file in the platform log folder; returns its path (None if unwritable)."""
    from shangnan_desktop.paths import log_dir as default_log_dir

    folder = log_dir or default_log_dir()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_FILE
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:  # a read-only profile must not stop the program
        logging.basicConfig(level=logging.INFO)
        logger.warning("cannot write the log file in %s: %s", folder, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name("shangnan-desktop-file")
    if not any(h.get_name() == handler.get_name() for h in root.handlers):
        root.addHandler(handler)
    return path


def log_environment() -> None:
    logger.info(
        "%s %s; Python %s; PySide6 %s (Qt %s); %s",
        APP_NAME, __version__, platform.python_version(), PYSIDE_VERSION, qVersion(), _system_text(),
    )


def _system_text() -> str:
    """The OS and its version, cheaply: ``platform.platform()`` spends 5-25 ms of start-up reading
    the interpreter's binary for its libc version (and on Windows may query WMI or run ``ver``)."""
    import os

    if sys.platform == "win32":
        v = sys.getwindowsversion()
        return f"Windows {v.major}.{v.minor}.{v.build} {v.service_pack}".strip()
    u = os.uname()
    return f"{u.sysname} {u.release} {u.machine}"


def install_excepthook(log_path: Path | None = None):
    """Unexpected errors: logged, and shown in Chinese with the report to copy; the program keeps running."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        report = "".join(traceback.format_exception(exc_type, exc, tb))
        logger.critical("unexpected error\n%s", report)
        if QApplication.instance() is None:
            previous(exc_type, exc, tb)
            return
        show_crash_dialog(report, log_path)

    sys.excepthook = hook
    return hook


def show_crash_dialog(report: str, log_path: Path | None = None) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox  # built on first use: 2 ms of start-up
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序出错")
    box.setText("程序遇到了一个意外错误。已经保存的数据不受影响，可以继续使用。")
    where = f"\n错误记录已写入：{log_path}" if log_path else ""
    box.setInformativeText("如果问题反复出现，请点击“复制报告”，把报告发给维护人员。" + where)
    box.setDetailedText(report)
    copy_button = box.addButton("复制报告", QMessageBox.ButtonRole.ActionRole)
    copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
    box.addButton(QMessageBox.StandardButton.Close)
    _crash_dialogs.append(box)  # a parentless dialog lives only as long as a Python reference
    box.finished.connect(lambda _result: _crash_dialogs.remove(box) if box in _crash_dialogs else None)
    box.open()
    return box


# ---- translations and fonts -------------------------------------------------------------
def load_qt_translations(app: QApplication, locale: str = "zh_CN") -> list[str]:
    """Install Qt's own Chinese translations (buttons and standard dialogs); returns the loaded names.

    ``qtbase`` holds the dialogs and buttons; ``qt_zh_CN`` is a catalogue of all Qt
    modules and loads only when every module's file is present (not in PySide6-Essentials).
    """
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(f"{name}_{locale}", folder):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded.append(name)
    if "qtbase" not in loaded:
        logger.warning("Qt's Chinese translation qtbase_%s not found in %s", locale, folder)
    QLocale.setDefault(QLocale(locale))  # by name: QLocale's Language/Country enums take 3 ms to build
    return loaded


def has_chinese_font() -> bool:
    db = QFontDatabase
    return any(
        QFontDatabase.WritingSystem.SimplifiedChinese in db.writingSystems(family) for family in db.families()
    )


def load_bundled_fonts() -> list[str]:
    """Register the bundled CJK fonts; returns their family names (sans first)."""
    families: list[str] = []
    for relative in BUNDLED_FONTS:
        path = resource_path(relative)
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            logger.warning("bundled font %s could not be loaded", path)
            continue
        families.extend(f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families)
    return families


def setup_fonts(app: QApplication, mode: str = "auto") -> str | None:
    """The system's fonts when it has Chinese ones (e.g. Microsoft YaHei, SimSun); else the bundled font.

    ``mode="bundled"`` always uses the bundled font (screenshots that look the same everywhere).
    Returns the family set as the application font, or None when the system's default is kept.
    """
    if mode == "auto" and has_chinese_font():
        return None
    families = load_bundled_fonts()
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSizeF(max(app.font().pointSizeF(), 9.0))
    app.setFont(font)
    logger.info("using the bundled font %s", families[0])
    return families[0]


# ---- the application -----------------------------------------------------------------
def create_application(argv: Sequence[str] | None = None, *, font_mode: str = "auto") -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    for name in ("icons/app.png", "icons/app.svg"):  # PNG needs no SVG plugin in a frozen build
        icon = resource_path(name)
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
            break
    load_qt_translations(app)
    setup_fonts(app, font_mode)
    return app


def open_store(db_path: Path):
    """The store, or None after telling the clerk (in Chinese) why the database cannot be opened.

    A damaged file or one from a newer version: the clerk is offered the newest good backup;
    the damaged file is kept aside under a new name, never overwritten or deleted.
    """
    from PySide6.QtWidgets import QMessageBox  # built on first use: 2 ms of start-up
    from shangnan_desktop.app.workspace import DatabaseUnusableError, open_workspace, recover
    from shangnan_desktop.domain import DomainError

    try:
        opened = open_workspace(db_path)
    except DatabaseUnusableError as exc:
        logger.error("cannot open %s: %s", db_path, exc)
        backup = exc.newest_backup
        if backup is None:
            QMessageBox.critical(None, "无法打开数据库", f"无法打开数据库文件：\n{db_path}\n\n{exc}")
            return None
        answer = QMessageBox.question(
            None, "数据库无法打开",
            f"{exc}\n\n是否用最新的完好备份（{backup.when_text}，{backup.label}）恢复？"
            "\n当前的文件会重命名保留，不会删除。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            result = recover(exc.path or db_path, backup)
            opened = open_workspace(db_path)
        except DomainError as again:
            QMessageBox.critical(None, "恢复失败", str(again))
            return None
        QMessageBox.information(
            None, "已恢复", f"已从{backup.when_text}的备份恢复。原来的文件保留为：\n{result.aside}"
        )
    except DomainError as exc:
        logger.error("cannot open %s: %s", db_path, exc)
        QMessageBox.critical(None, "无法打开数据库", f"无法打开数据库文件：\n{db_path}\n\n{exc}")
        return None
    if opened.readonly:
        QMessageBox.information(None, "只读打开", opened.readonly_reason or "数据库以只读方式打开。")
    if opened.backup_warning:
        QMessageBox.warning(None, "自动备份失败", f"启动时的自动备份没有成功：{opened.backup_warning}")
    return opened.store


def confirm_new_database(path: Path) -> bool:
    """A path given on the command line that does not exist: ask before creating a database there
    (a mistyped path must not silently start an empty database)."""
    from PySide6.QtWidgets import QMessageBox  # built on first use: 2 ms of start-up
    answer = QMessageBox.question(
        None, "新建数据库？",
        f"找不到数据库文件：\n{path}\n\n要在这里新建一个数据库吗？\n"
        "如果路径写错了，请选“否”，然后检查命令行中 --db 后面的路径。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def run(db_path: Path | None = None) -> int:
    """Open the main window on ``db_path`` (default: the user's data folder); returns the exit status."""
    from shangnan_desktop.paths import default_db_path
    from shangnan_desktop.ui.main_window import MainWindow

    log_path = setup_logging()
    log_environment()
    app = create_application()
    install_excepthook(log_path)
    path = Path(db_path) if db_path else default_db_path()
    logger.info("database %s", path)
    if db_path and not path.exists() and not confirm_new_database(path):
        return 1
    while True:
        store = open_store(path)
        if store is None:
            return 1
        try:
            window = MainWindow(store)
            window.show()
            _report_ready_if_asked(app, window)
            QTimer.singleShot(1000, _warm_up_pdf_fonts)
            status = app.exec()
            restore = window.restore_requested
        finally:
            store.close()
        if restore is None:
            return status
        _restore(path, restore)


def _warm_up_pdf_fonts() -> None:
    """Parse the PDF fonts in the background once the window is up, so the first export or print
    preview does not wait for them (about 0.2 s of font tables; registration is once per process)."""
    import threading

    def work() -> None:
        try:
            from shangnan_desktop.app.exports import warm_up_fonts  # lazy: parses the PDF fonts

            warm_up_fonts()
        except Exception:  # noqa: BLE001 - the export itself will report any real problem
            logger.exception("warming up the PDF fonts failed")

    threading.Thread(target=work, name="pdf-fonts", daemon=True).start()


def _restore(path: Path, backup) -> None:
    """Restore ``backup`` over the (now closed) database, keeping the current file aside."""
    from PySide6.QtWidgets import QMessageBox  # built on first use: 2 ms of start-up
    from shangnan_desktop.app.workspace import recover
    from shangnan_desktop.domain import DomainError

    try:
        result = recover(path, backup)
    except DomainError as exc:
        QMessageBox.critical(None, "恢复失败", f"{exc}\n\n数据库没有改变。")
        return  # the unchanged database is opened again
    QMessageBox.information(None, "已恢复", f"已从{backup.when_text}的备份恢复。原来的文件保留为：\n{result.aside}")


def _report_ready_if_asked(app: QApplication, window) -> None:
    """For start-up benchmarks and the frozen smoke test: once the window is shown and the
    event loop runs, write the wall-clock time and what is shown to ``SHANGNAN_READY_FILE``, then quit."""
    import os
    import time

    target = os.environ.get("SHANGNAN_READY_FILE")
    if not target:
        return

    def ready() -> None:
        period = window.current_period()
        rows = sum(model.rowCount() for model in window.controller.models)
        Path(target).write_text(
            f"{time.time():.6f} {period.key if period else '-'} {rows}\n", encoding="utf-8"
        )
        app.quit()

    QTimer.singleShot(0, ready)


def main() -> int:
    """Entry point of the ``shangnan-desktop-gui`` script: the window, with an optional ``--db PATH``."""
    import argparse

    parser = argparse.ArgumentParser(prog="shangnan-desktop-gui", add_help=False)
    parser.add_argument("--db", type=Path)
    args, _rest = parser.parse_known_args()
    return run(args.db)


if __name__ == "__main__":
    sys.exit(main())
