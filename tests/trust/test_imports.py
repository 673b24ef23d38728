"""Issue 12: imports read what the clerk sees (visible sheets, every row), flag another period,
and stay bounded on hostile workbooks."""

import threading

import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.app.imports import preview_import
from shangnan_desktop.storage import Store
from tests.trust import hostile, rawxlsx
from tests.trust.cli import cli, digest

HEADER = ["单位", "报送信息", "采用信息"]
TITLE = "2021年二季度各镇(办)向县政府网站报送政务信息情况统计表"


def _counts(db, *names):
    store = Store.open(db, readonly=True)
    try:
        period = Period.parse("2021Q2")
        return [store.counts(period, store.find_unit(n).id) for n in names]
    finally:
        store.close()


def test_hidden_and_very_hidden_sheets_are_not_imported(seeded, tmp_path):
    book = rawxlsx.write(tmp_path / "附件1.xlsx", [
        ("镇办", rawxlsx.annex_rows(TITLE, HEADER, [["试马镇", 5, 4]]), "visible"),
        ("隐藏", rawxlsx.annex_rows(TITLE, HEADER, [["过风楼镇", 90, 90]]), "hidden"),
        ("深度隐藏", rawxlsx.annex_rows(TITLE, HEADER, [["赵川镇", 80, 80]]), "veryHidden"),
    ])
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 0, result
    assert "隐藏" not in result.out.splitlines()[0]
    assert _counts(seeded, "试马镇", "过风楼镇", "赵川镇") == [(5, 4), (27, 25), (22, 19)]


def test_only_a_hidden_annex_is_no_annex(seeded, tmp_path):
    book = rawxlsx.write(tmp_path / "附件1.xlsx", [
        ("说明", [(1, ["本表为空"])], "visible"),
        ("镇办", rawxlsx.annex_rows(TITLE, HEADER, [["试马镇", 5, 4]]), "veryHidden"),
    ])
    before = digest(seeded)
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 2 and "没有找到表头" in result.err, result
    assert digest(seeded) == before


@pytest.mark.parametrize("interruption", [
    [["说明:以下为补报"]], [["注:"]], [["备注"]], [[None]] * 1500, [["合计", 1, 1]], [["单位", None, None]],
])
def test_rows_after_a_note_or_a_gap_are_read(seeded, tmp_path, interruption):
    rows = [["试马镇", 5, 4], *interruption, ["过风楼镇", 30, 26], ["赵川镇", 23, 20]]
    numbered = [(i, r) for i, r in enumerate([[TITLE], HEADER, *rows], start=1) if r != [None]]
    book = rawxlsx.write(tmp_path / "附件1.xlsx", [("镇办", numbered, "visible")])
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 0, result
    assert _counts(seeded, "试马镇", "过风楼镇", "赵川镇") == [(5, 4), (30, 26), (23, 20)]
    assert "过风楼镇" not in result.out.split("文件中没有的单位")[-1] if "文件中没有的单位" in result.out else True


@pytest.mark.parametrize("title, file_name", [
    ("2021年一季度各镇(办)向县政府网站报送政务信息情况统计表", "附件1.xlsx"),
    ("2020年二季度各镇(办)信息报送情况统计表", "附件1.xlsx"),
    ("2021年第3季度统计表", "附件1.xlsx"),
    ("各镇(办)信息报送情况统计表", "附件1_2021Q1.xlsx"),
    ("各镇(办)信息报送情况统计表", "2021年7月统计.xlsx"),
])
def test_another_periods_workbook_is_flagged_and_needs_consent(seeded, tmp_path, title, file_name):
    book = rawxlsx.write(tmp_path / file_name, [("镇办", rawxlsx.annex_rows(title, HEADER, [["试马镇", 5, 4]]), "visible")])
    before = digest(seeded)
    preview = cli("import", "2021Q2", book, db=seeded)
    assert preview.code == 0 and "注意" in preview.out and "2021年二季度" in preview.out, preview
    refused = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert refused.code == 2 and "--other-period-ok" in refused.err, refused
    assert digest(seeded) == before
    done = cli("import", "2021Q2", book, "--yes", "--other-period-ok", db=seeded)
    assert done.code == 0, done
    assert _counts(seeded, "试马镇") == [(5, 4)]


@pytest.mark.parametrize("title, file_name", [
    (TITLE, "附件1.xlsx"), ("2021年度统计表", "附件1.xlsx"), ("2021年5月统计表", "附件1_2021Q2.xlsx"),
    ("各镇(办)统计表", "附件1 2021年二季度.xlsx"),
])
def test_same_period_is_not_flagged(seeded, tmp_path, title, file_name):
    book = rawxlsx.write(tmp_path / file_name, [("镇办", rawxlsx.annex_rows(title, HEADER, [["试马镇", 5, 4]]), "visible")])
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 0 and "注意" not in result.out, result


def test_window_preview_shows_another_period_in_red(seeded, tmp_path, qtbot):
    from shangnan_desktop.ui.import_dialog import ImportPreviewDialog

    book = rawxlsx.write(tmp_path / "附件1.xlsx", [
        ("镇办", rawxlsx.annex_rows("2021年一季度统计表", HEADER, [["试马镇", 5, 4]]), "visible")])
    store = Store.open(seeded)
    try:
        dialog = ImportPreviewDialog(preview_import(store, Period.parse("2021Q2"), book))
        qtbot.addWidget(dialog)
        assert dialog.period_warning is not None and "2021年一季度" in dialog.period_warning.text()
        assert "#c00000" in dialog.period_warning.styleSheet()
    finally:
        store.close()


def test_progress_and_cancel(seeded, tmp_path):
    book = hostile.many_numbers(tmp_path / "big.xlsx", sheets=2, rows=600, cols=5, header=False)
    seen = []
    store = Store.open(seeded)
    try:
        with pytest.raises(Exception) as err:
            preview_import(store, Period.parse("2021Q2"), book, progress=lambda n, s: seen.append(n))
        assert "没有找到表头" in str(err.value)
        good = rawxlsx.write(tmp_path / "ok.xlsx", [("镇办", rawxlsx.annex_rows(
            TITLE, HEADER, [["试马镇", 5, 4]] + [[f"未知{i}", 1, 0] for i in range(250)]), "visible")])
        seen.clear()
        preview_import(store, Period.parse("2021Q2"), good, progress=lambda n, s: seen.append(n))
        assert seen and seen == sorted(seen)
        stop = threading.Event()
        stop.set()
        from shangnan_desktop.reports.importer import ImportCancelled

        with pytest.raises(ImportCancelled):
            preview_import(store, Period.parse("2021Q2"), good, cancel=stop)
        calls = []

        def cancel_after_first():
            calls.append(1)
            return len(calls) > 1

        with pytest.raises(ImportCancelled):
            preview_import(store, Period.parse("2021Q2"), good, cancel=cancel_after_first)
    finally:
        store.close()


# ---- hostile workbooks: small versions in every run (what happens), full size in the slow run (how fast)

def test_sheet_far_longer_than_the_unit_list_refuses_the_file(seeded, tmp_path):
    book = hostile.many_numbers(tmp_path / "numbers.xlsx", sheets=3, rows=800, cols=30)
    before = digest(seeded)
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 2 and "远多于单位数" in result.out, result
    assert digest(seeded) == before


def test_huge_shared_string_table_refused(seeded, tmp_path):
    book = hostile.many_shared_strings(tmp_path / "shared.xlsx", count=60_000)
    result = cli("import", "2021Q2", book, db=seeded)
    assert result.code == 2 and "文字条目超过" in result.err, result


@pytest.mark.parametrize("builder", [hostile.giant_name, hostile.giant_inline_name])
def test_giant_cell_text_refused(seeded, tmp_path, builder):
    book = builder(tmp_path / "giant.xlsx", chars=200_000)
    result = cli("import", "2021Q2", book, db=seeded)
    assert result.code == 2 and "超过32767个字" in result.err, result


def test_long_but_legal_text_is_still_read(seeded, tmp_path):
    rows = rawxlsx.annex_rows(TITLE, HEADER, [["试马镇", 5, 4], ["很" * 30000, 1, 0]])
    book = rawxlsx.write(tmp_path / "附件1.xlsx", [("镇办", rows, "visible")])
    result = cli("import", "2021Q2", book, "--yes", db=seeded)
    assert result.code == 0 and "未匹配的单位1个" in result.out, result


@pytest.mark.slow
def test_full_size_hostile_workbooks_within_2s_and_300mb():
    """The issue's three cases at full size, each in its own process (bench/hostile_imports.py)."""
    from bench.hostile_imports import LIMIT_MB, LIMIT_SECONDS, run

    for name, _size, r in run():
        assert r["seconds"] <= LIMIT_SECONDS and r["peak_mb"] <= LIMIT_MB, (name, r)
        assert r["outcome"].startswith("refused") or "refused" in r["outcome"], (name, r)
