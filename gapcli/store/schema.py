"""The schema revisions this gapcli knows, without importing alembic.

Opening a database compares its stored revision with :data:`HEAD` in one plain
query; alembic is imported only when they differ. A test checks this list
against alembic's own history.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002")
HEAD = REVISIONS[-1]
