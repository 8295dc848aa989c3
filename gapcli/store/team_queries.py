"""What the team commands ask the store: every learner's rows, one learner at a time.

A team view reads every profile inside ONE read transaction (one snapshot: a
learner logging meanwhile is either wholly in the view or not at all). The
connection is opened unscoped (:meth:`gapcli.store.database.Database.read` with
``scoped=False``); :func:`each_profile` then shows each learner table, and
``profile``, through a temporary view of one profile's rows, as
:mod:`gapcli.store.scope` does for one learner, so the single-learner queries of
:mod:`gapcli.store.queries` (and the code that builds a learner's state from
them) run unchanged for every member.

The views are made once and select the profile named in a one-row temporary
table: moving to the next learner is one ``UPDATE`` of that row, not ten views
dropped and made again (a schema change, which would also throw away every
prepared statement: with 5,000 learners that was most of the read). The
``WHERE profile_id = (SELECT ...)`` is a constant subquery, so the
``(profile_id, ...)`` indexes still serve each query. Temporary objects live in
the connection's memory: the file is not touched (a read stays a read).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from gapcli.store.scope import SCOPED, ProfileName, profile_names

CURRENT = "team_member"  # the temporary one-row table naming the learner being read


def _scope_to_current(conn: sqlite3.Connection) -> None:
    conn.execute(f'CREATE TEMP TABLE "{CURRENT}" (id INTEGER NOT NULL)')
    conn.execute(f'INSERT INTO temp."{CURRENT}" (id) VALUES (0)')
    chosen = f'(SELECT id FROM temp."{CURRENT}")'
    for table in (*SCOPED, "profile"):
        column = "id" if table == "profile" else "profile_id"
        conn.execute(
            f'CREATE TEMP VIEW "{table}" AS SELECT * FROM main."{table}" '
            f'WHERE "{column}" = {chosen}'
        )


def _unscope(conn: sqlite3.Connection) -> None:
    """Drop the views and the table (the file's own tables are seen again)."""
    for table in (*SCOPED, "profile"):
        conn.execute(f'DROP VIEW IF EXISTS "{table}"')
    conn.execute(f'DROP TABLE IF EXISTS temp."{CURRENT}"')


def each_profile(conn: sqlite3.Connection) -> Iterator[ProfileName]:
    """Each profile of the store, by name; while one is yielded ``conn`` sees its rows only.

    A store of one learner is read as it is: it needs no view, and an older file
    (read through the views :mod:`gapcli.store.old_schema` makes) holds one learner.
    """
    names = sorted(profile_names(conn), key=lambda p: p.name)
    if len(names) <= 1:
        yield from names
        return
    _scope_to_current(conn)
    try:
        for p in names:
            conn.execute(f'UPDATE temp."{CURRENT}" SET id = ?', (int(p.id),))
            yield p
    finally:
        _unscope(conn)
