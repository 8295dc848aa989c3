"""The hours still needed to close the track's gaps at the end of each past week.

What ``gaps`` draws as a sparkline: the learner's state replayed from the
stored rows (assessments, math levels, done and to-do marks, logged time) up
to each week's last day, counted as the gap report counts it today. The last
point is today's own total, so the line ends at the number printed above it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from gapcli.domain.counting import gap_report
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.domain.pace import week_start
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.views.snapshot import Snapshot

WEEKS = 26  # what gaps shows at most; a narrow terminal shows the last ones


@dataclass(frozen=True)
class _Rows:
    """The stored rows, each with its local date (what the learner calls that day), in
    the order they apply: assessments and math levels by moment, marks by id (the newest
    decides, as the store reads them), sessions by day."""

    assessments: list[tuple[date, str, Assessed]]
    levels: list[tuple[date, str]]
    marks: list[tuple[date, str, bool]]
    sessions: list[tuple[date, str, int]]


def _read(ws: Workspace, snap: Snapshot) -> _Rows:
    catalog = snap.catalog
    with ws.database().read() as conn:
        assessments = sorted(queries.assessments(conn), key=lambda r: (r.at, r.id))
        levels = sorted(queries.math_levels(conn), key=lambda r: (r.at, r.id))
        marks = queries.topic_marks(conn)
        sessions = queries.sessions(conn)
    return _Rows(
        [
            (a.at.astimezone().date(), a.domain_id, Assessed(a.current, a.target))
            for a in assessments
            if a.domain_id in catalog.domain_by_id
        ],
        [(m.at.astimezone().date(), m.level) for m in levels],
        [
            (m.at.astimezone().date(), m.topic_id, m.done)
            for m in marks
            if m.topic_id in catalog.topic_by_id
        ],
        [(s.day, s.topic_id, s.minutes) for s in sessions if s.topic_id in catalog.topic_by_id],
    )


def hours_left_by_week(
    ws: Workspace, snap: Snapshot, today: date, weeks: int = WEEKS
) -> list[tuple[date, float]]:
    """(last day, hours left) for the last ``weeks`` weeks, this week ending today.

    Weeks before the learner's first assessment are left out: with nothing
    assessed every domain counts from 0 % and the line would start at a
    mountain that was never there.
    """
    rows = _read(ws, snap)
    if not rows.assessments:
        return []
    first = min(day for day, _, _ in rows.assessments)
    this_week = week_start(today)
    ends = [this_week - timedelta(days=7 * n + 1) for n in reversed(range(weeks - 1))]
    past = [(end, _hours_left(snap, rows, end)) for end in ends if end >= first]
    now = gap_report(snap.catalog, snap.state, snap.settings.track).total_hours
    return [*past, (today, now)]


def _hours_left(snap: Snapshot, rows: _Rows, end: date) -> float:
    """The gap report's total for the learner as the rows stood at the end of ``end``."""
    catalog = snap.catalog
    assessed = {domain: value for day, domain, value in rows.assessments if day <= end}
    level: str | None = None
    for day, value in rows.levels:
        if day <= end:
            level = value if value in catalog.level_by_id else None
    done: set[str] = set()
    todo: set[str] = set()
    for day, topic, is_done in rows.marks:
        if day <= end:
            (done.add if is_done else done.discard)(topic)
            (todo.discard if is_done else todo.add)(topic)
    logged: dict[str, int] = defaultdict(int)
    for day, topic, minutes in rows.sessions:
        if day <= end:
            logged[topic] += minutes
    state = LearnerState(assessed, frozenset(done), level, dict(logged), frozenset(todo))
    return gap_report(catalog, state, snap.settings.track).total_hours
