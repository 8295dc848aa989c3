"""One profile's rows: how every plain-SQL read sees only the chosen learner's.

A store holds several learners (revision 0008). Rather than repeat
``AND profile_id = ?`` in every query of :mod:`gapcli.store.queries` (and miss
one some day), a read connection gets, once, a temporary view per learner table
with the table's own name, holding that profile's rows; SQLite looks a temporary
name up before the file's own, and folds the view's ``WHERE`` into each query,
so the ``(profile_id, ...)`` indexes serve it. The views live in the
connection's memory only: the file is not touched (a read stays a read).

Writes name the profile themselves (:mod:`gapcli.store.log_rows`, and the ORM
session's hooks in :mod:`gapcli.store.engine`). Whole-store commands (``db
check``, ``db backup``, ``profiles``) read the file's tables unscoped.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

# The per-learner tables a read looks at, each seen through a view of one profile's
# rows. ``change`` (the undo log) is read by undo alone, through the ORM.
SCOPED = (
    "assessment",
    "math_assessment",
    "study_session",
    "topic_progress",
    "setting_change",
    "away",
    "note",
    "paper_read",
    "review",
)
# Every table holding a learner's rows: what removing a profile deletes, children first.
LEARNER_TABLES = (
    "review",
    "assessment",
    "math_assessment",
    "study_session",
    "topic_progress",
    "setting_change",
    "away",
    "note",
    "paper_read",
    "change",
)


class ProfileName(NamedTuple):
    id: int
    name: str


def profile_names(conn: sqlite3.Connection) -> list[ProfileName]:
    """Every profile of the store (``main``'s table, or the view an older file is read
    through), by id."""
    rows = conn.execute("SELECT id, name FROM profile ORDER BY id")
    return [ProfileName(int(i), str(n)) for i, n in rows]


def scope_to_profile(conn: sqlite3.Connection, profile_id: int, *, schema: str = "main") -> None:
    """Make ``conn``'s reads of the learner tables and of ``profile`` see one profile.

    ``schema``: where the tables are (``main`` on SQLite; on PostgreSQL the current
    schema, whose names a temporary view also hides: ``pg_temp`` is searched first).
    """
    pid = int(profile_id)  # an int, never text, in the SQL below
    schema = schema.replace('"', '""')
    for table in (*SCOPED, "profile"):
        column = "id" if table == "profile" else "profile_id"
        conn.execute(
            f'CREATE TEMP VIEW "{table}" AS '
            f'SELECT * FROM "{schema}"."{table}" WHERE "{column}" = {pid}'
        )


class ProfileSummary(NamedTuple):
    id: int
    name: str
    track: str
    catalog_id: str
    sessions: int
    last_day: str | None  # ISO date of the newest live session
    created_at: str  # naive UTC text, as stored


def profile_summaries(conn: sqlite3.Connection) -> list[ProfileSummary]:
    """Every profile of the store with its track (the newest ``config set track``, else
    init's), catalog, live sessions and newest study day, by name. The connection must
    be unscoped (:meth:`gapcli.store.database.Database.read` with ``scoped=False``)."""
    rows = conn.execute(
        "SELECT p.id, p.name, coalesce((SELECT value FROM setting_change c "
        "WHERE c.profile_id = p.id AND c.key = 'track' ORDER BY c.id DESC LIMIT 1), p.track), "
        "coalesce((SELECT value FROM setting_change c WHERE c.profile_id = p.id "
        "AND c.key = 'catalog-id' ORDER BY c.id DESC LIMIT 1), p.catalog_id), "
        "(SELECT count(*) FROM study_session s WHERE s.profile_id = p.id "
        "AND s.removed_at IS NULL), "
        "(SELECT max(day) FROM study_session s WHERE s.profile_id = p.id "
        "AND s.removed_at IS NULL), p.created_at FROM profile p ORDER BY p.name"
    )
    return [
        ProfileSummary(int(i), str(n), str(t), str(c), int(k), d, str(at))
        for i, n, t, c, k, d, at in rows
    ]
