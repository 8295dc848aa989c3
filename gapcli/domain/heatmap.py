"""Study days bucketed for a heatmap: one cell per day, weeks as columns. Pure.

The terminal's ``history`` draws it (7 rows, Monday first, a column per week)
and so does the HTML report (a year of SVG squares); the levels are what the
shades mean, so they are decided here, once, for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

LEVELS = 4  # shades of a study day, lightest first


class DayKind(Enum):
    """What a heatmap cell stands for, apart from how much was studied."""

    STUDY = "study"  # minutes logged (level 1..LEVELS)
    NONE = "none"  # nothing logged
    AWAY = "away"  # an away day with nothing logged
    FUTURE = "future"  # after today: not drawn


class HeatDay(NamedTuple):
    day: date
    minutes: int
    kind: DayKind
    level: int  # 0 unless STUDY, then 1..LEVELS
    away: bool = False  # an away day, studied or not (kind says which one is drawn)


class Heatmap(NamedTuple):
    """``weeks`` columns of seven days, Monday first; the last column holds today."""

    first: date  # a Monday
    columns: tuple[tuple[HeatDay, ...], ...]
    bounds: tuple[int, ...]  # minutes at which levels 2..LEVELS start

    @property
    def last(self) -> date:
        return self.first + timedelta(days=7 * len(self.columns) - 1)

    @property
    def days(self) -> tuple[HeatDay, ...]:
        """The days up to today, oldest first (the future ones of today's week left out)."""
        return tuple(d for column in self.columns for d in column if d.kind is not DayKind.FUTURE)


def level_bounds(minutes: list[int]) -> tuple[int, ...]:
    """The minutes where each shade after the first starts: quartiles of the study days.

    Quartiles of the days shown (as GitHub draws contributions), so a learner of
    20 minutes a day sees as much contrast as one of three hours; a lone day
    cannot flatten every other one to the lightest shade, as a share of the
    maximum would.
    """
    days = sorted(m for m in minutes if m > 0)
    if not days:
        return ()
    return tuple(days[len(days) * k // LEVELS] for k in range(1, LEVELS))


def level_of(minutes: int, bounds: tuple[int, ...]) -> int:
    """0 for no study, else 1 plus the number of bounds reached (1..LEVELS)."""
    if minutes <= 0:
        return 0
    return 1 + sum(1 for b in bounds if minutes >= b)


def heatmap(
    minutes_by_day: Mapping[date, int],
    away: frozenset[date],
    today: date,
    weeks: int,
) -> Heatmap:
    """The last ``weeks`` calendar weeks up to today's, day by day."""
    weeks = max(1, weeks)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    days = [first + timedelta(days=n) for n in range(7 * weeks)]
    bounds = level_bounds([minutes_by_day.get(d, 0) for d in days if d <= today])
    cells: list[HeatDay] = []
    for day in days:
        minutes = minutes_by_day.get(day, 0) if day <= today else 0
        if day > today:
            kind = DayKind.FUTURE
        elif minutes > 0:
            kind = DayKind.STUDY
        elif day in away:
            kind = DayKind.AWAY
        else:
            kind = DayKind.NONE
        level = level_of(minutes, bounds) if kind is DayKind.STUDY else 0
        cells.append(HeatDay(day, minutes, kind, level, day <= today and day in away))
    columns = tuple(tuple(cells[i : i + 7]) for i in range(0, len(cells), 7))
    return Heatmap(first, columns, bounds)
