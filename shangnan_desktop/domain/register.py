"""The register of website responsible persons (附件3): entries and their validation."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace

from shangnan_desktop.domain.errors import ValidationError
from shangnan_desktop.domain.text import clean_text, fold_digits

_SEPARATORS = re.compile(r"[、/,，;；\s]+")
_MOBILE = re.compile(r"^1\d{10}$")
# Area code: 010 and 02x are three digits, every other one four (0914 is Shangluo).
_LANDLINE = re.compile(r"^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$")
_QQ = re.compile(r"^[1-9]\d{4,10}$")
_DIGIT = re.compile(r"\d")
MAX_PHONES = 4
MAX_TITLE = 20

FIELDS = (
    ("leader_name", "分管领导姓名"),
    ("leader_title", "分管领导职务"),
    ("leader_phones", "分管领导联系电话"),
    ("admin_name", "管理人员姓名"),
    ("admin_title", "管理人员职务"),
    ("admin_phones", "管理人员联系电话"),
    ("qq", "QQ号码"),
)
FIELD_LABELS = dict(FIELDS)


def normalise_phone(text: str, *, label: str = "联系电话") -> str:
    """One phone number, normalised: ``13912345678`` or ``0914-6322055``."""
    raw = fold_digits(clean_text(text))
    digits = re.sub(r"[\s\-–—()（）]", "", raw)
    if not digits.isdigit():
        raise ValidationError(f"{label}“{raw}”含有非数字字符，请只填写号码。")
    if _MOBILE.match(digits):
        return digits
    m = _LANDLINE.match(digits)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    if len(digits) in (7, 8):
        raise ValidationError(f"{label}“{raw}”缺少区号，请写成“0914-6322055”的形式。")
    if digits.startswith("1"):
        raise ValidationError(f"{label}“{raw}”不是有效手机号：手机号应为1开头的11位数字。")
    raise ValidationError(
        f"{label}“{raw}”不是有效号码：手机号为1开头的11位数字，固话需带区号（如0914-6322055）。"
    )


def normalise_phones(text: str, *, label: str = "联系电话") -> tuple[str, ...]:
    """Several numbers separated by 、 / , or spaces; an empty cell gives ``()``."""
    text = fold_digits(clean_text(text or ""))
    if not text:
        return ()
    # Keep "(0914) 6322055" and "0914 6322055" together before splitting on spaces.
    text = re.sub(r"[(（]\s*(0\d{2,3})\s*[)）]\s*", r"\1-", text)
    text = re.sub(r"\b(0\d{2,3})\s+(\d{7,8})\b", r"\1-\2", text)
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) > MAX_PHONES:
        raise ValidationError(f"{label}最多填写{MAX_PHONES}个号码。")
    phones = tuple(normalise_phone(p, label=label) for p in parts)
    return tuple(dict.fromkeys(phones))


def normalise_qq(text: str) -> str:
    qq = fold_digits(clean_text(text or "")).replace(" ", "")
    if not qq:
        return ""
    if not _QQ.match(qq):
        raise ValidationError(f"QQ号码“{qq}”无效：应为5到11位数字，且不以0开头。")
    return qq


def normalise_person(text: str, *, label: str = "姓名") -> str:
    name = clean_text(text or "").replace(" ", "")
    if not name:
        return ""
    if _DIGIT.search(fold_digits(name)):
        raise ValidationError(f"{label}“{name}”不能含有数字。")
    if not 2 <= len(name) <= 20:
        raise ValidationError(f"{label}“{name}”应为2到20个字。")
    if name[0] in "=+-@":
        raise ValidationError(f"{label}不能以“{name[0]}”开头。")
    return name


def normalise_title(text: str, *, label: str = "职务") -> str:
    title = clean_text(text or "")
    if len(title) > MAX_TITLE:
        raise ValidationError(f"{label}最多{MAX_TITLE}个字。")
    if title and title[0] in "=+-@":
        raise ValidationError(f"{label}不能以“{title[0]}”开头。")
    return title


@dataclass(frozen=True)
class RegisterEntry:
    """One unit's responsible persons as confirmed on ``confirmed_on``."""

    unit_id: int
    leader_name: str = ""
    leader_title: str = ""
    leader_phones: tuple[str, ...] = ()
    admin_name: str = ""
    admin_title: str = ""
    admin_phones: tuple[str, ...] = ()
    qq: str = ""
    confirmed_on: _dt.date | None = None
    valid_from: str = field(default="", compare=False)
    valid_to: str | None = field(default=None, compare=False)

    @classmethod
    def build(cls, unit_id: int, confirmed_on: _dt.date | None = None, **values: object) -> "RegisterEntry":
        """Validate and normalise raw values (typed, pasted or imported)."""
        unknown = set(values) - set(FIELD_LABELS)
        if unknown:
            raise ValidationError(f"未知的登记项：{'、'.join(sorted(unknown))}")
        clean: dict[str, object] = {}
        for key, label in FIELDS:
            raw = values.get(key, "")
            if isinstance(raw, (tuple, list)):
                raw = "、".join(str(v) for v in raw)
            raw = "" if raw is None else str(raw)
            if key.endswith("_phones"):
                clean[key] = normalise_phones(raw, label=label)
            elif key.endswith("_name"):
                clean[key] = normalise_person(raw, label=label)
            elif key.endswith("_title"):
                clean[key] = normalise_title(raw, label=label)
            else:
                clean[key] = normalise_qq(raw)
        return cls(unit_id, confirmed_on=confirmed_on, **clean)  # type: ignore[arg-type]

    def with_values(self, confirmed_on: _dt.date | None = None, **values: object) -> "RegisterEntry":
        current = {k: getattr(self, k) for k, _ in FIELDS}
        current.update(values)
        return RegisterEntry.build(self.unit_id, confirmed_on or self.confirmed_on, **current)

    def display(self, key: str) -> str:
        value = getattr(self, key)
        return "、".join(value) if isinstance(value, tuple) else (value or "")

    @property
    def is_blank(self) -> bool:
        return not any(getattr(self, k) for k, _ in FIELDS)

    def personal_values(self) -> list[str]:
        """Every name, phone and QQ number in the entry: what must never reach a public export."""
        out = [self.leader_name, self.admin_name, self.qq, *self.leader_phones, *self.admin_phones]
        return [v for v in out if v]

    def same_data(self, other: "RegisterEntry") -> bool:
        return replace(self, confirmed_on=None) == replace(other, confirmed_on=None)


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
EARLIEST_DATE = _dt.date(2000, 1, 1)


def check_confirmed_date(day: _dt.date, today: _dt.date, *, raw: str | None = None,
                         label: str = "确认日期") -> _dt.date:
    """A confirmation date is a real day, not in the future and not before 2000."""
    shown = raw if raw is not None else day.isoformat()
    if day > today:
        raise ValidationError(f"{label}“{shown}”晚于今天（{today.isoformat()}），请核对。")
    if day < EARLIEST_DATE:
        raise ValidationError(f"{label}“{shown}”早于2000年，请核对。")
    return day


def parse_date(text: object, today: _dt.date, *, label: str = "确认日期") -> _dt.date | None:
    """A typed, pasted or given 确认日期: ``2021-07-20``, ``2021/7/20``, ``2021年7月20日`` or ``20210720``;
    empty → None. Refuses unreadable text, days that do not exist (2021-13-01) and future days.

    The one rule for the window, the command line and the import.
    """
    if isinstance(text, _dt.datetime):
        text = text.date()
    if isinstance(text, _dt.date):
        return check_confirmed_date(text, today, label=label)
    raw = fold_digits(clean_text("" if text is None else str(text)))
    if not raw:
        return None
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    m = compact or _DATE.match(raw)
    if not m:
        raise ValidationError(f"{label}“{raw[:20]}”无法识别，请写成“2021-07-20”的形式。")
    try:
        day = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValidationError(f"{label}“{raw}”不是有效日期（没有这一天），请核对。") from None
    return check_confirmed_date(day, today, raw=raw, label=label)


def edited_entry(unit_id: int, old: RegisterEntry | None, fields: dict[str, object], today: _dt.date,
                 *, date: object = None, date_given: bool = False) -> RegisterEntry:
    """The entry after editing ``fields`` (key → raw value) and maybe the date; raises ``ValidationError``.

    A change to the persons or numbers counts as confirmed today unless a date is given as well.
    """
    base = old or RegisterEntry(unit_id)
    unknown = set(fields) - set(FIELD_LABELS)
    if unknown:
        raise ValidationError(f"未知的登记项：{'、'.join(sorted(unknown))}")
    confirmed = parse_date(date, today) if date_given else base.confirmed_on
    keys = [k for k, _ in FIELDS]
    entry = RegisterEntry.build(unit_id, confirmed, **{k: fields.get(k, getattr(base, k)) for k in keys})
    if not date_given and not entry.same_data(base):
        entry = RegisterEntry.build(unit_id, today, **{k: getattr(entry, k) for k in keys})
    return entry


def is_stale(entry: RegisterEntry | None, today: _dt.date, max_age_days: int) -> bool:
    """No entry, a blank one, or one not confirmed within ``max_age_days``."""
    if entry is None or entry.is_blank or entry.confirmed_on is None:
        return True
    return (today - entry.confirmed_on).days > max_age_days
