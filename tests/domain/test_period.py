import pytest

from shangnan_desktop.domain import Period, ValidationError


def test_quarter_round_trip_and_label():
    p = Period.parse("2021Q2")
    assert (p.key, p.label, str(p.next()), str(Period.parse("2021q4").next())) == (
        "2021Q2", "2021年二季度", "2021Q3", "2022Q1")


def test_months_and_years_are_open():
    assert Period.parse("2021M7").key == "2021M07"
    assert Period.parse("2021M12").next().key == "2022M01"
    assert Period.parse("2021").label == "2021年度"
    assert Period.parse("2021Q4") < Period.parse("2022Q1")


@pytest.mark.parametrize("text", ["2021Q5", "2021Q0", "21Q2", "二季度", "2021M13", "1999Q1", ""])
def test_bad_periods_refused(text):
    with pytest.raises(ValidationError):
        Period.parse(text)


@pytest.mark.parametrize(
    "typed, key",
    [
        ("2021年二季度", "2021Q2"),
        ("2021年第二季度", "2021Q2"),
        ("2021年第2季度", "2021Q2"),
        ("2021年 四季度", "2021Q4"),
        ("2021年7月", "2021M07"),
        ("2021年12月", "2021M12"),
        ("2021年十二月", "2021M12"),
        ("2021年度", "2021"),
        ("2021年", "2021"),
    ],
)
def test_periods_as_the_clerk_writes_them(typed, key):
    assert Period.parse(typed).key == key
    assert Period.parse(Period.parse(typed).label) == Period.parse(typed)  # the label reads back


@pytest.mark.parametrize("typed", ["2021年五季度", "2021年第季度", "二〇二一年度"])
def test_unreadable_chinese_periods_say_what_to_type(typed):
    with pytest.raises(ValidationError, match="2021年二季度"):
        Period.parse(typed)
    with pytest.raises(ValidationError, match="月份只能是1到12"):
        Period.parse("2021年13月")


def test_a_yearly_title_reads_nian_du():
    from shangnan_desktop.domain import Group

    group = Group(1, "县直部门", 1, annex_title="{period}{group}信息报送情况统计表")
    assert group.title(Period.parse("2021").label) == "2021年度县直部门信息报送情况统计表"
