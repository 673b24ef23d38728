"""The item ledger (信息台账): import an article list, items by hand, count sources, aliases, statements.

Each use case takes the store and plain values and returns domain results; a change returns a
``LedgerStep`` (already done and saved) that the window's undo stack can take back and redo.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

from shangnan_desktop.domain import LockedError, NotFoundError, Period, ValidationError
from shangnan_desktop.domain.ledger import (
    DERIVED,
    TYPED,
    DerivedCountsError,
    LedgerItem,
    PeriodLedger,
    source_label,
)
from shangnan_desktop.reports.ledger_import import (
    FIELDS,
    IGNORE,
    PUBLISHED_ON,
    REQUIRED,
    SUBMITTED_ON,
    TITLE as TITLE_FIELD,
    LedgerPreview,
    find_header,
    guess_mapping,
    header_signature,
    header_text,
    parse_date,
    preview_ledger_import,
    read_table,
)
from shangnan_desktop.reports.ledger_statement import FORMATS, write_all_statements, write_statement
from shangnan_desktop.app.commands import LedgerCommand, LedgerStep
from shangnan_desktop.app.counts import check_typed_edits, count_sources
from shangnan_desktop.storage import Store
from shangnan_desktop.storage.backup import before_import
from shangnan_desktop.storage.ledger_store import ImportResult, LedgerStore

logger = logging.getLogger(__name__)


# ---- reading -------------------------------------------------------------------------------
def ledger(store: Store, period: Period) -> PeriodLedger:
    return LedgerStore(store).ledger(period)


def items(store: Store, period: Period, unit_id: int | None = None) -> list[LedgerItem]:
    return LedgerStore(store).items(period, unit_id)


sources = count_sources  # whether each unit's counts are typed or derived (in ``app.counts``: the window opens with it)


def unit_names(store: Store, period: Period | None = None) -> dict[int, str]:
    """unit id → name (every unit, retired too: old ledgers name them)."""
    return {u.id: u.name for u in store.units()}


def find_unit_id(store: Store, name: str, period: Period | None = None) -> int:
    """A unit by name or alias."""
    try:
        return store.find_unit(name, period).id
    except NotFoundError:
        match = LedgerStore(store).matcher().match(name)
        if match.matched:
            return match.unit_id
        raise


@dataclass(frozen=True)
class LedgerRow:
    """An item as the 台账 view and ``ledger show`` list it."""

    index: int
    item: LedgerItem
    unit: str
    counted: bool
    reason: str  # why it does not count ("" if it does)


def ledger_rows(store: Store, period: Period, unit_id: int | None = None) -> list[LedgerRow]:
    book = ledger(store, period)
    names = unit_names(store)
    counted = set(book.counted())
    out = []
    for i, item in enumerate(book.items):
        if unit_id is not None and item.unit_id != unit_id:
            continue
        reason = "" if i in counted else book.not_counted_reason(i)
        out.append(LedgerRow(i, item, names.get(item.unit_id, ""), i in counted, reason))
    return out


# ---- import --------------------------------------------------------------------------------
def preview_ledger(
    store: Store, period: Period, path: str | Path, *, mapping: Mapping[str, str] | Sequence[str] | None = None,
) -> LedgerPreview:
    """Read an article list against the period's ledger, with remembered mappings and stored aliases.
    Nothing is written."""
    ls = LedgerStore(store)
    return preview_ledger_import(
        path, period, ls.matcher(), mapping=mapping, remembered=ls.mappings(), existing=ls.items(period),
    )


@dataclass(frozen=True)
class ColumnGuess:
    """The mapping step's start: the header row, the field per column (remembered or guessed), a sample row."""

    headers: list[str]
    fields: dict[int, str]
    sample: list[str]
    remembered: bool


def guess_columns(store: Store, path: str | Path) -> ColumnGuess:
    """Read the file's header row and propose a field per column: the mapping remembered for this header
    row (per source), else a guess from the header names. Raises ``DomainError`` for an unusable file."""
    table = read_table(path)
    if not table.rows:
        raise ValidationError(f"“{Path(path).name}”中没有数据。")
    remembered = LedgerStore(store).mappings()
    for i, (_n, cells) in enumerate(table.rows[:20]):
        headers = [header_text(c) for c in cells]
        known = remembered.get(header_signature(headers))
        if known:
            fields = {c: known[h] for c, h in enumerate(headers) if known.get(h) in FIELDS}
            return ColumnGuess(headers, fields, _sample(table.rows, i), True)
    for i, (_n, cells) in enumerate(table.rows[:20]):
        headers = [header_text(c) for c in cells]
        if ({"报送信息", "采用信息"} <= set(headers) and TITLE_FIELD not in guess_mapping(headers).values()
                and _counts_below(table.rows, i, headers.index("报送信息"))):
            raise ValidationError(
                f"“{Path(path).name}”像是各单位报送、采用条数的统计表（如附件1、附件2），不是逐条信息的文章列表。"
                "条数统计表请用“文件 → 导入Excel表”导入；台账要导入网站后台导出的文章列表。"
            )
    start = find_header(table.rows)
    if start is None:  # no header names known: the first row wide enough to hold the four needed columns
        wide = [i for i, (_n, cells) in enumerate(table.rows[:20]) if sum(1 for c in cells if header_text(c)) >= 4]
        if not wide:
            first = "、".join(f"“{header_text(c)}”" for c in table.rows[0][1] if header_text(c))[:60]
            raise ValidationError(
                f"“{Path(path).name}”不像文章列表：前面几行都不到4列（第一行是{first or '空行'}），而文章列表至少要有"
                "标题、单位、状态和日期4列。请检查是否选对了文件。"
            )
        start = wide[0]
    headers = [header_text(c) for c in table.rows[start][1]]
    return ColumnGuess(headers, guess_mapping(headers), _sample(table.rows, start), False)


def _counts_below(rows, header: int, column: int) -> bool:
    """Whether the column under a 报送信息 header holds counts (a counts table), not item titles (a hand-kept
    台账 may head its title column so): every filled cell of the next rows is a whole number."""
    below = [header_text(cells[column]) for _n, cells in rows[header + 1:header + 11] if column < len(cells)]
    return all(v.isascii() and v.replace(".0", "", 1).isdigit() for v in below if v)


def _sample(rows, header: int) -> list[str]:
    if header + 1 >= len(rows):
        return []
    return [header_text(c) for c in rows[header + 1][1]]


def apply_ledger_import(store: Store, preview: LedgerPreview) -> LedgerStep:
    """Store the preview in one transaction after a backup; one undoable step."""
    if not preview.can_apply:
        if preview.unresolved():
            names = "、".join(f"“{u.name}”" for u in preview.unresolved()[:5])
            raise ValidationError(f"还有未选择单位的名称（{names}），请选择对应的单位或跳过，然后再导入。")
        raise ValidationError("没有可导入的信息。")
    if any(info.period == preview.period and info.locked for info in store.periods()):
        raise LockedError(f"{preview.period.label}已定稿，台账不能修改。如需修改，请先解除定稿。")
    before_import(store)  # no backup, no import
    result: ImportResult = LedgerStore(store).apply_import(preview)
    logger.info("ledger import %s: %d items into %s", preview.path.name, len(result.item_ids), preview.period.key)
    state = {"result": result}

    def undo(s: Store) -> None:
        LedgerStore(s).undo_import(state["result"])

    def redo(s: Store) -> None:  # under the same ids: later steps on these items find them again
        state["result"] = LedgerStore(s).apply_import(preview, item_ids=state["result"].item_ids)

    return LedgerStep(f"导入台账“{_shown(preview.path.name)}”", preview.period, undo, redo, result)


# ---- items by hand -----------------------------------------------------------------------------
SHOWN_TITLE = 20  # characters of a title in an undo step's text (the 撤销 button and the status bar show it)


def _shown(title: str) -> str:
    return title if len(title) <= SHOWN_TITLE else title[:SHOWN_TITLE] + "…"


# ---- ids ---------------------------------------------------------------------------
# An item deleted and put back by undo/redo keeps its id unless another item took it meanwhile (ids are
# the whole file's: another quarter's step may have); then it gets a new one, and the steps pushed before
# follow it here.
_MOVED: "weakref.WeakKeyDictionary[Store, dict[int, int]]" = weakref.WeakKeyDictionary()


def _moved(store: Store, old: int, new: int) -> None:
    moved = _MOVED.setdefault(store, {})
    moved.pop(new, None)  # the id is an item's own again
    if old != new:
        moved[old] = new


def _current(store: Store, item_id: int) -> int:
    moved = _MOVED.get(store, {})
    seen = set()
    while item_id in moved and item_id not in seen:
        seen.add(item_id)
        item_id = moved[item_id]
    return item_id


def _put_back(store: Store, period: Period, item: LedgerItem) -> LedgerItem:
    new = LedgerStore(store).restore_item(period, item)
    _moved(store, item.id, new.id)
    return new


def add_item(store: Store, period: Period, item: LedgerItem) -> LedgerStep:
    stored = LedgerStore(store).add_item(period, item)
    state = {"item": stored}

    def undo(s: Store) -> None:
        LedgerStore(s).delete_item(period, _current(s, state["item"].id))

    def redo(s: Store) -> None:
        state["item"] = _put_back(s, period, state["item"])

    return LedgerStep(f"新增台账信息“{_shown(stored.title)}”", period, undo, redo, stored)


def edit_item(store: Store, period: Period, item: LedgerItem) -> LedgerStep:
    if item.id is None:
        raise NotFoundError("台账中没有这条信息。")
    ls = LedgerStore(store)
    item = replace(item, id=_current(store, item.id))
    old = ls.item(item.id)
    new = ls.update_item(period, item)
    def replay(s: Store, item: LedgerItem) -> None:
        LedgerStore(s).update_item(period, replace(item, id=_current(s, item.id)))

    return LedgerStep(
        f"修改台账信息“{_shown(new.title)}”", period, lambda s: replay(s, old), lambda s: replay(s, new), new,
    )


def delete_item(store: Store, period: Period, item_id: int) -> LedgerStep:
    old = LedgerStore(store).delete_item(period, _current(store, item_id))
    state = {"item": old}

    def undo(s: Store) -> None:
        state["item"] = _put_back(s, period, state["item"])

    def redo(s: Store) -> None:
        LedgerStore(s).delete_item(period, _current(s, state["item"].id))

    return LedgerStep(f"删除台账信息“{_shown(old.title)}”", period, undo, redo, old)


# ---- counts ----------------------------------------------------------------------------------
def set_source(store: Store, period: Period, unit_id: int, source: str) -> LedgerStep:
    """Count the unit from its ledger (``DERIVED``) or from typed totals (``TYPED``)."""
    ls = LedgerStore(store)
    old_source = ls.source(period, unit_id)
    old_counts = store.counts(period, unit_id)
    ls.set_source(period, unit_id, source)
    name = unit_names(store).get(unit_id, "")

    def undo(s: Store) -> None:
        LedgerStore(s).set_source(period, unit_id, old_source)
        if old_source == TYPED:
            s.set_counts(period, unit_id, old_counts)

    return LedgerStep(
        f"“{name}”的条数来源改为“{source_label(source)}”", period, undo,
        lambda s: LedgerStore(s).set_source(period, unit_id, source), source,
    )


@dataclass(frozen=True)
class SourceChange:
    """What ``set_unit_source`` did: the unit's source before and after, its counts now (in the rule's
    metric order, with their labels, and before) and its items in the period's ledger; ``step`` is None if nothing
    changed."""

    unit_name: str
    old: str
    new: str
    counts: tuple[int, ...]
    previous: tuple[int, ...]
    labels: tuple[str, ...]
    items: int
    step: LedgerStep | None


def set_unit_source(store: Store, period: Period, unit_name: str, source: str) -> SourceChange:
    """Count a unit (by name or alias) from typed totals (``TYPED``) or from its ledger (``DERIVED``).

    Switching back to typed keeps the current numbers, which the clerk can then type over; switching to
    derived writes what the ledger gives. Already so: nothing is written.
    """
    if source not in (TYPED, DERIVED):
        raise ValidationError(f"条数来源“{source}”无效，只能是“typed”（{source_label(TYPED)}）"
                              f"或“derived”（{source_label(DERIVED)}）。")
    unit_id = find_unit_id(store, unit_name, period)
    old = LedgerStore(store).source(period, unit_id)
    previous = store.counts(period, unit_id)
    step = set_source(store, period, unit_id, source) if old != source else None
    rule = store.rule(period)
    return SourceChange(
        unit_names(store).get(unit_id, unit_name), old, source, store.counts(period, unit_id), previous,
        tuple(m.label for m in rule.metrics), len(items(store, period, unit_id)), step,
    )


def recount(store: Store, period: Period) -> dict[int, tuple[int, ...]]:
    """Write the ledger's counts for every derived unit; returns those that changed."""
    return LedgerStore(store).recount(period)


def check_typed_edit(store: Store, period: Period, unit_id: int) -> None:
    """Raise ``DerivedCountsError`` (Chinese, saying how to switch back) for a derived unit."""
    LedgerStore(store).check_typed_edit(period, unit_id)


# ---- aliases ---------------------------------------------------------------------------------
def add_alias(store: Store, unit_name: str, alias: str) -> tuple[str, str]:
    """Remember ``alias`` for the unit; returns (unit name, alias as stored)."""
    unit = store.find_unit(unit_name)
    return unit.name, LedgerStore(store).add_alias(unit.id, alias)


def add_alias_for(store: Store, unit_id: int, alias: str) -> str:
    return LedgerStore(store).add_alias(unit_id, alias)


def remove_alias(store: Store, unit_id: int, alias: str) -> bool:
    return LedgerStore(store).remove_alias(unit_id, alias)


def alias_list(store: Store) -> list[tuple[int, str, str]]:
    """(unit id, unit name, alias), by unit order."""
    return LedgerStore(store).alias_list()


def unit_aliases(store: Store, unit_id: int) -> list[str]:
    return LedgerStore(store).aliases().get(unit_id, [])


# ---- statements ------------------------------------------------------------------------------
def write_unit_statement(
    store: Store, period: Period, unit_name: str, out_dir: str | Path, formats: Sequence[str] = FORMATS,
) -> list[Path]:
    unit_id = find_unit_id(store, unit_name, period)
    name = unit_names(store)[unit_id]
    return write_statement(ledger(store, period), unit_id, name, out_dir, formats)


def write_unit_statements(
    store: Store, period: Period, out_dir: str | Path, formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """One statement per unit that has items in the period's ledger, in unit order."""
    book = ledger(store, period)
    having = set(book.units())
    if not having:
        raise ValidationError(f"{period.label}的台账中没有信息，没有可生成的明细。")
    order = [(u.id, u.name) for u in store.units() if u.id in having]
    return write_all_statements(book, order, out_dir, formats)


@dataclass(frozen=True)
class MappingChoice:
    """The fields a column can be mapped to (for the window's mapping step)."""

    fields: tuple[str, ...] = field(default=FIELDS)
    ignore: str = IGNORE
    required: tuple[str, ...] = field(default=REQUIRED)
    dates: tuple[str, ...] = field(default=(SUBMITTED_ON, PUBLISHED_ON))

    def problem(self, chosen: Mapping[str, str]) -> str | None:
        """What is wrong with a mapping chosen in the window ({column: field}), in the window's words; None if
        nothing is."""
        columns: dict[str, list[str]] = {}
        for column, field_name in chosen.items():
            if field_name != self.ignore:
                columns.setdefault(field_name, []).append(column)
        for field_name, names in columns.items():
            if len(names) > 1:
                shown = "、".join(f"“{n}”" for n in names)
                return f"“{field_name}”选给了{len(names)}列（{shown}），请只给其中一列选“{field_name}”。"
        missing = [f"“{f}”" for f in self.required if f not in columns]
        if not any(d in columns for d in self.dates):
            missing.append("“" + "”或“".join(self.dates) + "”")
        if missing:
            hint = "如果选错了文件（例如附件1、附件2统计表），请点“取消”后重新选择。" if TITLE_FIELD in missing[0] else ""
            return f"还没有选择{'、'.join(missing)}列：请在“导入为”一栏中为文件里对应的列选择它。{hint}"
        return None


__all__ = [
    "DERIVED", "TYPED", "DerivedCountsError", "LedgerItem", "LedgerCommand", "LedgerPreview", "LedgerRow", "LedgerStep",
    "add_alias", "add_alias_for", "add_item", "alias_list", "apply_ledger_import", "check_typed_edit",
    "check_typed_edits", "delete_item", "edit_item", "find_unit_id", "items", "ledger", "ledger_rows",
    "parse_date", "preview_ledger", "recount", "remove_alias", "set_source", "set_unit_source", "sources",
    "unit_aliases", "unit_names",
    "write_unit_statement", "write_unit_statements",
]
