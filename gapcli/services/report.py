"""The HTML report's view: the export's data, plus the burn-down replayed from history.

Built from the gathered :class:`Export` alone (no second read of the database),
so the report tells the same story as the other formats for the same day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gapcli.domain.burndown import (
    Assess,
    Change,
    Level,
    Logged,
    Mark,
    paced_burn,
    planned_burn,
    replay_hours,
    week_ends,
)
from gapcli.domain.counting import gap_report
from gapcli.domain.pace import week_start, weekly_hours
from gapcli.views.export import Export
from gapcli.views.report import Burndown, DomainRow, HeatDay, Heatmap, ReportView, WeekBar

HEATMAP_WEEKS = 53  # this week and the 52 before it: a year of columns
BAR_WEEKS = 16


def report_view(data: Export) -> ReportView:
    return ReportView(
        data=data,
        burndown=burndown(data),
        heatmap=heatmap(data),
        domains=domain_rows(data),
        weeks=week_bars(data),
    )


def _local_day(at: datetime) -> date:
    """A stamp's local date: what the learner calls that day (as ``history`` replays it)."""
    return at.astimezone().date()


def changes(data: Export) -> list[tuple[date, Change]]:
    """Every stored change, each on its local day; on one day in the order they were saved."""
    records = data.records
    out: list[tuple[date, Change]] = []
    for a in sorted(records.assessments, key=lambda r: (r.at, r.id)):
        out.append((_local_day(a.at), Assess(a.domain_id, a.current, a.target)))
    for m in sorted(records.math_levels, key=lambda r: (r.at, r.id)):
        out.append((_local_day(m.at), Level(m.level)))
    for k in sorted(records.topic_marks, key=lambda r: (r.at, r.id)):
        out.append((_local_day(k.at), Mark(k.topic_id, k.done)))
    for s in records.sessions:
        if s.topic_id:
            out.append((s.day, Logged(s.topic_id, s.minutes)))
    return out


def burndown(data: Export) -> Burndown:
    """From the week of the first assessment (else of the first entry) to today, then ahead."""
    today = data.today
    found = changes(data)
    assessed = [_local_day(a.at) for a in data.records.assessments]
    first = min(assessed or [d for d, _ in found] or [today])
    first = min(first, today)
    past = replay_hours(
        data.snap.catalog, data.snap.settings.track, found, week_ends(first, today)
    )
    now = past[-1][1]  # today's replayed total: what gaps shows (the tests hold them equal)
    outlook = data.outlook
    return Burndown(
        past=tuple(past),
        planned=tuple(planned_burn(data.plan, today, now)),
        at_pace=tuple(paced_burn(today, now, outlook.finish)),
        pace=outlook.pace,
        pace_reason=outlook.reason,
    )


def heatmap(data: Export) -> Heatmap:
    today = data.today
    first = week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1)
    minutes = data.snap.minutes_by_day
    away = data.snap.away_days
    days = []
    day = first
    while day <= today:
        days.append(HeatDay(day, minutes.get(day, 0), day in away))
        day += timedelta(days=1)
    return Heatmap(tuple(days), today)


def domain_rows(data: Export) -> tuple[DomainRow, ...]:
    """The track's domains, open or met, by gap (widest first), as the gaps table sorts."""
    snap = data.snap
    report = gap_report(snap.catalog, snap.state, snap.settings.track, include_closed=True)
    return tuple(
        DomainRow(
            name=snap.catalog.domain_by_id[r.standing.domain_id].name,
            current=r.standing.current,
            target=r.standing.target,
            gap=r.standing.gap,
            hours=r.standing.hours_to_close,
        )
        for r in report.rows
    )


def week_bars(data: Export) -> tuple[WeekBar, ...]:
    """The last weeks' hours, each against the budget less its share of away study days."""
    snap = data.snap
    study_days = set(snap.settings.study_days)
    budget = data.plan.settings.weekly_hours
    bars = []
    for start, hours in weekly_hours(snap.minutes_by_day, data.today, BAR_WEEKS):
        days = [start + timedelta(days=n) for n in range(7)]
        scheduled = [d for d in days if d.weekday() in study_days]
        present = [d for d in scheduled if d not in snap.away_days]
        share = len(present) / len(scheduled) if scheduled else 1.0
        bars.append(WeekBar(start, hours, budget * share))
    return tuple(bars)
