"""``export`` and ``import`` on the command line; where files go and how mistakes are reported."""

from __future__ import annotations

import openpyxl
import pytest

from shangnan_desktop import cli
from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.reports.export import parse_annexes, parse_formats, plan_targets, tables_for
from shangnan_desktop.reports.safe_write import ExportError

Q2 = Period.parse("2021Q2")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, store):
    return str(store.db.path)


def test_export_all_both_into_a_folder(capsys, db, tmp_path):
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "-o", str(tmp_path / "out"))
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted([
        "附件1_2021年二季度各镇（办）向县政府网站报送政务信息情况统计表.pdf",
        "附件1_2021年二季度各镇（办）向县政府网站报送政务信息情况统计表.xlsx",
        "附件2_2021年二季度县直有关部门向县政府网站报送政务信息情况统计表.pdf",
        "附件2_2021年二季度县直有关部门向县政府网站报送政务信息情况统计表.xlsx",
        "附件3_商南县政府网站管理责任人登记表.pdf",
        "附件3_商南县政府网站管理责任人登记表.xlsx",
    ])
    assert out.count("已导出") == 6 and "（共2页）" in out


def test_export_one_annex_to_a_file(capsys, db, tmp_path):
    target = tmp_path / "dept.xlsx"
    code, out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "2", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    assert openpyxl.load_workbook(target).sheetnames == ["附件2"]
    assert list(tmp_path.glob("*.xlsx")) == [target]


def test_export_mistakes_are_reported_in_chinese(capsys, db, tmp_path):
    code, _out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "4")
    assert code == 2 and "附件编号“4”无效" in err
    code, _out, err = run(capsys, "--db", db, "export", "2021Q2", "--annex", "1", "--format", "pdf",
                          "-o", str(tmp_path / "a.xlsx"))
    assert code == 2 and "扩展名" in err
    code, _out, err = run(capsys, "--db", db, "export", "2021Q2", "-o", str(tmp_path / "all.pdf"))
    assert code == 2 and "文件夹" in err
    code, _out, err = run(capsys, "--db", db, "export", "2031Q1")
    assert code == 2 and "没有2031年一季度" in err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.xlsx"))


def test_annex_and_format_choices(store):
    sheet = store.load_sheet(Q2)
    assert parse_annexes("all", sheet) == [1, 2, 3]
    assert parse_annexes("附件2", sheet) == [2]
    assert parse_annexes("1,3", sheet) == [1, 3]
    for bad in ("0", "x", "9"):
        with pytest.raises(DomainError):
            parse_annexes(bad, sheet)
    assert parse_formats("both") == ("xlsx", "pdf")
    with pytest.raises(DomainError):
        parse_formats("doc")


def test_plan_targets_file_or_folder(store, tmp_path):
    tables = tables_for(store.load_sheet(Q2), [1])
    assert plan_targets(tables, ["pdf"], tmp_path / "x.pdf") == [(tables[0], "pdf", tmp_path / "x.pdf")]
    [(_, _, inside)] = plan_targets(tables, ["pdf"], tmp_path)
    assert inside.parent == tmp_path and inside.name.startswith("附件1_")
    with pytest.raises(ExportError):
        plan_targets(tables, ["xlsx", "pdf"], tmp_path / "x.pdf")
