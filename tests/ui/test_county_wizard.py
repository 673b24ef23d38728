"""文件 → 新建数据库 (issue 16): the setup wizard gives a CountySetup (or the reference), checks it, and
reads a group's units from a column of an .xlsx."""

from __future__ import annotations

from openpyxl import Workbook

from shangnan_desktop.app.workspace import create_county_workspace, workspace
from shangnan_desktop.domain import Period
from shangnan_desktop.ui.county_wizard import CountyWizard


def test_the_wizard_builds_a_county_and_its_database(qtbot, tmp_path):
    book = Workbook()
    for value in ["单位名称", "河西街道", None, "卧牛河镇"]:
        book.active.append([value])
    book.save(tmp_path / "units.xlsx")
    wizard = CountyWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    c = wizard.county
    c.county.setText("扎兰屯市")
    c.kind.setCurrentIndex(c.kind.findData("M"))
    c.first.setText("2023Q1")
    assert not c.validatePage() and "不是月份" in c.problem.text()
    c.first.setText("2023年1月")
    assert c.validatePage()
    wizard.next()
    g = wizard.groups
    g.name.setText("乡镇街道")
    g.name.textEdited.emit("乡镇街道")
    g.header.setCurrentText("乡镇街道")
    g.read_xlsx(str(tmp_path / "units.xlsx"))
    assert g.units.toPlainText() == "河西街道\n卧牛河镇"  # header cell and empty cell left out
    g.add_group("市直各部门", "单位", "水利局\n河西街道\n")
    assert not g.validatePage() and "河西街道" in g.problem.text()  # a unit in two groups
    g.units.setPlainText("水利局\n民政局")
    assert g.validatePage()
    setup = wizard.setup()
    assert setup.first_period == Period(2023, "M", 1)
    assert [(x.name, x.unit_header, x.units) for x in setup.groups] == [
        ("乡镇街道", "乡镇街道", ("河西街道", "卧牛河镇")), ("市直各部门", "单位", ("水利局", "民政局"))]
    create_county_workspace(tmp_path / "z.sqlite3", setup)
    with workspace(tmp_path / "z.sqlite3") as store:
        assert [u.name for u in store.units()] == ["河西街道", "卧牛河镇", "水利局", "民政局"]


def test_the_reference_choice_needs_no_more_pages(qtbot):
    wizard = CountyWizard()
    qtbot.addWidget(wizard)
    wizard.start.reference.setChecked(True)
    assert wizard.start.nextId() == -1 and wizard.setup() is None
