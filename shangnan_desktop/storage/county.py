"""A new county's database: its settings (county, office, document-number prefix, period kind), its groups
with their header words and units in order, and the first period with its rule (issue 16)."""

from __future__ import annotations

from shangnan_desktop.domain.county import (
    DEFAULT_ANNEX_TITLE,
    SETTING_COUNTY,
    SETTING_NUMBER_PREFIX,
    SETTING_OFFICE,
    SETTING_PERIOD_KIND,
    CountySetup,
)


def county_loader(setup: CountySetup):
    """The loader ``Store.create`` runs: settings, groups, units and the first period, one transaction."""
    setup.check()

    def load(store) -> None:
        with store.db.transaction() as conn:
            for key, value in ((SETTING_COUNTY, setup.county.strip()), (SETTING_OFFICE, setup.office.strip()),
                               (SETTING_NUMBER_PREFIX, setup.number_prefix.strip()),
                               (SETTING_PERIOD_KIND, setup.period_kind)):
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
            for g_pos, group in enumerate(setup.groups, start=1):
                group_id = conn.execute(
                    "INSERT INTO groups (name, position, unit_header, annex_title) VALUES (?, ?, ?, ?)",
                    (group.name.strip(), g_pos, group.unit_header.strip(), DEFAULT_ANNEX_TITLE),
                ).lastrowid
                for u_pos, unit in enumerate(group.units, start=1):
                    conn.execute("INSERT INTO units (group_id, name, position) VALUES (?, ?, ?)",
                                 (group_id, unit, u_pos))
            store.insert_period_row(conn, setup.first_period, setup.rule)
            period_id = conn.execute("SELECT id FROM periods WHERE key = ?", (setup.first_period.key,)).fetchone()[0]
            conn.execute(
                """INSERT INTO entries (period_id, unit_id, name, position)
                   SELECT ?, u.id, u.name, g.position * 100000 + u.position
                   FROM units u JOIN groups g ON g.id = u.group_id""",
                (period_id,),
            )
            store.record_audit(conn, "新建数据库", setup.first_period, None, None, None, setup.county.strip())

    return load


def county_settings(store) -> dict[str, str]:
    """The county, office, document-number prefix and period kind a database was set up with
    (empty for the Shangnan reference database, which predates them)."""
    return {k: store.setting(k, "") for k in (SETTING_COUNTY, SETTING_OFFICE, SETTING_NUMBER_PREFIX,
                                              SETTING_PERIOD_KIND)}
