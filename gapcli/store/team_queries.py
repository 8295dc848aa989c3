"""What the team commands ask the store: every learner's rows, one learner at a time.

A team view reads every profile inside ONE read transaction (one snapshot: a
learner logging meanwhile is either wholly in the view or not at all). The
connection is opened unscoped (:meth:`gapcli.store.database.Database.read` with
``scoped=False``); :func:`each_profile` then points the per-learner views of
:mod:`gapcli.store.scope` at each profile in turn, so the single-learner queries
of :mod:`gapcli.store.queries` (and the code that builds a learner's state from
them) run unchanged for every member. Plain, portable SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from gapcli.store.scope import SCOPED, ProfileName, profile_names, scope_to_profile


def _unscope(conn: sqlite3.Connection) -> None:
    """Drop the per-learner views (the file's own tables are seen again)."""
    for table in (*SCOPED, "profile"):
        conn.execute(f'DROP VIEW IF EXISTS "{table}"')


def each_profile(conn: sqlite3.Connection) -> Iterator[ProfileName]:
    """Each profile of the store, by name; while one is yielded ``conn`` sees its rows only.

    A store of one learner is read as it is: it needs no view, and an older file
    (read through the views :mod:`gapcli.store.old_schema` makes) holds one learner.
    """
    names = sorted(profile_names(conn), key=lambda p: p.name)
    if len(names) <= 1:
        yield from names
        return
    for p in names:
        scope_to_profile(conn, p.id)
        try:
            yield p
        finally:
            _unscope(conn)
