"""The learner's history: sessions, weekly hours, streak, pace, % over time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, select

from gapcli.domain.calendar import parse_date
from gapcli.domain.counting import covered_hours, domain_standing
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.domain.pace import measured_pace, streak, weekly_hours
from gapcli.services.assess import resolve_domain
from gapcli.services.state import Snapshot, snapshot
from gapcli.services.workspace import Workspace
from gapcli.store.tables import Assessment, StudySession, TopicProgress

CHART_WEEKS = 8


@dataclass(frozen=True)
class SessionRow:
    id: int
    day: date
    topic: str | None
    domain: str
    hours: float
    note: str | None


@dataclass
class History:
    today: date
    since: date | None
    domain: str | None
    sessions: list[SessionRow]
    weekly: list[tuple[date, float]]
    streak: int
    pace: float
    progress: dict[str, list[tuple[date, float]]] = field(default_factory=dict)

    @property
    def range(self) -> tuple[date | None, date]:
        start = self.since or (self.sessions[0].day if self.sessions else None)
        return start, self.today


def history(
    ws: Workspace,
    *,
    since: str | None,
    domain: str | None,
    today: date,
    snap: Snapshot | None = None,
) -> History:
    snap = snap or snapshot(ws)
    since_day = parse_date(since, what="--since") if since else None
    domain_id = resolve_domain(snap.catalog, domain) if domain else None
    with ws.database().read() as session:
        query = select(StudySession).where(col(StudySession.removed_at).is_(None))
        if since_day is not None:
            query = query.where(StudySession.day >= since_day)
        if domain_id is not None:
            query = query.where(StudySession.domain_id == domain_id)
        rows = [
            SessionRow(r.id or 0, r.day, r.topic_id, r.domain_id, r.minutes / 60, r.note)
            for r in session.exec(query.order_by(col(StudySession.day), col(StudySession.id)))
        ]
        assessments = list(session.exec(select(Assessment).order_by(col(Assessment.id))))
        marks = list(session.exec(select(TopicProgress).order_by(col(TopicProgress.id))))
        logs = list(
            session.exec(
                select(StudySession)
                .where(
                    col(StudySession.removed_at).is_(None), col(StudySession.topic_id).is_not(None)
                )
                .order_by(col(StudySession.day))
            )
        )
    by_day = snap.minutes_by_day
    if domain_id is not None:
        by_day = defaultdict(int)
        for r in rows:
            by_day[r.day] += round(r.hours * 60)
    return History(
        today=today,
        since=since_day,
        domain=domain_id,
        sessions=rows,
        weekly=weekly_hours(by_day, today, CHART_WEEKS),
        streak=streak(snap.minutes_by_day, snap.settings.study_days, today),
        pace=measured_pace(by_day, today),
        progress=_progress(snap, assessments, marks, logs, domain_id, since_day),
    )


def _progress(
    snap: Snapshot,
    assessments: list[Assessment],
    marks: list[TopicProgress],
    logs: list[StudySession],
    only: str | None,
    since: date | None,
) -> dict[str, list[tuple[date, float]]]:
    """Each domain's current % after every day something changed it (replayed history)."""
    catalog = snap.catalog
    events: dict[date, list[tuple[str, object]]] = defaultdict(list)
    for a in assessments:
        if a.domain_id in catalog.domain_by_id:
            events[a.at.date()].append(("assess", a))
    for m in marks:
        if m.topic_id in catalog.topic_by_id:
            events[m.at.date()].append(("mark", m))
    for s in logs:
        if s.topic_id in catalog.topic_by_id:
            events[s.day].append(("log", s))
    assessed: dict[str, Assessed] = {}
    done: set[str] = set()
    logged: dict[str, int] = defaultdict(int)
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for day in sorted(events):
        touched: set[str] = set()
        for _kind, item in events[day]:
            if isinstance(item, Assessment):
                assessed[item.domain_id] = Assessed(item.current, item.target)
                touched.add(item.domain_id)
            elif isinstance(item, TopicProgress):
                (done.add if item.done else done.discard)(item.topic_id)
                touched.add(catalog.domain_of_topic[item.topic_id])
            elif isinstance(item, StudySession) and item.topic_id:
                logged[item.topic_id] += item.minutes
                touched.add(catalog.domain_of_topic[item.topic_id])
        state = LearnerState(dict(assessed), frozenset(done), None, dict(logged))
        covered = covered_hours(catalog, state)
        for domain_id in sorted(touched):
            if only is not None and domain_id != only:
                continue
            if since is not None and day < since:
                continue
            current = domain_standing(
                catalog, state, covered, catalog.domain_by_id[domain_id]
            ).current
            points = series[domain_id]
            if not points or round(points[-1][1], 1) != round(current, 1):
                points.append((day, current))
    return dict(series)
