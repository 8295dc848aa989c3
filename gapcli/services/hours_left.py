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
    assessments: list[queries.AssessmentRow]
    levels: list[queries.MathRow]
    marks: list[queries.MarkRow]
    sessions: list[queries.SessionRow]


def hours_left_by_week(
    ws: Workspace, snap: Snapshot, today: date, weeks: int = WEEKS
) -> list[tuple[date, float]]:
    """(last day, hours left) for the last ``weeks`` weeks, this week ending today.

    Weeks before the learner's first assessment are left out: with nothing
    assessed every domain counts from 0 % and the line would start at a
    mountain that was never there.
    """
    with ws.database().read() as conn:
        rows = _Rows(
            queries.assessments(conn),
            queries.math_levels(conn),
            queries.topic_marks(conn),
            queries.sessions(conn),
        )
    if not rows.assessments:
        return []
    first = min(a.at.astimezone().date() for a in rows.assessments)
    this_week = week_start(today)
    ends = [this_week - timedelta(days=7 * n + 1) for n in reversed(range(weeks - 1))]
    past = [(end, _hours_left(snap, rows, end)) for end in ends if end >= first]
    now = gap_report(snap.catalog, snap.state, snap.settings.track).total_hours
    return [*past, (today, now)]


def _hours_left(snap: Snapshot, rows: _Rows, end: date) -> float:
    """The gap report's total for the learner as the rows stood at the end of ``end``."""
    catalog = snap.catalog
    assessed: dict[str, Assessed] = {}
    for a in sorted(rows.assessments, key=lambda r: (r.at, r.id)):
        if a.at.astimezone().date() <= end and a.domain_id in catalog.domain_by_id:
            assessed[a.domain_id] = Assessed(a.current, a.target)
    level: str | None = None
    for m in sorted(rows.levels, key=lambda r: (r.at, r.id)):
        if m.at.astimezone().date() <= end:
            level = m.level if m.level in catalog.level_by_id else None
    done: set[str] = set()
    todo: set[str] = set()
    for mark in rows.marks:  # by id: the newest mark decides, as the store reads it
        if mark.at.astimezone().date() <= end and mark.topic_id in catalog.topic_by_id:
            (done.add if mark.done else done.discard)(mark.topic_id)
            (todo.discard if mark.done else todo.add)(mark.topic_id)
    logged: dict[str, int] = defaultdict(int)
    for s in rows.sessions:
        if s.day <= end and s.topic_id in catalog.topic_by_id:
            logged[s.topic_id] += s.minutes
    state = LearnerState(assessed, frozenset(done), level, dict(logged), frozenset(todo))
    return gap_report(catalog, state, snap.settings.track).total_hours
