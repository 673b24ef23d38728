"""The command line, run in-process through ``main``."""

import csv
import io
import subprocess
import sys

import pytest

from shangnan_desktop.cli import main
from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store
from tests.reference import DEPARTMENTS, TOWNSHIPS


def run(capsys, db, *args):
    if not db.exists():  # an explicit --db must exist (issue 12); ``init`` creates it
        assert main(["--db", str(db), "init"]) == 0
        capsys.readouterr()
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_csv_matches_notice(capsys, db_path):
    code, out, _ = run(capsys, db_path, "show", "2021Q2", "--group", "县直部门", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["单位", "报送信息", "采用信息", "得分", "排名"]
    want = [[n, str(s), str(a), sc, str(r)] for n, s, a, sc, r in DEPARTMENTS]
    want = [row[:4] + (["28"] if row[3] == "0" else row[4:]) for row in want]
    assert rows[1:] == want


def test_show_text_has_title_and_note(capsys, db_path):
    code, out, _ = run(capsys, db_path, "show", "2021Q2", "--group", "镇办")
    assert code == 0
    assert "2021年二季度各镇（办）向县政府网站报送政务信息情况统计表" in out
    assert "注：每上报一条信息计0.2分，采用一条信息计1分。" in out
    assert len([line for line in out.splitlines() if line.endswith(tuple("0123456789"))]) == len(TOWNSHIPS)


def test_set_then_show(capsys, db_path):
    code, out, _ = run(capsys, db_path, "set", "2021Q2", "试马镇", "--submitted", "30", "--adopted", "29")
    assert code == 0 and "已保存" in out
    assert Store.open(db_path).counts(Period.parse("2021Q2"), Store.open(db_path).find_unit("试马镇").id) == (30, 29)
    _, out, _ = run(capsys, db_path, "show", "2021Q2", "--group", "镇办", "--format", "csv")
    assert out.splitlines()[1] == "试马镇,30,29,35,1"


@pytest.mark.parametrize(
    "args, message",
    [
        (["set", "2021Q2", "试马镇", "--submitted", "-1"], "负数"),
        (["set", "2021Q2", "试马镇", "--adopted", "3"], "不能多于"),
        (["set", "2021Q2", "试马镇", "--submitted", "3.5"], "不是整数"),
        (["set", "2021Q2", "不存在局", "--submitted", "3"], "找不到单位"),
        (["set", "2021Q9", "试马镇", "--submitted", "3"], "季度只能是1到4"),
        (["show", "2022Q1"], "没有2022年一季度"),
        (["show", "2021Q2", "--group", "乡镇"], "没有名为"),
    ],
)
def test_errors_are_chinese_exit_2_and_write_nothing(capsys, db_path, args, message):
    Store.open(db_path).close()
    code, out, err = run(capsys, db_path, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    store = Store.open(db_path)
    assert store.counts(Period.parse("2021Q2"), store.find_unit("试马镇").id) == (2, 2)


def test_new_period_periods_and_summary(capsys, db_path):
    assert run(capsys, db_path, "new-period", "2021Q3")[0] == 0
    code, out, _ = run(capsys, db_path, "periods")
    assert out.splitlines() == ["2021Q2  2021年二季度", "2021Q3  2021年三季度"]
    code, out, _ = run(capsys, db_path, "summary", "2021Q2")
    assert "采用信息546条" in out and "共发布各类信息2315条" in out and "零报送单位16个" in out
    code, out, _ = run(capsys, db_path, "summary", "2021Q3")
    assert "零报送单位62个" in out


def test_bad_arguments_exit_2_in_chinese(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "shangnan_desktop", "--db", str(tmp_path / "x.db"), "show"],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 2 and "参数错误" in proc.stderr
