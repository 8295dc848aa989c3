"""Reading a file an older gapcli wrote, without upgrading it.

Only a write migrates: a read never changes the file, and a file we may not
write (read-only, on a read-only mount, someone else's) can still be read and
exported. A column added since is shown with the value a migration would give
it, and a table added since as an empty one, through a temporary view of the
same name, which SQLite looks up before the file's own table; it lives in the
connection's memory only.
"""

from __future__ import annotations

import sqlite3

from gapcli.store.contract import OS_USER, TABLES
from gapcli.store.schema import REVISIONS

# Columns added to a table after it was created, with what a read shows for them in
# a file not yet upgraded (the value the migration gives existing rows: mostly the
# server default; None reads as NULL): only a write upgrades a file, so a read of an
# older file sees these instead. Derived from the schema contract; a test checks them
# against the migrations.
ADDED_COLUMNS: tuple[tuple[str, str, str | None], ...] = tuple(
    (table.name, column.name, column.shown_before)
    for table in TABLES
    for column in table.columns
    if column.since is not None
)

# Tables added after the first revision, with their columns: a read of an older
# file sees each as an empty table of that name (nothing was ever written to it).
ADDED_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (table.name, table.names) for table in TABLES if table.since != REVISIONS[0]
)


def show_added_columns(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the newest columns of every table whose file lacks some, and the
    newest tables (empty) that the file lacks."""
    present = {row[0] for row in conn.execute("SELECT name FROM main.sqlite_master")}
    missing: dict[str, list[tuple[str, str | None]]] = {}
    for table, column, default in ADDED_COLUMNS:
        if table not in present:
            continue  # the whole table is missing: shown empty, with every column, below
        have = {row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")}
        if column not in have:
            missing.setdefault(table, []).append((column, default))
    for table, columns in missing.items():
        extra = ", ".join(f'{_shown(default)} AS "{column}"' for column, default in columns)
        conn.execute(f'CREATE TEMP VIEW "{table}" AS SELECT *, {extra} FROM main."{table}"')
    for table, names in ADDED_TABLES:
        if table not in present:  # an empty view of the same shape: nothing recorded yet
            empty = ", ".join(f'NULL AS "{name}"' for name in names)
            conn.execute(f'CREATE TEMP VIEW "{table}" AS SELECT {empty} WHERE 0')


def _shown(value: str | None) -> str:
    """The SQL literal a column not yet in the file reads as (the profile's name is the
    one migration 0008 will give it: the operating-system user's)."""
    if value == OS_USER:
        from gapcli.store.os_user import default_profile_name

        value = default_profile_name()
    if value is not None and value.isdecimal():  # a number (profile_id): compares as one
        return value
    return _quoted(value)


def _quoted(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"
