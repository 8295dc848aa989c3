"""The HTML report's charts as plain values: built by ``services.report``, drawn by render.

Everything the charts plot is computed before rendering (points, day cells,
rows), so the SVG code only maps numbers to pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from gapcli.domain.heatmap import Heatmap

if TYPE_CHECKING:
    from gapcli.views.export import Export

Series = tuple[tuple[date, float], ...]  # (day, hours), by day


@dataclass(frozen=True)
class Burndown:
    """Hours still needed: replayed up to today, then as planned and at the measured pace."""

    past: Series
    planned: Series
    at_pace: Series
    pace: float  # measured hours per week (0: none)
    pace_reason: str | None  # why there is no pace line, when there is none


@dataclass(frozen=True)
class DomainRow:
    name: str
    current: float  # %
    target: int  # %
    gap: float  # percentage points
    hours: float  # hours to close


@dataclass(frozen=True)
class WeekBar:
    start: date  # the week's Monday
    hours: float
    budget: float  # the weekly hours planned for a week without away days


@dataclass(frozen=True)
class ReportView:
    data: Export
    burndown: Burndown
    heatmap: Heatmap
    domains: tuple[DomainRow, ...]  # by gap, widest first
    weeks: tuple[WeekBar, ...]  # oldest first
