"""Reading the audit log: who changed what and when, old and new values as the clerk reads them."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from shangnan_desktop.domain import DomainError, Period
from shangnan_desktop.domain.audit_text import action_text, value_text

logger = logging.getLogger(__name__)

HEADER = ("编号", "时间", "用户", "操作", "统计期", "单位", "原值", "新值")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    period_key: str | None
    unit_id: int | None
    unit_name: str | None
    old: object  # decoded JSON
    new: object


def _decode(text: str | None) -> object:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def audit_entries(store, period: Period | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Audit rows oldest first; with ``limit`` the newest ``limit`` of them."""
    sql = "SELECT id, at, user, action, period_key, unit_id, unit_name, old, new FROM audit"
    args: list[object] = []
    if period is not None:
        sql += " WHERE period_key = ?"
        args.append(period.key)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    rows = store.conn.execute(sql, args).fetchall()
    return [AuditEntry(*r[:7], _decode(r[7]), _decode(r[8])) for r in reversed(rows)]


class _Labels:
    """Metric labels per period, looked up once."""

    def __init__(self, store) -> None:
        self.store = store
        self.cache: dict[str, list[str] | None] = {}

    def __call__(self, period_key: str | None) -> list[str] | None:
        if period_key is None:
            return None
        if period_key not in self.cache:
            try:
                rule = self.store.rule(Period.parse(period_key))
                self.cache[period_key] = [m.label for m in rule.metrics]
            except DomainError:  # the period was deleted since
                self.cache[period_key] = None
        return self.cache[period_key]


def describe(action: str, value: object, labels: list[str] | None = None) -> str:
    """A value from the log as words (``domain.audit_text.value_text``): ``报送信息12条，采用信息3条``,
    ``已定稿``, a name, or a register entry as a sentence ``分管领导姓名：李明；…``."""
    return value_text(action, value, labels)


def period_text(period_key: str | None) -> str:
    if not period_key:
        return ""
    try:
        return Period.parse(period_key).label
    except DomainError:
        return period_key


def audit_rows(store, period: Period | None = None, limit: int | None = None) -> list[tuple[str, ...]]:
    """The log as display strings in ``HEADER`` order."""
    labels = _Labels(store)
    out = []
    for e in audit_entries(store, period, limit):
        names = labels(e.period_key)
        out.append(
            (
                str(e.id),
                e.at.replace("T", " "),
                e.user,
                action_text(e.action),
                period_text(e.period_key),
                e.unit_name or "",
                describe(e.action, e.old, names),
                describe(e.action, e.new, names),
            )
        )
    return out


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def record(
    conn,
    action: str,
    period: Period | None = None,
    unit_id: int | None = None,
    unit_name: str | None = None,
    old: object = None,
    new: object = None,
) -> None:
    """Write one audit row inside the caller's transaction (``conn`` from ``Database.transaction``).

    The same row ``Store`` writes for its own changes: time, operating-system user, action, period,
    unit, and the old and new values as JSON.
    """
    import datetime as _dt

    from shangnan_desktop.storage.instance import os_user

    conn.execute(
        "INSERT INTO audit (at, user, action, period_key, unit_id, unit_name, old, new) VALUES (?,?,?,?,?,?,?,?)",
        (
            _dt.datetime.now().isoformat(timespec="seconds"),
            os_user(),
            action,
            period.key if period else None,
            unit_id,
            unit_name,
            json.dumps(old, ensure_ascii=False) if old is not None else None,
            json.dumps(new, ensure_ascii=False) if new is not None else None,
        ),
    )
