"""Across periods in the window: a unit's history (table and line chart) and the period's score chart.

Both charts are painted with QPainter: a line of rank and one of score over the periods, and horizontal
bars of the scores per group in rank order. Qt's own painting adds nothing to the frozen build (QtCharts
would add its module and the QtOpenGL/QtGraphics pieces it pulls in, a plotting library far more), and
two simple charts need no more than lines, rectangles and text.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.domain import PeriodSheet, format_decimal
from shangnan_desktop.domain.cumulative import UnitHistory

SCORE_COLOUR = QColor(44, 84, 148)  # the PDF chart's dark blue
RANK_COLOUR = QColor(200, 90, 30)
ZERO_COLOUR = QColor(158, 158, 158)
GRID_COLOUR = QColor(225, 225, 225)


def _nice_top(top: float, ticks: int = 4) -> float:
    """The scale's end: a round step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` intervals, times the
    intervals needed to reach ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.ceil(top / step - 1e-9) * step


class HistoryChart(QWidget):
    """Rank (left scale, 1 at the top) and score (right scale) of one unit over its periods."""

    def __init__(self, history: UnitHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setMinimumSize(420, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), Qt.GlobalColor.white)
        points = self.history.points
        fm = p.fontMetrics()
        if not points:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有任何季度的数据")
            return
        left, right, top, bottom = 44, 52, 26, 34
        area = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        # the rank scale from 1 to a little below the unit's worst rank: its moves stay visible
        worst = max(5, max(pt.rank or pt.of for pt in points) + 1)
        score_top = _nice_top(float(max(pt.score for pt in points)))
        n = len(points)

        def x(i: int) -> float:
            return area.left() + (area.width() * (i + 0.5) / n)

        def y_rank(r: int) -> float:
            return area.top() + area.height() * ((r - 1) / max(worst - 1, 1))

        def y_score(s: Decimal) -> float:
            return area.bottom() - area.height() * float(s) / score_top

        # grid and scales
        p.setPen(QPen(GRID_COLOUR, 1))
        for k in range(5):
            yy = area.top() + area.height() * k / 4
            p.drawLine(QPointF(area.left(), yy), QPointF(area.right(), yy))
        p.setPen(RANK_COLOUR)
        for k in range(5):
            r = 1 + round((worst - 1) * k / 4)
            p.drawText(QRectF(0, y_rank(r) - 8, left - 6, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(r))
        p.drawText(QRectF(2, 2, 120, 18), Qt.AlignmentFlag.AlignLeft, "排名（第1名在上）")
        p.setPen(SCORE_COLOUR)
        for k in range(5):
            value = Decimal(str(round(score_top * k / 4, 2)))
            p.drawText(QRectF(area.right() + 6, y_score(value) - 8, right - 6, 16),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, format_decimal(value.normalize()))
        label = "得分"
        p.drawText(QRectF(self.width() - fm.horizontalAdvance(label) - 6, 2, 60, 18), Qt.AlignmentFlag.AlignLeft, label)
        # period labels (every k-th when crowded)
        p.setPen(Qt.GlobalColor.black)
        widest = max(fm.horizontalAdvance(pt.period.key) for pt in points) + 8
        every = max(1, int(widest * n / max(area.width(), 1)) + 1)
        for i, pt in enumerate(points):
            if i % every == 0 or i == n - 1:
                p.drawText(QRectF(x(i) - widest / 2, area.bottom() + 6, widest, 18),
                           Qt.AlignmentFlag.AlignHCenter, pt.period.key)
        # the two lines with their points
        for colour, ys in ((SCORE_COLOUR, [y_score(pt.score) for pt in points]),
                           (RANK_COLOUR, [y_rank(pt.rank or worst) for pt in points])):
            path = QPainterPath(QPointF(x(0), ys[0]))
            for i in range(1, n):
                path.lineTo(QPointF(x(i), ys[i]))
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(colour)
            for i in range(n):
                p.drawEllipse(QPointF(x(i), ys[i]), 3, 3)
        p.end()


class UnitHistoryDialog(QDialog):
    """A unit's history: every period's counts, score, rank and change, and the chart under the table."""

    def __init__(self, history: UnitHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setObjectName("unitHistoryDialog")
        self.setWindowTitle(f"{history.name}——各期报送情况")
        layout = QVBoxLayout(self)
        title = QLabel(f"{history.name}各期报送情况（共{len(history.points)}期）")
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        header, rows = history.header(), history.rows()
        self.table = QTableWidget(len(rows), len(header))
        self.table.setObjectName("unitHistoryTable")
        self.table.setHorizontalHeaderLabels(header)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.chart = HistoryChart(history)
        self.chart.setObjectName("unitHistoryChart")
        layout.addWidget(self.chart, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)


class ScoreBars(QWidget):
    """One group's scores as horizontal bars in rank order; zero scores in grey."""

    PITCH = 18

    def __init__(self, rows: list[tuple[int | None, str, Decimal]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.setMinimumSize(520, self.PITCH * len(rows) + 40)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt name
        p = QPainter(self)
        p.fillRect(self.rect(), Qt.GlobalColor.white)
        if not self.rows:
            p.end()
            return
        fm = p.fontMetrics()
        rank_w = max(fm.horizontalAdvance(str(r or "")) for r, _n, _s in self.rows) + 10
        name_w = max(fm.horizontalAdvance(n) for _r, n, _s in self.rows) + 12
        value_w = max(fm.horizontalAdvance(format_decimal(s)) for _r, _n, s in self.rows) + 12
        x0 = rank_w + name_w
        span = max(self.width() - x0 - value_w - 8, 40)
        top = _nice_top(float(max(s for _r, _n, s in self.rows)))
        unit = span / top
        height = self.PITCH * len(self.rows)
        p.setPen(QPen(GRID_COLOUR, 1))
        for k in range(5):
            xx = x0 + span * k / 4
            p.drawLine(QPointF(xx, 6), QPointF(xx, 6 + height))
            p.setPen(Qt.GlobalColor.black)
            value = Decimal(str(round(top * k / 4, 2))).normalize()
            p.drawText(QRectF(xx - 30, 8 + height, 60, 18), Qt.AlignmentFlag.AlignHCenter, format_decimal(value))
            p.setPen(QPen(GRID_COLOUR, 1))
        p.setPen(Qt.GlobalColor.black)
        p.drawLine(QPointF(x0, 6), QPointF(x0, 6 + height))
        for i, (r, name, score) in enumerate(self.rows):
            y = 6 + i * self.PITCH
            zero = score == 0
            p.setPen(ZERO_COLOUR if zero else Qt.GlobalColor.black)
            middle = Qt.AlignmentFlag.AlignVCenter
            p.drawText(QRectF(0, y, rank_w - 6, self.PITCH), Qt.AlignmentFlag.AlignRight | middle, str(r or ""))
            p.drawText(QRectF(rank_w, y, name_w - 6, self.PITCH), Qt.AlignmentFlag.AlignRight | middle, name)
            length = max(float(score) * unit, 1.5)
            p.fillRect(QRectF(x0, y + 3, length, self.PITCH - 6), ZERO_COLOUR if zero else SCORE_COLOUR)
            p.drawText(QRectF(x0 + length + 4, y, value_w, self.PITCH), Qt.AlignmentFlag.AlignLeft | middle,
                       format_decimal(score))
        p.end()


def group_bars(sheet: PeriodSheet, group_index: int) -> list[tuple[int | None, str, Decimal]]:
    """(rank, name, score) of one group in rank order, as the sheet ranks them."""
    return [(r.rank, r.name, r.score) for r in sheet.groups[group_index].ranked()]


class ScoreChartDialog(QDialog):
    """得分排名图: one tab per group, bars in rank order."""

    def __init__(self, sheet: PeriodSheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChartDialog")
        self.setWindowTitle(f"{sheet.period.label}得分排名图")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.charts: list[ScoreBars] = []
        for i, gs in enumerate(sheet.groups):
            chart = ScoreBars(group_bars(sheet, i))
            chart.setObjectName(f"scoreBars-{gs.name}")
            self.charts.append(chart)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(chart)
            self.tabs.addTab(scroll, f"{gs.name}（{len(gs)}个单位）")
        layout.addWidget(QLabel("按得分从高到低排列，得分为0的单位为灰色。"))
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 640)
