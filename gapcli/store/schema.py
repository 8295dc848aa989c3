"""The schema revisions this gapcli knows, without importing alembic.

Opening a database compares its stored revision with :data:`HEAD` in one plain
query; alembic is imported only when they differ. A test checks this list
against alembic's own history.
"""

from gapcli.store.contract import TABLES

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]

# Columns added to a table after it was created, with what a read shows for them in
# a file not yet upgraded (their server default; None reads as NULL): only a write
# upgrades a file, so a read of an older file sees these instead. Derived from the
# schema contract; a test checks them against the migrations.
ADDED_COLUMNS: tuple[tuple[str, str, str | None], ...] = tuple(
    (table.name, column.name, column.default)
    for table in TABLES
    for column in table.columns
    if column.since is not None
)

# Tables added after the first revision, with their columns: a read of an older
# file sees each as an empty table of that name (nothing was ever written to it).
ADDED_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (table.name, table.names) for table in TABLES if table.since != REVISIONS[0]
)
