"""The rows ``log-progress`` writes, in plain SQL over the standard library.

Logging time is the command a learner runs most, and it adds two or three rows:
going through SQLModel would load SQLAlchemy for that. These functions run inside
:meth:`gapcli.store.database.Database.write_sql`'s transaction and store values
exactly as the SQLModel tables of :mod:`gapcli.store.tables` do (moments as naive
UTC text with microseconds, days as ISO dates, booleans as 0/1, a change's kind as
its plain string), so the ORM reads them back unchanged (``undo``, ``history
edit``); a test checks that round trip.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from gapcli.domain.changes import ChangeKind


def moment_text(moment: datetime) -> str:
    """A moment as stored: naive UTC text ('2026-11-23 17:29:49.204216')."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def day_minutes(conn: sqlite3.Connection, day: date, *, profile_id: int) -> dict[int, int]:
    """The minutes of each live session of the profile on ``day``, by id (read inside
    the write)."""
    rows = conn.execute(
        "SELECT id, minutes FROM study_session WHERE profile_id = ? AND day = ? "
        "AND removed_at IS NULL",
        (profile_id, day.isoformat()),
    )
    return {int(i): int(m) for i, m in rows}


def add_change(
    conn: sqlite3.Connection,
    *,
    at: datetime,
    kind: ChangeKind,
    summary: str,
    undo: str,
    profile_id: int,
) -> int:
    cursor = conn.execute(
        "INSERT INTO change (at, kind, summary, undo, profile_id) VALUES (?, ?, ?, ?, ?)",
        (moment_text(at), kind.value, summary, undo, profile_id),
    )
    return _new_id(cursor)


def add_session(
    conn: sqlite3.Connection,
    *,
    day: date,
    minutes: int,
    domain_id: str,
    topic_id: str | None,
    note: str | None,
    logged_at: datetime,
    change_id: int,
    profile_id: int,
) -> int:
    cursor = conn.execute(
        "INSERT INTO study_session (day, minutes, domain_id, topic_id, note, logged_at, "
        "change_id, profile_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            day.isoformat(),
            minutes,
            domain_id,
            topic_id,
            note,
            moment_text(logged_at),
            change_id,
            profile_id,
        ),
    )
    return _new_id(cursor)


def add_mark(
    conn: sqlite3.Connection,
    *,
    at: datetime,
    topic_id: str,
    done: bool,
    change_id: int,
    profile_id: int,
) -> None:
    """A topic marked done (or not done yet); the newest mark of a topic decides."""
    conn.execute(
        "INSERT INTO topic_progress (at, topic_id, done, change_id, profile_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (moment_text(at), topic_id, done, change_id, profile_id),  # sqlite3 stores True as 1
    )


def add_review(
    conn: sqlite3.Connection,
    *,
    at: datetime,
    day: date,
    topic_id: str,
    rating: int,
    kind: str,
    session_id: int | None,
    change_id: int,
    profile_id: int,
) -> None:
    """A recall (with a done mark) or a review of a finished topic, with its rating."""
    conn.execute(
        "INSERT INTO review (at, day, topic_id, rating, kind, session_id, change_id, "
        "profile_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            moment_text(at),
            day.isoformat(),
            topic_id,
            rating,
            kind,
            session_id,
            change_id,
            profile_id,
        ),
    )


def _new_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # an INSERT always sets it; mypy cannot know
        raise sqlite3.DatabaseError("no row id after an insert")
    return cursor.lastrowid
