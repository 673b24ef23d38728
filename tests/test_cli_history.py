"""Across periods on the real command line (a separate process): ``show --compare``, cumulative ``show`` and
``export``, ``history`` (issue 15).

The database: the reference 2021Q2 (县直部门: 县融媒体中心 1st, 县文旅局 2nd, 县司法局 3rd) and a 2021Q3
typed in the test, in which 县文旅局 rises to 1st, 县融媒体中心 falls to 2nd, 县司法局 stays 3rd and the new
县数据局 comes 4th; 县扶贫局 is renamed 县乡村振兴局 from 2021Q3.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store

Q2, Q3 = Period(2021, "Q", 2), Period(2021, "Q", 3)


def cli(db, *args, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "shangnan_desktop", "--db", str(db), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def two_quarters(db_path):
    store = Store.open(db_path)
    try:
        assert [r.name for r in store.load_sheet(Q2).group("县直部门").ranked()[:3]] == ["县融媒体中心", "县文旅局", "县司法局"]
        store.create_period(Q3)
        fupin = store.find_unit("县扶贫局").id
        store.rename_unit(fupin, "县乡村振兴局", Q3)
        shuju = store.add_unit(store.group_by_name("县直部门").id, "县数据局", Q3).id
        ids = {n: store.find_unit(n).id for n in ("县文旅局", "县融媒体中心", "县司法局")}
        store.set_many(Q3, [(ids["县文旅局"], (100, 100)), (ids["县融媒体中心"], (50, 50)),
                            (ids["县司法局"], (40, 40)), (shuju, (30, 30)), (fupin, (7, 3))])
    finally:
        store.close()
    return db_path


def _csv(out: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out)))


def test_show_compare_rose_fell_stayed_new(two_quarters):
    code, out, err = cli(two_quarters, "show", "2021Q3", "--group", "县直部门", "--format", "csv", "--compare")
    assert code == 0, err
    rows = _csv(out)
    assert rows[0] == ["单位", "报送信息", "采用信息", "得分", "排名", "上期排名", "变化"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["县文旅局"][4:] == ["1", "2", "↑1"]  # rose
    assert by_name["县融媒体中心"][4:] == ["2", "1", "↓1"]  # fell
    assert by_name["县司法局"][4:] == ["3", "3", "持平"]  # stayed
    assert by_name["县数据局"][4:] == ["4", "", "新增"]  # new: no previous rank
    # the renamed unit is followed by identity: its previous rank is the one it had as 县扶贫局
    code, q2, _ = cli(two_quarters, "show", "2021Q2", "--group", "县直部门", "--format", "csv")
    was = {r[0]: r[4] for r in _csv(q2)[1:]}["县扶贫局"]
    assert by_name["县乡村振兴局"][5] == was

    code, text, _ = cli(two_quarters, "show", "2021Q3", "--group", "县直部门", "--compare")
    assert code == 0
    header = text.splitlines()[1].split()
    assert header[-3:] == ["排名", "上期排名", "变化"]


def test_show_without_compare_is_unchanged(two_quarters):
    code, out, _ = cli(two_quarters, "show", "2021Q3", "--group", "县直部门", "--format", "csv")
    assert code == 0
    assert _csv(out)[0] == ["单位", "报送信息", "采用信息", "得分", "排名"]


def test_cumulative_show_sums_by_hand(two_quarters):
    code, out, err = cli(two_quarters, "show", "2021Q2-2021Q3", "--group", "县直部门", "--format", "csv")
    assert code == 0, err
    rows = {r[0]: r for r in _csv(out)[1:]}
    # 县文旅局: 60/54 in Q2 (66) + 100/100 in Q3 (0.2 × 100 + 100 = 120)
    assert rows["县文旅局"][1:4] == ["160", "154", str(D(66) + D(120))]
    assert rows["县文旅局"][4] == "1"
    # the new unit carries its mark; the renamed one appears once under its latest name
    assert rows["县数据局（三季度起）"][1:4] == ["30", "30", "36"]
    assert "县扶贫局" not in rows and "县乡村振兴局" in rows

    code, text, _ = cli(two_quarters, "show", "2021Q2-2021Q3")
    assert code == 0
    assert "2021年2-3季度县直有关部门向县政府网站报送政务信息情况统计表" in text
    assert "县乡村振兴局原名县扶贫局。" in text


def test_cumulative_with_missing_periods_names_them(two_quarters):
    code, out, err = cli(two_quarters, "show", "2021")
    assert code == 2 and out == ""
    assert "缺少2021年一季度、2021年四季度" in err
    code, _, err = cli(two_quarters, "show", "2021H1")
    assert code == 2 and "缺少2021年一季度" in err
    code, _, err = cli(two_quarters, "export", "2021Q1-2021Q3", "--format", "pdf")
    assert code == 2 and "缺少2021年一季度" in err


def test_cumulative_export_xlsx_and_pdf_with_chart(two_quarters, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = cli(two_quarters, "export", "2021Q2-2021Q3", "--annex", "2", "--format", "both",
                         "-o", str(out_dir))
    assert code == 0, err
    xlsx = next(out_dir.glob("*.xlsx"))
    pdf = next(out_dir.glob("*.pdf"))
    ws = load_workbook(xlsx).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("2021年2-3季度县直有关部门" in c for c in cells)
    assert "县乡村振兴局" in cells
    plain_pages = len(PdfReader(str(pdf)).pages)

    chart_dir = tmp_path / "chart"
    code, _, err = cli(two_quarters, "export", "2021Q2-2021Q3", "--annex", "2", "--format", "pdf", "--chart",
                       "-o", str(chart_dir))
    assert code == 0, err
    reader = PdfReader(str(next(chart_dir.glob("*.pdf"))))
    assert len(reader.pages) > plain_pages
    last = reader.pages[-1].extract_text()
    assert "得分排名图" in reader.pages[plain_pages].extract_text() or "得分排名图" in last


def test_export_single_period_with_compare_columns(two_quarters, tmp_path):
    code, _, err = cli(two_quarters, "export", "2021Q3", "--annex", "2", "--format", "xlsx", "--compare",
                       "-o", str(tmp_path / "a.xlsx"))
    assert code == 0, err
    ws = load_workbook(tmp_path / "a.xlsx").active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "上期排名" in cells and "变化" in cells and "新增" in cells and "↑1" in cells


def test_history_text_and_csv_follow_a_renamed_unit(two_quarters):
    code, out, err = cli(two_quarters, "history", "县乡村振兴局", "--format", "csv")
    assert code == 0, err
    rows = _csv(out)
    assert rows[0] == ["期间", "单位名称", "报送信息", "采用信息", "得分", "排名", "本组单位数", "变化"]
    assert [r[:5] for r in rows[1:]] == [["2021年二季度", "县扶贫局", "2", "2", "2.4"],
                                       ["2021年三季度", "县乡村振兴局", "7", "3", "4.4"]]
    # by its former name too: the same unit
    code, out_old, _ = cli(two_quarters, "history", "县扶贫局", "--format", "csv")
    assert code == 0 and out_old == out

    code, text, _ = cli(two_quarters, "history", "县文旅局")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "县文旅局各期报送情况"
    assert lines[2] == "2021年三季度：报送信息100条，采用信息100条，得分120，县直部门第1名（共53个单位），较上期↑1。"

    code, _, err = cli(two_quarters, "history", "不存在局")
    assert code == 2 and "找不到单位" in err
