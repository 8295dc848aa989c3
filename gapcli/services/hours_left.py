"""The hours still needed to close the track's gaps at the end of each past week.

One replay of the past for both pictures of it: ``gaps``' sparkline takes its
last weeks, the HTML report's burn-down all of them, so the same week shows the
same hours in both. The stored rows (assessments, math levels, done and to-do
marks, logged time) are turned into dated changes here, once, and replayed by
the pure :func:`gapcli.domain.burndown.replay_hours`; the last point is today's,
the total ``gaps`` prints above the line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple, Protocol

from gapcli.domain.burndown import Assess, Change, Level, Logged, Mark, replay_hours, week_ends
from gapcli.domain.catalog import Catalog
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.views.snapshot import Snapshot

WEEKS = 26  # what gaps shows at most; a narrow terminal shows the last ones


class TopicSession(Protocol):
    """A session as a replay reads it (a ``SessionRow`` or a ``TopicMinutes``)."""

    @property
    def day(self) -> date: ...
    @property
    def topic_id(self) -> str | None: ...
    @property
    def minutes(self) -> int: ...


class Entries(Protocol):
    """The stored rows a replay needs (the export's ``Records`` has them too)."""

    @property
    def assessments(self) -> Sequence[queries.AssessmentRow]: ...
    @property
    def math_levels(self) -> Sequence[queries.MathRow]: ...
    @property
    def topic_marks(self) -> Sequence[queries.MarkRow]: ...
    @property
    def sessions(self) -> Sequence[TopicSession]: ...


class StoredRows(NamedTuple):
    """Just the rows a replay needs, for ``gaps`` (which gathers no export)."""

    assessments: list[queries.AssessmentRow]
    math_levels: list[queries.MathRow]
    topic_marks: list[queries.MarkRow]
    sessions: list[queries.TopicMinutes]


def read_rows(ws: Workspace) -> StoredRows:
    """The four kinds of rows a replay reads, in one read transaction."""
    with ws.database().read() as conn:
        return stored_rows(conn)


def stored_rows(conn: sqlite3.Connection) -> StoredRows:
    """The rows a replay reads, from one profile's read (``team`` reads each member's)."""
    return StoredRows(
        queries.assessments(conn),
        queries.math_levels(conn),
        queries.topic_marks(conn),
        queries.topic_minutes(conn),
    )


def _local_day(at: datetime) -> date:
    """A stamp's local date: what the learner calls that day (as ``history`` replays it)."""
    return at.astimezone().date()


def changes(rows: Entries) -> list[tuple[date, Change]]:
    """Every stored change on its local day; on one day, in the order the store reads them.

    Assessments and math levels by moment (as the snapshot takes the one dated
    last), marks with their row id (the one saved last decides, as
    :class:`gapcli.domain.learner.MarkReplay` reads it), so the replayed state
    of today is the snapshot's.
    """
    out: list[tuple[date, Change]] = []
    for a in sorted(rows.assessments, key=lambda r: (r.at, r.id)):
        out.append((_local_day(a.at), Assess(a.domain_id, a.current, a.target, a.at)))
    for m in sorted(rows.math_levels, key=lambda r: (r.at, r.id)):
        out.append((_local_day(m.at), Level(m.level)))
    for k in sorted(rows.topic_marks, key=lambda r: r.id):
        out.append((_local_day(k.at), Mark(k.topic_id, k.done, k.id, k.at)))
    for s in rows.sessions:
        if s.topic_id:
            out.append((s.day, Logged(s.topic_id, s.minutes)))
    return out


def hours_left(
    catalog: Catalog, track: str, rows: Entries, today: date, weeks: int | None = None
) -> list[tuple[date, float]]:
    """(last day, hours left) for each week from the first assessment's to today's.

    The first week is the one of the first assessment (else of the first entry,
    else today's): before it every domain would count from 0 % and the line
    would start at a mountain the learner never stood before. ``weeks`` keeps
    only the last ones (the replay still applies every earlier change, once,
    but counts only at the days asked for). Today's point is last.
    """
    found = changes(rows)
    ends = week_ends(_first_day(rows, found, today), today)
    if weeks is not None:
        ends = ends[-max(1, weeks) :]
    return replay_hours(catalog, track, found, ends)


def _first_day(rows: Entries, found: Sequence[tuple[date, Change]], today: date) -> date:
    """The first assessment's day, else the first entry's, else today (never after it)."""
    assessed = [_local_day(a.at) for a in rows.assessments]
    return min(min(assessed or [d for d, _ in found] or [today]), today)


def hours_left_by_month(
    catalog: Catalog, track: str, rows: Entries, today: date
) -> list[tuple[date, float]]:
    """(day, hours left) at each month's end from the first assessment's month, then today.

    :func:`hours_left`'s replay counted only at month ends (one count a month, not
    a week): what ``team trend`` adds up across learners.
    """
    from gapcli.domain.team import month_ends

    found = changes(rows)
    return replay_hours(catalog, track, found, month_ends(_first_day(rows, found, today), today))


def hours_left_by_week(
    ws: Workspace, snap: Snapshot, today: date, weeks: int = WEEKS
) -> list[tuple[date, float]]:
    """``gaps``' sparkline: the last ``weeks`` points of :func:`hours_left`, read here."""
    return hours_left(snap.catalog, snap.settings.track, read_rows(ws), today, weeks)
