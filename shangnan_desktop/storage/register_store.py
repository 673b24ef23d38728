"""The register of website responsible persons, with its history, in SQLite."""

from __future__ import annotations

import datetime as _dt
from typing import Iterable

from shangnan_desktop.domain.register import FIELDS, RegisterEntry

_COLUMNS = [k for k, _ in FIELDS]
_SELECT = "SELECT unit_id, " + ", ".join(_COLUMNS) + ", confirmed_on, valid_from, valid_to FROM register"


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="microseconds")


def _row_to_entry(row) -> RegisterEntry:
    unit_id, *values, confirmed, valid_from, valid_to = row
    data = dict(zip(_COLUMNS, values))
    for key in ("leader_phones", "admin_phones"):
        data[key] = tuple(p for p in data[key].split("、") if p)
    confirmed_on = _dt.date.fromisoformat(confirmed) if confirmed else None
    return RegisterEntry(unit_id, confirmed_on=confirmed_on, valid_from=valid_from, valid_to=valid_to, **data)


class RegisterStore:
    """Current entries, history and changes; every change is one transaction with an audit row."""

    def __init__(self, store) -> None:
        self.store = store
        self.conn = store.conn

    def current(self) -> dict[int, RegisterEntry]:
        return {r[0]: _row_to_entry(r) for r in self.conn.execute(_SELECT + " WHERE valid_to IS NULL")}

    def entry(self, unit_id: int) -> RegisterEntry | None:
        row = self.conn.execute(_SELECT + " WHERE valid_to IS NULL AND unit_id = ?", (unit_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def history(self, unit_id: int) -> list[RegisterEntry]:
        """Every entry the unit has had, oldest first."""
        rows = self.conn.execute(_SELECT + " WHERE unit_id = ? ORDER BY valid_from, id", (unit_id,))
        return [_row_to_entry(r) for r in rows]

    def on(self, unit_id: int, when: _dt.datetime | _dt.date) -> RegisterEntry | None:
        """Who was responsible for the unit at ``when`` (a date means the end of that day)."""
        if not isinstance(when, _dt.datetime):
            when = _dt.datetime.combine(when, _dt.time.max)
        stamp = when.isoformat(timespec="microseconds")
        row = self.conn.execute(
            _SELECT + " WHERE unit_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
            " ORDER BY valid_from DESC LIMIT 1",
            (unit_id, stamp, stamp),
        ).fetchone()
        return _row_to_entry(row) if row else None

    def set(self, entry: RegisterEntry) -> bool:
        return self.set_many([entry]) > 0

    def set_many(self, entries: Iterable[RegisterEntry], *, action: str = "修改登记表") -> int:
        """Store validated entries; unchanged ones are skipped. Returns how many changed."""
        entries = list(entries)
        names = {u.id: u.name for u in self.store.units()}
        changed = 0
        with self.store.db.transaction() as conn:
            for entry in entries:
                old = self.entry(entry.unit_id)
                if old is not None and old == entry:
                    continue
                now = _now()
                if old is not None:
                    conn.execute(
                        "UPDATE register SET valid_to = ? WHERE unit_id = ? AND valid_to IS NULL", (now, entry.unit_id)
                    )
                values = [entry.display(k) if k.endswith("_phones") else getattr(entry, k) for k in _COLUMNS]
                conn.execute(
                    "INSERT INTO register (unit_id, " + ", ".join(_COLUMNS) + ", confirmed_on, valid_from)"
                    " VALUES (?, " + ", ".join("?" for _ in _COLUMNS) + ", ?, ?)",
                    (
                        entry.unit_id,
                        *values,
                        entry.confirmed_on.isoformat() if entry.confirmed_on else None,
                        now,
                    ),
                )
                self.store.record_audit(
                    conn, action, None, entry.unit_id, names.get(entry.unit_id),
                    _audit_view(old), _audit_view(entry),
                )
                changed += 1
        return changed

    def max_age_days(self) -> int:
        return int(self.store.setting("register_max_age_days", "180") or 180)

    def set_max_age_days(self, days: int) -> None:
        self.store.set_setting("register_max_age_days", str(int(days)))


def _audit_view(entry: RegisterEntry | None) -> dict | None:
    if entry is None:
        return None
    view = {k: entry.display(k) for k in _COLUMNS}
    view["confirmed_on"] = entry.confirmed_on.isoformat() if entry.confirmed_on else None
    return view
