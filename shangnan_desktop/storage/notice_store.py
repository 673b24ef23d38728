"""The quarterly notice (通报) per period in SQLite: one notice per period, every change one transaction
with its audit row.

The notice is kept as the JSON of ``Notice.to_dict()`` without the period (the row's period says it),
in one canonical form (keys in the domain's order, no spaces): the table's CHECK constraints mirror
what ``Notice.from_dict`` and ``validate_notice`` accept, so nothing else reaches the file.
"""

from __future__ import annotations

import json
from typing import Mapping

from shangnan_desktop.domain import NotFoundError, Period, ValidationError
from shangnan_desktop.domain.notice import Notice, next_notice
from shangnan_desktop.storage import audit

MAX_OFFICE = 60
MAX_NUMBER_PREFIX = 30
MAX_SERIAL = 99999
MAX_FIGURE = 99999  # a quarter's letters or items: five digits at most

ACTION_SET = "修改通报"
ACTION_CREATE = "新建通报"
ACTION_DELETE = "删除通报"


def notice_json(notice: Notice) -> str:
    """The notice as stored: ``to_dict()`` without the period, compact, Chinese kept as is."""
    data = notice.to_dict()
    data.pop("period")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def notice_from_json(period: Period, text: str) -> Notice:
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError("通报数据损坏，请恢复备份。") from None
    return Notice.from_dict({**data, "period": period.key})


def validate_notice(notice: Notice) -> Notice:
    """The checks the table's constraints mirror, as Chinese messages; returns the notice as it will read back."""
    if not isinstance(notice, Notice):
        raise ValidationError("通报数据无效。")
    if not notice.office.strip():
        raise ValidationError("发文机关不能为空，请填写，如“商南县人民政府办公室”。")
    if len(notice.office.strip()) > MAX_OFFICE:
        raise ValidationError(f"发文机关过长（最多{MAX_OFFICE}个字），请缩短。")
    if len(notice.number_prefix) > MAX_NUMBER_PREFIX:
        raise ValidationError(f"发文字号的机关代字过长（最多{MAX_NUMBER_PREFIX}个字），请缩短。")
    serial = notice.number_serial
    if serial is not None and (isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= MAX_SERIAL):
        raise ValidationError(f"发文字号的序号必须是1到{MAX_SERIAL}之间的整数，或留空。")
    if not notice.title.strip():
        raise ValidationError("通报标题不能为空，请填写标题。")
    f = notice.figures
    for label, value in (
        ("重点领域信息条数", f.key_area_published),
        ("依申请公开件数", f.disclosure_handled),
        ("受理网上问政信件数", f.letters_received),
        ("已处理网上问政信件数", f.letters_handled),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValidationError(f"{label}必须是不小于0的整数，或留空。")
        if value is not None and value > MAX_FIGURE:
            raise ValidationError(f"{label}（{value}）过大，最多{MAX_FIGURE}，请核对。")
    # What reads back is what is kept: a notice that does not survive the round trip is refused here.
    return notice_from_json(notice.period, notice_json(notice))


def _changes(old: Notice | None, new: Notice | None) -> tuple[dict | None, dict | None]:
    """The top-level fields that differ, old and new (whole notices for a creation or a deletion)."""
    a = json.loads(notice_json(old)) if old else None
    b = json.loads(notice_json(new)) if new else None
    if a is None or b is None:
        return a, b
    keys = [k for k in b if a.get(k) != b.get(k)]
    return {k: a.get(k) for k in keys}, {k: b[k] for k in keys}


class NoticeStore:
    """The notice of each period: read, replace, create from the previous period's, delete."""

    def __init__(self, store) -> None:
        self.store = store
        self.conn = store.conn

    def _period(self, period: Period) -> tuple[int, bool]:
        return self.store.period_state(period)

    def _writable(self, period: Period) -> int:
        return self.store.writable_period(period, "通报")

    # ---- reading -------------------------------------------------------
    def get(self, period: Period) -> Notice | None:
        """The period's notice, or ``None`` if it has none yet."""
        period_id, _locked = self._period(period)
        row = self.conn.execute("SELECT data FROM notices WHERE period_id = ?", (period_id,)).fetchone()
        return notice_from_json(period, row[0]) if row else None

    def periods(self) -> list[Period]:
        """Periods that have a notice, oldest first."""
        rows = self.conn.execute("SELECT p.key FROM notices n JOIN periods p ON p.id = n.period_id")
        return sorted(Period.parse(r[0]) for r in rows)

    def previous(self, period: Period) -> Notice | None:
        """The notice of the latest period before ``period`` that has one."""
        earlier = [p for p in self.periods() if p < period]
        return self.get(earlier[-1]) if earlier else None

    # ---- writing -------------------------------------------------------
    def set(self, notice: Notice) -> bool:
        """Store the notice of its period (creating or replacing it); one audit row with the changed fields.

        Returns ``False`` if nothing changed (then nothing is written).
        """
        notice = validate_notice(notice)
        period_id = self._writable(notice.period)
        old = self.get(notice.period)
        text = notice_json(notice)
        if old is not None and notice_json(old) == text:
            return False
        before, after = _changes(old, notice)
        with self.store.db.transaction() as conn:
            conn.execute(
                "INSERT INTO notices (period_id, data) VALUES (?, ?) "
                "ON CONFLICT (period_id) DO UPDATE SET data = excluded.data",
                (period_id, text),
            )
            audit.record(conn, ACTION_SET if old else ACTION_CREATE, notice.period, None, None, before, after)
        return True

    def update(self, period: Period, **fields) -> Notice:
        """Change some fields of the period's notice (``Notice`` field names); returns the stored notice."""
        from dataclasses import replace

        current = self.get(period)
        if current is None:
            raise NotFoundError(f"{period.label}还没有通报，请先新建。")
        try:
            notice = replace(current, **fields)
        except TypeError as exc:
            raise ValidationError(f"通报没有这一项：{exc}。") from None
        self.set(notice)
        return self.get(period)

    def create_next(self, period: Period, previous: Period | None = None) -> Notice:
        """The period's notice from the previous one's text (``domain.notice.next_notice``), stored.

        ``previous`` defaults to the latest earlier period with a notice. Refused if the period
        has a notice already or there is none to start from.
        """
        self._writable(period)
        if self.get(period) is not None:
            raise ValidationError(f"{period.label}已有通报，不能再新建。")
        source = self.get(previous) if previous is not None else self.previous(period)
        if source is None:
            raise NotFoundError(f"{period.label}之前没有可沿用的通报，请先填写一期通报。")
        notice = next_notice(source, period)
        self.set(notice)
        return self.get(period)

    def delete(self, period: Period) -> Notice | None:
        """Remove the period's notice (the undo of ``create_next``); returns what was removed."""
        period_id = self._writable(period)
        old = self.get(period)
        if old is None:
            return None
        with self.store.db.transaction() as conn:
            conn.execute("DELETE FROM notices WHERE period_id = ?", (period_id,))
            audit.record(conn, ACTION_DELETE, period, None, None, json.loads(notice_json(old)), None)
        return old


def seed_notice(conn, period_id: int, data: Mapping) -> None:
    """Insert a notice read from the reference JSON (inside the seeding transaction)."""
    notice = validate_notice(Notice.from_dict(data))
    conn.execute("INSERT INTO notices (period_id, data) VALUES (?, ?)", (period_id, notice_json(notice)))
