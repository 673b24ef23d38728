"""F1: the short user guide in Chinese, bundled with the program (resources/help/guide.html), offline."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from shangnan_desktop.resources import resource_path

logger = logging.getLogger(__name__)
GUIDE = "help/guide.html"


def guide_html() -> str:
    path = resource_path(GUIDE)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        logger.warning("user guide missing: %s", path)
        return "<p>找不到使用说明文件。请重新安装本程序。</p>"


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        from shangnan_desktop.ui.screen_fit import fit_to_screen

        fit_to_screen(self, 720, 640)
