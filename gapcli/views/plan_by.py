"""``gapcli plan --by DATE``: the weekly rate that finishes by a date, and its plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.domain.planner import Plan


@dataclass(frozen=True)
class PlanByDate:
    by: date
    plan: Plan  # at ``weekly_hours``; empty when there is nothing to finish
    weekly_minutes: int  # 0 when the plan is empty
    weekly_hours: float  # the minutes in hours, rounded up to 2 decimals
    slower_finish: date | None  # the finish at a minute a week less; None at the floor
