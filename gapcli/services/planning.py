"""Build the learner's plan: stored settings, overridden for one run by options."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from gapcli.domain.calendar import check_week, check_weekly_hours, parse_study_days
from gapcli.domain.matching import resolve_domain
from gapcli.domain.pace import week_start
from gapcli.domain.planner import Plan, PlanHead, PlanSettings, make_plan, plan_head
from gapcli.domain.settings import day_minutes
from gapcli.errors import InvalidValue
from gapcli.services import steps_cache
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.views.snapshot import Snapshot


class PlanRequest(NamedTuple):
    start: date
    weekly_hours: float | None = None
    study_days: str | None = None
    domains: tuple[str, ...] = ()
    # Today, when the plan should count what was studied this week; None plans
    # as if nothing was (a plan for another week, or no clock at hand).
    today: date | None = None


def used_this_week(minutes_by_day: Mapping[date, int], start: date, today: date | None) -> float:
    """Hours logged from this week's Monday to today, when the plan starts this week.

    A plan that starts in a later week has that whole week ahead of it; one
    that starts this week shares the week's budget with what is already done.
    """
    if today is None or week_start(start) != week_start(today):
        return 0.0
    monday = week_start(today)
    return sum(m for d, m in minutes_by_day.items() if monday <= d <= today) / 60


def plan_for(snap: Snapshot, request: PlanRequest) -> Plan:
    """The plan from ``request.start`` with the stored settings unless overridden."""
    plan = make_plan(snap.catalog, snap.state, plan_settings(snap, request), request.start)
    steps_cache.save()  # what FSRS was asked for the cards and the plan's reviews
    return plan


def plan_head_for(snap: Snapshot, request: PlanRequest, until: date) -> PlanHead:
    """The first days of :func:`plan_for`'s plan: its sessions through ``until``
    (and through its first day of new study), as the whole plan has them."""
    settings = plan_settings(snap, request)
    head = plan_head(snap.catalog, snap.state, settings, request.start, until)
    steps_cache.save()
    return head


def plan_settings(snap: Snapshot, request: PlanRequest) -> PlanSettings:
    """The planner's settings: the stored ones, with the request's overrides checked."""
    weekly = check_weekly_hours(
        request.weekly_hours if request.weekly_hours is not None else snap.settings.weekly_hours
    )
    days = (
        parse_study_days(request.study_days)
        if request.study_days is not None
        else snap.settings.study_days
    )
    if request.weekly_hours is None and request.study_days is None:
        # Only a profile made before init checked this can fail here: say how to plan.
        way_out = "plan with others: gapcli plan --weekly-hours H --study-days DAYS"
        try:
            check_week(weekly, days, way_out=way_out)
        except InvalidValue as exc:
            raise InvalidValue(f"your profile's settings: {exc}") from None
    else:
        check_week(weekly, days)
    domains = tuple(dict.fromkeys(resolve_domain(snap.catalog, d) for d in request.domains))
    used = used_this_week(snap.minutes_by_day, request.start, request.today)
    used_today = (
        snap.minutes_by_day.get(request.start, 0) / 60 if request.start == request.today else 0.0
    )
    # The day-hours were given for the stored week: an option that changes the week
    # for this run (plan --weekly-hours, plan --by) plans on its even split.
    own = (
        day_minutes(weekly, days, snap.settings.day_hours)
        if request.weekly_hours is None and request.study_days is None
        else None
    )
    return PlanSettings(
        weekly,
        days,
        snap.settings.track,
        domains,
        min_session_minutes=snap.settings.min_session,
        used_this_week=used,
        used_today=used_today,
        day_minutes=own,
        away=snap.away_days,
        cards=tuple(snap.cards.values()),
        review_share=snap.settings.review_share,
    )


def track_advice(snap: Snapshot) -> tuple[str, ...]:
    """The roadmap's advice for the learner's track beyond its topics ("two papers a week").

    Shown with the plan: what a roadmap asks of a learner is not all topics and hours.
    """
    track = snap.catalog.track_by_id.get(snap.settings.track)
    return track.advice if track is not None else ()


def build_plan(ws: Workspace, request: PlanRequest) -> tuple[Snapshot, Plan]:
    snap = snapshot(ws)
    return snap, plan_for(snap, request)
