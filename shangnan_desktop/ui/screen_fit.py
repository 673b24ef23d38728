"""Windows and dialogs open inside the screen's available area (a 1366×768 or 1024×768 laptop included)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = (16, 40)  # window-manager border and title bar, not part of the widget's own size


def screen_of(widget: QWidget) -> QScreen:
    parent = widget.parentWidget()
    window = parent.window() if parent is not None else widget
    return window.screen() or QGuiApplication.primaryScreen()


def available(widget: QWidget) -> QRect:
    return screen_of(widget).availableGeometry()


def fitting_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """The wanted client size, reduced so the framed window fits the available screen area."""
    area = available(widget)
    room_w = area.width() - FRAME_ALLOWANCE[0]
    room_h = area.height() - FRAME_ALLOWANCE[1]
    return max(200, min(width, room_w)), max(150, min(height, room_h))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to (width, height) or less, so the whole window is on the screen."""
    w, h = fitting_size(widget, width, height)
    minimum = widget.minimumSize()
    if minimum.width() > w or minimum.height() > h:
        widget.setMinimumSize(min(minimum.width(), w), min(minimum.height(), h))
    widget.resize(w, h)


def fits(widget: QWidget, frame: QRect) -> bool:
    """Whether a (saved) frame geometry lies wholly inside some screen's available area."""
    for screen in QGuiApplication.screens():
        if screen.availableGeometry().contains(frame):
            return True
    return False


def keep_on_screen(widget: QWidget) -> None:
    """Move a shown window so its frame is inside the available area (after Qt centred it on its parent)."""
    area = available(widget)
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)
