"""The store counts a period's ledger in SQL (``LedgerStore.recount``, ``set_source``, ``derived_counts``)
exactly as the domain does (``PeriodLedger.counts``): random ledgers with repeated titles, kept items,
adopted or not, dated before, inside, after the period or undated, over several units and kinds of period."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shangnan_desktop.domain import Period
from shangnan_desktop.domain.ledger import DERIVED, LedgerItem, PeriodLedger, period_dates
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.storage.ledger_store import LedgerStore

PERIODS = [Period.parse(k) for k in ("2022Q1", "2022Q4", "2024M02", "2023M12", "2022H2", "2024")]
# Titles that repeat as they are and after the title key's normalising (punctuation, spaces, width, case).
TITLES = ["甲", "甲。", "乙", "乙 ！", "丙", "Ａb", "a B", "丁"]
UNITS = 4

# Where an item's date falls: the first day, (around) the period's bounds and inside, before and after it.
WHERE = st.sampled_from(["none", "start-1", "start", "inside", "end", "end+1", "before", "after"])


def _day(period: Period, where: str, n: int) -> dt.date | None:
    start, end = period_dates(period)
    span = (end - start).days
    return {
        "none": None,
        "start-1": start - dt.timedelta(days=1),
        "start": start,
        "inside": start + dt.timedelta(days=n % (span + 1)),
        "end": end,
        "end+1": end + dt.timedelta(days=1),
        "before": start - dt.timedelta(days=1 + n % 60),
        "after": end + dt.timedelta(days=1 + n % 60),
    }[where]


ITEM = st.tuples(
    st.integers(0, UNITS - 1),  # unit
    st.sampled_from(TITLES),
    WHERE, st.integers(0, 400),  # submitted on
    st.one_of(st.none(), st.integers(0, 40)),  # published that many days later (or not recorded)
    WHERE,  # where the publication date falls when the submission date is not recorded
    st.sampled_from(["采用", "未采用", "退回"]),
    st.booleans(),  # keep
)


def _items(period: Period, unit_ids: list[int], drawn) -> list[LedgerItem]:
    items = []
    for unit, title, where, n, later, published_where, status, keep in drawn:
        submitted = _day(period, where, n)
        published = None
        if later is not None:  # an undated submission may still carry a publication date
            published = submitted + dt.timedelta(days=later) if submitted else _day(period, published_where, n + later)
        items.append(LedgerItem.create(unit_ids[unit], title, submitted, status, published, keep=keep))
    return items


def _expected(store, period: Period, unit_ids) -> dict[int, tuple[int, int]]:
    counts = PeriodLedger(period, LedgerStore(store).items(period)).counts()
    zero = {SUBMITTED: 0, ADOPTED: 0}
    return {u: (counts.get(u, zero)[SUBMITTED], counts.get(u, zero)[ADOPTED]) for u in unit_ids}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    period=st.sampled_from(PERIODS),
    drawn=st.lists(ITEM, max_size=30),
    derived=st.lists(st.booleans(), min_size=UNITS, max_size=UNITS),
    delete=st.integers(0, 1000),
)
# The representative is the first adopted item, and only it is spared the keep: a kept later copy counts.
@example(period=PERIODS[0], derived=[True] * UNITS, delete=0, drawn=[
    (0, "甲", "inside", 3, None, "none", "未采用", True),
    (0, "甲。", "inside", 9, None, "none", "采用", False),
    (0, "甲", "after", 1, None, "none", "采用", True),
    (1, "乙", "none", 0, 0, "after", "采用", False),  # undated submission published after the period
])
def test_the_stores_sql_count_is_the_domains(store, period, drawn, derived, delete):
    ledger = LedgerStore(store)
    store.create_period(period)
    try:
        unit_ids = [u.id for u in store.units()[:UNITS]]
        for item in _items(period, unit_ids, drawn):  # every unit typed: nothing counted yet
            ledger.add_item(period, item)
        chosen = [u for u, d in zip(unit_ids, derived) if d]
        for unit_id in chosen:  # switching counts the unit's stored items (the SQL route)
            ledger.set_source(period, unit_id, DERIVED)
        expected = _expected(store, period, chosen)
        assert {u: store.counts(period, u) for u in chosen} == expected
        assert ledger.derived_counts(period) == expected
        assert ledger.recount(period) == {}

        typed_over = [u for u in chosen if expected[u] != (0, 0)]
        for unit_id in typed_over:  # counts overtyped behind the ledger's back: the recount restores them
            store.set_counts(period, unit_id, (0, 0))
        assert ledger.recount(period) == {u: expected[u] for u in typed_over}
        assert {u: store.counts(period, u) for u in chosen} == expected

        items = ledger.items(period)
        if items:  # a deletion is counted by the domain (a change not stored yet); the SQL agrees after
            ledger.delete_item(period, items[delete % len(items)].id)
            expected = _expected(store, period, chosen)
            assert {u: store.counts(period, u) for u in chosen} == expected
            assert ledger.recount(period) == {}
            assert ledger.derived_counts(period) == expected
    finally:
        store.delete_period(period)


def test_the_count_query_reads_only_its_covering_index(store):
    from shangnan_desktop.storage.ledger_store import _COUNT_SQL

    plan = " ".join(
        row[-1] for row in store.conn.execute(
            "EXPLAIN QUERY PLAN " + _COUNT_SQL,
            {"period": 1, "start": "2021-04-01", "end": "2021-06-30", "adopted": "采用", "units": "[1, 2]"},
        )
    )
    assert "USING COVERING INDEX ledger_items_count" in plan, plan
