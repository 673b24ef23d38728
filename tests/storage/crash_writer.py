"""Child process for the kill test: edits counts in a loop and reports each edit once it is saved.

Usage: python crash_writer.py DB SEED FIRST_SEQ

Protocol on stdout, one line each, flushed:
  READY                          the store is open
  B <seq> <uid>:<s>:<a>[,...]    about to save this edit (one transaction, one or more units)
  C <seq>                        the save returned: the application would report it as saved
"""

from __future__ import annotations

import random
import sys


def main() -> int:
    db, seed, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    from shangnan_desktop.storage import Store

    store = Store.open(db)
    if store.readonly:
        print(f"ERROR read-only: {store.readonly_reason}", file=sys.stderr, flush=True)
        return 3
    period = store.latest_period()
    unit_ids = [row.unit_id for group in store.load_sheet(period).groups for row in group.rows]
    rng = random.Random(seed * 1_000_003 + first)
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    seq = first
    while True:
        # Mostly single edits (a clerk typing a cell), sometimes several units in one
        # transaction (a paste or an import) that must land all together or not at all.
        size = 1 if rng.random() < 0.75 else rng.randint(2, 5)
        changes = []
        for uid in rng.sample(unit_ids, size):
            submitted = rng.randint(0, 9999)
            changes.append((uid, (submitted, rng.randint(0, submitted))))
        text = ",".join(f"{uid}:{s}:{a}" for uid, (s, a) in changes)
        out.write(f"B {seq} {text}\n")
        out.flush()
        if size == 1:
            store.set_counts(period, changes[0][0], changes[0][1])
        else:
            store.set_many(period, changes)
        out.write(f"C {seq}\n")
        out.flush()
        seq += 1


if __name__ == "__main__":
    sys.exit(main())
