"""The item ledger (信息台账) in SQLite: items per period, the per-unit source of counts, unit aliases and
remembered column mappings.

Counts derived from the ledger are written into the ``entries`` table for every unit whose source
is ``derived``: every view, export and ranking reads them as it reads typed totals. A unit without
a ``count_sources`` row is typed (the default; the 2021 Q2 reference has none). Every change is one
transaction with its audit rows; an import returns what undoes it in one step.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from shangnan_desktop.domain import NotFoundError, Period, ValidationError
from shangnan_desktop.domain.ledger import (
    DERIVED,
    MAX_FIELD,
    MAX_NOTE,
    MAX_TITLE,
    SOURCES,
    STATUS_ADOPTED,
    STATUSES,
    TYPED,
    CountSources,
    LedgerItem,
    PeriodLedger,
    UnitMatcher,
    derived_rule_counts,
    format_date,
    period_dates,
    source_label,
    title_key,
)
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.domain.text import match_key, normalise_name
from shangnan_desktop.storage import audit

_SELECT = (
    "SELECT id, unit_id, title, submitted_on, status, published_on, column_name, note, keep, source_row"
    " FROM ledger_items"
)
_INSERT = (
    "INSERT INTO ledger_items (period_id, unit_id, title, submitted_on, status, published_on, column_name, note,"
    " keep, source_row, title_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_WITH_ID = (
    "INSERT INTO ledger_items (id, period_id, unit_id, title, submitted_on, status, published_on, column_name, note,"
    " keep, source_row, title_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

# A period's counts from its stored items, by the rules of ``PeriodLedger``: an item dated outside
# the period (its date: submitted_on, else published_on; ISO text, so compared as text) and not kept
# is left out; the rest group by (unit, title_key). Of a group, one representative counts — its first
# adopted item, else its first (id order) — plus every other kept item. So per group:
#   submitted = 1 + kept − kept(rep),  adopted = any adopted + kept∧adopted − kept(rep)·any adopted,
# where kept(rep) is the low bit of the least ``id * 2 + keep`` (of the adopted items if any).
# ``ledger_items_count`` (migration 7) covers the query: one index range per unit, groups in order.
_COUNT_SQL = """
SELECT unit_id, SUM(1 + kept - rep_kept), SUM(any_adopted + kept_adopted - rep_kept * any_adopted) FROM (
    SELECT unit_id, SUM(keep) AS kept, SUM(keep AND status = :adopted) AS kept_adopted,
           MAX(status = :adopted) AS any_adopted,
           COALESCE(MIN(CASE WHEN status = :adopted THEN id * 2 + keep END), MIN(id * 2 + keep)) % 2 AS rep_kept
    FROM ledger_items
    WHERE period_id = :period AND unit_id IN (SELECT value FROM json_each(:units))
      AND (keep OR coalesce(submitted_on, published_on) IS NULL
           OR coalesce(submitted_on, published_on) BETWEEN :start AND :end)
    GROUP BY unit_id, title_key
) GROUP BY unit_id
"""
_NONE = {SUBMITTED: 0, ADOPTED: 0}

ACTION_IMPORT = "导入台账"
ACTION_UNDO_IMPORT = "撤销导入台账"
ACTION_ADD_ITEM = "新增台账信息"
ACTION_EDIT_ITEM = "修改台账信息"
ACTION_DELETE_ITEM = "删除台账信息"
ACTION_DERIVED = "按台账统计"  # counts rewritten from the ledger (old and new counts as lists, like 修改条数)
ACTION_SOURCE = "切换条数来源"
ACTION_ADD_ALIAS = "新增别名"
ACTION_REMOVE_ALIAS = "删除别名"


@lru_cache(maxsize=4096)  # a period has a few hundred distinct dates
def _day(text: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _item(row) -> LedgerItem:
    item_id, unit_id, title, submitted, status, published, column, note, keep, source_row = row
    return LedgerItem(
        unit_id=unit_id, title=title, submitted_on=_day(submitted), status=status, published_on=_day(published),
        column=column, note=note, source_row=source_row, keep=bool(keep), id=item_id,
    )


def _values(period_id: int, item: LedgerItem) -> tuple:
    return (
        period_id, item.unit_id, item.title, format_date(item.submitted_on) or None, item.status,
        format_date(item.published_on) or None, item.column, item.note, int(bool(item.keep)), item.source_row,
        title_key(item.title),
    )


class _Counted:
    """What ``PeriodLedger`` reads of an item to count it, read straight from the table: recounting a
    period of 20,000 items builds no full ``LedgerItem`` (the table's constraints checked them)."""

    __slots__ = ("id", "unit_id", "key", "submitted_on", "published_on", "status", "keep")

    def __init__(self, id, unit_id, key, submitted_on, published_on, status, keep) -> None:
        self.id, self.unit_id, self.key, self.status, self.keep = id, unit_id, key, status, bool(keep)
        self.submitted_on = _day(submitted_on)
        self.published_on = _day(published_on)


def _item_view(item: LedgerItem) -> dict:
    """An item as the audit log keeps it."""
    return {
        "title": item.title, "submitted_on": format_date(item.submitted_on), "status": item.status,
        "published_on": format_date(item.published_on), "column": item.column, "note": item.note,
        "keep": item.keep,
    }


def check_item(item: LedgerItem, where: str = "") -> LedgerItem:
    """What the table's constraints refuse, as a Chinese message (``where``: e.g. ``第12行：``)."""
    if not isinstance(item, LedgerItem):
        raise ValidationError(f"{where}台账信息无效。")
    if item.status not in STATUSES:
        raise ValidationError(f"{where}状态“{item.status}”无效，只能是“采用”“未采用”或“退回”。")
    if not item.title or item.title != item.title.strip():
        raise ValidationError(f"{where}标题不能为空，前后也不能有空格，请填写信息标题。")
    if len(item.title) > MAX_TITLE:
        raise ValidationError(f"{where}标题过长（{len(item.title)}个字，最多{MAX_TITLE}个字），请缩短。")
    if len(item.column) > MAX_FIELD:
        raise ValidationError(f"{where}栏目过长（最多{MAX_FIELD}个字），请缩短。")
    if len(item.note) > MAX_NOTE:
        raise ValidationError(f"{where}备注过长（最多{MAX_NOTE}个字），请缩短。")
    for day in (item.submitted_on, item.published_on):
        if day is not None and not isinstance(day, _dt.date):
            raise ValidationError(f"{where}日期无效，请按“2021-04-15”的格式填写。")
    if item.submitted_on and item.published_on and item.published_on < item.submitted_on:
        raise ValidationError(
            f"{where}发布日期{format_date(item.published_on)}早于报送日期{format_date(item.submitted_on)}，请核对日期。"
        )
    if item.source_row is not None and (
        isinstance(item.source_row, bool) or not isinstance(item.source_row, int) or item.source_row < 1
    ):
        raise ValidationError(f"{where}来源行号无效。")
    return item


@dataclass(frozen=True)
class ImportResult:
    """What an applied import did, and all that ``LedgerStore.undo_import`` needs to take it back."""

    period: Period
    item_ids: tuple[int, ...]
    previous_counts: Mapping[int, tuple[int, ...]]  # units whose stored counts changed: before
    counts: Mapping[int, tuple[int, ...]]  # the same units: after
    previous_sources: Mapping[int, str]  # units whose source changed: before (TYPED or DERIVED)
    alias_ids: tuple[int, ...]  # aliases remembered with the import
    signature: str = ""
    previous_mapping: Mapping[str, str] | None = None  # the mapping remembered before for ``signature``
    mapping_changed: bool = False
    file_name: str = ""


class LedgerStore:
    """Ledger items, count sources, unit aliases and column mappings of one ``Store``."""

    def __init__(self, store) -> None:
        self.store = store
        self.conn = store.conn

    # ---- periods -------------------------------------------------------
    def _period(self, period: Period) -> tuple[int, bool]:
        return self.store.period_state(period)

    def _writable(self, period: Period) -> int:
        return self.store.writable_period(period, "台账")

    def _entries(self, period_id: int) -> dict[int, tuple[str, int, int]]:
        """unit id → (name in the period, submitted, adopted)."""
        rows = self.conn.execute(
            "SELECT unit_id, name, submitted, adopted FROM entries WHERE period_id = ?", (period_id,)
        )
        return {u: (n, s, a) for u, n, s, a in rows}

    # ---- items ---------------------------------------------------------
    def items(self, period: Period, unit_id: int | None = None) -> list[LedgerItem]:
        """The period's items in the order they were stored (the ledger's order)."""
        period_id, _ = self._period(period)
        if unit_id is None:
            rows = self.conn.execute(_SELECT + " WHERE period_id = ? ORDER BY id", (period_id,))
        else:
            rows = self.conn.execute(
                _SELECT + " WHERE period_id = ? AND unit_id = ? ORDER BY id", (period_id, unit_id)
            )
        return [_item(r) for r in rows]

    def item(self, item_id: int) -> LedgerItem:
        row = self.conn.execute(_SELECT + " WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFoundError("台账中没有这条信息（可能已被删除）。")
        return _item(row)

    def ledger(self, period: Period) -> PeriodLedger:
        return PeriodLedger(period, self.items(period))

    def _check_units(self, entries: Mapping[int, tuple], items: Iterable[LedgerItem], period: Period) -> None:
        for item in items:
            if item.unit_id not in entries:
                name = self._unit_name(item.unit_id)
                raise NotFoundError(f"“{name}”不在{period.label}的单位名单中，请先把该单位加入本期。")

    def _unit_name(self, unit_id: int) -> str:
        row = self.conn.execute("SELECT name FROM units WHERE id = ?", (unit_id,)).fetchone()
        return row[0] if row else "该单位"

    def add_item(self, period: Period, item: LedgerItem) -> LedgerItem:
        """Store one item typed by hand (``item.id`` ignored: a new one is given); a derived unit's counts
        follow. Returns it with its id."""
        return self._add(period, item, None)

    def restore_item(self, period: Period, item: LedgerItem) -> LedgerItem:
        """Put a deleted item back (undo): under its old ``item.id`` while no other item holds it, so the
        ledger's order — which copy of a repeat counts — is as before; else under a new id."""
        free = item.id is not None and self.conn.execute(
            "SELECT 1 FROM ledger_items WHERE id = ?", (item.id,)
        ).fetchone() is None
        return self._add(period, item, item.id if free else None)

    def _add(self, period: Period, item: LedgerItem, item_id: int | None) -> LedgerItem:
        period_id = self._writable(period)
        check_item(item)
        entries = self._entries(period_id)
        self._check_units(entries, [item], period)
        counted = replace(item, id=item_id)  # with an id: counted in its place among the stored items
        plan = self._plan(period, period_id, entries, extra=[counted], units={item.unit_id})
        with self.store.db.transaction() as conn:
            if item_id is None:
                item_id = conn.execute(_INSERT, _values(period_id, item)).lastrowid
            else:
                conn.execute(_INSERT_WITH_ID, (item_id, *_values(period_id, item)))
            audit.record(conn, ACTION_ADD_ITEM, period, item.unit_id, entries[item.unit_id][0], None, _item_view(item))
            self._write_plan(conn, period, period_id, entries, plan)
        return self.item(item_id)

    def update_item(self, period: Period, item: LedgerItem) -> LedgerItem:
        """Replace a stored item (by ``item.id``); the counts of derived units involved follow."""
        period_id = self._writable(period)
        check_item(item)
        old = self.item(item.id) if item.id is not None else None
        if old is None or self.conn.execute(
            "SELECT period_id FROM ledger_items WHERE id = ?", (item.id,)
        ).fetchone()[0] != period_id:
            raise NotFoundError(f"{period.label}台账中没有这条信息。")
        entries = self._entries(period_id)
        self._check_units(entries, [item], period)
        plan = self._plan(period, period_id, entries, replace={item.id: item}, units={item.unit_id, old.unit_id})
        with self.store.db.transaction() as conn:
            conn.execute(
                "UPDATE ledger_items SET unit_id = ?, title = ?, submitted_on = ?, status = ?, published_on = ?,"
                " column_name = ?, note = ?, keep = ?, source_row = ?, title_key = ? WHERE id = ?",
                (*_values(period_id, item)[1:], item.id),
            )
            audit.record(
                conn, ACTION_EDIT_ITEM, period, item.unit_id, entries[item.unit_id][0], _item_view(old),
                _item_view(item),
            )
            self._write_plan(conn, period, period_id, entries, plan)
        return self.item(item.id)

    def delete_item(self, period: Period, item_id: int) -> LedgerItem:
        """Remove an item; returns it (to undo: ``restore_item``)."""
        period_id = self._writable(period)
        old = self.item(item_id)
        entries = self._entries(period_id)
        plan = self._plan(period, period_id, entries, replace={item_id: None}, units={old.unit_id})
        with self.store.db.transaction() as conn:
            conn.execute("DELETE FROM ledger_items WHERE id = ? AND period_id = ?", (item_id, period_id))
            audit.record(
                conn, ACTION_DELETE_ITEM, period, old.unit_id, entries.get(old.unit_id, ("",))[0], _item_view(old),
                None,
            )
            self._write_plan(conn, period, period_id, entries, plan)
        return old

    # ---- count sources ---------------------------------------------------
    def sources(self, period: Period) -> CountSources:
        period_id, _ = self._period(period)
        rows = self.conn.execute(
            "SELECT unit_id FROM count_sources WHERE period_id = ? AND source = ?", (period_id, DERIVED)
        )
        return CountSources({r[0] for r in rows})

    def source(self, period: Period, unit_id: int) -> str:
        return self.sources(period).source(unit_id)

    def check_typed_edit(self, period: Period, unit_id: int) -> None:
        """Raise ``DerivedCountsError`` (Chinese message) if the unit's counts come from the ledger."""
        period_id, _ = self._period(period)
        name = self._entries(period_id).get(unit_id, (self._unit_name(unit_id),))[0]
        self.sources(period).check_typed_edit(unit_id, name, period)

    def set_source(self, period: Period, unit_id: int, source: str) -> tuple[int, ...]:
        """Count the unit from its ledger (``DERIVED``) or from typed totals (``TYPED``).

        Switching to derived writes the ledger's counts; switching back to typed keeps the current
        numbers (the clerk types over them from there). Returns the unit's stored counts.
        """
        if source not in SOURCES:
            raise ValidationError(f"条数来源“{source}”无效。")
        period_id = self._writable(period)
        entries = self._entries(period_id)
        if unit_id not in entries:
            raise NotFoundError(f"“{self._unit_name(unit_id)}”不在{period.label}的单位名单中。")
        sources = self.sources(period)
        old = sources.source(unit_id)
        if old != source:
            sources.set_source(unit_id, source)
            plan = self._plan(period, period_id, entries, units={unit_id}, sources=sources)
            with self.store.db.transaction() as conn:
                self._write_source(conn, period_id, unit_id, source)
                audit.record(
                    conn, ACTION_SOURCE, period, unit_id, entries[unit_id][0], source_label(old), source_label(source)
                )
                self._write_plan(conn, period, period_id, entries, plan)
        return self.store.counts(period, unit_id)

    @staticmethod
    def _write_source(conn, period_id: int, unit_id: int, source: str) -> None:
        if source == TYPED:
            conn.execute("DELETE FROM count_sources WHERE period_id = ? AND unit_id = ?", (period_id, unit_id))
        else:
            conn.execute(
                "INSERT INTO count_sources (period_id, unit_id, source) VALUES (?, ?, ?)"
                " ON CONFLICT (period_id, unit_id) DO UPDATE SET source = excluded.source",
                (period_id, unit_id, source),
            )

    # ---- derived counts ----------------------------------------------------
    def _plan(
        self,
        period: Period,
        period_id: int,
        entries: Mapping[int, tuple[str, int, int]],
        *,
        extra: Sequence[LedgerItem] = (),
        replace: Mapping[int, LedgerItem | None] | None = None,
        units: Iterable[int] | None = None,
        sources: CountSources | None = None,
    ) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]]:
        """unit id → (old counts, new counts) for the derived units (of ``units``, default all) whose
        counts the ledger changes; validated before anything is written."""
        sources = sources if sources is not None else self.sources(period)
        wanted = set(sources.derived if units is None else set(units) & sources.derived)
        if not wanted:
            return {}
        if extra or replace:  # a change not stored yet (a preview): the domain counts the items
            items = self._counted_items(period_id, wanted)
            if replace:
                items = [replace.get(i.id, i) if i.id in replace else i for i in items]
                items = [i for i in items if i is not None]
            ordered = [*items, *extra]
            if any(e.id is not None for e in extra):  # an item put back under its id: the ledger's order is the ids'
                ordered.sort(key=lambda i: (i.id is None, i.id or 0))
            counts = PeriodLedger(period, ordered).counts()
        else:
            counts = self._stored_counts(period, period_id, wanted)
        keys = self.store.rule(period).keys
        plan = {}
        for unit_id in sorted(wanted):
            if unit_id not in entries:
                continue
            name, submitted, adopted = entries[unit_id]
            try:
                new = derived_rule_counts(counts.get(unit_id, _NONE), keys)
            except ValidationError as exc:
                raise ValidationError(f"“{name}”：{exc}") from None
            old = tuple({SUBMITTED: submitted, ADOPTED: adopted}[k] for k in keys)
            if new != old:
                plan[unit_id] = (old, new)
        return plan

    def _stored_counts(self, period: Period, period_id: int, units: set[int]) -> dict[int, dict[str, int]]:
        """unit id → {submitted, adopted} of the stored items of ``units``, counted by SQLite with
        ``PeriodLedger``'s rules (a property test holds the two equal)."""
        start, end = period_dates(period)
        counts = {}
        for unit_id, submitted, adopted in self.conn.execute(
            _COUNT_SQL,
            {"period": period_id, "start": start.isoformat(), "end": end.isoformat(), "adopted": STATUS_ADOPTED,
             "units": json.dumps(sorted(units))},
        ):
            counts[unit_id] = {SUBMITTED: submitted, ADOPTED: adopted}
        return counts

    def _counted_items(self, period_id: int, units: set[int]) -> list:
        """The period's items of ``units`` in ledger order, as much as counting needs."""
        sql = (
            "SELECT id, unit_id, title_key, submitted_on, published_on, status, keep FROM ledger_items"
            " WHERE period_id = ?"
        )
        rows = self.conn.execute(sql + " ORDER BY id", (period_id,))
        return [_Counted(*r) for r in rows if r[1] in units]

    def _write_plan(self, conn, period: Period, period_id: int, entries, plan) -> None:
        keys = self.store.rule(period).keys
        for unit_id, (old, new) in plan.items():
            values = dict(zip(keys, new))
            conn.execute(
                "UPDATE entries SET submitted = ?, adopted = ? WHERE period_id = ? AND unit_id = ?",
                (values.get(SUBMITTED, 0), values.get(ADOPTED, 0), period_id, unit_id),
            )
            audit.record(conn, ACTION_DERIVED, period, unit_id, entries[unit_id][0], list(old), list(new))

    def derived_counts(self, period: Period) -> dict[int, tuple[int, ...]]:
        """What the ledger gives each derived unit, in the rule's metric order (nothing written)."""
        period_id, _ = self._period(period)
        entries = self._entries(period_id)
        wanted = {u for u in self.sources(period).derived if u in entries}
        counts = self._stored_counts(period, period_id, wanted) if wanted else {}
        keys = self.store.rule(period).keys
        return {u: derived_rule_counts(counts.get(u, _NONE), keys) for u in sorted(wanted)}

    def recount(self, period: Period) -> dict[int, tuple[int, ...]]:
        """Write the ledger's counts for every derived unit whose stored counts differ; returns those changed."""
        period_id = self._writable(period)
        entries = self._entries(period_id)
        plan = self._plan(period, period_id, entries)
        if plan:
            with self.store.db.transaction() as conn:
                self._write_plan(conn, period, period_id, entries, plan)
        return {u: new for u, (_old, new) in plan.items()}

    # ---- import ----------------------------------------------------------
    def apply_import(
        self, preview, *, derive: bool = True, remember_mapping: bool = True, item_ids: Sequence[int] | None = None
    ) -> ImportResult:
        """Store an import preview (``reports.ledger_import.LedgerPreview``) in one transaction.

        Adds its items, the aliases the clerk chose, remembers the column mapping for the header
        signature and, with ``derive``, makes the imported units' counts derived from their ledgers;
        the counts of every derived unit touched are written into the counts table. Refused whole
        (nothing written) if a name is still unresolved, an item is invalid or a count impossible.
        ``item_ids``: the ids the items had when this import was applied before (redo after undo), so
        that later undo steps find them again; ids are never given to other items (migration 8).
        """
        period: Period = preview.period
        period_id = self._writable(period)
        if preview.unresolved():
            names = "、".join(f"“{u.name}”" for u in preview.unresolved()[:5])
            raise ValidationError(f"还有未选择单位的名称（{names}），请选择对应的单位或跳过，然后再导入。")
        items = preview.items()
        if not items:
            raise ValidationError("没有可导入的信息。")
        if item_ids is not None:
            if len(item_ids) != len(items):
                raise ValueError("item_ids must give one id per imported item")
            items = [replace(item, id=item_id) for item, item_id in zip(items, item_ids)]
        for item in items:
            check_item(item, f"第{item.source_row}行：" if item.source_row else "")
        entries = self._entries(period_id)
        self._check_units(entries, items, period)
        matcher = self.matcher()
        aliases = []
        for unit_id, name in preview.new_aliases():
            stored = matcher.add_alias(unit_id, name)
            aliases.append((unit_id, stored, match_key(stored)))
        sources = self.sources(period)
        previous_sources = {}
        if derive:
            for unit_id in dict.fromkeys(i.unit_id for i in items):
                if sources.source(unit_id) != DERIVED:
                    previous_sources[unit_id] = sources.source(unit_id)
                    sources.set_source(unit_id, DERIVED)
        touched = {i.unit_id for i in items}
        plan = self._plan(period, period_id, entries, extra=items, units=touched, sources=sources)
        signature = getattr(preview, "signature", "") or ""
        mapping = preview.mapping_by_header() if remember_mapping and signature else None
        previous_mapping = self.mappings().get(signature) if signature else None
        mapping_changed = mapping is not None and mapping != previous_mapping
        with self.store.db.transaction() as conn:
            if item_ids is None:
                ids = tuple(conn.execute(_INSERT, _values(period_id, item)).lastrowid for item in items)
            else:
                conn.executemany(_INSERT_WITH_ID, ((item.id, *_values(period_id, item)) for item in items))
                ids = tuple(item_ids)
            alias_ids = []
            for unit_id, stored, key in aliases:
                alias_ids.append(conn.execute(
                    "INSERT INTO unit_aliases (unit_id, alias, alias_key) VALUES (?, ?, ?)", (unit_id, stored, key)
                ).lastrowid)
                audit.record(conn, ACTION_ADD_ALIAS, None, unit_id, self._unit_name(unit_id), None, stored)
            for unit_id, old in previous_sources.items():
                self._write_source(conn, period_id, unit_id, DERIVED)
                audit.record(
                    conn, ACTION_SOURCE, period, unit_id, entries[unit_id][0], source_label(old),
                    source_label(DERIVED),
                )
            if mapping_changed:
                self._write_mapping(conn, signature, mapping)
            audit.record(
                conn, ACTION_IMPORT, period, None, None, None,
                {"file": preview.path.name, "items": len(ids), "units": len(touched)},
            )
            self._write_plan(conn, period, period_id, entries, plan)
        return ImportResult(
            period=period,
            item_ids=ids,
            previous_counts={u: old for u, (old, _new) in plan.items()},
            counts={u: new for u, (_old, new) in plan.items()},
            previous_sources=previous_sources,
            alias_ids=tuple(alias_ids),
            signature=signature,
            previous_mapping=previous_mapping,
            mapping_changed=mapping_changed,
            file_name=preview.path.name,
        )

    def undo_import(self, result: ImportResult) -> None:
        """Take an applied import back in one transaction: its items, aliases, sources, counts and mapping."""
        period = result.period
        period_id = self._writable(period)
        entries = self._entries(period_id)
        keys = self.store.rule(period).keys
        with self.store.db.transaction() as conn:
            ids = list(result.item_ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                conn.execute(
                    f"DELETE FROM ledger_items WHERE period_id = ? AND id IN ({','.join('?' * len(chunk))})",
                    (period_id, *chunk),
                )
            for alias_id in result.alias_ids:
                conn.execute("DELETE FROM unit_aliases WHERE id = ?", (alias_id,))
            for unit_id, source in result.previous_sources.items():
                self._write_source(conn, period_id, unit_id, source)
            for unit_id, old in result.previous_counts.items():
                if unit_id not in entries:
                    continue
                values = dict(zip(keys, old))
                conn.execute(
                    "UPDATE entries SET submitted = ?, adopted = ? WHERE period_id = ? AND unit_id = ?",
                    (values.get(SUBMITTED, 0), values.get(ADOPTED, 0), period_id, unit_id),
                )
            if result.mapping_changed:
                if result.previous_mapping is None:
                    conn.execute("DELETE FROM ledger_mappings WHERE signature = ?", (result.signature,))
                else:
                    self._write_mapping(conn, result.signature, result.previous_mapping)
            audit.record(
                conn, ACTION_UNDO_IMPORT, period, None, None,
                {"file": result.file_name, "items": len(ids)}, None,
            )

    # ---- aliases -----------------------------------------------------------
    def aliases(self) -> dict[int, list[str]]:
        """unit id → its aliases, in the order they were added."""
        out: dict[int, list[str]] = {}
        for unit_id, alias in self.conn.execute("SELECT unit_id, alias FROM unit_aliases ORDER BY id"):
            out.setdefault(unit_id, []).append(alias)
        return out

    def alias_list(self) -> list[tuple[int, str, str]]:
        """(unit id, the unit's current name, alias) for every alias, by unit order."""
        rows = self.conn.execute(
            """SELECT a.unit_id, u.name, a.alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id
               JOIN groups g ON g.id = u.group_id ORDER BY g.position, u.position, a.id"""
        )
        return [tuple(r) for r in rows]

    def matcher(self) -> UnitMatcher:
        """Every unit (retired ones too: old lists name them) with its stored aliases."""
        return UnitMatcher([(u.id, u.name) for u in self.store.units()], self.aliases())

    def add_alias(self, unit_id: int, alias: str) -> str:
        """Remember ``alias`` for the unit (normalised as unit names are); returns it as stored.

        Refused if another unit has the name or alias (compared after ``match_key``), or it is
        the unit's own name. Adding an alias the unit has already changes nothing.
        """
        matcher = self.matcher()
        stored = normalise_name(alias, what="别名")
        key = match_key(stored)
        unit_name = self._unit_name(unit_id)
        if key == match_key(unit_name):
            raise ValidationError(f"“{stored}”就是该单位的名称，不需要作为别名。")
        if key in {match_key(a) for a in matcher.aliases.get(unit_id, ())}:
            return stored
        stored = matcher.add_alias(unit_id, stored)
        with self.store.db.transaction() as conn:
            conn.execute(
                "INSERT INTO unit_aliases (unit_id, alias, alias_key) VALUES (?, ?, ?)", (unit_id, stored, key)
            )
            audit.record(conn, ACTION_ADD_ALIAS, None, unit_id, unit_name, None, stored)
        return stored

    def remove_alias(self, unit_id: int, alias: str) -> bool:
        """Forget one alias of the unit; ``False`` if it had none such."""
        key = match_key(alias)
        row = self.conn.execute(
            "SELECT id, alias FROM unit_aliases WHERE unit_id = ? AND alias_key = ?", (unit_id, key)
        ).fetchone()
        if row is None:
            return False
        with self.store.db.transaction() as conn:
            conn.execute("DELETE FROM unit_aliases WHERE id = ?", (row[0],))
            audit.record(conn, ACTION_REMOVE_ALIAS, None, unit_id, self._unit_name(unit_id), row[1], None)
        return True

    # ---- column mappings -----------------------------------------------------
    def mappings(self) -> dict[str, dict[str, str]]:
        """{header signature: {header: field}}: ``remembered`` for ``preview_ledger_import``."""
        return {s: json.loads(m) for s, m in self.conn.execute("SELECT signature, mapping FROM ledger_mappings")}

    def remember_mapping(self, signature: str, mapping: Mapping[str, str]) -> None:
        if not signature or len(signature) > 200:
            raise ValidationError("表头标识无效，无法记住列对应。")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
            raise ValidationError("列对应无效。")
        with self.store.db.transaction() as conn:
            self._write_mapping(conn, signature, mapping)

    @staticmethod
    def _write_mapping(conn, signature: str, mapping: Mapping[str, str]) -> None:
        conn.execute(
            "INSERT INTO ledger_mappings (signature, mapping) VALUES (?, ?)"
            " ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping",
            (signature, json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)),
        )
