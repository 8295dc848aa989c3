"""The finish date at the pace the learner actually keeps."""

from __future__ import annotations

from datetime import date

from gapcli.domain.calendar import MAX_WEEKLY_HOURS, format_study_days
from gapcli.domain.pace import Forecast, forecast_inputs_ok, measured_pace, present_weeks
from gapcli.domain.planner import Plan
from gapcli.errors import InvalidValue
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.views.snapshot import Snapshot


def forecast(snap: Snapshot, plan: Plan, today: date) -> Forecast:
    """Re-plan from today at the measured pace; no date when that would mislead.

    The forecast decorates gaps, plan and export: whatever the pace, it gives a
    reason instead of a date rather than ever failing the command it sits in.
    """
    pace = measured_pace(
        snap.minutes_by_day, today, study_days=snap.settings.study_days, away=snap.away_days
    )
    planned = plan.settings.weekly_hours
    present = present_weeks(today, snap.settings.study_days, snap.away_days)
    reason = forecast_inputs_ok(
        snap.minutes_by_day, today, plan.total_hours, pace, present=present
    )
    days = plan.settings.study_days
    if reason is None and pace > 24 * len(days):
        reason = f"{pace:.1f} h/week is more than 24 h a day on {format_study_days(days)}"
    if reason is not None:
        return Forecast(pace, planned, None, reason)
    request = PlanRequest(
        start=max(today, plan.start),
        weekly_hours=min(pace, MAX_WEEKLY_HOURS),
        study_days=format_study_days(plan.settings.study_days),
        domains=plan.settings.domains,
        today=today,
    )
    try:
        at_pace = plan_for(snap, request)
    except InvalidValue as exc:
        return Forecast(pace, planned, None, f"cannot plan at this pace: {exc}")
    return Forecast(pace, planned, at_pace.finish, None)
