"""What ``gapcli db check`` asks the database, and the profile's catalog read cheaply.

Plain SQL over a read-only :mod:`sqlite3` connection, as :mod:`gapcli.store.queries`:
the services turn these counts into the learner's sentences.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from gapcli.store.old_schema import show_added_columns
from gapcli.store.probe import read_only_uri
from gapcli.store.sqlite_file import release_side_files

# The tables whose rows ``db check`` counts, in the order it lists them (every table
# of the schema contract but the one-row profile: a test checks).
COUNTED = (
    "assessment",
    "math_assessment",
    "topic_progress",
    "study_session",
    "away",
    "note",
    "paper_read",
    "change",
    "setting_change",
    "review",
)


@dataclass(frozen=True)
class Findings:
    """Rows breaking gapcli's own rules, counted (the file's integrity is checked apart)."""

    counts: dict[str, int]
    broken_references: int  # rows pointing to a change that is not there
    profiles: int  # one per learner; none before init (or after reset)
    bad_percentages: int  # assessments outside 0-100
    bad_durations: int  # sessions of no time or more than a day
    backwards_away: int  # away ranges that end before they start


@contextmanager
def reading(path: Path, profile_id: int | None = None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``path``, shown as the newest schema (an older file
    is not upgraded by a check): the whole store, or one profile's rows."""
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        show_added_columns(conn)
        older = conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0]
        if profile_id is not None and not older:  # an older file holds one learner
            from gapcli.store.scope import scope_to_profile

            scope_to_profile(conn, profile_id)
        yield conn


def findings(conn: sqlite3.Connection, *, foreign_keys: bool = True) -> Findings:
    """``foreign_keys``: count broken references with SQLite's PRAGMA (False on
    PostgreSQL, which refuses them at every write)."""

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return Findings(
        counts={table: count(f'SELECT count(*) FROM "{table}"') for table in COUNTED},
        broken_references=(
            len(conn.execute("PRAGMA foreign_key_check").fetchall()) if foreign_keys else 0
        ),
        profiles=count("SELECT count(*) FROM profile"),
        bad_percentages=count(
            "SELECT count(*) FROM assessment WHERE current NOT BETWEEN 0 AND 100 "
            "OR target NOT BETWEEN 0 AND 100"
        ),
        bad_durations=count(
            "SELECT count(*) FROM study_session WHERE minutes <= 0 OR minutes > 1440"
        ),
        backwards_away=count('SELECT count(*) FROM away WHERE "end" < start'),
    )


def profiles(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Every profile of the store, (id, name) by id."""
    from gapcli.store.scope import profile_names

    return [(p.id, p.name) for p in profile_names(conn)]


def used_ids(conn: sqlite3.Connection) -> set[str]:
    """Every domain and topic id the learner has data for."""
    rows = conn.execute(
        "SELECT domain_id FROM assessment UNION SELECT topic_id FROM topic_progress "
        "UNION SELECT domain_id FROM study_session "
        "UNION SELECT topic_id FROM study_session"
    )
    return {r[0] for r in rows if r[0]}


def recorded_catalog(path: Path, profile: str | None = None) -> str | None:
    """The catalog source the chosen profile uses, or None (no file, no such profile,
    not a database): read without opening the database for real."""
    if not path.is_file():
        return None
    try:
        try:
            with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
                if not _scoped(conn, path, profile):
                    return None
                return catalog_source(conn)
        finally:
            release_side_files(path)
    except sqlite3.Error:
        return None


def _scoped(conn: sqlite3.Connection, path: Path, profile: str | None) -> bool:
    """Scope ``conn`` to the chosen profile; False when there is none to choose."""
    from gapcli.domain.profiles import choose_profile
    from gapcli.errors import GapError
    from gapcli.store.scope import profile_names, scope_to_profile

    try:
        names = profile_names(conn)
    except sqlite3.OperationalError:  # a file older than 0008: one profile, unnamed
        return profile is None
    try:
        chosen = choose_profile([n.name for n in names], profile, str(path))
    except GapError:
        return False
    scope_to_profile(conn, next((n.id for n in names if n.name == chosen), 0))
    return True


def catalog_source(conn: sqlite3.Connection) -> str | None:
    """The catalog in use: the newest ``catalog switch``, else what init stored."""
    from gapcli.store.queries import catalog_in_use

    in_use = catalog_in_use(conn)
    return None if in_use is None else in_use[1]
