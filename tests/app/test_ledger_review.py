"""Review findings on the ledger's use cases (2026-11-30): each test fails on the code it was written against."""

from __future__ import annotations

import datetime as dt


from shangnan_desktop.app import ledger as ledger_app
from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import LedgerItem

Q2 = Period.parse("2021Q2")
Q3 = Period.parse("2021Q3")


def test_undo_in_two_quarters_after_an_item_was_deleted_in_one_and_added_in_the_other(ws):
    """Ids are the whole file's and SQLite reuses the highest free one: an item deleted in one quarter
    leaves its id to the next item added in another quarter. Each quarter has its own undo history, so
    the clerk can undo the deletion (the item comes back under a new id) and then undo the other
    quarter's addition: that undo must remove the added item, not look for it under the moved id."""
    from shangnan_desktop.app import counts

    counts.create_period(ws, Q3)
    unit = ws.find_unit("试马镇", Q2).id
    x = ledger_app.add_item(ws, Q2, LedgerItem.create(unit, "二季度的一条", dt.date(2021, 4, 3), "采用"))
    delete_x = ledger_app.delete_item(ws, Q2, x.result.id)           # 2021Q2's history
    add_y = ledger_app.add_item(ws, Q3, LedgerItem.create(unit, "三季度的一条", dt.date(2021, 7, 3), "采用"))
    assert add_y.result.id != x.result.id  # a deleted item's id is never given to another (migration 8)

    delete_x.undo(ws)  # back in 2021Q2: the item returns under its own id
    assert [i.id for i in ledger_app.items(ws, Q2)] == [x.result.id]
    assert [i.title for i in ledger_app.items(ws, Q2)] == ["二季度的一条"]
    add_y.undo(ws)  # back in 2021Q3: the addition is undone
    assert ledger_app.items(ws, Q3) == []
    assert [i.title for i in ledger_app.items(ws, Q2)] == ["二季度的一条"]


def test_a_hand_kept_ledger_whose_title_column_is_named_baosong_xinxi_is_not_refused(ws, tmp_path):
    """A hand-kept 台账 (issue 17 names it as a source) may head its title column 报送信息 and its status
    column 采用信息; its rows are titles and 采用/未采用, not counts. The window's mapping step refuses it
    as a counts table before the clerk can map a column (the command line imports it with --map)."""
    path = tmp_path / "台账.csv"
    path.write_text(
        "序号,单位,报送信息,采用信息,报送时间\n"
        "1,试马镇,试马镇召开春耕生产推进会,采用,2021-04-03\n"
        "2,试马镇,试马镇开展防汛演练,未采用,2021-05-06\n",
        encoding="utf-8",
    )
    guess = ledger_app.guess_columns(ws, path)  # refused with ValidationError on the reviewed code
    assert guess.headers[:3] == ["序号", "单位", "报送信息"]
    preview = ledger_app.preview_ledger(ws, Q2, path, mapping=["报送信息=标题", "采用信息=状态"])
    assert len(preview.rows) == 2


def test_redo_after_undoing_an_import_finds_the_imported_items_again(ws, tmp_path):
    """Import, edit an imported item, undo both, redo both: the edit's redo must find the item. Ids are
    never reused (migration 8), so the import's redo puts its items back under the ids they had."""
    from dataclasses import replace

    path = tmp_path / "文章列表.csv"
    path.write_text("标题,报送单位,报送时间,状态\n甲,试马镇,2021-04-02,已采用\n乙,试马镇,2021-04-03,未采用\n",
                    encoding="utf-8")
    imported = ledger_app.apply_ledger_import(ws, ledger_app.preview_ledger(ws, Q2, path))
    first = next(i for i in ledger_app.items(ws, Q2) if i.title == "甲")
    edited = ledger_app.edit_item(ws, Q2, replace(first, title="甲（改）"))
    edited.undo(ws)
    imported.undo(ws)
    assert ledger_app.items(ws, Q2) == []
    imported.redo(ws)
    assert {i.id for i in ledger_app.items(ws, Q2)} >= {first.id}
    edited.redo(ws)
    assert sorted(i.title for i in ledger_app.items(ws, Q2)) == ["乙", "甲（改）"]
    edited.undo(ws)
    imported.undo(ws)
    assert ledger_app.items(ws, Q2) == []
