"""``plan --by DATE``: the fewest whole minutes a week whose plan finishes by a date.

Pure: the caller passes how a rate finishes (a plan built at that many minutes
a week), so this module knows nothing of catalogs, stores or clocks. The search
is a bisection over whole minutes per week: a plan is whole minutes, so a finer
rate plans nothing different, and whole minutes make the answer exact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


def least_weekly_minutes(
    finish_at: Callable[[int], date], by: date, low: int, high: int
) -> int | None:
    """The fewest minutes a week in ``low..high`` whose plan finishes on or before ``by``.

    ``finish_at(m)`` is the last study day of the plan at ``m`` minutes a week
    (``date.max`` when it never finishes). None when even ``high`` is too slow.
    The answer ``m`` finishes by ``by`` and, unless it is ``low``, ``m - 1`` does
    not: the bisection keeps a rate that misses the date and one that makes it, and
    ends when they are a minute apart. The finish falls as the rate rises almost
    everywhere, so that is the fewest then; not always: a longer day can let a topic
    fit in one, and a topic that fits in a day waits for a fresh one instead of
    starting on what is left of today (topics of 60, 539 and 60 minutes on mon,tue
    from a Wednesday finish a week later at 1078 minutes a week than at 1075).
    """
    if low > high or finish_at(high) > by:
        return None
    if finish_at(low) <= by:
        return low
    slow, fast = low, high  # slow misses the date, fast makes it
    while fast - slow > 1:
        middle = (slow + fast) // 2
        if finish_at(middle) <= by:
            fast = middle
        else:
            slow = middle
    return fast


def hours_for_minutes(minutes: int) -> float:
    """Weekly minutes as hours rounded *up* to 2 decimals, the figure the learner is told.

    Read back as ``--weekly-hours``, the planner floors the hours to whole minutes:
    rounded up (less than 0.6 of a minute over), they come back as the same minutes;
    rounded to nearest, 572 minutes (9.5333 h) would print 9.53 and plan 571.
    """
    hundredths = -(-minutes * 100 // 60)
    return hundredths / 100
