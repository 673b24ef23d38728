"""The application's data as domain objects: every user action is one transaction."""

from __future__ import annotations

from decimal import Decimal
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from shangnan_desktop.domain import (
    ADOPTED,
    SUBMITTED,
    Group,
    GroupSheet,
    LockedError,
    NotFoundError,
    Period,
    PeriodSheet,
    Row,
    ScoringRule,
    Unit,
    ValidationError,
    parse_count,
    validate_counts,
)
from shangnan_desktop.domain.rule import format_decimal
from shangnan_desktop.domain.rule_change import describe_rule, rescored, rule_for
from shangnan_desktop.domain.text import match_key, normalise_name
from shangnan_desktop.storage import audit
from shangnan_desktop.storage.backup import create_backup, good_backups
from shangnan_desktop.storage.db import Database
from shangnan_desktop.storage.network import network_share_reason

logger = logging.getLogger(__name__)
_COLUMNS = (SUBMITTED, ADOPTED)
MAX_CENTRE_PUBLISHED = 999999


def _plain(values: object) -> object:
    """Counts for the audit log's JSON: decimal scores as their text (``74.4``)."""
    if isinstance(values, (list, tuple)):
        return [format_decimal(v) if isinstance(v, Decimal) else v for v in values]
    return values


def _rule_text(rule: ScoringRule) -> str:
    """A rule as the audit log shows it: ``报送信息：条数，每条计0.2分；…；排名方式：中国式排名``."""
    return "；".join(line.rstrip("。") for line in describe_rule(rule) if not line.startswith("注"))


@dataclass(frozen=True)
class PeriodInfo:
    period: Period
    locked: bool


class Store:
    """Reads and writes groups, units, periods and counts through one ``Database``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn = db.conn

    # ---- opening -------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, seed: bool = True, fs_type=None) -> "Store":
        """Open (creating and seeding if new) and migrate the database at ``path``.

        The file is checked first (see ``Database``); if another copy of the
        application has it open, the store is read-only and ``readonly_reason`` says so.
        """
        if not readonly and seed and not Path(path).exists():
            cls._create(Path(path), fs_type)
        db = Database(path, readonly=readonly, fs_type=fs_type)
        store = cls(db)
        try:
            if not db.readonly:
                db.migrate()
                # Seeding is its own transaction after the migrations: a crash in between
                # leaves tables without data, which is seeded on the next open.
                if seed and store._holds_nothing():
                    from shangnan_desktop.storage.seed import load_reference_data  # a new database only

                    load_reference_data(store)
        except BaseException:
            db.close()
            raise
        return store

    @classmethod
    def create(cls, path: str | Path, loader, *, fs_type=None) -> "Store":
        """A new database at ``path`` (which must not exist) built whole by ``loader(store)`` (one
        transaction) under a temporary name, then opened; the reference data is not loaded."""
        path = Path(path)
        if path.exists():
            raise ValidationError(f"“{path}”已存在，没有做任何改动。")
        cls._create(path, fs_type, loader=loader)
        return cls.open(path, seed=False, fs_type=fs_type)

    @classmethod
    def _create(cls, path: Path, fs_type=None, *, loader=None) -> None:
        """Build a new database whole under a temporary name, then give it its name.

        The database's own path never holds a half-made file: a crash while creating leaves
        only the temporary file, and a 0-byte database can only mean damage (refused as such).
        If another process gives the name first, its database is kept and ours dropped.
        """
        import os
        import time
        import uuid

        if network_share_reason(path, fs_type) is not None or good_backups(path):
            return  # Database() refuses these with the right message
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f".{path.name}.creating-*"):
            try:
                if time.time() - stale.stat().st_mtime > 3600:
                    stale.unlink()
            except OSError:
                pass
        tmp = path.with_name(f".{path.name}.creating-{uuid.uuid4().hex[:12]}")
        try:
            store = cls(Database(tmp, fs_type=fs_type))
            try:
                store.db.migrate()

                if loader is None:
                    from shangnan_desktop.storage.seed import load_reference_data as loader
                loader(store)
            finally:
                store.close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # created meanwhile by another copy: use that one
            except OSError:  # no hard links here (FAT): rename, unless the name was taken meanwhile
                if not path.exists():
                    os.replace(tmp, path)
        finally:
            for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm", "-journal", ".lock"))):
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    pass

    def _holds_nothing(self) -> bool:
        """No groups, no periods and no audit rows: nothing a clerk entered could be lost."""
        return not self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM groups) OR EXISTS (SELECT 1 FROM periods) OR EXISTS (SELECT 1 FROM audit)"
        ).fetchone()[0]

    @property
    def readonly(self) -> bool:
        return self.db.readonly

    @property
    def readonly_reason(self) -> str | None:
        """Why this store is read-only when the caller asked to write (Chinese), else ``None``."""
        return self.db.readonly_reason

    @property
    def path(self) -> Path:
        return self.db.path

    def close(self) -> None:
        self.db.close()

    # ---- reading -------------------------------------------------------
    def groups(self) -> list[Group]:
        return [
            Group(*r)
            for r in self.conn.execute(
                "SELECT id, name, position, unit_header, annex_title FROM groups ORDER BY position, id"
            )
        ]

    def group_by_name(self, name: str) -> Group:
        for g in self.groups():
            if g.name == name.strip():
                return g
        names = "、".join(g.name for g in self.groups())
        raise NotFoundError(f"没有名为“{name}”的分组，可选：{names}。")

    def units(self, group_id: int | None = None, *, include_retired: bool = True) -> list[Unit]:
        sql = "SELECT id, group_id, name, position, active FROM units"
        where, args = [], []
        if group_id is not None:
            where.append("group_id = ?")
            args.append(group_id)
        if not include_retired:
            where.append("active = 1")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY group_id, position, id"
        return [Unit(i, g, n, p, bool(a)) for i, g, n, p, a in self.conn.execute(sql, args)]

    def unit(self, unit_id: int) -> Unit:
        row = self.conn.execute(
            "SELECT id, group_id, name, position, active FROM units WHERE id = ?", (unit_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError("没有这个单位。")
        return Unit(row[0], row[1], row[2], row[3], bool(row[4]))

    def periods(self) -> list[PeriodInfo]:
        rows = self.conn.execute("SELECT year, kind, number, locked FROM periods")
        return sorted((PeriodInfo(Period(y, k, n), bool(lk)) for y, k, n, lk in rows), key=lambda p: p.period)

    def latest_period(self) -> Period | None:
        quarters = [p.period for p in self.periods()]
        return quarters[-1] if quarters else None

    def _period_row(self, period: Period) -> tuple[int, str, bool, int | None]:
        row = self.conn.execute(
            "SELECT id, rule, locked, centre_published FROM periods WHERE key = ?", (period.key,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"没有{period.label}（{period.key}）的数据，请先新建该期间。")
        return row[0], row[1], bool(row[2]), row[3]

    def rule(self, period: Period) -> ScoringRule:
        return ScoringRule.from_json(self._period_row(period)[1])

    def load_sheet(self, period: Period) -> PeriodSheet:
        """The period's rows per group in unit order, ready for live scoring."""
        period_id, rule_json, locked, centre = self._period_row(period)
        rule = ScoringRule.from_json(rule_json)
        extra = {}
        for unit_id, metric, value in self.conn.execute(
            "SELECT unit_id, metric, value FROM entry_metrics WHERE period_id = ?", (period_id,)
        ):
            extra[(unit_id, metric)] = value
        for unit_id, metric, value in self.conn.execute(
            "SELECT unit_id, metric, value FROM entry_scores WHERE period_id = ?", (period_id,)
        ):
            extra[(unit_id, metric)] = Decimal(value)
        rows_by_group: dict[int, list[Row]] = {}
        for unit_id, group_id, name, submitted, adopted in self.conn.execute(
            """SELECT e.unit_id, u.group_id, e.name, e.submitted, e.adopted
               FROM entries e JOIN units u ON u.id = e.unit_id
               WHERE e.period_id = ? ORDER BY e.position, e.unit_id""",
            (period_id,),
        ):
            base = {SUBMITTED: submitted, ADOPTED: adopted}
            counts = tuple(base[k] if k in base else extra.get((unit_id, k), 0) for k in rule.keys)
            rows_by_group.setdefault(group_id, []).append(Row(unit_id, name, counts))
        sheets = [GroupSheet(g, rule, rows_by_group.get(g.id, [])) for g in self.groups()]
        return PeriodSheet(period, rule, sheets, locked=locked, centre_published=centre)

    def counts(self, period: Period, unit_id: int) -> tuple[int, ...]:
        period_id = self._period_row(period)[0]
        found = self._entries(period_id, self.rule(period), [unit_id])
        if unit_id not in found:
            raise NotFoundError("该单位不在本期名单中。")
        return found[unit_id][1]

    def _entries(
        self, period_id: int, rule: ScoringRule, unit_ids: Sequence[int]
    ) -> dict[int, tuple[str, tuple[int, ...]]]:
        """Name and counts of just these units in the period: no reload of the whole table."""
        out: dict[int, tuple[str, tuple[int, ...]]] = {}
        ids = list(dict.fromkeys(unit_ids))
        extra_keys = [k for k in rule.keys if k not in _COLUMNS]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            extra: dict[tuple[int, str], int] = {}
            if extra_keys:
                for unit_id, metric, value in self.conn.execute(
                    f"SELECT unit_id, metric, value FROM entry_metrics WHERE period_id = ? AND unit_id IN ({marks})",
                    (period_id, *chunk),
                ):
                    extra[(unit_id, metric)] = value
                for unit_id, metric, value in self.conn.execute(
                    f"SELECT unit_id, metric, value FROM entry_scores WHERE period_id = ? AND unit_id IN ({marks})",
                    (period_id, *chunk),
                ):
                    extra[(unit_id, metric)] = Decimal(value)
            for unit_id, name, submitted, adopted in self.conn.execute(
                f"SELECT unit_id, name, submitted, adopted FROM entries WHERE period_id = ? AND unit_id IN ({marks})",
                (period_id, *chunk),
            ):
                base = {SUBMITTED: submitted, ADOPTED: adopted}
                counts = tuple(base[k] if k in base else extra.get((unit_id, k), 0) for k in rule.keys)
                out[unit_id] = (name, counts)
        return out

    def find_unit(self, name: str, period: Period | None = None, *, group: str | None = None) -> Unit:
        """A unit by its current name, or by the name it had in ``period``.

        Names are compared after width, space and invisible-character normalisation
        (``ＸＹ中心`` is ``XY中心``). If the name belongs to units in more than one group
        (possible in databases from before names had to be unique), ``group`` must say which.
        """
        key = match_key(name)
        group_ids = None
        if group is not None:
            group_ids = {self.group_by_name(group).id}
        found = [u for u in self.units() if match_key(u.name) == key]
        if not found and period is not None:
            period_id = self._period_row(period)[0]
            ids = [uid for uid, entry_name in self.conn.execute(
                "SELECT unit_id, name FROM entries WHERE period_id = ?", (period_id,)) if match_key(entry_name) == key]
            found = [self.unit(uid) for uid in dict.fromkeys(ids)]
        if group_ids is not None:
            found = [u for u in found if u.group_id in group_ids]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            groups = {g.id: g.name for g in self.groups()}
            names = "、".join(f"{groups.get(u.group_id, '?')}的“{u.name}”" for u in found)
            raise ValidationError(
                f"名称“{name}”对应多个单位（{names}），无法确定是哪一个。请用 --group 指定分组，如 --group 镇办。"
            )
        where = f"（分组“{group}”中）" if group is not None else ""
        raise NotFoundError(f"找不到单位“{name}”{where}，请核对名称（可用 show 命令查看名单）。")

    # ---- writing counts ------------------------------------------------
    def _check_unlocked(self, period: Period) -> int:
        period_id, _rule, locked, _centre = self._period_row(period)
        if locked:
            raise LockedError(f"{period.label}已定稿，不能修改。如需修改，请先解除定稿。")
        return period_id

    def set_counts(self, period: Period, unit_id: int, values: Sequence[object]) -> tuple[int, ...]:
        """Validate and store one unit's counts; returns the stored ints."""
        return self.set_many(period, [(unit_id, values)])[0]

    def set_many(
        self, period: Period, changes: Iterable[tuple[int, Sequence[object]]], *, action: str = "修改条数"
    ) -> list[tuple[int, ...]]:
        """Validate every change first, then store them all in one transaction, or none."""
        period_id = self._check_unlocked(period)
        rule = self.rule(period)
        changes = list(changes)
        current = self._entries(period_id, rule, [unit_id for unit_id, _ in changes])
        parsed = []
        for unit_id, values in changes:
            if unit_id not in current:
                raise NotFoundError("该单位不在本期名单中。")
            parsed.append(validate_counts(rule, values, unit=current[unit_id][0]))
        with self.db.transaction() as conn:
            for (unit_id, _), counts in zip(changes, parsed):
                name, old = current[unit_id]
                self._write_counts(conn, period_id, rule, unit_id, counts)
                self.record_audit(conn, action, period, unit_id, name, _plain(old), _plain(counts))
        return parsed

    def _write_counts(
        self, conn: sqlite3.Connection, period_id: int, rule: ScoringRule, unit_id: int, counts: Sequence[int]
    ) -> None:
        values = dict(zip(rule.keys, counts))
        base = [key for key in _COLUMNS if key in values]  # a column the rule does not have keeps its value
        if base:
            conn.execute(
                f"UPDATE entries SET {', '.join(f'{key} = ?' for key in base)} WHERE period_id = ? AND unit_id = ?",
                (*(values[key] for key in base), period_id, unit_id),
            )
        decimal_keys = {m.key for m in rule.metrics if m.decimal}
        for key, value in values.items():
            if key in _COLUMNS:
                continue
            table, other = ("entry_scores", "entry_metrics") if key in decimal_keys else ("entry_metrics", "entry_scores")
            conn.execute(
                f"INSERT INTO {table} (period_id, unit_id, metric, value) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (period_id, unit_id, metric) DO UPDATE SET value = excluded.value",
                (period_id, unit_id, key, format_decimal(Decimal(value)) if key in decimal_keys else value),
            )
            conn.execute(f"DELETE FROM {other} WHERE period_id = ? AND unit_id = ? AND metric = ?",
                         (period_id, unit_id, key))

    def period_state(self, period: Period) -> tuple[int, bool]:
        """(row id, locked) of a stored period; ``NotFoundError`` when it was never created."""
        row = self.conn.execute("SELECT id, locked FROM periods WHERE key = ?", (period.key,)).fetchone()
        if row is None:
            raise NotFoundError(f"没有{period.label}（{period.key}）的数据，请先新建该期间。")
        return row[0], bool(row[1])

    def writable_period(self, period: Period, what: str) -> int:
        """Row id of a stored period that may be changed; ``LockedError`` naming ``what`` (台账, 通报) if locked."""
        period_id, locked = self.period_state(period)
        if locked:
            raise LockedError(f"{period.label}已定稿，{what}不能修改。如需修改，请先解除定稿。")
        return period_id

    def record_audit(
        self,
        conn: sqlite3.Connection,
        action: str,
        period: Period | None,
        unit_id: int | None,
        unit_name: str | None,
        old: object,
        new: object,
    ) -> None:
        """One audit row (who, when, what) inside the caller's transaction ``conn``; for storage modules."""
        audit.record(conn, action, period, unit_id, unit_name, old, new)

    def set_centre_published(self, period: Period, value: object) -> int | None:
        """The centre's own published count for the period (empty clears it)."""
        period_id = self._check_unlocked(period)
        if value is None or (isinstance(value, str) and not value.strip()):
            number = None
        else:
            number = parse_count(value, label="县电子政务中心采编发布数") if not isinstance(value, int) else value
            if isinstance(number, int) and not 0 <= number <= MAX_CENTRE_PUBLISHED:
                raise ValidationError(f"县电子政务中心采编发布数必须在0到{MAX_CENTRE_PUBLISHED}之间。")
        old = self._period_row(period)[3]
        with self.db.transaction() as conn:
            conn.execute("UPDATE periods SET centre_published = ? WHERE id = ?", (number, period_id))
            self.record_audit(conn, "修改中心采编发布数", period, None, None, old, number)
        return number

    # ---- periods -------------------------------------------------------
    def create_period(self, period: Period, *, rule: ScoringRule | None = None) -> PeriodInfo:
        """A new period with the active units and (by default) the latest period's rule, counts 0."""
        if any(p.period == period for p in self.periods()):
            raise ValidationError(f"{period.label}（{period.key}）已经存在。")
        if rule is None:  # the rule in force: the latest earlier period's ("from this period on")
            rule = rule_for(period, [(p.period, self.rule(p.period)) for p in self.periods()
                                     if p.period.kind == period.kind])
            if rule is None:
                latest = self.latest_period()
                rule = self.rule(latest) if latest else ScoringRule.default()
        with self.db.transaction() as conn:
            self.insert_period_row(conn, period, rule)
            period_id = conn.execute("SELECT id FROM periods WHERE key = ?", (period.key,)).fetchone()[0]
            conn.execute(
                """INSERT INTO entries (period_id, unit_id, name, position)
                   SELECT ?, u.id, u.name, g.position * 100000 + u.position
                   FROM units u JOIN groups g ON g.id = u.group_id WHERE u.active = 1""",
                (period_id,),
            )
            self.record_audit(conn, "新建期间", period, None, None, None, period.key)
        return PeriodInfo(period, False)

    def insert_period_row(self, conn: sqlite3.Connection, period: Period, rule: ScoringRule) -> None:
        """The period's own row inside the caller's transaction ``conn`` (no units, no audit); for storage modules."""
        conn.execute(
            "INSERT INTO periods (key, year, kind, number, rule) VALUES (?, ?, ?, ?, ?)",
            (period.key, period.year, period.kind, period.number, rule.to_json()),
        )

    def set_rule_from(self, period: Period, rule: ScoringRule) -> list[Period]:
        """The rule of ``period`` and every later unlocked period of its kind ("from this period on");
        a locked period keeps its own. Every stored value is checked against the new rule first
        (nothing is written when one does not fit); the values themselves are not rewritten.
        Returns the periods changed."""
        self._check_unlocked(period)
        for m in rule.metrics:
            if m.key in _COLUMNS and m.decimal:
                raise ValidationError(f"指标“{m.label}”只能是条数（整数），不能设为分值。")
        if ADOPTED in rule.keys and SUBMITTED not in rule.keys:
            raise ValidationError("含“采用信息”的评分规则也需要“报送信息”（不计分时权重写0），以便核对采用不多于报送。")
        targets = [p.period for p in self.periods()
                   if p.period.kind == period.kind and p.period >= period and not p.locked]
        sheets = [(self.load_sheet(p), rescored(self.load_sheet(p), rule)) for p in targets]
        with self.db.transaction() as conn:
            for old, new in sheets:
                period_id = self._period_row(new.period)[0]
                # Values stay stored under their metric keys (a metric the rule drops comes back with
                # them when a later rule has it again); a value's table follows its kind on the next edit.
                conn.execute("UPDATE periods SET rule = ? WHERE id = ?", (rule.to_json(), period_id))
                self.record_audit(conn, "修改评分规则", new.period, None, None, _rule_text(old.rule), _rule_text(rule))
        return targets

    def delete_period(self, period: Period) -> None:
        """Remove an unlocked period and its counts (used to undo 'new quarter')."""
        period_id = self._check_unlocked(period)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM periods WHERE id = ?", (period_id,))
            self.record_audit(conn, "删除期间", period, None, None, period.key, None)

    def set_locked(self, period: Period, locked: bool) -> None:
        """Finalise (定稿) or reopen a period; a backup is taken before finalising."""
        period_id, _rule, was_locked, _centre = self._period_row(period)
        if locked and not was_locked and not self.db.readonly:
            create_backup(self, "lock")
        with self.db.transaction() as conn:
            conn.execute("UPDATE periods SET locked = ? WHERE id = ?", (int(locked), period_id))
            self.record_audit(conn, "定稿" if locked else "解除定稿", period, None, None, not locked, locked)

    # ---- units ---------------------------------------------------------
    def add_unit(self, group_id: int, name: str, period: Period | None = None) -> Unit:
        """A new active unit at the end of its group, also added to ``period`` if given."""
        name = normalise_name(name)
        self._check_unique(group_id, name)
        period_id = self._check_unlocked(period) if period else None
        with self.db.transaction() as conn:
            position = conn.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM units WHERE group_id = ?", (group_id,)
            ).fetchone()[0]
            cur = conn.execute(
                "INSERT INTO units (group_id, name, position) VALUES (?, ?, ?)", (group_id, name, position)
            )
            unit_id = cur.lastrowid
            if period_id is not None:
                self._insert_entry(conn, period_id, unit_id, name)
            self.record_audit(conn, "新增单位", period, unit_id, name, None, name)
        return self.unit(unit_id)

    def _insert_entry(self, conn: sqlite3.Connection, period_id: int, unit_id: int, name: str) -> None:
        conn.execute(
            """INSERT INTO entries (period_id, unit_id, name, position)
               SELECT ?, u.id, ?, g.position * 100000 + u.position
               FROM units u JOIN groups g ON g.id = u.group_id WHERE u.id = ?""",
            (period_id, name, unit_id),
        )

    def remove_unit(self, unit_id: int) -> Unit:
        """Delete a unit that holds no data (used to undo 'add unit'); a unit with counts is retired instead."""
        unit = self.unit(unit_id)
        rows = self.conn.execute(
            """SELECT p.locked, e.submitted + e.adopted +
                      coalesce((SELECT sum(value) FROM entry_metrics m
                                WHERE m.period_id = e.period_id AND m.unit_id = e.unit_id), 0) +
                      (SELECT count(*) FROM entry_scores s
                       WHERE s.period_id = e.period_id AND s.unit_id = e.unit_id AND CAST(s.value AS REAL) > 0)
               FROM entries e JOIN periods p ON p.id = e.period_id WHERE e.unit_id = ?""",
            (unit_id,),
        ).fetchall()
        if any(locked for locked, _ in rows):
            raise ValidationError(f"“{unit.name}”出现在已定稿的期间中，不能删除，可以改为停用该单位。")
        if any(total for _, total in rows):
            raise ValidationError(f"“{unit.name}”已有报送数据，不能删除，可以改为停用该单位。")
        try:
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM entry_metrics WHERE unit_id = ?", (unit_id,))
                conn.execute("DELETE FROM entry_scores WHERE unit_id = ?", (unit_id,))
                conn.execute("DELETE FROM entries WHERE unit_id = ?", (unit_id,))
                conn.execute("DELETE FROM units WHERE id = ?", (unit_id,))
                self.record_audit(conn, "删除单位", None, unit_id, unit.name, unit.name, None)
        except sqlite3.IntegrityError:  # other records (e.g. the register) refer to it
            raise ValidationError(f"“{unit.name}”已有其他记录（如责任人登记），不能删除，可以改为停用该单位。") from None
        return unit

    def _check_unique(self, group_id: int, name: str, *, except_id: int | None = None) -> None:
        """Unit names are unique across all groups, compared after width/space/invisible normalisation."""
        key = match_key(name)
        groups = {g.id: g.name for g in self.groups()}
        for unit in self.units():
            if unit.id == except_id or match_key(unit.name) != key:
                continue
            state = "（已停用）" if not unit.active else ""
            same = "" if unit.name == name else "（只差全角半角、空格或不可见字符，也算同名）"
            if unit.group_id == group_id:
                raise ValidationError(f"本组已有名为“{unit.name}”的单位{state}{same}，请换一个名称。")
            raise ValidationError(
                f"分组“{groups.get(unit.group_id, '?')}”中已有名为“{unit.name}”的单位{state}{same}。"
                "单位名称在各分组间也不能重复，请换一个名称。"
            )

    def rename_unit(self, unit_id: int, new_name: str, period: Period | None = None) -> str:
        """Rename a unit; ``period`` and later unlocked periods show the new name, earlier ones keep theirs."""
        unit = self.unit(unit_id)
        name = normalise_name(new_name)
        self._check_unique(unit.group_id, name, except_id=unit_id)
        with self.db.transaction() as conn:
            conn.execute("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))
            for info in self.periods():
                if info.locked or (period is not None and info.period < period):
                    continue
                conn.execute(
                    "UPDATE entries SET name = ? WHERE unit_id = ? AND period_id = (SELECT id FROM periods WHERE key = ?)",
                    (name, unit_id, info.period.key),
                )
            self.record_audit(conn, "单位更名", period, unit_id, name, unit.name, name)
        return unit.name

    def set_unit_active(self, unit_id: int, active: bool, period: Period | None = None) -> None:
        """Retire (or restore) a unit: a retired unit keeps its past counts and is left out of new periods."""
        unit = self.unit(unit_id)
        with self.db.transaction() as conn:
            conn.execute("UPDATE units SET active = ? WHERE id = ?", (int(active), unit_id))
            self.record_audit(conn, "启用单位" if active else "停用单位", period, unit_id, unit.name, unit.active, active)

    def move_unit(self, unit_id: int, delta: int, period: Period | None = None) -> bool:
        """Move a unit up (-1) or down (+1) within its group; returns False at either end."""
        unit = self.unit(unit_id)
        siblings = self.units(unit.group_id)
        index = next(i for i, u in enumerate(siblings) if u.id == unit_id)
        target = index + delta
        if not 0 <= target < len(siblings):
            return False
        other = siblings[target]
        with self.db.transaction() as conn:
            conn.execute("UPDATE units SET position = ? WHERE id = ?", (other.position, unit.id))
            conn.execute("UPDATE units SET position = ? WHERE id = ?", (unit.position, other.id))
            for info in self.periods():
                if info.locked or (period is not None and info.period < period):
                    continue
                pid = self._period_row(info.period)[0]
                pos = dict(
                    conn.execute(
                        "SELECT unit_id, position FROM entries WHERE period_id = ? AND unit_id IN (?, ?)",
                        (pid, unit.id, other.id),
                    ).fetchall()
                )
                if len(pos) == 2:
                    conn.execute(
                        "UPDATE entries SET position = ? WHERE period_id = ? AND unit_id = ?",
                        (pos[other.id], pid, unit.id),
                    )
                    conn.execute(
                        "UPDATE entries SET position = ? WHERE period_id = ? AND unit_id = ?",
                        (pos[unit.id], pid, other.id),
                    )
            self.record_audit(conn, "调整顺序", period, unit_id, unit.name, index + 1, target + 1)
        return True

    # ---- settings ------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
