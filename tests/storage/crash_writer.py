"""Child process for the kill test: edits counts in a loop and reports each edit once it is saved.

Usage: python crash_writer.py DB SEED FIRST_SEQ [edit|backup|restore]

Protocol on stdout, one line each, flushed:
  READY                          the store is open
  B <seq> <uid>:<s>:<a>[,...]    about to save this edit (one transaction, one or more units)
  C <seq>                        the save returned: the application would report it as saved
  K <seq> <name>                 (backup mode) a backup was made after edit <seq>
  S <n> <name>                   (restore mode) about to restore backup <name>
  R <n> <name>                   (restore mode) that restore returned
"""

from __future__ import annotations

import random
import sys


def main() -> int:
    db, seed, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else "edit"
    if mode == "restore":
        return restore_loop(db, seed)
    from shangnan_desktop.storage import Store
    from shangnan_desktop.storage.backup import create_backup

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
        if mode == "backup":
            info = create_backup(store, "manual")
            out.write(f"K {seq} {info.name}\n")
            out.flush()
        seq += 1


def restore_loop(db: str, seed: int) -> int:
    """Restore the database's backups one after another, forever (the database is not open here)."""
    from shangnan_desktop.storage.backup import list_backups, restore_backup

    backups = sorted(list_backups(db), key=lambda b: b.seq)
    rng = random.Random(seed)
    print("READY", flush=True)
    n = 0
    while True:
        backup = rng.choice(backups)
        print(f"S {n} {backup.name}", flush=True)
        restore_backup(db, backup)
        print(f"R {n} {backup.name}", flush=True)
        n += 1


if __name__ == "__main__":
    sys.exit(main())
