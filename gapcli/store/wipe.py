"""Emptying a database of the learner's rows, for ``reset`` and replacing the demo.

The schema, the migration stamp and the file stay: an emptied database is one that
``gapcli init`` fills like a new one. The caller holds the write transaction, so a
wipe and whatever follows it (a new profile) commit together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


def wipe_rows(session: Session) -> None:
    """Delete every row of gapcli's tables, children before the rows they point at."""
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    import gapcli.store.tables  # noqa: F401  (registers the tables in the metadata)

    for table in reversed(SQLModel.metadata.sorted_tables):
        session.execute(delete(table))


def holds_only_demo(session: Session, demo: dict[str, tuple[int, int]]) -> bool:
    """Whether the profile is the demo learner untouched since ``init --demo``.

    Only one change (the ``init``), and its assessments exactly the catalog's demo
    learner's (domain -> current, target): an imported or real profile with other
    numbers, or anything logged or set since, is the learner's own.
    """
    from sqlmodel import func, select

    from gapcli.store.tables import Assessment, Change, Profile

    if not demo or session.get(Profile, 1) is None:
        return False
    if session.exec(select(func.count()).select_from(Change)).one() != 1:
        return False
    rows = session.exec(select(Assessment)).all()
    found = {row.domain_id: (row.current, row.target) for row in rows}
    return len(rows) == len(found) and found == demo
