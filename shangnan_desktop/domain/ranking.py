"""Ranks from scores: dense (中国式排名) and competition (Excel RANK), plain and incremental."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import Counter
from decimal import Decimal
from typing import Sequence

from shangnan_desktop.domain.rule import COMPETITION, DENSE, NONE


def rank(scores: Sequence[Decimal], method: str = DENSE) -> list[int | None]:
    """Rank of each score, highest first; equal scores share a rank. Rank method none: no ranks."""
    if method == NONE:
        return [None] * len(scores)
    if method == DENSE:
        distinct = sorted(set(scores), reverse=True)
        position = {s: i + 1 for i, s in enumerate(distinct)}
        return [position[s] for s in scores]
    if method == COMPETITION:
        ordered = sorted(scores, reverse=True)
        first: dict[Decimal, int] = {}
        for i, s in enumerate(ordered):
            first.setdefault(s, i + 1)
        return [first[s] for s in scores]
    raise ValueError(method)


def ranked_order(scores: Sequence[Decimal]) -> list[int]:
    """Row indices by descending score; within a tie, the unit list's own order."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


class RankIndex:
    """Sorted scores kept up to date one change at a time: O(log n) rank look-ups.

    Replacing one score costs two list insertions (a memmove, O(n) but tiny);
    no re-sort of the whole table on each edit.
    """

    def __init__(self, scores: Sequence[Decimal], method: str = DENSE) -> None:
        if method not in (DENSE, COMPETITION, NONE):
            raise ValueError(method)
        self.method = method
        self._all = sorted(scores)
        self._multiplicity = Counter(scores)
        self._distinct = sorted(self._multiplicity)

    def rank_of(self, score: Decimal) -> int | None:
        if self.method == NONE:
            return None
        if self.method == DENSE:
            return len(self._distinct) - bisect_right(self._distinct, score) + 1
        return len(self._all) - bisect_right(self._all, score) + 1

    def replace(self, old: Decimal, new: Decimal) -> None:
        if old == new:
            return
        i = bisect_right(self._all, old) - 1
        del self._all[i]
        insort(self._all, new)
        self._multiplicity[old] -= 1
        if self._multiplicity[old] == 0:
            del self._multiplicity[old]
            del self._distinct[bisect_right(self._distinct, old) - 1]
        if self._multiplicity[new] == 0:
            insort(self._distinct, new)
        self._multiplicity[new] += 1

    def add(self, score: Decimal) -> None:
        insort(self._all, score)
        if self._multiplicity[score] == 0:
            insort(self._distinct, score)
        self._multiplicity[score] += 1
