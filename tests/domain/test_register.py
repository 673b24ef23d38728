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


# ---- further accepted and refused examples, rule by rule --------------------------------


@pytest.mark.parametrize(
    "text, phones",
    [
        ("029-12345678", ("029-12345678",)),  # three-digit area codes: 010 and 02x
        ("02912345678", ("029-12345678",)),
        ("0914－6322055", ("0914-6322055",)),  # full-width hyphen
        ("(0914) 6322055", ("0914-6322055",)),
        ("13912345678，0914-6322055", ("13912345678", "0914-6322055")),  # full-width comma
        ("13912345678;13812345678", ("13912345678", "13812345678")),
        (" 13912345678 ", ("13912345678",)),
    ],
)
def test_more_phones_accepted(text, phones):
    assert normalise_phones(text) == phones


@pytest.mark.parametrize(
    "text, reason",
    [
        ("+8613912345678", "非数字"),
        ("0914-632205", "有效号码"),  # six-digit local number
        ("12345", "手机号"),
        ("0914-6322055、abc", "非数字"),
    ],
)
def test_more_phones_refused(text, reason):
    with pytest.raises(ValidationError, match=reason):
        normalise_phones(text)


@pytest.mark.parametrize("qq, stored", [(" 12345 ", "12345"), ("", ""), ("9" * 11, "9" * 11)])
def test_qq_normalised(qq, stored):
    assert normalise_qq(qq) == stored


@pytest.mark.parametrize("name, stored", [("张三", "张三"), ("张 三", "张三"), ("王" * 20, "王" * 20), ("", "")])
def test_names_at_the_limits(name, stored):
    assert normalise_person(name) == stored


@pytest.mark.parametrize("name, reason", [("张３", "数字"), ("李四1号", "数字"), ("王" * 21, "2到20"), ("@王五", "开头")])
def test_names_refused_with_reason(name, reason):
    with pytest.raises(ValidationError, match=reason):
        normalise_person(name)


def test_titles():
    from shangnan_desktop.domain.register import normalise_title

    assert normalise_title(" 党组成员、副局长 ") == "党组成员、副局长"
    assert normalise_title("职" * 20) == "职" * 20
    with pytest.raises(ValidationError, match="最多20个字"):
        normalise_title("职" * 21)
    with pytest.raises(ValidationError, match="开头"):
        normalise_title("+副局长")


def test_build_reports_the_field_in_its_message_and_accepts_lists():
    with pytest.raises(ValidationError, match="管理人员联系电话"):
        RegisterEntry.build(1, admin_phones="6322055")
    with pytest.raises(ValidationError, match="分管领导姓名"):
        RegisterEntry.build(1, leader_name="张3")
    entry = RegisterEntry.build(1, leader_phones=["13912345678", "09146322055"])
    assert entry.display("leader_phones") == "13912345678、0914-6322055"


def test_staleness_boundary():
    entry = RegisterEntry.build(1, dt.date(2021, 1, 1), admin_name="王五")
    assert not is_stale(entry, dt.date(2021, 1, 1) + dt.timedelta(days=180), 180)
    assert is_stale(entry, dt.date(2021, 1, 1) + dt.timedelta(days=181), 180)
    assert is_stale(RegisterEntry.build(1, None, admin_name="王五"), dt.date(2021, 1, 2), 180)  # never confirmed
