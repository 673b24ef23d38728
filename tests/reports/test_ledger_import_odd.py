"""Odd article lists a careless clerk picks: each refused in Chinese (no English from a library) or read right."""

from __future__ import annotations

import re

import pytest

from shangnan_desktop.reports.ledger_import import read_table
from shangnan_desktop.reports.xlsx_guard import UnsafeFileError


def test_gb18030_text_behind_a_utf8_mark_is_read_as_gb18030(tmp_path):
    path = tmp_path / "文章列表.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "标题,来源,状态,报送时间\n春耕动员会,试马镇,已采用,2021-04-02\n".encode("gb18030"))
    table = read_table(path)
    assert table.encoding == "GB18030"
    assert table.rows[1][1] == ("春耕动员会", "试马镇", "已采用", "2021-04-02")


@pytest.mark.parametrize("body", ["标题," + "x" * 200_000, '标题,来源\n"未闭合的引号,试马镇\n' + "y" * 200_000])
def test_a_broken_csv_is_refused_in_chinese_only(tmp_path, body):
    path = tmp_path / "文章列表.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UnsafeFileError) as caught:
        read_table(path)
    message = str(caught.value)
    assert "文章列表.csv" in message and "第" in message
    assert not re.search(r"[A-Za-z]{3,}", message.replace("CSV", "").replace(".csv", "")), message
