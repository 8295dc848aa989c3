"""``gapcli history``: sessions, weekly hours, streak, pace and % over time, as shown."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class SessionRow(NamedTuple):
    id: int
    day: date
    topic: str | None
    domain: str
    hours: float
    note: str | None


class History(NamedTuple):
    today: date
    since: date | None
    domain: str | None
    sessions: list[SessionRow]
    weekly: list[tuple[date, float]]
    streak: int
    pace: float
    pace_weeks: tuple[date, date]  # first Monday, last Sunday of what pace averages
    progress: dict[str, list[tuple[date, float]]]
    minutes_by_day: dict[date, int]  # what the heatmap shades
    away: frozenset[date] = frozenset()
    pace_not_yet: str | None = None  # why no pace is measured yet (pace.pace_not_yet)

    @property
    def range(self) -> tuple[date | None, date]:
        start = self.since or (self.sessions[0].day if self.sessions else None)
        return start, self.today
