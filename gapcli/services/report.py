"""The HTML report's view: the export's data, plus the burn-down replayed from history.

Built from the gathered :class:`Export` alone (no second read of the database),
so the report tells the same story as the other formats for the same day.
"""

from __future__ import annotations

from datetime import timedelta

from gapcli.domain.burndown import paced_burn, planned_burn
from gapcli.domain.counting import gap_report
from gapcli.domain.heatmap import Heatmap
from gapcli.domain.heatmap import heatmap as study_heatmap
from gapcli.domain.pace import weekly_hours
from gapcli.services.hours_left import hours_left
from gapcli.views.export import Export
from gapcli.views.report import Burndown, DomainRow, ReportView, WeekBar

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


def burndown(data: Export) -> Burndown:
    """From the week of the first assessment (else of the first entry) to today, then ahead.

    The past is :func:`gapcli.services.hours_left.hours_left`, the replay ``gaps``'
    sparkline draws its last weeks from, fed the rows the export already read.
    """
    today = data.today
    snap = data.snap
    past = hours_left(snap.catalog, snap.settings.track, data.records, today)
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
    """A year of study days, bucketed as ``history``'s heatmap buckets them."""
    snap = data.snap
    return study_heatmap(snap.minutes_by_day, snap.away_days, data.today, HEATMAP_WEEKS)


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
