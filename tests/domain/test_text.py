"""Text from anywhere: invisible characters, spaces, full-width digits, formula prefixes, length."""

import pytest

from shangnan_desktop.domain import ValidationError, parse_count
from shangnan_desktop.domain.text import clean_text, match_key, normalise_name


@pytest.mark.parametrize(
    "raw, name",
    [
        ("县\u200b文旅局", "县文旅局"),  # zero-width space
        ("\ufeff县文旅局\u202e", "县文旅局"),  # BOM and a bidi override
        ("　县 文旅局\t", "县文旅局"),  # 全角 and ASCII spaces, a tab
        ("县文旅局\x07", "县文旅局"),  # a control character
    ],
)
def test_names_are_cleaned(raw, name):
    assert normalise_name(raw) == name


@pytest.mark.parametrize("raw", ["", "   ", "\u200b", "=HYPERLINK(1)", "+1", "-县局", "@x", "局" * 41])
def test_bad_names_refused(raw):
    with pytest.raises(ValidationError):
        normalise_name(raw)


def test_matching_ignores_width_and_spaces():
    assert match_key("县　文旅局") == match_key("县文旅局")
    assert match_key("ＡＢＣ单位") == match_key("ABC单位")


def test_full_width_digits_and_invisible_characters_in_counts():
    assert parse_count("１２\u200b") == 12
    assert parse_count("\u3000７\u3000") == 7
    assert clean_text("a\r\nb") == "a b"
