"""Tab-separated text as Excel/WPS put it on the clipboard, and paste plans checked cell by cell."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Sequence

from shangnan_desktop.domain import DomainError, ScoringRule, parse_count, validate_counts

logger = logging.getLogger(__name__)

MAX_PASTE_CELLS = 100_000  # a whole-sheet copy is refused, not parsed for minutes


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text; Excel's quoting ("a""b", cells with newlines) understood.

    The final line break Excel appends is dropped, so a copied column of ten
    cells gives ten rows, not eleven.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        ch = text[i]
        if at_cell_start and ch == '"':
            # A quoted cell: runs to the closing quote; "" is a literal quote.
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                cell.append(text[i])
                i += 1
            at_cell_start = False
            continue
        if ch == "\t":
            row.append("".join(cell))
            cell = []
            at_cell_start = True
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_cell_start = True
        else:
            cell.append(ch)
            at_cell_start = False
        i += 1
    row.append("".join(cell))
    rows.append(row)
    return rows


def format_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Cells as Excel writes them: tab between cells, CRLF after each row, quoted when needed."""

    def quote(value: str) -> str:
        if any(c in value for c in '\t\n\r"'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join("\t".join(quote(str(v)) for v in row) + "\r\n" for row in rows)


@dataclass(frozen=True)
class TargetRow:
    """A table row a paste may write: the unit and its current counts."""

    unit_id: int
    name: str
    counts: tuple[int, ...]


@dataclass
class PastePlan:
    """The new counts per unit (``changes``), or the list of bad cells (``problems``)."""

    changes: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cells: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def trim_block(block: list[list[str]], header_labels: Sequence[str]) -> list[list[str]]:
    """Drop a copied header row (the column titles) and trailing blank rows."""
    if block and len(block[0]) <= len(header_labels):
        first = [c.strip() for c in block[0]]
        if first and all(c == h for c, h in zip(first, header_labels)):
            block = block[1:]
    while block and all(not c.strip() for c in block[-1]):
        block = block[:-1]
    return block


def plan_paste(
    rule: ScoringRule,
    targets: Sequence[TargetRow],
    first_metric: int,
    block: Sequence[Sequence[str]],
) -> PastePlan:
    """Check every pasted cell against the rule; collect every problem, not just the first.

    ``targets`` are the rows from the paste's first row down (in the order the
    table shows them); ``first_metric`` is the metric under the paste's first column.
    """
    plan = PastePlan()
    metrics = rule.metrics
    width = max((len(r) for r in block), default=0)
    plan.cells = sum(len(r) for r in block)
    if plan.cells > MAX_PASTE_CELLS:
        plan.problems.append(f"剪贴板中的数据太多（{plan.cells}个单元格），请只复制需要的几列。")
        return plan
    labels = "、".join(m.label for m in metrics)
    if not 0 <= first_metric < len(metrics):
        plan.problems.append(
            f"当前单元格不在条数列：只能粘贴到{labels}列，请先点选“{metrics[0].label}”列中要开始粘贴的单元格。"
        )
        return plan
    if first_metric + width > len(metrics):
        free = len(metrics) - first_metric
        plan.problems.append(
            f"粘贴的数据有{width}列，但从当前列起只有{free}列可以填写。只能粘贴到{labels}列，"
            "请只复制条数列，或先选中正确的起始单元格。"
        )
        return plan
    if len(block) > len(targets):
        plan.problems.append(
            f"粘贴的数据有{len(block)}行，但从当前行起只有{len(targets)}行，请核对后重新选择起始单元格。"
        )
        return plan
    for target, cells in zip(targets, block):
        values: list[object] = list(target.counts)
        row_ok = True
        for offset, raw in enumerate(cells):
            k = first_metric + offset
            try:
                values[k] = parse_count(raw, label=f"“{target.name}”的{metrics[k].label}")
            except DomainError as exc:
                plan.problems.append(str(exc))
                row_ok = False
        if not row_ok:
            continue
        try:
            parsed = validate_counts(rule, values, unit=target.name)
        except DomainError as exc:
            plan.problems.append(str(exc))
            continue
        if parsed != target.counts:
            plan.changes.append((target.unit_id, parsed))
    if plan.problems:
        plan.changes = []
    return plan
