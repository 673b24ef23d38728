"""Text normalisation for anything a user types or pastes: names and numbers."""

from __future__ import annotations

import re
import unicodedata

from shangnan_desktop.domain.errors import ValidationError

MAX_NAME_LENGTH = 40
# Zero-width and other invisible format characters, bidi controls, BOM.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－＋．", "0123456789-+.")


def clean_text(value: str) -> str:
    """Strip invisible and control characters, fold every kind of space to one ASCII space."""
    value = _INVISIBLE.sub("", value)
    value = _CONTROL.sub("", value.replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return _SPACES.sub(" ", value).strip()


def normalise_name(value: str, *, what: str = "单位名称") -> str:
    """A unit name as stored: cleaned, no leading formula characters, bounded length.

    Internal spaces are removed entirely: Chinese unit names carry none, and a
    stray 全角 space between characters is the usual typing slip.
    """
    if not isinstance(value, str):
        raise ValidationError(f"{what}必须是文字。")
    name = clean_text(value).replace(" ", "")
    if not name:
        raise ValidationError(f"{what}不能为空,请输入名称。")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"{what}过长(最多{MAX_NAME_LENGTH}个字),请缩短后再输入。")
    if name[0] in "=+-@":
        raise ValidationError(f"{what}不能以“{name[0]}”开头,请去掉该符号。")
    return name


def match_key(value: str) -> str:
    """Key used to match a typed or imported name against stored names (NFKC, no spaces)."""
    return unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")


def fold_digits(value: str) -> str:
    """Full-width digits and signs to ASCII."""
    return value.translate(_FULLWIDTH_DIGITS)
