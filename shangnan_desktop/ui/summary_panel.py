"""The summary beside the tables: units, submitted and adopted per group, zero-submission units, totals."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.domain import Summary

logger = logging.getLogger(__name__)


def _label(text: str = "", *, bold: bool = False, align=Qt.AlignmentFlag.AlignLeft) -> QLabel:
    label = QLabel(text)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class SummaryPanel(QScrollArea):
    """Read-only figures plus one editable field: the centre's own published count."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 6, 10, 6)

        self.title = _label("汇总", bold=True)
        layout.addWidget(self.title)

        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        layout.addLayout(self.grid)
        self._grid_labels: dict[tuple[int, int], QLabel] = {}  # made once, then only re-texted

        self.zero_title = _label(bold=True)
        self.zero_names = _label()
        self.zero_names.setWordWrap(True)
        layout.addSpacing(6)
        layout.addWidget(self.zero_title)
        layout.addWidget(self.zero_names)

        centre_row = QHBoxLayout()
        centre_row.addWidget(_label("县电子政务中心采编发布："))
        self.centre_edit = QLineEdit()
        self.centre_edit.setObjectName("centrePublished")
        self.centre_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.centre_edit.setMaximumWidth(90)
        self.centre_edit.setPlaceholderText("未录入")
        self.centre_edit.setToolTip("本中心自己采编发布的信息条数；回车保存，可撤销")
        self.centre_edit.editingFinished.connect(self._centre_edited)
        centre_row.addWidget(self.centre_edit)
        centre_row.addWidget(_label("条"))
        centre_row.addStretch(1)
        layout.addSpacing(6)
        layout.addLayout(centre_row)

        self.total_published = _label(bold=True)
        layout.addWidget(self.total_published)
        self.top_units = _label()
        self.top_units.setWordWrap(True)
        layout.addSpacing(6)
        layout.addWidget(self.top_units)
        layout.addStretch(1)

        controller.countsChanged.connect(self.refresh)
        controller.lockChanged.connect(self._set_locked)

    # ---- display -------------------------------------------------------------
    def refresh(self) -> None:
        sheet = self.controller.sheet
        if sheet is None:
            return
        self.show_summary(sheet.summary())

    def show_summary(self, summary: Summary) -> None:
        self.title.setText(f"{summary.period.label}汇总")
        metrics = [m.label for m in summary.rule.metrics]
        header = ["分组", "单位数", *metrics, "零报送"]
        rows = [
            [g.name, str(g.units), *(str(v) for v in g.totals), str(len(g.zero_units))] for g in summary.groups
        ]
        rows.append(["合计", str(summary.units), *(str(v) for v in summary.totals), str(len(summary.zero_units))])
        shown: set[tuple[int, int]] = set()
        for r, row in enumerate([header, *rows]):
            for c, text in enumerate(row):
                self._put(r, c, text, bold=(r == 0 or r == len(rows)))
                shown.add((r, c))
        for key, label in list(self._grid_labels.items()):
            if key not in shown:  # the rule lost a metric, or a group went away
                self.grid.removeWidget(label)
                label.deleteLater()
                del self._grid_labels[key]
        for c in range(len(header) + 1):
            stretch = 1 if c == len(header) else 0
            if self.grid.columnStretch(c) != stretch:  # setting it, even unchanged, re-lays out the panel
                self.grid.setColumnStretch(c, stretch)

        if summary.zero_units:
            self.zero_title.setText(f"零报送单位（{len(summary.zero_units)}个）：")
            self.zero_names.setText("、".join(summary.zero_units))
        else:
            self.zero_title.setText("零报送单位：无")
            self.zero_names.setText("")
        self.zero_names.setVisible(bool(summary.zero_units))

        if not self.centre_edit.hasFocus():
            value = summary.centre_published
            self.centre_edit.setText("" if value is None else str(value))
        total = summary.total_published
        self.total_published.setText(
            "共发布各类信息：—（请录入中心采编发布数）" if total is None else f"共发布各类信息：{total}条"
        )
        tops = [f"{g.name}前三名：{'、'.join(g.top_units)}" for g in summary.groups if g.top_units]
        self.top_units.setText("\n".join(tops))

    def _put(self, row: int, column: int, text: str, *, bold: bool) -> None:
        label = self._grid_labels.get((row, column))
        if label is None:
            align = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
            label = _label(text, bold=bold, align=align)
            self.grid.addWidget(label, row, column)
            self._grid_labels[(row, column)] = label
        elif label.text() != text:
            label.setText(text)
        if label.font().bold() != bold:
            font = label.font()
            font.setBold(bold)
            label.setFont(font)

    def grid_text(self) -> list[list[str]]:
        """The figures table as shown (for tests and copying)."""
        cells: dict[tuple[int, int], str] = {}
        for i in range(self.grid.count()):
            item = self.grid.itemAt(i)
            widget = item.widget()
            if widget is None or widget not in self._grid_labels.values():
                continue
            r, c, _, _ = self.grid.getItemPosition(i)
            cells[(r, c)] = widget.text()
        rows = max((r for r, _ in cells), default=-1) + 1
        columns = max((c for _, c in cells), default=-1) + 1
        return [[cells.get((r, c), "") for c in range(columns)] for r in range(rows)]

    # ---- editing -------------------------------------------------------------
    def _set_locked(self, locked: bool) -> None:
        self.centre_edit.setReadOnly(locked)
        self.centre_edit.setStyleSheet("QLineEdit { background: #ececec; color: #707070; }" if locked else "")
        self.centre_edit.setToolTip("本期已定稿，不能修改" if locked else "本中心自己采编发布的信息条数；回车保存，可撤销")

    def _centre_edited(self) -> None:
        sheet = self.controller.sheet
        if sheet is None or self.centre_edit.isReadOnly():
            return
        text = self.centre_edit.text().strip()
        current = "" if sheet.centre_published is None else str(sheet.centre_published)
        if text == current:
            return
        if not self.controller.set_centre_published(text):
            self.centre_edit.setText(current)
