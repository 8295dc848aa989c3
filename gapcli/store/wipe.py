"""Emptying a store of one learner's rows, for ``reset``, ``profile remove`` and
replacing the demo.

The schema, the migration stamp, the file and the other profiles stay: a store
emptied of its one learner is one that ``gapcli init`` fills like a new one. The
caller holds the write transaction, so a wipe and whatever follows it (a new
profile) commit together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session


def wipe_profile(session: Session, profile_id: int) -> None:
    """Delete every row of profile ``profile_id``, and the profile itself, children first."""
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    import gapcli.store.tables  # noqa: F401  (registers the tables in the metadata)
    from gapcli.store.scope import LEARNER_TABLES

    tables = SQLModel.metadata.tables
    for name in LEARNER_TABLES:
        table = tables[name]
        session.execute(delete(table).where(table.c.profile_id == profile_id))
    profile = tables["profile"]
    session.execute(delete(profile).where(profile.c.id == profile_id))


def holds_only_demo(session: Session, demo: dict[str, tuple[int, int]], profile_id: int) -> bool:
    """Whether profile ``profile_id`` is the demo learner untouched since ``init --demo``.

    Only one change (the ``init``), and its assessments exactly the catalog's demo
    learner's (domain -> current, target): an imported or real profile with other
    numbers, or anything logged or set since, is the learner's own.
    """
    from sqlmodel import col, func, select

    from gapcli.store.tables import Assessment, Change, Profile

    if not demo or session.get(Profile, profile_id) is None:
        return False
    changes = select(func.count()).select_from(Change).where(col(Change.profile_id) == profile_id)
    if session.exec(changes).one() != 1:
        return False
    rows = session.exec(select(Assessment).where(col(Assessment.profile_id) == profile_id)).all()
    found = {row.domain_id: (row.current, row.target) for row in rows}
    return len(rows) == len(found) and found == demo
