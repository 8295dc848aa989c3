"""What the team commands ask the store: every learner's rows, one learner at a time.

A team view reads every profile inside ONE read transaction (one snapshot: a
learner logging meanwhile is either wholly in the view or not at all). The
connection is opened unscoped (:meth:`gapcli.store.database.Database.read` with
``scoped=False``); :func:`each_profile` then shows each learner table, and
``profile``, through a temporary view of one profile's rows, as
:mod:`gapcli.store.scope` does for one learner, so the single-learner queries of
:mod:`gapcli.store.queries` (and the code that builds a learner's state from
them) run unchanged for every member.

The views are made once, when the read transaction begins (``Database.read`` with
``each_member=True``; on PostgreSQL before the transaction turns read-only, which
refuses CREATE), and select the profile named in a one-row temporary table: moving to
the next learner is one ``UPDATE`` of that row (a read-only transaction may still
write its temporary tables), not ten views dropped and made again (a schema change,
which would also throw away every prepared statement: with 5,000 learners that was
most of the read). While that row holds 0 (no profile has that id) the ``profile``
view shows every learner, so the roster is read through the same names. The
``WHERE profile_id = (SELECT ...)`` is a constant subquery, so the
``(profile_id, ...)`` indexes still serve each query. Temporary objects live in the
connection's memory (SQLite) or session (PostgreSQL) and go with it: the store is not
touched (a read stays a read).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from gapcli.store.scope import SCOPED, ProfileName, profile_names

CURRENT = "team_member"  # the temporary one-row table naming the learner being read
EVERYONE = 0  # in that table: no learner chosen yet, the profile view shows them all


def show_members(conn: sqlite3.Connection, schema: str) -> None:
    """Make ``conn`` show one learner at a time (see the module's docstring).

    ``schema``: where the tables are (``main`` on SQLite; the current schema on
    PostgreSQL). A store of one learner is read as it is: it needs no view, and an
    older file (read through the views :mod:`gapcli.store.old_schema` makes) holds one.
    """
    quoted = schema.replace('"', '""')
    if len(profile_names(conn)) <= 1:
        return
    conn.execute(f'CREATE TEMP TABLE "{CURRENT}" (id INTEGER NOT NULL)')
    conn.execute(f'INSERT INTO "{CURRENT}" (id) VALUES ({EVERYONE})')
    chosen = f'(SELECT id FROM "{CURRENT}")'
    for table in SCOPED:
        conn.execute(
            f'CREATE TEMP VIEW "{table}" AS SELECT * FROM "{quoted}"."{table}" '
            f"WHERE profile_id = {chosen}"
        )
    conn.execute(
        f'CREATE TEMP VIEW "profile" AS SELECT * FROM "{quoted}"."profile" '
        f"WHERE {chosen} = {EVERYONE} OR id = {chosen}"
    )


def each_profile(conn: sqlite3.Connection) -> Iterator[ProfileName]:
    """Each profile of the store, by name; while one is yielded ``conn`` sees its rows only.

    ``conn`` comes from ``Database.read(scoped=False, each_member=True)``.
    """
    names = sorted(profile_names(conn), key=lambda p: p.name)
    if len(names) <= 1:
        yield from names
        return
    for p in names:
        conn.execute(f'UPDATE "{CURRENT}" SET id = ?', (int(p.id),))
        yield p
