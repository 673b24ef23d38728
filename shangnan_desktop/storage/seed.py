"""Loads the reference data (the notice's units and 2021 Q2 counts) into a new database."""

from __future__ import annotations

import json
from pathlib import Path

from shangnan_desktop.domain import Period, ScoringRule
from shangnan_desktop.resources import resource_path

REFERENCE_FILE = "data/notice-2021Q2.json"
REFERENCE_NOTICE_FILE = "data/notice-2021Q2-text.json"  # the notice's text and figures


def load_reference_data(store, path: Path | None = None, notice_path: Path | None = None) -> None:
    """Groups, units in the notice's order, the period's rule and counts, and the period's notice
    (text and figures, once the schema has the notices table), in one transaction."""
    path = path or resource_path(REFERENCE_FILE)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    notice = _reference_notice(notice_path, data["period"]) if _has_notices(store) else None
    period = Period.parse(data["period"])
    rule = ScoringRule.from_json(json.dumps(data["rule"]))
    with store.db.transaction() as conn:
        store.insert_period_row(conn, period, rule)
        period_id = conn.execute("SELECT id FROM periods WHERE key = ?", (period.key,)).fetchone()[0]
        conn.execute(
            "UPDATE periods SET centre_published = ? WHERE id = ?", (data.get("centre_published"), period_id)
        )
        for g_pos, group in enumerate(data["groups"], start=1):
            cur = conn.execute(
                "INSERT INTO groups (name, position, unit_header, annex_title) VALUES (?, ?, ?, ?)",
                (group["name"], g_pos, group.get("unit_header", "单位"), group["annex_title"]),
            )
            group_id = cur.lastrowid
            for u_pos, row in enumerate(group["rows"], start=1):
                unit_id = conn.execute(
                    "INSERT INTO units (group_id, name, position) VALUES (?, ?, ?)", (group_id, row["unit"], u_pos)
                ).lastrowid
                conn.execute(
                    "INSERT INTO entries (period_id, unit_id, name, position, submitted, adopted)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (period_id, unit_id, row["unit"], g_pos * 100000 + u_pos, row["submitted"], row["adopted"]),
                )
        if notice is not None:
            from shangnan_desktop.storage.notice_store import seed_notice

            seed_notice(conn, period_id, notice)


def _has_notices(store) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notices'"
    return store.conn.execute(sql).fetchone() is not None


def _reference_notice(path: Path | None, period_key: str) -> dict | None:
    """The reference notice's JSON (``resources/data/notice-2021Q2-text.json``) if it is the same period's."""
    path = Path(path) if path else resource_path(REFERENCE_NOTICE_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if data.get("period") == period_key else None
