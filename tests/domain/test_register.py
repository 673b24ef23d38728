"""Validation of the register of website responsible persons (附件3)."""

import datetime as dt

import pytest

from shangnan_desktop.domain import ValidationError
from shangnan_desktop.domain.register import (
    RegisterEntry,
    is_stale,
    normalise_person,
    normalise_phones,
    normalise_qq,
)


@pytest.mark.parametrize(
    "text, phones",
    [
        ("13912345678", ("13912345678",)),
        ("0914-6322055", ("0914-6322055",)),
        ("09146322055", ("0914-6322055",)),
        ("(0914)6322055", ("0914-6322055",)),
        ("（0914）6322055", ("0914-6322055",)),
        ("0914 6322055", ("0914-6322055",)),
        ("010-12345678", ("010-12345678",)),
        ("１３９１２３４５６７８", ("13912345678",)),
        ("13912345678、0914-6322055", ("13912345678", "0914-6322055")),
        ("13912345678/09146322055", ("13912345678", "0914-6322055")),
        ("13912345678,13812345678 0914-6322055", ("13912345678", "13812345678", "0914-6322055")),
        ("13912345678、13912345678", ("13912345678",)),
        ("", ()),
    ],
)
def test_phones_accepted_and_normalised(text, phones):
    assert normalise_phones(text) == phones


@pytest.mark.parametrize(
    "text, reason",
    [
        ("6322055", "区号"),
        ("1391234567", "手机号"),
        ("139123456789", "手机号"),
        ("23912345678", "有效号码"),
        ("0914-63220a5", "非数字"),
        ("电话13912345678", "非数字"),
        ("13912345678、1、2、3、4", "最多"),
    ],
)
def test_bad_phones_refused(text, reason):
    with pytest.raises(ValidationError, match=reason):
        normalise_phones(text)


@pytest.mark.parametrize("qq", ["12345", "12345678901", "１２３４５６"])
def test_qq_accepted(qq):
    assert normalise_qq(qq).isdigit()


@pytest.mark.parametrize("qq", ["1234", "123456789012", "012345", "12a45", "-12345"])
def test_qq_refused(qq):
    with pytest.raises(ValidationError, match="QQ"):
        normalise_qq(qq)


@pytest.mark.parametrize("name", ["张喆", "欧阳娜娜", "阿依古丽·买买提"])
def test_names_accepted(name):
    assert normalise_person(name) == name


@pytest.mark.parametrize("name", ["张", "张3", "x" * 21, "=张三"])
def test_names_refused(name):
    with pytest.raises(ValidationError):
        normalise_person(name)


def test_entry_build_and_staleness():
    entry = RegisterEntry.build(
        7, dt.date(2021, 7, 20), leader_name=" 张喆 ", leader_phones="(0914)6322055", qq="123456"
    )
    assert entry.leader_name == "张喆" and entry.leader_phones == ("0914-6322055",)
    assert set(entry.personal_values()) == {"张喆", "0914-6322055", "123456"}
    assert not is_stale(entry, dt.date(2021, 8, 1), 180)
    assert is_stale(entry, dt.date(2022, 7, 20), 180)
    assert is_stale(None, dt.date(2021, 8, 1), 180)
    assert is_stale(RegisterEntry(7, confirmed_on=dt.date(2021, 8, 1)), dt.date(2021, 8, 1), 180)
    with pytest.raises(ValidationError, match="未知"):
        RegisterEntry.build(7, password="x")
