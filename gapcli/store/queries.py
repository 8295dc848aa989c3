"""What read commands ask the database, in plain SQL over the standard library.

A read command runs a handful of small queries; going through :mod:`sqlite3`
instead of SQLModel spares it importing SQLAlchemy, which would be most of its
start-up (``bench/run.py`` has the figures), and the aggregation happens in
SQLite, not in Python. Its rows are named tuples: records, built once per row
read, and cheaper to define and to build than frozen dataclasses.
The SQL names the columns of :mod:`gapcli.store.tables`; a test runs every
query against a database migrated to the newest revision.

Every query reads one learner's rows: the connection it is given sees each
learner table, and ``profile``, through a view of the chosen profile's rows
(:mod:`gapcli.store.scope`), so no query names a profile itself.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from typing import NamedTuple

from gapcli.domain.away import AwayRange


def moment(text: str) -> datetime:
    """Stored moments are naive UTC text ('2026-11-23 17:29:49.204216')."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class ProfileRow(NamedTuple):
    catalog_id: str
    catalog_source: str
    track: str
    weekly_hours: float
    study_days: str
    start_date: date
    created_at: datetime
    study_time: str
    name: str  # which learner of the store: what --profile names


class AssessmentRow(NamedTuple):
    id: int
    at: datetime
    domain_id: str
    current: int
    target: int


class MathRow(NamedTuple):
    id: int
    at: datetime
    level: str


class MarkRow(NamedTuple):
    id: int
    at: datetime
    topic_id: str
    done: bool


class SessionRow(NamedTuple):
    id: int
    day: date
    minutes: int
    domain_id: str
    topic_id: str | None
    note: str | None
    logged_at: datetime


def profile(conn: sqlite3.Connection) -> ProfileRow | None:
    row = conn.execute(
        "SELECT catalog_id, catalog_source, track, weekly_hours, study_days, "
        "start_date, created_at, study_time, name FROM profile ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    catalog_id, source, track, weekly, days, start, created, clock, name = row
    return ProfileRow(
        catalog_id,
        source,
        track,
        float(weekly),
        days,
        date.fromisoformat(start),
        moment(created),
        clock,
        name,
    )


def logged_minutes(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT topic_id, sum(minutes) FROM study_session "
        "WHERE topic_id IS NOT NULL AND removed_at IS NULL GROUP BY topic_id"
    )
    return {topic: int(total or 0) for topic, total in rows}


def minutes_by_day(conn: sqlite3.Connection) -> dict[date, int]:
    rows = conn.execute(
        "SELECT day, sum(minutes) FROM study_session WHERE removed_at IS NULL GROUP BY day"
    )
    return {date.fromisoformat(day): int(total or 0) for day, total in rows}


def sessions(
    conn: sqlite3.Connection, *, since: date | None = None, domain: str | None = None
) -> list[SessionRow]:
    """Live (not removed) sessions in date order, optionally from a day or of a domain."""
    sql = (
        "SELECT id, day, minutes, domain_id, topic_id, note, logged_at FROM study_session "
        "WHERE removed_at IS NULL"
    )
    args: list[str] = []
    if since is not None:
        sql += " AND day >= ?"
        args.append(since.isoformat())
    if domain is not None:
        sql += " AND domain_id = ?"
        args.append(domain)
    return [
        SessionRow(i, date.fromisoformat(day), minutes, dom, topic, note, moment(logged))
        for i, day, minutes, dom, topic, note, logged in conn.execute(
            sql + " ORDER BY day, id", args
        )
    ]


class TopicMinutes(NamedTuple):
    day: date
    topic_id: str
    minutes: int


def topic_minutes(conn: sqlite3.Connection) -> list[TopicMinutes]:
    """Live sessions on a topic, just their day, topic and minutes, in date order.

    What a replay of the past needs (``gaps``' sparkline, ``team trend``), without
    the note and the moment each session carries.
    """
    rows = conn.execute(
        "SELECT day, topic_id, minutes FROM study_session "
        "WHERE removed_at IS NULL AND topic_id IS NOT NULL ORDER BY day, id"
    )
    return [TopicMinutes(date.fromisoformat(day), topic, minutes) for day, topic, minutes in rows]


def assessments(conn: sqlite3.Connection) -> list[AssessmentRow]:
    rows = conn.execute("SELECT id, at, domain_id, current, target FROM assessment ORDER BY id")
    return [AssessmentRow(i, moment(at), d, c, t) for i, at, d, c, t in rows]


def math_levels(conn: sqlite3.Connection) -> list[MathRow]:
    rows = conn.execute("SELECT id, at, level FROM math_assessment ORDER BY id")
    return [MathRow(i, moment(at), level) for i, at, level in rows]


def topic_marks(conn: sqlite3.Connection) -> list[MarkRow]:
    rows = conn.execute("SELECT id, at, topic_id, done FROM topic_progress ORDER BY id")
    return [MarkRow(i, moment(at), t, bool(done)) for i, at, t, done in rows]


class SettingRow(NamedTuple):
    id: int
    at: datetime
    key: str
    value: str
    change_id: int | None


def setting_changes(conn: sqlite3.Connection) -> list[SettingRow]:
    """Every ``config set`` in the order made (an older file reads as none)."""
    rows = conn.execute("SELECT id, at, key, value, change_id FROM setting_change ORDER BY id")
    return [SettingRow(i, moment(at), key, value, change) for i, at, key, value, change in rows]


def catalog_in_use(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """(catalog id, source) in use: the newest 'catalog switch', else what init stored.

    None when the file holds no profile. A file older than the settings history
    has had no switch.
    """
    row = conn.execute(
        "SELECT catalog_id, catalog_source FROM profile ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    catalog_id, source = str(row[0]), str(row[1])
    try:
        switched = dict(
            conn.execute(
                "SELECT key, value FROM setting_change WHERE id IN (SELECT max(id) "
                "FROM setting_change WHERE key IN ('catalog', 'catalog-id') GROUP BY key)"
            ).fetchall()
        )
    except sqlite3.OperationalError:  # no settings history in this file yet
        switched = {}
    return switched.get("catalog-id", catalog_id), switched.get("catalog", source)


def away_ranges(conn: sqlite3.Connection) -> list[AwayRange]:
    """Live (not removed) away ranges, by first day."""
    rows = conn.execute(
        'SELECT id, start, "end", note FROM away WHERE removed_at IS NULL ORDER BY start, id'
    )
    return [
        AwayRange(i, date.fromisoformat(start), date.fromisoformat(end), note)
        for i, start, end, note in rows
    ]


class NoteRow(NamedTuple):
    id: int
    at: datetime
    topic_id: str
    text: str
    link: str | None


def notes(conn: sqlite3.Connection, topic_id: str | None = None) -> list[NoteRow]:
    """Notes oldest first (newest last), of one topic or all (an older file reads as none)."""
    sql = "SELECT id, at, topic_id, text, link FROM note"
    args: tuple[str, ...] = ()
    if topic_id is not None:
        sql, args = sql + " WHERE topic_id = ?", (topic_id,)
    rows = conn.execute(sql + " ORDER BY id", args)
    return [NoteRow(i, moment(at), t, text, link) for i, at, t, text, link in rows]


def papers_read(conn: sqlite3.Connection) -> dict[str, date]:
    """Each paper read, with the newest day it was marked read."""
    rows = conn.execute("SELECT paper_id, max(day) FROM paper_read GROUP BY paper_id")
    return {paper: date.fromisoformat(day) for paper, day in rows}


def newest_notes(conn: sqlite3.Connection) -> dict[str, str]:
    """Each noted topic's newest note text: where the learner left off."""
    rows = conn.execute(
        "SELECT topic_id, text FROM note WHERE id IN (SELECT max(id) FROM note GROUP BY topic_id)"
    )
    return {topic: text for topic, text in rows}


class ReviewRow(NamedTuple):
    id: int
    at: datetime
    day: date
    topic_id: str
    rating: int
    kind: str
    session_id: int | None


def reviews(conn: sqlite3.Connection) -> list[ReviewRow]:
    """Every recall and review, in the order recorded (an older file reads as none)."""
    rows = conn.execute(
        "SELECT id, at, day, topic_id, rating, kind, session_id FROM review ORDER BY id"
    )
    return [
        ReviewRow(i, moment(at), date.fromisoformat(day), t, int(r), k, s)
        for i, at, day, t, r, k, s in rows
    ]


def done_since(conn: sqlite3.Connection) -> dict[str, datetime]:
    """Each finished topic with the moment of its newest mark (the one that made it done)."""
    rows = conn.execute(
        "SELECT topic_id, at FROM topic_progress WHERE done AND id IN "
        "(SELECT max(id) FROM topic_progress GROUP BY topic_id)"
    )
    return {topic: moment(at) for topic, at in rows}
