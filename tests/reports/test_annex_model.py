"""The one description of each annex: titles, columns, rank order, note, the registration form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shangnan_desktop.domain import NotFoundError, Period
from shangnan_desktop.reports.annex import (
    REGISTER,
    annex_table,
    annex_tables,
    register_table,
    safe_file_name,
    split_title,
    text_width,
)

Q2 = Period.parse("2021Q2")


def test_annex_numbers_follow_the_stored_groups(store):
    sheet = store.load_sheet(Q2)
    tables = annex_tables(sheet)
    assert [t.label for t in tables] == ["附件1", "附件2", "附件3"]
    assert [t.group for t in tables[:2]] == [g.name for g in store.groups()]
    assert tables[0].title == "2021年二季度各镇（办）向县政府网站报送政务信息情况统计表"
    assert tables[1].title == "2021年二季度县直有关部门向县政府网站报送政务信息情况统计表"
    assert tables[2].title == "商南县政府网站管理责任人登记表"
    assert tables[2].kind == REGISTER
    with pytest.raises(NotFoundError, match="附件4"):
        annex_table(sheet, 4)


def test_ranking_rows_follow_the_domain_rank_order(store):
    sheet = store.load_sheet(Q2)
    for i, group in enumerate(sheet.groups):
        table = annex_table(sheet, i + 1)
        assert [c.header for c in table.columns] == [group.group.unit_header, "报送信息", "采用信息", "得分", "排名"]
        expected = [(r.name, *r.counts, r.score, r.rank) for r in group.ranked()]
        assert [r.values for r in table.rows] == expected
        assert table.note == "注：每上报一条信息计0.2分，采用一条信息计1分。"  # full-width whatever the rule stores
    departments = annex_table(sheet, 2)
    assert len(departments.rows) == 52
    ranks = [r.values[-1] for r in departments.rows]
    assert ranks == sorted(ranks)
    # ties stay in unit order: 县审计局 before 县统计局 (both 6.2, rank 15), as in the notice
    names = [r.values[0] for r in departments.rows]
    assert names.index("县审计局") + 1 == names.index("县统计局")
    water = next(r for r in departments.rows if r.values[0] == "县水利局")
    assert water.values[3:] == (Decimal("0.2"), 27)
    assert {r.values[-1] for r in departments.rows if r.values[3] == 0} == {28}


def test_display_rows_print_scores_like_the_notice(store):
    table = annex_table(store.load_sheet(Q2), 1)
    shown = table.display_rows()
    assert shown[0] == ["过风楼镇", "27", "25", "30.4", "1"]
    assert ["青山镇", "10", "4", "6", "8"] in shown


def test_titles_break_where_the_notice_breaks():
    assert split_title("2021年二季度各镇（办）向县政府网站报送政务信息情况统计表") == (
        "2021年二季度各镇（办）向县政府网站", "报送政务信息情况统计表")
    assert split_title("2021年二季度县直有关部门向县政府网站报送政务信息情况统计表") == (
        "2021年二季度县直有关部门向县政府网站", "报送政务信息情况统计表")
    assert split_title("商南县政府网站管理责任人登记表") == ("商南县政府网站管理责任人登记表",)
    long = "很" * 45
    lines = split_title(long)
    assert "".join(lines) == long and all(text_width(x) <= 20 for x in lines)


def test_register_form_has_a_two_level_header_covering_every_column():
    table = register_table(3)
    assert table.header_rows == 2
    covered = {}
    for cell in table.header:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in covered, "header cells overlap"
                covered[(r, c)] = cell.text
    assert len(covered) == 2 * len(table.columns)
    assert covered[(0, 2)] == covered[(0, 4)] == "分管领导"
    assert covered[(0, 5)] == covered[(0, 7)] == "管理人员"
    assert covered[(1, 4)].replace("\n", "") == "联系电话（手机和固话）"
    assert covered[(0, 8)] == covered[(1, 8)] == "QQ号码"
    assert [r.values[0] for r in table.rows] == list(range(1, len(table.rows) + 1))
    assert all(v is None for r in table.rows for v in r.values[1:])


def test_the_notice_register_form_is_blank_and_public():
    table = register_table(3, min_rows=5)
    assert len(table.rows) == 5 and table.audience == "public" and table.handwritten
    assert [r.values[0] for r in table.rows] == [1, 2, 3, 4, 5]


def test_file_names_are_safe_on_windows(store):
    table = annex_table(store.load_sheet(Q2), 2)
    assert table.file_stem() == "附件2_2021年二季度县直有关部门向县政府网站报送政务信息情况统计表"
    assert safe_file_name('a/b:c*?"<>|') == "a_b_c______"


def test_filled_register_rows_come_from_register_entries():
    import datetime as dt

    from shangnan_desktop.domain.register import RegisterEntry
    from shangnan_desktop.domain.units import Group, Unit
    from shangnan_desktop.reports.register_export import RegisterUnit, filled_register_table

    entry = RegisterEntry.build(
        7, leader_name="张喆", leader_title="副局长", leader_phones="13912345678、0914 6322055",
        admin_name="李玥", admin_title="科员", admin_phones="13800000000", qq="123456",
    )
    group = Group(2, "县直部门", 2)
    units = [RegisterUnit(group, Unit(7, 2, "县民政局", 1), entry), RegisterUnit(group, Unit(8, 2, "县水利局", 2), None)]
    table = filled_register_table(units, 3, today=dt.date(2021, 8, 1))
    assert [r.values for r in table.rows] == [
        ("县直部门",) + (None,) * 8,
        (1, "县民政局", "张喆", "副局长", "13912345678\n0914-6322055", "李玥", "科员", "13800000000", "123456"),
        (2, "县水利局") + (None,) * 7,
    ]
    assert table.rows[1].unit_id == 7 and table.audience == "internal"
    assert [c.key for c in table.columns][1:] == ["unit", *(f for f in (
        "leader_name", "leader_title", "leader_phone", "admin_name", "admin_title", "admin_phone", "qq"))]