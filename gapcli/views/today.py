"""``gapcli today``: today's sessions, the week so far and the next study day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gapcli.domain.away import AwayRange
    from gapcli.domain.catalog import Catalog, Resource
    from gapcli.domain.planner import PlanItem


class DaySession(NamedTuple):
    """One topic's session on a day: its plan item (for names and why) and its minutes."""

    item: PlanItem
    minutes: int
    resource: Resource | None


class TodayView(NamedTuple):
    today: date
    catalog: Catalog
    track: str  # the plan's track: its recommended steps name themselves
    sessions: tuple[DaySession, ...]  # what is left to study today
    logged_minutes: int  # everything logged today, on any topic or domain
    week_planned_hours: float
    week_logged_hours: float
    next_day: date | None  # the first study day after today with a session
    next_sessions: tuple[DaySession, ...]  # that day's sessions
    empty_plan: bool  # no gaps to close: nothing is planned on any day
    notes: dict[str, str]  # topic: its newest note
    away: AwayRange | None = None  # the away range today falls in, if any
