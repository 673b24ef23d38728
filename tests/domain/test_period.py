import pytest

from shangnan_desktop.domain import Period, ValidationError


def test_quarter_round_trip_and_label():
    p = Period.parse("2021Q2")
    assert (p.key, p.label, str(p.next()), str(Period.parse("2021q4").next())) == (
        "2021Q2", "2021年二季度", "2021Q3", "2022Q1")


def test_months_and_years_are_open():
    assert Period.parse("2021M7").key == "2021M07"
    assert Period.parse("2021M12").next().key == "2022M01"
    assert Period.parse("2021").label == "2021年"
    assert Period.parse("2021Q4") < Period.parse("2022Q1")


@pytest.mark.parametrize("text", ["2021Q5", "2021Q0", "21Q2", "二季度", "2021M13", "1999Q1", ""])
def test_bad_periods_refused(text):
    with pytest.raises(ValidationError):
        Period.parse(text)
