"""Groupings and sentences shared by the terminal views and the file exports.

No rich here, so the Markdown and iCalendar exports do not load it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from gapcli.render.numbers import num

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog
    from gapcli.domain.counting import GapReport
    from gapcli.domain.planner import Plan, PlanItem


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def by_week(plan: Plan) -> dict[date, list[tuple[PlanItem, float]]]:
    """Each week's topics with the hours studied on them that week, in study order."""
    weeks: dict[date, dict[str, float]] = defaultdict(dict)
    items = {i.topic: i for i in plan.items}
    for item in plan.items:
        for block in item.sessions:
            week = weeks[week_of(block.day)]
            week[item.topic] = week.get(item.topic, 0.0) + block.hours
    return {w: [(items[t], h) for t, h in topics.items()] for w, topics in sorted(weeks.items())}


def math_level_text(catalog: Catalog, level: str | None) -> str | None:
    """The learner's math level in words, or None when the catalog has no math levels.

    A catalog without levels says nothing about maths (it has none to reach); a
    learner below the first level is told which level that is.
    """
    if not catalog.math_levels:
        return None
    if level is None:
        return f"below {catalog.math_levels[0].name}"
    return catalog.level_by_id[level].name if level in catalog.level_by_id else level


def pace_sentence(pace: float, weeks: tuple[date, date]) -> str:
    """What the pace is and which weeks it averages: bars the learner sees in history."""
    first, last = weeks
    return (
        f"Pace: {num(pace)} h/week, the average of the four full weeks "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}; this week counts once it is over."
    )


def total_sentence(hours: float) -> str:
    return f"Total: {num(hours)} h of study to close every gap."


def unblock_sentence(catalog: Catalog, report: GapReport) -> str | None:
    unblock = report.unblock
    if unblock is None:
        return None
    names = [catalog.domain_by_id[d].name for d in unblock.domains]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    level = catalog.level_by_id[unblock.level].name
    return f"{level} unblocks {listed}: {num(unblock.hours)} h of math"
