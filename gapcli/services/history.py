"""The learner's history: sessions, weekly hours, streak, pace, % over time."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from gapcli.domain.counting import covered_hours, domain_current
from gapcli.domain.dates import parse_day
from gapcli.domain.learner import Assessed, MarkReplay
from gapcli.domain.matching import resolve_domain
from gapcli.domain.pace import measured_pace, pace_not_yet, pace_weeks, streak, weekly_hours
from gapcli.errors import InvalidValue
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.views.history import History, SessionRow
from gapcli.views.snapshot import Snapshot

CHART_WEEKS = 8


def history(
    ws: Workspace,
    *,
    since: str | None,
    domain: str | None,
    today: date,
    snap: Snapshot | None = None,
) -> History:
    snap = snap or snapshot(ws)
    since_day = parse_day(since, today, what="--since") if since else None
    if since_day is not None and since_day > today:
        # Its range would run backwards ("from 2027-01-01 to 2026-11-30"): refuse it.
        raise InvalidValue(
            f"--since {since_day:%Y-%m-%d} is in the future; history ends today, {today:%Y-%m-%d}"
        )
    domain_id = resolve_domain(snap.catalog, domain) if domain else None
    with ws.database().read() as conn:
        everything = queries.sessions(conn)
        assessments = queries.assessments(conn)
        marks = queries.topic_marks(conn)
    rows = [
        SessionRow(r.id, r.day, r.topic_id, r.domain_id, r.minutes / 60, r.note)
        for r in everything
        if (since_day is None or r.day >= since_day)
        and (domain_id is None or r.domain_id == domain_id)
    ]
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
        streak=streak(snap.minutes_by_day, snap.settings.study_days, today, snap.away_days),
        pace=measured_pace(
            by_day, today, study_days=snap.settings.study_days, away=snap.away_days
        ),
        pace_weeks=pace_weeks(today),
        progress=_progress(snap, assessments, marks, everything, domain_id, since_day),
        minutes_by_day=dict(by_day),
        away=snap.away_days,
        pace_not_yet=pace_not_yet(by_day, today),
    )


def _progress(
    snap: Snapshot,
    assessments: list[queries.AssessmentRow],
    marks: list[queries.MarkRow],
    logs: list[queries.SessionRow],
    only: str | None,
    since: date | None,
) -> dict[str, list[tuple[date, float]]]:
    """Each domain's current % after every day something changed it (replayed history).

    Stamps count on their local date (what the learner calls that day), and
    assessments apply in the order of their dates: ``assess --date`` saves rows
    about the past after newer ones. A domain's line starts at its first
    assessment: sessions backfilled before it (assess today, then log the past
    weeks) would otherwise replay from 0 % and show a learner who knew 80 %
    at 5 %. They still count toward every later point.
    """
    catalog = snap.catalog
    events: dict[date, list[object]] = defaultdict(list)
    first_assessed: dict[str, date] = {}
    for a in sorted(assessments, key=lambda row: (row.at, row.id)):
        if a.domain_id in catalog.domain_by_id:
            day = a.at.astimezone().date()
            events[day].append(a)
            first_assessed.setdefault(a.domain_id, day)
    for m in marks:
        if m.topic_id in catalog.topic_by_id:
            events[m.at.astimezone().date()].append(m)
    for s in logs:
        if s.topic_id in catalog.topic_by_id:
            events[s.day].append(s)
    assessed: dict[str, Assessed] = {}
    replay = MarkReplay()
    logged: dict[str, int] = defaultdict(int)
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for day in sorted(events):
        touched: set[str] = set()
        for item in events[day]:
            if isinstance(item, queries.AssessmentRow):
                assessed[item.domain_id] = Assessed(item.current, item.target, item.at)
                touched.add(item.domain_id)
            elif isinstance(item, queries.MarkRow):  # the one saved last decides
                if replay.apply(item.topic_id, item.done, item.id, item.at):
                    touched.add(catalog.domain_of_topic[item.topic_id])
            elif isinstance(item, queries.SessionRow) and item.topic_id:
                logged[item.topic_id] += item.minutes
                touched.add(catalog.domain_of_topic[item.topic_id])
        shown = sorted(
            d
            for d in touched
            if (only is None or d == only)
            and (since is None or day >= since)
            and day >= first_assessed.get(d, day)
        )
        if not shown:
            continue
        state = replay.state(dict(assessed), None, dict(logged))
        domains = [catalog.domain_by_id[d] for d in shown]
        covered = covered_hours(catalog, state, domains)
        for domain in domains:
            current = domain_current(covered, domain)
            points = series[domain.id]
            if not points or round(points[-1][1], 1) != round(current, 1):
                points.append((day, current))
    return dict(series)
