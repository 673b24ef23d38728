"""Numbered schema migrations; ``PRAGMA user_version`` records how many have run."""

from __future__ import annotations

# Each entry is one migration, run in its own transaction together with the
# version bump. Never edit a released migration: append a new one.
MIGRATIONS: list[str] = [
    # 1: groups, units, periods and their entries (counts per unit and period).
    """
    CREATE TABLE groups (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
        position    INTEGER NOT NULL,
        unit_header TEXT NOT NULL DEFAULT '单位',
        annex_title TEXT NOT NULL DEFAULT '{period}{group}信息报送情况统计表'
    );
    CREATE TABLE units (
        id       INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40 AND name = trim(name)),
        position INTEGER NOT NULL,
        active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        UNIQUE (group_id, name)
    );
    CREATE TABLE periods (
        id               INTEGER PRIMARY KEY,
        key              TEXT NOT NULL UNIQUE,
        year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        kind             TEXT NOT NULL CHECK (kind IN ('Q', 'M', 'Y')),
        number           INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
        rule             TEXT NOT NULL CHECK (json_valid(rule)),
        locked           INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        centre_published INTEGER CHECK (centre_published IS NULL OR
                         (typeof(centre_published) = 'integer' AND centre_published BETWEEN 0 AND 999999)),
        UNIQUE (year, kind, number)
    );
    CREATE TABLE entries (
        period_id INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
        unit_id   INTEGER NOT NULL REFERENCES units(id),
        name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        position  INTEGER NOT NULL,
        submitted INTEGER NOT NULL DEFAULT 0
                  CHECK (typeof(submitted) = 'integer' AND submitted BETWEEN 0 AND 9999),
        adopted   INTEGER NOT NULL DEFAULT 0
                  CHECK (typeof(adopted) = 'integer' AND adopted BETWEEN 0 AND 9999),
        CHECK (adopted <= submitted),
        PRIMARY KEY (period_id, unit_id)
    );
    CREATE TABLE entry_metrics (
        period_id INTEGER NOT NULL,
        unit_id   INTEGER NOT NULL,
        metric    TEXT NOT NULL CHECK (metric NOT IN ('submitted', 'adopted')),
        value     INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value BETWEEN 0 AND 9999),
        PRIMARY KEY (period_id, unit_id, metric),
        FOREIGN KEY (period_id, unit_id) REFERENCES entries(period_id, unit_id) ON DELETE CASCADE
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: audit log: who changed what, when, from which value to which.
    """
    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        user       TEXT NOT NULL,
        action     TEXT NOT NULL,
        period_key TEXT,
        unit_id    INTEGER,
        unit_name  TEXT,
        old        TEXT,
        new        TEXT
    );
    CREATE INDEX audit_period ON audit(period_key, unit_id);
    """,
    # 3: the register of website responsible persons (附件3), with history:
    # a change closes the current row (valid_to) and opens a new one.
    """
    CREATE TABLE register (
        id            INTEGER PRIMARY KEY,
        unit_id       INTEGER NOT NULL REFERENCES units(id),
        leader_name   TEXT NOT NULL DEFAULT '' CHECK (length(leader_name) <= 20),
        leader_title  TEXT NOT NULL DEFAULT '' CHECK (length(leader_title) <= 20),
        leader_phones TEXT NOT NULL DEFAULT '' CHECK (length(leader_phones) <= 80),
        admin_name    TEXT NOT NULL DEFAULT '' CHECK (length(admin_name) <= 20),
        admin_title   TEXT NOT NULL DEFAULT '' CHECK (length(admin_title) <= 20),
        admin_phones  TEXT NOT NULL DEFAULT '' CHECK (length(admin_phones) <= 80),
        qq            TEXT NOT NULL DEFAULT '' CHECK (qq = '' OR (qq GLOB '[1-9]*' AND length(qq) BETWEEN 5 AND 11
                                                     AND qq NOT GLOB '*[^0-9]*')),
        confirmed_on  TEXT CHECK (confirmed_on IS NULL OR date(confirmed_on) = confirmed_on),
        valid_from    TEXT NOT NULL,
        valid_to      TEXT,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE UNIQUE INDEX register_current ON register(unit_id) WHERE valid_to IS NULL;
    CREATE INDEX register_history ON register(unit_id, valid_from);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
