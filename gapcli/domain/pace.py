"""Pace, streaks and honest forecasts, from logged study time. Pure.

A forecast is never a date in the past, is absent (with the reason) when there
is no pace or nothing left to do, and gives up past a ten-year horizon rather
than print "estimated completion 2054".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from gapcli.domain.calendar import MIN_WEEKLY_HOURS

PACE_WEEKS = 4
MIN_HISTORY_DAYS = 14
HORIZON_WEEKS = 52 * 10


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pace_weeks(today: date) -> tuple[date, date]:
    """The days the pace averages: the four full calendar weeks before this one.

    Returns their first Monday and last Sunday. These are four of the weekly bars
    ``history`` shows, so the pace is the mean of bars the learner can see. The
    current week is left out until it is over: counted as a whole week it would
    drag the pace down every Monday. (A rolling 28 days matched no bar on screen.)
    """
    last = week_start(today) - timedelta(days=1)
    return last - timedelta(days=PACE_WEEKS * 7 - 1), last


def measured_pace(
    minutes_by_day: Mapping[date, int],
    today: date,
    *,
    study_days: tuple[int, ...] = (),
    away: frozenset[date] = frozenset(),
) -> float:
    """Hours per week: the four full calendar weeks before this one, away days left out.

    Away days are taken out of the weeks they fall in: the hours logged in those
    four weeks are divided by the weeks' share of study days the learner was not
    away (a week with two of its four study days away counts as half a week, a
    week wholly away as none). Scaling rather than skipping whole weeks: a
    learner away on Friday studied a short week, not a slow one, and a pace
    that skipped only whole weeks would still read that week as slow. With no
    study days left in the four weeks there is nothing to measure: 0.
    """
    first, last = pace_weeks(today)
    minutes = sum(m for d, m in minutes_by_day.items() if first <= d <= last)
    weeks = present_weeks(today, study_days, away)
    if weeks <= 0:
        return 0.0
    return minutes / 60 / weeks


def present_weeks(
    today: date, study_days: tuple[int, ...], away: frozenset[date] = frozenset()
) -> float:
    """How many of the pace's four weeks the learner was there: their share of study
    days not away, times four (4.0 with no away day, 0.0 when away on all of them)."""
    if not away or not study_days:
        return float(PACE_WEEKS)
    first, _ = pace_weeks(today)
    days = set(study_days)
    scheduled = [first + timedelta(days=n) for n in range(PACE_WEEKS * 7)]
    scheduled = [d for d in scheduled if d.weekday() in days]
    present = sum(1 for d in scheduled if d not in away)
    return PACE_WEEKS * present / len(scheduled)


def weekly_hours(
    minutes_by_day: Mapping[date, int], today: date, weeks: int
) -> list[tuple[date, float]]:
    """Hours studied in each of the last ``weeks`` calendar weeks, oldest first."""
    current = week_start(today)
    starts = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(starts, 0.0)
    for day, minutes in minutes_by_day.items():
        start = week_start(day)
        if start in totals:
            totals[start] += minutes / 60
    return list(totals.items())


def streak(
    study_dates: Iterable[date],
    study_days: tuple[int, ...],
    today: date,
    away: frozenset[date] = frozenset(),
) -> int:
    """Consecutive scheduled study days with a session, counting back from today.

    Days that are not study days neither count nor break the streak, nor do
    away days (a session logged on one still counts); today, if nothing is
    logged yet, does not break it either.
    """
    logged = set(study_dates)
    days = set(study_days)
    if not days:
        return 0
    count = 0
    day = today
    if day.weekday() in days and day not in logged:
        day -= timedelta(days=1)
    for _ in range(366 * 20):
        if day.weekday() in days:
            if day in logged:
                count += 1
            elif day not in away:
                break
        day -= timedelta(days=1)
    return count


class Forecast(NamedTuple):
    pace: float  # measured hours per week
    planned: float  # the plan's weekly hours
    finish: date | None
    reason: str | None  # why there is no date, when there is none

    @property
    def behind(self) -> bool:
        return self.pace + 1e-9 < self.planned


def pace_not_yet(minutes_by_day: Mapping[date, int], today: date) -> str | None:
    """Why there is no pace to speak of yet (no session, under two weeks of history), or None.

    ``history`` says it as ``plan`` does, instead of a pace of 0 h/week.
    """
    if not minutes_by_day:
        return "no study sessions logged yet"
    first = min(minutes_by_day)
    if (today - first).days < MIN_HISTORY_DAYS:
        return f"it needs two weeks of history, and the first session was on {first:%Y-%m-%d}"
    return None


def forecast_inputs_ok(
    minutes_by_day: Mapping[date, int],
    today: date,
    remaining_hours: float,
    pace: float,
    *,
    present: float = PACE_WEEKS,
) -> str | None:
    """The reason there can be no forecast, or None when one can be made.

    ``present``: :func:`present_weeks`; none means the learner was away throughout.
    """
    if remaining_hours <= 1e-9:
        return "every target is met"
    too_new = pace_not_yet(minutes_by_day, today)
    if too_new is not None:
        return too_new
    if present <= 0:
        return "you were away on every study day of the four full weeks before this one"
    if pace <= 0:
        return "nothing logged in the four full weeks before this one"
    if pace < MIN_WEEKLY_HOURS:
        return f"{pace:.1f} h/week is too slow to plan"
    if remaining_hours / pace > HORIZON_WEEKS:
        return "more than ten years at this pace"
    return None
