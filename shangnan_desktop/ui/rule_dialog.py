"""统计期 → 评分规则: the rule editor (issue 16).

Metrics (name, weight up to 4 decimals, an optional cap by an earlier metric, counts or decimal scores),
the rank method, an optional 采用率 column, presets, and the period the rule applies from. Before saving,
the current table is shown under the current rule and under the new one, side by side.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app import rules
from shangnan_desktop.domain import DomainError, Period, ScoringRule, format_decimal
from shangnan_desktop.domain.rule import COMPETITION, DENSE, NONE, format_rate, preset, preset_titles

RANKS = [(DENSE, "中国式排名（并列不占位：1、2、2、3）"), (COMPETITION, "竞争排名（并列占位，同Excel RANK：1、2、2、4）"),
         (NONE, "不排名（按单位顺序）")]
KIND_COUNT, KIND_SCORE = "条数（整数）", "分值（最多2位小数）"
NO_CAP = "（无）"
NAME, WEIGHT, CAP, KIND = range(4)


class RuleDialog(QDialog):
    """Edit the rule of ``period`` (and later unlocked periods); ``saved`` holds the change once saved."""

    def __init__(self, store, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("评分规则")
        self.store = store
        self.saved: rules.RuleChange | None = None
        self.current = store.rule(period)
        self._filling = False
        layout = QVBoxLayout(self)

        top = QFormLayout()
        self.start = QComboBox()
        for info in store.periods():
            if info.period.kind == period.kind and not info.locked:
                self.start.addItem(info.period.label, info.period.key)
        self.start.setCurrentIndex(max(0, self.start.findData(period.key)))
        self.start.setToolTip("新规则自此期起适用；此前各期和已定稿的期保留原规则")
        top.addRow("自此期起适用：", self.start)
        presets = QHBoxLayout()
        self.preset = QComboBox()
        for key, title in preset_titles():
            self.preset.addItem(title, key)
        apply = QPushButton("套用预设")
        apply.clicked.connect(self._apply_preset)
        presets.addWidget(self.preset, 1)
        presets.addWidget(apply)
        top.addRow("预设：", presets)
        layout.addLayout(top)

        box = QGroupBox("指标（按列的顺序）")
        inner = QVBoxLayout(box)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["名称", "权重（最多4位小数）", "不超过", "数值类型"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._changed)
        self.table.setMaximumHeight(150)
        inner.addWidget(self.table)
        buttons = QHBoxLayout()
        add, remove = QPushButton("添加指标"), QPushButton("删除所选指标")
        add.clicked.connect(lambda: self._add_row("", "1", None, False))
        remove.clicked.connect(self._remove_row)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        layout.addWidget(box)

        options = QFormLayout()
        self.rank = QComboBox()
        for key, title in RANKS:
            self.rank.addItem(title, key)
        self.rank.currentIndexChanged.connect(self._changed)
        options.addRow("排名方式：", self.rank)
        self.rate = QCheckBox("加一列采用率（采用÷报送，百分数保留1位小数，0÷0显示“—”）")
        self.rate.toggled.connect(self._changed)
        options.addRow("", self.rate)
        layout.addLayout(options)

        preview = QGroupBox("预览：本期各单位在现行规则与新规则下的得分和排名")
        side = QVBoxLayout(preview)
        self.group = QComboBox()
        for g in store.groups():
            self.group.addItem(g.name, g.id)
        self.group.currentIndexChanged.connect(self._changed)
        side.addWidget(self.group)
        pair = QHBoxLayout()
        self.old_view, self.new_view = QTableWidget(), QTableWidget()
        for title, view in (("现行规则", self.old_view), ("新规则", self.new_view)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().setVisible(False)
            column.addWidget(view)
            pair.addLayout(column)
        side.addLayout(pair)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        side.addWidget(self.message)
        layout.addWidget(preview, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.period = period
        self.set_rule(self.current)
        self.resize(980, 860)

    # ---- the rule in the fields ------------------------------------------------
    def set_rule(self, rule: ScoringRule) -> None:
        self._filling = True
        self.table.setRowCount(0)
        labels = {m.key: m.label for m in rule.metrics}
        for m in rule.metrics:
            self._add_row(m.label, format_decimal(m.weight), labels.get(m.bounded_by or ""), m.decimal)
        self.rank.setCurrentIndex([k for k, _t in RANKS].index(rule.rank_method))
        self.rate.setChecked(rule.rate is not None)
        self._filling = False
        self._changed()

    def _add_row(self, name: str, weight: str, cap: str | None, decimal: bool) -> None:
        row = self.table.rowCount()
        filling, self._filling = self._filling, True
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, WEIGHT, QTableWidgetItem(weight))
        self.table.setItem(row, CAP, QTableWidgetItem(cap or NO_CAP))
        kind = QComboBox()
        kind.addItems([KIND_COUNT, KIND_SCORE])
        kind.setCurrentIndex(1 if decimal else 0)
        kind.currentIndexChanged.connect(self._changed)
        self.table.setCellWidget(row, KIND, kind)
        self._filling = filling
        self._changed()

    def _remove_row(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._changed()

    def _apply_preset(self) -> None:
        self.set_rule(preset(self.preset.currentData()))

    def options(self) -> dict:
        metrics, decimals, caps = [], [], []
        for row in range(self.table.rowCount()):
            name = (self.table.item(row, NAME).text() if self.table.item(row, NAME) else "").strip()
            weight = (self.table.item(row, WEIGHT).text() if self.table.item(row, WEIGHT) else "").strip()
            cap = (self.table.item(row, CAP).text() if self.table.item(row, CAP) else "").strip()
            metrics.append(f"{name}={weight}")
            if self.table.cellWidget(row, KIND).currentIndex() == 1:
                decimals.append(name)
            if cap and cap != NO_CAP:
                caps.append(f"{name}<={cap}")
        rate = None
        if self.rate.isChecked():
            pair = next((c.split("<=") for c in caps), None)
            rate = f"{pair[0]}/{pair[1]}" if pair else "/"
        return {"metrics": metrics, "decimals": decimals, "caps": caps, "rank": self.rank.currentData(), "rate": rate}

    def new_rule(self) -> ScoringRule:
        o = self.options()
        return rules.build_rule(self.store, self.period, o["metrics"], decimals=o["decimals"], caps=o["caps"],
                                rank=o["rank"], rate=o["rate"])

    # ---- preview -----------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if self._filling:
            return
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            rule = self.new_rule()
            preview = rules.preview_rule(self.store, self.period, rule)
        except DomainError as exc:
            self.message.setText(str(exc))
            save.setEnabled(False)
            self.new_view.setRowCount(0)
            old = self.store.load_sheet(self.period)
            self._fill(self.old_view, old)
            return
        self.message.setText("" if self.start.count() else "所有统计期都已定稿，不能修改评分规则。")
        save.setEnabled(self.start.count() > 0)
        self._fill(self.old_view, preview.old)
        self._fill(self.new_view, preview.new)

    def _fill(self, view: QTableWidget, sheet) -> None:
        group = next((g for g in sheet.groups if g.group.id == self.group.currentData()), sheet.groups[0])
        rule = sheet.rule
        headers = [group.group.unit_header, *(m.label for m in rule.metrics), "得分"]
        if rule.rate:
            headers.append("采用率")
        if rule.ranked:
            headers.append("排名")
        view.clear()
        view.setColumnCount(len(headers))
        view.setHorizontalHeaderLabels(headers)
        rows = group.ranked()
        view.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r.name, *(format_decimal(c) if not isinstance(c, int) else str(c) for c in r.counts),
                     format_decimal(r.score)]
            if rule.rate:
                cells.append(format_rate(r.rate))
            if rule.ranked:
                cells.append(str(r.rank))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                view.setItem(i, c, item)
        view.resizeColumnsToContents()

    # ---- saving -------------------------------------------------------------------
    def _save(self) -> None:
        try:
            rule = self.new_rule()
            start = Period.parse(self.start.currentData())
            self.saved = rules.set_rule_from(self.store, start, rule)
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
