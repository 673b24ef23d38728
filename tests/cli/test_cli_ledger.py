"""The ledger and alias commands, each in a real process on a real database file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store

Q2 = Period.parse("2021Q2")
ROOT = Path(__file__).resolve().parents[2]

ROWS = [
    ("县文旅局开展安全检查", "商南县文化和旅游广电局", "2021-04-15", "已采用", "2021-04-16"),
    ("县文旅局开展安全检查", "商南县文化和旅游广电局", "2021-04-17", "未采用", ""),
    ("县文旅局推进全域旅游", "县文旅局", "2021/06/02", "退回", ""),
    ("试马镇召开会议", "试马镇", "2021年5月2日", "已采用", "2021-05-03"),
    ("试马镇七月活动", "试马镇", "2021-07-02", "已采用", "2021-07-03"),
]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "shangnan_desktop", *args, "--db", str(db)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "db.sqlite3"
    proc = subprocess.run(
        [sys.executable, "-m", "shangnan_desktop", "--db", str(path), "init"],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return path


def write_csv(path: Path, headers, rows, encoding="utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


def counts(db: Path, name: str) -> tuple[int, ...]:
    store = Store.open(db)
    try:
        return store.counts(Q2, store.find_unit(name, Q2).id)
    finally:
        store.close()


def test_preview_and_refused_import_leave_the_database_byte_identical(db, tmp_path):
    src = write_csv(tmp_path / "list.csv", ["标题", "信息来源", "报送时间", "审核状态", "发布时间"], ROWS, "gb18030")
    before = db.read_bytes()
    proc = cli(db, "ledger", "import", "2021Q2", str(src))
    assert proc.returncode == 0, proc.stderr
    assert "没有写入任何数据" in proc.stdout
    assert "“商南县文化和旅游广电局”（2条）：可能是：县文旅局" in proc.stdout  # closest unit offered
    assert db.read_bytes() == before
    proc = cli(db, "ledger", "import", "2021Q2", str(src), "--yes")  # an unknown name: refused whole
    assert proc.returncode == 2
    assert "未导入任何数据" in proc.stderr
    assert db.read_bytes() == before


def test_import_csv_with_alias_derives_counts_and_show_says_so(db, tmp_path):
    src = write_csv(tmp_path / "list.csv", ["标题", "信息来源", "报送时间", "审核状态", "发布时间"], ROWS, "gb18030")
    typed_before = counts(db, "试马镇")
    proc = cli(db, "alias", "add", "县文旅局", "商南县文化和旅游广电局")
    assert proc.returncode == 0 and "即“县文旅局”" in proc.stdout
    proc = cli(db, "alias", "list")
    assert "县文旅局" in proc.stdout and "商南县文化和旅游广电局" in proc.stdout
    proc = cli(db, "ledger", "import", "2021Q2", str(src), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "已导入5条信息" in proc.stdout
    # 县文旅局: the repeat counted once, the 退回 item submitted but not adopted
    assert counts(db, "县文旅局") == (2, 1)
    assert counts(db, "试马镇") == (1, 1) != typed_before  # the July item is listed, not counted
    proc = cli(db, "ledger", "show", "2021Q2")
    assert "试马镇：1，1（按台账统计）" in proc.stdout
    assert "否（不在本期）" in proc.stdout and "否（重复）" in proc.stdout
    proc = cli(db, "ledger", "show", "2021Q2", "--unit", "商南县文化和旅游广电局", "--format", "csv")
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == ["单位", "标题", "报送日期", "状态", "发布日期", "栏目", "备注", "计入"]
    assert [r[0] for r in rows[1:]] == ["县文旅局"] * 3


def test_typed_set_on_a_derived_unit_is_refused(db, tmp_path):
    src = write_csv(tmp_path / "list.csv", ["标题", "来源", "报送时间", "状态"], [r[:4] for r in ROWS[3:4]])
    assert cli(db, "ledger", "import", "2021Q2", str(src), "--yes").returncode == 0
    before = db.read_bytes()
    proc = cli(db, "set", "2021Q2", "试马镇", "--submitted", "9")
    assert proc.returncode == 2
    assert "按台账统计，不能直接修改" in proc.stderr and "直接输入" in proc.stderr
    assert db.read_bytes() == before
    assert counts(db, "试马镇") == (1, 1)
    assert cli(db, "set", "2021Q2", "富水镇", "--submitted", "9").returncode == 0  # a typed unit still types


def test_import_xlsx_with_map(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["题目", "报送者", "日期", "结果", "栏"])
    ws.append(["富水镇春耕", "富水镇", "2021-04-20", "已发布", "镇办动态"])
    ws.append(["富水镇夏收", "富水镇", "2021-06-20", "未采用", "镇办动态"])
    src = tmp_path / "list.xlsx"
    wb.save(src)
    proc = cli(db, "ledger", "import", "2021Q2", str(src), "--yes")
    assert proc.returncode == 2 and "请用“列名=字段”指定对应关系" in proc.stderr
    proc = cli(db, "ledger", "import", "2021Q2", str(src), "--map", "题目=标题", "--map", "报送者=单位",
               "--map", "日期=报送日期", "--map", "结果=状态", "--map", "栏=栏目", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert counts(db, "富水镇") == (2, 1)
    # the mapping is remembered for this header row: the next import needs no --map
    ws.append(["富水镇秋播", "富水镇", "2021-06-25", "已采用", ""])
    wb.save(src)
    proc = cli(db, "ledger", "import", "2021Q2", str(src))
    assert proc.returncode == 0 and "沿用上次的选择" in proc.stdout


def test_statements_for_one_unit_and_all(db, tmp_path):
    src = write_csv(tmp_path / "list.csv", ["标题", "来源", "报送时间", "状态"],
                    [r[:4] for r in ROWS if r[1] != "商南县文化和旅游广电局"])
    assert cli(db, "ledger", "import", "2021Q2", str(src), "--yes").returncode == 0
    out = tmp_path / "out"
    proc = cli(db, "ledger", "statement", "2021Q2", "--unit", "试马镇", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "试马镇2021年二季度政务信息报送明细.pdf", "试马镇2021年二季度政务信息报送明细.xlsx"]
    proc = cli(db, "ledger", "statement", "2021Q2", "--all", "-o", str(out / "all"))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (out / "all").iterdir())
    assert names == sorted(f"{u}2021年二季度政务信息报送明细.{x}" for u in ("县文旅局", "试马镇") for x in ("pdf", "xlsx"))
    ws = openpyxl.load_workbook(out / "试马镇2021年二季度政务信息报送明细.xlsx").active
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "试马镇召开会议" in texts and any("共报送1条，采用1条。" in t for t in texts)
    proc = cli(db, "ledger", "statement", "2021Q2", "-o", str(out))
    assert proc.returncode == 2  # --unit or --all is required


def test_source_switches_a_derived_unit_back_to_typed_and_again(db, tmp_path):
    src = write_csv(tmp_path / "list.csv", ["标题", "来源", "报送时间", "状态"], [r[:4] for r in ROWS[3:4]])
    assert cli(db, "ledger", "import", "2021Q2", str(src), "--yes").returncode == 0
    assert counts(db, "试马镇") == (1, 1)
    refused = cli(db, "set", "2021Q2", "试马镇", "--submitted", "9")
    assert refused.returncode == 2
    hint = "ledger source 2021Q2 --unit 试马镇 typed"
    assert f"命令行中可用“{hint}”切换。" in refused.stderr  # the refusal names the way back
    proc = cli(db, *hint.split())  # the command exactly as the refusal spells it
    assert proc.returncode == 0, proc.stderr
    assert "已将“试马镇”2021年二季度的条数来源改为“直接输入”：条数保持报送信息1，采用信息1" in proc.stdout
    assert "台账中的1条信息保留" in proc.stdout
    assert counts(db, "试马镇") == (1, 1)
    assert "（按台账统计）" not in cli(db, "ledger", "show", "2021Q2").stdout
    proc = cli(db, "set", "2021Q2", "试马镇", "--submitted", "9", "--adopted", "4")  # typed again: accepted
    assert proc.returncode == 0, proc.stderr
    assert counts(db, "试马镇") == (9, 4)

    before = db.read_bytes()
    proc = cli(db, *hint.split())  # already typed: said so, nothing written
    assert proc.returncode == 0 and "条数来源已是“直接输入”，没有改动（报送信息9，采用信息4）" in proc.stdout
    assert db.read_bytes() == before

    proc = cli(db, "ledger", "source", "2021Q2", "--unit", "试马镇", "derived")  # the ledger counts again
    assert proc.returncode == 0, proc.stderr
    assert "按台账中的1条信息统计为报送信息1，采用信息1（原来直接输入的是报送信息9，采用信息4" in proc.stdout
    assert counts(db, "试马镇") == (1, 1)
    assert "试马镇：1，1（按台账统计）" in cli(db, "ledger", "show", "2021Q2").stdout


def test_source_refusals_are_chinese_and_change_nothing(db, tmp_path):
    before = db.read_bytes()
    for args, message in [
        (("--unit", "试马镇", "manual"), "无效的选择：'manual'（可选：'typed', 'derived'）"),
        (("typed",), "缺少必需的参数：--unit"),
        (("--unit", "试马县", "typed"), "找不到单位“试马县”"),
    ]:
        proc = cli(db, "ledger", "source", "2021Q2", *args)
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr
        assert db.read_bytes() == before
    proc = cli(db, "ledger", "source", "2021Q9", "--unit", "试马镇", "typed")
    assert proc.returncode == 2 and "季度只能是1到4" in proc.stderr
    store = Store.open(db)
    try:
        store.set_locked(Q2, True)
    finally:
        store.close()
    before = db.read_bytes()
    proc = cli(db, "ledger", "source", "2021Q2", "--unit", "试马镇", "derived")
    assert proc.returncode == 2 and "已定稿" in proc.stderr and "错误：" in proc.stderr
    assert db.read_bytes() == before
    help_text = cli(db, "ledger", "source", "-h").stdout
    assert "typed：直接输入条数；derived：按台账统计" in help_text and "单位名称（或别名）" in help_text
