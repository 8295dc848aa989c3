"""The schema revisions this gapcli knows, without importing alembic.

Opening a database compares its stored revision with :data:`HEAD` in one plain
query; alembic is imported only when they differ. A test checks this list
against alembic's own history. What a read of an older file adds is in
:mod:`gapcli.store.old_schema`, loaded only for such a file.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
