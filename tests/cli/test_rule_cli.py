"""``rule show``, ``rule set``, ``init --county …`` and ``set --metric 名称=值`` (issue 16), run in process."""

from __future__ import annotations

import csv
import io

import pytest

from shangnan_desktop.cli import main
from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def county(capsys, tmp_path, period="2023H1", units="甲镇\n乙镇\n丙镇\n"):
    names = tmp_path / "units.txt"
    names.write_text(units, encoding="utf-8")
    db = tmp_path / "c.sqlite3"
    code, out, err = run(capsys, "--db", str(db), "init", "--county", "某县", "--office", "某县人民政府办公室",
                         "--first-period", period, "--group", f"镇办={names}")
    assert code == 0, err
    return db


def test_rule_show_of_the_reference_database(capsys, db_path):
    assert main(["--db", str(db_path), "init"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", str(db_path), "rule", "show", "2021Q2")
    assert code == 0
    assert out.splitlines() == [
        "2021年二季度的评分规则：",
        "报送信息：条数，每条计0.2分。",
        "采用信息：条数，每条计1分，不超过报送信息。",
        "排名方式：中国式排名。",
        "注：每上报一条信息计0.2分，采用一条信息计1分。",
    ]


@pytest.mark.parametrize("period, label", [("2023M01", "2023年1月"), ("2023Q1", "2023年一季度"),
                                           ("2023H1", "2023年上半年"), ("2023", "2023年度")])
def test_every_period_kind_from_init_to_show(capsys, tmp_path, period, label):
    db = county(capsys, tmp_path, period)
    code, out, _ = run(capsys, "--db", str(db), "set", period, "乙镇", "--submitted", "5", "--adopted", "2")
    assert code == 0 and label in out
    code, out, _ = run(capsys, "--db", str(db), "show", period, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [["单位", "报送信息", "采用信息", "得分", "排名"], ["乙镇", "5", "2", "3", "1"],
                    ["甲镇", "0", "0", "0", "2"], ["丙镇", "0", "0", "0", "2"]]
    code, out, _ = run(capsys, "--db", str(db), "show", period)
    assert f"{label}镇办信息采用情况统计表" in out


def test_rule_set_with_decimals_caps_and_no_rank(capsys, tmp_path):
    db = county(capsys, tmp_path, "2023M01")
    code, out, err = run(capsys, "--db", str(db), "rule", "set", "2023M01", "--metric", "报送信息=0.1234",
                         "--metric", "采用信息=2", "--metric", "考核分=1", "--decimal", "考核分",
                         "--cap", "采用信息<=报送信息", "--rank", "none")
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(db), "set", "2023M01", "丙镇", "--metric", "考核分=7.25",
                         "--metric", "报送信息=3", "--adopted", "1")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(db), "show", "2023M01", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["单位", "报送信息", "采用信息", "考核分", "得分", "排名"]
    assert rows[1:] == [["甲镇", "0", "0", "0", "0", ""], ["乙镇", "0", "0", "0", "0", ""],
                        ["丙镇", "3", "1", "7.25", "9.6202", ""]]  # 3 × 0.1234 + 2 + 7.25, unit order
    code, out, err = run(capsys, "--db", str(db), "set", "2023M01", "丙镇", "--metric", "采用信息=1.5")
    assert code == 2 and "Traceback" not in err
    code, out, err = run(capsys, "--db", str(db), "set", "2023M01", "丙镇", "--metric", "点击量=1")
    assert code == 2 and "评分规则中没有指标“点击量”" in err


@pytest.mark.parametrize("args, message", [
    (["--metric", "采用信息=1.00001", "--rank", "dense"], "最多保留4位小数"),
    (["--metric", "采用信息=1", "--decimal", "得分项", "--rank", "dense"], "不是本规则的指标"),
    (["--metric", "报送信息=1", "--metric", "采用信息=1", "--cap", "报送信息<=采用信息", "--rank", "dense"],
     "必须排在"),
])
def test_rule_set_refuses_a_bad_rule_with_a_chinese_message(capsys, tmp_path, args, message):
    db = county(capsys, tmp_path, "2023Q1")
    code, _out, err = run(capsys, "--db", str(db), "rule", "set", "2023Q1", *args)
    assert code == 2 and message in err
    code, out, _ = run(capsys, "--db", str(db), "rule", "show", "2023Q1")
    assert "报送信息：条数，每条计0.2分。" in out  # nothing changed


def test_rule_set_is_refused_for_a_locked_period(capsys, db_path):
    assert main(["--db", str(db_path), "init"]) == 0
    store = Store.open(db_path)
    store.set_locked(Period(2021, "Q", 2), True)
    store.close()
    capsys.readouterr()
    code, _out, err = run(capsys, "--db", str(db_path), "rule", "set", "2021Q2", "--metric", "采用信息=1",
                          "--metric", "报送信息=0", "--rank", "dense")
    assert code == 2 and "已定稿" in err


def test_init_county_needs_its_options_and_never_touches_an_existing_file(capsys, tmp_path):
    db = tmp_path / "n.sqlite3"
    code, _out, err = run(capsys, "--db", str(db), "init", "--county", "某县")
    assert code == 2 and "--first-period" in err and "--group" in err and not db.exists()
    names = tmp_path / "u.txt"
    names.write_bytes("甲镇\n".encode("gbk") + "乙镇\n".encode("gbk"))
    code, _out, err = run(capsys, "--db", str(db), "init", "--county", "某县", "--first-period", "2023Q1",
                          "--group", f"镇办={names}")
    assert code == 2 and "UTF-8" in err and not db.exists()
    db2 = county(capsys, tmp_path)
    code, _out, err = run(capsys, "--db", str(db2), "init", "--county", "某县", "--first-period", "2023Q1",
                          "--group", f"镇办={names}")
    assert code == 2 and "已存在" in err
