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
        raise ValidationError(f"{what}不能为空，请输入名称。")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"{what}过长（最多{MAX_NAME_LENGTH}个字），请缩短后再输入。")
    if name[0] in "=+-@":
        raise ValidationError(f"{what}不能以“{name[0]}”开头，请去掉该符号。")
    return name


def match_key(value: str) -> str:
    """Key used to match a typed or imported name against stored names (NFKC, no spaces)."""
    return unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")


def fold_digits(value: str) -> str:
    """Full-width digits and signs to ASCII."""
    return value.translate(_FULLWIDTH_DIGITS)


# ---- full-width punctuation next to Chinese (docs/glossary.md) -----------------------------------
_ASCII_TO_FULLWIDTH = {":": "：", ",": "，", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
# ASCII brackets that Qt reads: a menu mnemonic 撤销(&U), a file-dialog filter CSV 文件 (*.csv).
_MNEMONIC = re.compile(r"\(&[A-Za-z0-9]\)|\(\*\.[^()]*\)")


def is_chinese(ch: str) -> bool:
    """A CJK ideograph, CJK or full-width punctuation, or a Chinese quotation mark/ellipsis/dash."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x2FFF
        or 0x3000 <= o <= 0x303F
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFF60
        or ch in "“”‘’…—"
    )


def _neighbour(s: str, i: int, step: int) -> int:
    """Index of the nearest character from ``i`` in direction ``step`` that is not an ASCII space, or -1."""
    j = i + step
    while 0 <= j < len(s) and s[j] == " ":
        j += step
    return j if 0 <= j < len(s) else -1


def _protected(s: str) -> set[int]:
    return {i for m in _MNEMONIC.finditer(s) for i in range(m.start(), m.end())}


def ascii_punct_next_to_chinese(s: str) -> list[int]:
    """Positions of ASCII ``: , ; ( ) ? !`` with a Chinese character on either side (spaces skipped)."""
    skip = _protected(s)
    found = []
    for i, ch in enumerate(s):
        if ch in _ASCII_TO_FULLWIDTH and i not in skip:
            if any(j >= 0 and is_chinese(s[j]) for j in (_neighbour(s, i, -1), _neighbour(s, i, 1))):
                found.append(i)
    return found


def _partner(s: str, i: int) -> int:
    """Index of the bracket matching the one at ``i`` (ASCII or full-width), or -1."""
    opens, closes = "(\uff08", ")\uff09"  # ASCII and full-width  # punct-ok
    step = 1 if s[i] in opens else -1
    depth = 0
    j = i
    while 0 <= j < len(s):
        if s[j] in opens:
            depth += step
        elif s[j] in closes:
            depth -= step
        if depth == 0:
            return j
        j += step
    return -1


def to_fullwidth_punct(s: str) -> str:
    """ASCII ``: , ; ( ) ? !`` next to Chinese become ``：，；（）？！``; spaces around them are dropped.

    A bracket converts with its partner (``已新建{x}({y}),单位`` → ``已新建{x}（{y}），单位``), so a
    pair never ends up mixed. Latin and digits keep their ASCII punctuation (``Ctrl+C/Ctrl+V``,
    ``0914-6322055``), and a Qt mnemonic ``(&U)`` is left as it is. Every character maps to one
    character, except that spaces between a converted mark and its neighbours disappear.
    """
    chars = list(s)
    skip = _protected(s)
    converted: set[int] = set()
    changed = True
    while changed:  # a converted mark can make its neighbour convert: ),单 → ），单
        changed = False
        text = "".join(chars)
        for i in ascii_punct_next_to_chinese(text):
            if i in skip or i in converted:
                continue
            targets = [i]
            if chars[i] in "()":
                j = _partner(text, i)
                if j >= 0 and j not in skip and chars[j] in "()":
                    targets.append(j)
            for t in targets:
                chars[t] = _ASCII_TO_FULLWIDTH[chars[t]]
                converted.add(t)
            changed = True
    # Drop ASCII spaces that touch a converted mark.
    out = []
    for i, ch in enumerate(chars):
        if ch == " " and i not in skip:
            left = _neighbour_index_nonspace(chars, i, -1)
            right = _neighbour_index_nonspace(chars, i, 1)
            if (left in converted) or (right in converted):
                continue
        out.append(ch)
    return "".join(out)


def _neighbour_index_nonspace(chars: list[str], i: int, step: int) -> int:
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return j
