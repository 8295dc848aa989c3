"""Groupings and sentences shared by the terminal views and the file exports.

No rich here, so the Markdown and iCalendar exports do not load it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from gapcli.domain.reasons import Why
from gapcli.render.numbers import num

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog
    from gapcli.domain.counting import GapReport
    from gapcli.domain.planner import Plan, PlanItem


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def by_week(plan: Plan) -> dict[date, list[tuple[PlanItem, float]]]:
    """Each week's topics with the hours studied on them that week, in study order.

    A topic's new study and its reviews are rows apart (the reviews of one week
    in one row): the plan finishes topics and brings them back for review.
    """
    weeks: dict[date, dict[tuple[str, bool], float]] = defaultdict(dict)
    items: dict[tuple[str, bool], PlanItem] = {}
    for item in plan.items:
        key = (item.topic, item.why is Why.REVIEW)
        items.setdefault(key, item)
        for block in item.sessions:
            week = weeks[week_of(block.day)]
            week[key] = week.get(key, 0.0) + block.hours
    return {w: [(items[k], h) for k, h in rows.items()] for w, rows in sorted(weeks.items())}


def session_title(name: str, why: Why) -> str:
    """What a planned session is called: a review says so (the topic was studied before)."""
    return f"Review: {name}" if why is Why.REVIEW else name


def by_day(plan: Plan) -> dict[date, list[tuple[PlanItem, int]]]:
    """Each study day's sessions in the order they are studied, with their minutes."""
    days: dict[date, list[tuple[PlanItem, int]]] = defaultdict(list)
    for item in plan.items:  # items are scheduled one after another: a day's order is theirs
        for block in item.sessions:
            days[block.day].append((item, block.minutes))
    return dict(sorted(days.items()))


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


def pace_sentence(pace: float, weeks: tuple[date, date], not_yet: str | None = None) -> str:
    """What the pace is and which weeks it averages: bars the learner sees in history."""
    if not_yet is not None:
        return f"Pace: not measured yet: {not_yet}."
    first, last = weeks
    return (
        f"Pace: {num(pace)} h/week, the average of the four full weeks "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}; this week counts once it is over."
    )


# What a plan's hours are for, in the order the learner reads them.
PARTS: tuple[tuple[Why, str], ...] = (
    (Why.GAP, "to close your gaps"),
    (Why.RECOMMENDED, "of recommended steps"),
    (Why.MATH, "of maths"),
    (Why.PREREQUISITE, "of prerequisites"),
    (Why.REVIEW, "of reviews"),
)


def plan_hours_by_why(plan: Plan, digits: int = 1) -> dict[Why, float | int]:
    """The plan's hours per reason, rounded along their running total so they add up.

    Rounded one by one, 51.24 + 11.24 + 6.84 would print as a sum that is not
    the total printed beside it; rounding the running total keeps "a + b + c = t"
    true in the numbers the learner reads.
    """
    sums: dict[Why, float] = dict.fromkeys((why for why, _ in PARTS), 0.0)
    for item in plan.items:
        sums[item.why] += item.hours
    out: dict[Why, float | int] = {}
    done = mark = 0.0
    for why, _ in PARTS:
        done += sums[why]
        now = round(done + 1e-9, digits)  # a tie up, as num() rounds it
        out[why] = num(now - mark, digits)
        mark = now
    return out


def plan_cost_sentence(plan: Plan, *, finish: bool = True) -> str:
    """The plan's whole cost and where it comes from, with its finish date unless told not.

    The gap report counts only the gaps; the plan adds the maths and the
    prerequisites they need. Saying both in one sentence keeps the learner
    from meeting two totals that seem to disagree.
    """
    parts = plan_hours_by_why(plan)
    shown = [f"{num(parts[why])} h {words}" for why, words in PARTS if parts[why]]
    total = num(sum(parts.values()))
    cost = shown[0] if len(shown) == 1 else f"{' + '.join(shown)} = {total} h"
    if not finish or plan.finish is None:
        return cost
    return f"{cost}, finish {plan.finish:%Y-%m-%d}"


def reason_text(catalog: Catalog, item: PlanItem, track: str) -> str:
    """Why a topic is in the plan, in the learner's words: a step, its gap, what needs it."""
    if item.why is Why.REVIEW:
        return "review"
    number = next(
        (n for n, step in enumerate(catalog.steps(track), 1) if item.topic in step.ids), None
    )
    if number is None:
        return _why_text(catalog, item)
    if item.why is Why.RECOMMENDED:
        return f"recommended step {number}"
    return f"recommended step {number}; {_why_text(catalog, item)}"


def _why_text(catalog: Catalog, item: PlanItem) -> str:
    if item.why is Why.GAP:
        return f"closes your gap in {catalog.domain_by_id[item.domain].name}"
    if item.needed_by is None:  # the planner names one for every pulled-in topic
        return "maths" if item.why is Why.MATH else "a prerequisite"
    name = catalog.topic_by_id[item.needed_by].name
    return f"maths for {name}" if item.why is Why.MATH else f"needed by {name}"


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
