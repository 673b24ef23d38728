"""文件 → 新建数据库: the new-county setup wizard (issue 16).

County and issuing office, document-number prefix, period kind, the first period, groups (any number, each
with its header word) and their units, pasted as a list or read from a column of an .xlsx; or the Shangnan
reference. ``setup()`` is the ``CountySetup`` to create, or ``None`` for the reference database.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from shangnan_desktop.app.workspace import create_county_workspace, create_workspace, units_from_xlsx
from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.domain.county import CountySetup, GroupSetup, unit_names
from shangnan_desktop.domain.period import KIND_NAMES, KINDS

HEADER_WORDS = ["单位", "镇办", "乡镇街道", "科室", "部门", "地市名称"]
EXAMPLES = {"M": "2023M01", "Q": "2023Q1", "H": "2023H1", "Y": "2023"}


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("新建数据库")
        self.setSubTitle("为其他县（市、区）新建，或从商南县的参考数据开始。")
        layout = QVBoxLayout(self)
        self.new_county = QRadioButton("新建其他县（市、区）的数据库（填写名称、统计期、分组和单位）")
        self.reference = QRadioButton("使用商南县参考数据（2021年二季度通报的单位和数据）")
        self.new_county.setChecked(True)
        layout.addWidget(self.new_county)
        layout.addWidget(self.reference)
        layout.addStretch(1)

    def nextId(self) -> int:  # noqa: N802 - Qt name
        return -1 if self.reference.isChecked() else 1


class CountyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("县（市、区）和统计期")
        form = QFormLayout(self)
        self.county, self.office, self.prefix = QLineEdit(), QLineEdit(), QLineEdit()
        self.county.setPlaceholderText("如 扎兰屯市")
        self.office.setPlaceholderText("如 扎兰屯市人民政府办公室")
        self.prefix.setPlaceholderText("如 扎政办发（文号为 扎政办发〔2023〕5号）")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_NAMES[kind], kind)
        self.kind.setCurrentIndex(KINDS.index("Q"))
        self.first = QLineEdit()
        self.kind.currentIndexChanged.connect(self._example)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        form.addRow("县（市、区）：", self.county)
        form.addRow("发文机关：", self.office)
        form.addRow("文号前缀：", self.prefix)
        form.addRow("统计期类型：", self.kind)
        form.addRow("首期：", self.first)
        form.addRow("", self.problem)
        self._example()

    def _example(self) -> None:
        self.first.setPlaceholderText(f"如 {EXAMPLES[self.kind.currentData()]}")

    def first_period(self) -> Period:
        period = Period.parse(self.first.text())
        if period.kind != self.kind.currentData():
            raise ValidationError(f"首期{period.label}不是{self.kind.currentText()}，请按“{EXAMPLES[self.kind.currentData()]}”的格式输入。")
        return period

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        try:
            if not self.county.text().strip():
                raise ValidationError("请填写县（市、区）名称。")
            self.first_period()
        except DomainError as exc:
            self.problem.setText(str(exc))
            return False
        self.problem.setText("")
        return True


class GroupsPage(QWizardPage):
    """Groups in order; the selected group's name, header word and units (one per line)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("分组和单位")
        self.setSubTitle("每个分组单独排名。单位名单每行一个，可以粘贴，也可以从.xlsx的一列读取。")
        self.groups: list[list] = []  # [name, header, text]
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget()
        add, remove = QPushButton("添加分组"), QPushButton("删除分组")
        add.clicked.connect(lambda: self.add_group("新分组", "单位", ""))
        remove.clicked.connect(self._remove)
        left.addWidget(self.list)
        left.addWidget(add)
        left.addWidget(remove)
        layout.addLayout(left, 1)
        right = QFormLayout()
        self.name, self.header, self.units = QLineEdit(), QComboBox(), QPlainTextEdit()
        self.header.setEditable(True)
        self.header.addItems(HEADER_WORDS)
        self.units.setPlaceholderText("甲镇\n乙镇\n丙街道")
        column = QHBoxLayout()
        self.column = QSpinBox()
        self.column.setRange(1, 50)
        self.column.setPrefix("第")
        self.column.setSuffix("列")
        read = QPushButton("从.xlsx读取…")
        read.clicked.connect(self._read_xlsx)
        column.addWidget(self.column)
        column.addWidget(read)
        column.addStretch(1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        right.addRow("分组名称：", self.name)
        right.addRow("表头用语：", self.header)
        right.addRow("单位名单：", self.units)
        right.addRow("", column)
        right.addRow("", self.problem)
        layout.addLayout(right, 2)
        self.list.currentRowChanged.connect(self._show)
        self.name.textEdited.connect(self._keep)
        self.header.currentTextChanged.connect(self._keep)
        self.units.textChanged.connect(self._keep)
        self._showing = False
        self.add_group("镇办", "镇办", "")

    def add_group(self, name: str, header: str, text: str) -> None:
        self.groups.append([name, header, text])
        self.list.addItem(name)
        self.list.setCurrentRow(len(self.groups) - 1)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0 and len(self.groups) > 1:
            del self.groups[row]
            self.list.takeItem(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.groups):
            return
        self._showing = True
        name, header, text = self.groups[row]
        self.name.setText(name)
        self.header.setCurrentText(header)
        self.units.setPlainText(text)
        self._showing = False

    def _keep(self, *_args) -> None:
        row = self.list.currentRow()
        if self._showing or not 0 <= row < len(self.groups):
            return
        self.groups[row] = [self.name.text(), self.header.currentText(), self.units.toPlainText()]
        self.list.item(row).setText(self.name.text())

    def _read_xlsx(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "读取单位名单", "", "Excel工作簿 (*.xlsx)")
        if path:
            self.read_xlsx(path)

    def read_xlsx(self, path: str) -> None:
        try:
            names = units_from_xlsx(path, self.column.value())
        except DomainError as exc:
            self.problem.setStyleSheet("color: #b00020")
            self.problem.setText(str(exc))
            return
        if names and names[0] in HEADER_WORDS + ["单位名称", "名称"]:
            names = names[1:]  # the column's header cell
        self.units.setPlainText("\n".join(names))
        self.problem.setStyleSheet("")
        self.problem.setText(f"已读取{len(names)}个单位。")

    def group_setups(self) -> tuple[GroupSetup, ...]:
        return tuple(GroupSetup(n.strip(), unit_names(t), h.strip()) for n, h, t in self.groups)

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        wizard = self.wizard()
        try:
            wizard.setup().check()
        except DomainError as exc:
            self.problem.setStyleSheet("color: #b00020")
            self.problem.setText(str(exc))
            return False
        return True


class CountyWizard(QWizard):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建数据库")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.start, self.county, self.groups = StartPage(), CountyPage(), GroupsPage()
        self.setPage(0, self.start)
        self.setPage(1, self.county)
        self.setPage(2, self.groups)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.resize(760, 520)

    def setup(self) -> CountySetup | None:
        """The new county's setup, or ``None`` for the Shangnan reference; ``ValidationError`` if incomplete."""
        if self.start.reference.isChecked():
            return None
        c = self.county
        return CountySetup(c.county.text(), c.first_period(), self.groups.group_setups(),
                           office=c.office.text(), number_prefix=c.prefix.text())


def create_from_wizard(parent) -> str | None:
    """Run the wizard, ask where to save, create the database; returns its path (``None`` if cancelled)."""
    wizard = CountyWizard(parent)
    if not wizard.exec():
        return None
    setup = wizard.setup()
    name = f"{setup.county.strip()}.sqlite3" if setup else "商南县.sqlite3"
    path, _filter = QFileDialog.getSaveFileName(parent, "新建数据库保存到", name, "数据库 (*.sqlite3)")
    if not path:
        return None
    try:
        periods = create_county_workspace(path, setup) if setup else create_workspace(path)
    except (DomainError, OSError) as exc:
        QMessageBox.warning(parent, "新建数据库", f"没有新建数据库：{exc}")
        return None
    QMessageBox.information(parent, "新建数据库",
                            f"已新建数据库：{path}（首期：{'、'.join(periods)}）。下次启动时选择这个文件即可使用。")
    return path
