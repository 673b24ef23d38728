"""Published tables of other places replayed through the real command line, from ``init`` to ``show``
(issue 16): a new county's database (``init --county … --first-period … --group NAME=FILE``), its rule
(``rule set PERIOD --metric 名称=权重 … --rank …``), every unit's printed values (``set PERIOD UNIT
--metric 名称=值 …``), and ``show PERIOD --format csv`` compared with every published score and rank.

The data are ``tests/data/other_places/*.json`` (transcriptions with their sources; see the README there,
whose ``verify.py`` recomputes them with ``fractions.Fraction``). Each process is a separate
``python -m shangnan_desktop``, as another tool would call it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "other_places"


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def cli(db: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "shangnan_desktop", "--db", str(db), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def replay(tmp_path: Path, data: dict, period: str, rule_args: list[str]) -> list[list[str]]:
    """``init`` a county with the file's group(s), ``rule set``, one ``set`` per unit, then ``show`` as CSV."""
    db = tmp_path / "county.sqlite3"
    groups = []
    for i, g in enumerate(data["groups"]):
        names = tmp_path / f"group{i}.txt"
        names.write_text("".join(u["name"] + "\n" for u in g["units"]), encoding="utf-8")
        groups += ["--group", f"{g['name']}={names}"]
    office = ["--office", data["office"]] if data.get("office") else []
    cli(db, "init", "--county", data["county"], *office, "--first-period", period, *groups)
    cli(db, "rule", "set", period, *rule_args)
    for g in data["groups"]:
        for u in g["units"]:
            given = [a for name, value in u["values"].items() for a in ("--metric", f"{name}={value}")]
            cli(db, "set", period, u["name"], *given)
    out = cli(db, "show", period, "--format", "csv").stdout
    return list(csv.reader(io.StringIO(out)))


def by_unit(rows: list[list[str]]) -> dict[str, list[str]]:
    return {r[0]: r for r in rows[1:] if r and not r[0].startswith("#")}


def test_sichuan_land_2011_decimal_item_scores_competition_ranks(tmp_path):
    """四川省国土资源厅（inferred, see the file）附件2 “2011年市级国土资源管理部门政务信息网上公开情况排名表”:
    21 bureaus, five decimal item scores summed (成都市 74.4 + 8 + 7 + 4 + 3 = 96.4), 阿坝州 and 泸州市
    tied at 67, both 9th, the next 11th: competition ranking. No published slip."""
    data = load("sichuan_land_2011.json")
    names = [m["name"] for m in data["metrics"]]
    rule_args = [a for n in names for a in ("--metric", f"{n}=1")] + ["--decimal", *names, "--rank", "competition"]
    rows = replay(tmp_path, data, "2011", rule_args)
    assert rows[0] == ["单位", *names, "得分", "排名"]
    got = by_unit(rows)
    units = data["groups"][0]["units"]
    assert len(got) == len(units) == 21
    for u in units:
        row = got[u["name"]]
        assert [Decimal(v) for v in row[1:6]] == [Decimal(u["values"][n]) for n in names]
        assert Decimal(row[6]) == Decimal(u["published_score"]), u["name"]
        assert int(row[7]) == u["published_rank"], u["name"]
    assert got["阿坝州"][7] == got["泸州市"][7] == "9"
    assert "11" in {r[7] for r in got.values()} and "10" not in {r[7] for r in got.values()}


def test_zhalantun_2023q1_two_adoption_levels(tmp_path):
    """扎兰屯市 notice of 2023年4月13日, 附件1 市直各部门信息采用情况统计表 (2023年1-3月): 5 points per item
    adopted by 扎兰屯市政府网, 10 per item adopted by 呼伦贝尔市政府网, nothing for submitting. Only the first
    five rows are published in the stored copy (they are the group's ranks 1-5). No published slip."""
    data = load("zhalantun_2023q1.json")
    rows = replay(tmp_path, data, "2023Q1", ["--metric", "扎兰屯市政府网采用条数=5",
                                             "--metric", "呼伦贝尔市政府网采用条数=10", "--rank", "dense"])
    assert rows[0] == ["单位", "扎兰屯市政府网采用条数", "呼伦贝尔市政府网采用条数", "得分", "排名"]
    got = by_unit(rows)
    for u in data["groups"][0]["units"]:
        assert got[u["name"]][3] == u["published_score"]
        assert int(got[u["name"]][4]) == u["published_rank"]
    assert [r[0] for r in rows[1:]][:2] == ["扎兰屯市现代农业产业园服务中心", "水利局"]  # 35 + 3 beats 36 + 0


def test_huolingol_2018_five_points_per_adoption_no_rank(tmp_path):
    """霍林郭勒市人民政府办公室 霍政办字〔2018〕29号 (2018年3月6日), table (一) 各街道办事处, 2018年1-2月份
    (replayed as 2018M02): 5 points per item adopted by the city's own publications, no rank column, rows
    in unit order. No published slip."""
    data = load("huolingol_2018m01_02.json")
    rows = replay(tmp_path, data, "2018M02", ["--metric", "市本级采用=5", "--rank", "none"])
    units = data["groups"][0]["units"]
    assert [r[0] for r in rows[1:]] == [u["name"] for u in units]  # unit order, not score order
    assert [r[2] for r in rows[1:]] == [u["published_score"] for u in units] == ["5", "15", "5", "10", "25"]
    assert all(r[3] == "" for r in rows[1:])  # rank method none: the rank column stays empty


def test_tongzhou_forestry_2016m09_with_its_published_slip(tmp_path):
    """通州区园林绿化局办公室 “2016年9月信息报送及采用情况通报” (2016年10月8日), 附件1 局机关科室: 1 point per
    item submitted, 3 per item adopted (园林动态), adoptions capped by submissions, no rank column.
    Published slip: 城乡绿化科 prints 本月分数 3 with no submission and no adoption in its row; the rule
    gives 0 (the file's ``slips``), every other printed score is matched."""
    data = load("tongzhou_forestry_2016m09.json")
    rows = replay(tmp_path, data, "2016M09", ["--metric", "本月报送条数=1", "--metric", "园林动态采用条数=3",
                                              "--cap", "园林动态采用条数<=本月报送条数", "--rank", "none"])
    got = by_unit(rows)
    slips = {s["unit"]: s for s in data["slips"] if s["kind"] == "score"}
    assert set(slips) == {"城乡绿化科"}
    for u in data["groups"][0]["units"]:
        expected = slips[u["name"]]["computed"] if u["name"] in slips else u["published_score"]
        assert got[u["name"]][3] == expected, u["name"]
    assert got["城乡绿化科"][3] == "0" and slips["城乡绿化科"]["published"] == "3"  # the published slip


def test_a_capped_metric_over_its_bound_is_refused_and_not_stored(tmp_path):
    """The cap of the Tongzhou rule holds on the command line: more adoptions than submissions is refused."""
    data = load("tongzhou_forestry_2016m09.json")
    data["groups"][0]["units"] = data["groups"][0]["units"][:2]
    replay(tmp_path, data, "2016M09", ["--metric", "本月报送条数=1", "--metric", "园林动态采用条数=3",
                                       "--cap", "园林动态采用条数<=本月报送条数", "--rank", "none"])
    db = tmp_path / "county.sqlite3"
    name = data["groups"][0]["units"][0]["name"]
    bad = cli(db, "set", "2016M09", name, "--metric", "本月报送条数=1", "--metric", "园林动态采用条数=2", ok=False)
    assert bad.returncode == 2 and "不能多于本月报送条数" in bad.stderr
    bad = cli(db, "set", "2016M09", name, "--metric", "本月报送条数=1.5", ok=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
