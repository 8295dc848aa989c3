"""``gapcli plan --by DATE``: the weekly hours that finish the plan by a date, and that plan.

The search (:mod:`gapcli.domain.by_date`) tries whole minutes per week between
half an hour and 24 h on every study day, each a plan built as ``plan`` builds
it (this week's logged hours off the first week, the same domains and days).
"""

from __future__ import annotations

import math
from datetime import date

from gapcli.domain.by_date import hours_for_minutes, least_weekly_minutes
from gapcli.domain.calendar import MIN_WEEKLY_HOURS, format_study_days, parse_study_days, span
from gapcli.errors import InvalidValue
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.views.plan_by import PlanByDate
from gapcli.views.snapshot import Snapshot


def plan_by(snap: Snapshot, request: PlanRequest, by: date, today: date) -> PlanByDate:
    """The plan at the weekly minutes that finish it by ``by``; refuses what cannot."""
    if request.weekly_hours is not None:
        raise InvalidValue("--by works out the weekly hours itself; leave out --weekly-hours")
    if by < today:
        raise InvalidValue(f"--by {by:%Y-%m-%d} is in the past; give a day from today on")
    if by < request.start:
        raise InvalidValue(
            f"--by {by:%Y-%m-%d} is before the plan's start, {request.start:%Y-%m-%d}"
        )
    days = (
        parse_study_days(request.study_days)
        if request.study_days is not None
        else snap.settings.study_days
    )
    low = math.ceil(MIN_WEEKLY_HOURS * 60)
    high = 24 * 60 * len(days)  # 24 h on every study day (168 h a week at most)
    finishes: dict[int, date] = {}

    def finish_at(minutes: int) -> date:
        if minutes not in finishes:
            finishes[minutes] = _finish(snap, request._replace(weekly_hours=minutes / 60))
        return finishes[minutes]

    fastest = plan_for(snap, request._replace(weekly_hours=high / 60))
    if fastest.finish is None:  # nothing to close: no rate is needed
        return PlanByDate(by, plan_for(snap, request), 0, 0.0, None)
    finishes[high] = fastest.finish
    minutes = least_weekly_minutes(finish_at, by, low, high)
    if minutes is None:
        raise InvalidValue(
            f"finishing by {by:%Y-%m-%d} needs more than 24 h a day on "
            f"{format_study_days(days)}; at 24 h a day ({span(high)} a week) "
            f"the plan finishes on {fastest.finish:%Y-%m-%d}"
        )
    hours = hours_for_minutes(minutes)
    plan = plan_for(snap, request._replace(weekly_hours=hours))
    slower = finish_at(minutes - 1) if minutes > low else None
    return PlanByDate(by, plan, minutes, hours, slower)


def _finish(snap: Snapshot, request: PlanRequest) -> date:
    """The plan's last day; ``date.max`` for a rate too slow to plan before the year 9999."""
    try:
        finish = plan_for(snap, request).finish
    except InvalidValue:
        return date.max
    return finish or date.min
