"""Issue 12, wrong numbers: a count is digits (ASCII or full-width) and optional spaces, nothing else."""

import pytest

from shangnan_desktop.domain import Period, ValidationError, parse_count
from shangnan_desktop.storage import Store
from tests.trust.cli import cli, db_files, digest

AMBIGUOUS = ["1,2", "3,5", "1，2", "1、2", "1 2", "1e3", "1E3", "1_0", "0x10", "1.0", "3.", ".5", "+3", "１,２",
             "١٢", "²", "Ⅻ", "十二", "12条", "1/2", "inf", "nan", "--1", "3-", "1;2", "12abc"]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_parser_refuses_anything_but_digits(text):
    with pytest.raises(ValidationError):
        parse_count(text)


@pytest.mark.parametrize("text, value", [("12", 12), ("１２", 12), (" 7 ", 7), ("\u30007\u3000", 7),
                                         ("0", 0), ("007", 7), ("9999", 9999), ("", 0), ("  ", 0),
                                         ("1\u200b2", 12)])
def test_parser_reads_what_a_person_reads(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (0.0, 0), (None, 0)])
def test_numeric_cells_must_be_whole(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", [2.5, 1e-9, 3.0000001, float("nan"), float("inf"), 1e6, -1.0, True])
def test_numeric_cells_that_are_not_counts_refused(value):
    with pytest.raises(ValidationError):
        parse_count(value)


def test_comma_message_says_two_numbers():
    with pytest.raises(ValidationError) as err:
        parse_count("1,2", label="报送信息")
    assert "两个数" in str(err.value)


@pytest.mark.parametrize("value", ["1,2", "3,5", "1e3", "1_0", "1 2", "+3", "١٢"])
def test_cli_set_refuses_and_database_is_byte_identical(seeded, value):
    before = digest(*db_files(seeded))
    result = cli("set", "2021Q2", "试马镇", "--submitted", value, db=seeded)
    assert result.code == 2, result
    assert "Traceback" not in result.err and "错误" in result.err
    assert digest(*db_files(seeded)) == before
    store = Store.open(seeded, readonly=True)
    try:
        assert store.counts(Period.parse("2021Q2"), store.find_unit("试马镇").id) == (2, 2)
    finally:
        store.close()


def test_cli_set_full_width_digits_stored_as_read(seeded):
    result = cli("set", "2021Q2", "试马镇", "--submitted", "１２", "--adopted", " 3 ", db=seeded)
    assert result.code == 0, result
    store = Store.open(seeded, readonly=True)
    try:
        assert store.counts(Period.parse("2021Q2"), store.find_unit("试马镇").id) == (12, 3)
    finally:
        store.close()
