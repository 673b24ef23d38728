"""Run in a child process on an offscreen screen of a given size: open the main window, every dialog
and the print preview, and print (as JSON) each one's size, minimum size and the available area."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(db: str, settings_file: str) -> None:
    from PySide6.QtCore import QByteArray, QSettings
    from PySide6.QtWidgets import QApplication

    from shangnan_desktop.storage import Store
    from shangnan_desktop.ui.app import create_application

    app = create_application(["probe"])
    store = Store.open(Path(db))
    settings = QSettings(settings_file, QSettings.Format.IniFormat)
    from shangnan_desktop.ui.main_window import MainWindow

    window = MainWindow(store, settings)
    window.show()
    app.processEvents()
    area = window.screen().availableGeometry()
    out: dict = {"area": [area.x(), area.y(), area.width(), area.height()], "windows": {}}

    def record(name: str, widget) -> None:
        widget.show()
        app.processEvents()
        g = widget.frameGeometry()
        hint = widget.minimumSizeHint()
        out["windows"][name] = {
            "frame": [g.x(), g.y(), g.width(), g.height()],
            "size": [widget.width(), widget.height()],
            "min": [max(hint.width(), widget.minimumWidth()), max(hint.height(), widget.minimumHeight())],
        }

    record("main", window)
    from shangnan_desktop.app.exports import print_pdf
    from shangnan_desktop.ui.audit_dialog import AuditDialog
    from shangnan_desktop.ui.backup_dialog import BackupDialog
    from shangnan_desktop.ui.help_dialog import HelpDialog
    from shangnan_desktop.ui.print_preview import PrintPreviewDialog
    from shangnan_desktop.ui.report_actions import ExportDialog
    from shangnan_desktop.ui.units_dialog import UnitsDialog

    period = window.current_period()
    dialogs = {
        "units": lambda: UnitsDialog(window.controller, window),
        "audit": lambda: AuditDialog(store, window),
        "backup": lambda: BackupDialog(store, window),
        "export": lambda: ExportDialog(store, period, "/tmp", window),
        "help": lambda: HelpDialog(window),
        "print_preview": lambda: PrintPreviewDialog(print_pdf(store, period), "打印预览", window),
    }
    for name, make in dialogs.items():
        dialog = make()
        record(name, dialog)
        dialog.close()
    # a geometry saved on a bigger screen is not restored here
    settings.setValue("window/geometry", QByteArray(window.saveGeometry()))
    window.close()
    big = QSettings(settings_file + ".big", QSettings.Format.IniFormat)
    big.setValue("window/geometry", QByteArray.fromBase64(sys.argv[3].encode()) if len(sys.argv) > 3 else QByteArray())
    again = MainWindow(store, big)
    again.show()
    app.processEvents()
    record("main_after_big_geometry", again)
    again.close()
    store.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
