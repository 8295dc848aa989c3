"""The burn-down: hours still needed to close every gap, replayed week by week. Pure.

The stored rows say what changed and when (an assessment, a done or not-done
mark, a logged session, a math level); replaying them in date order and asking
the gap report at the end of each week gives the hours the learner still had
ahead of them then. The lines ahead (as planned, at the measured pace) start
from today's total, so the three lines meet at today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import covered_hours, domain_standing
from gapcli.domain.learner import Assessed, MarkReplay
from gapcli.domain.pace import week_start
from gapcli.domain.planner import Plan
from gapcli.domain.reasons import Why


class Assess(NamedTuple):
    domain_id: str
    current: int
    target: int
    at: datetime | None = None


class Mark(NamedTuple):
    """A done or to-do mark. ``seq`` is its place in the store (the row id): of a
    topic's marks dated up to a day, the one saved last decides, as the store reads
    them (a mark dated back with ``--date`` does not undo a newer one)."""

    topic_id: str
    done: bool
    seq: int = 0
    at: datetime = datetime.min.replace(tzinfo=UTC)


class Logged(NamedTuple):
    topic_id: str
    minutes: int


class Level(NamedTuple):
    level: str


Change = Assess | Mark | Logged | Level


def week_ends(first: date, today: date) -> list[date]:
    """The Sunday of every week from ``first``'s to the one before today's, then today."""
    ends: list[date] = []
    end = week_start(first) + timedelta(days=6)
    while end < today:
        ends.append(end)
        end += timedelta(weeks=1)
    return [*ends, today]


def replay_hours(
    catalog: Catalog,
    track: str,
    changes: Iterable[tuple[date, Change]],
    ends: Sequence[date],
) -> list[tuple[date, float]]:
    """The gap report's total hours as of each day in ``ends`` (ascending).

    Each point is what ``gaps`` said at the end of that day: every track domain
    counts as the gap report counted it then, one not yet assessed from 0 %.
    A past week's hours therefore never change afterwards (an assessment made
    today does not rewrite last month), and the last point is today's total.
    Only the changes up to a day count: the caller picks the first day (the
    first assessment's week, before which everything counted from 0 %).
    Changes apply in date order (a stable sort: the order given breaks ties,
    so callers pass rows in the order the store reads them). Ids the catalog
    lacks are skipped, as the snapshot sets them aside. Counting is
    incremental: at each day only the domains a change touched are counted again.
    """
    pending = sorted(changes, key=lambda c: c[0])
    domains = [catalog.domain_by_id[d] for d in dict.fromkeys(catalog.track(track).domains)]
    assessed: dict[str, Assessed] = {}
    marks = MarkReplay()
    logged: dict[str, int] = {}
    level: str | None = None
    hours: dict[str, float] = {}  # each track domain's hours to close, as of the last end
    dirty = {d.id for d in domains}
    out: list[tuple[date, float]] = []
    i = 0
    for end in ends:
        while i < len(pending) and pending[i][0] <= end:
            change = pending[i][1]
            i += 1
            match change:
                case Assess(domain_id, current, target, at) if domain_id in catalog.domain_by_id:
                    assessed[domain_id] = Assessed(current, target, at)
                    dirty.add(domain_id)
                case Mark(topic_id, is_done, seq, at) if topic_id in catalog.topic_by_id:
                    if marks.apply(topic_id, is_done, seq, at):
                        dirty.add(catalog.domain_of_topic[topic_id])
                case Logged(topic_id, minutes) if topic_id in catalog.topic_by_id:
                    logged[topic_id] = logged.get(topic_id, 0) + minutes
                    dirty.add(catalog.domain_of_topic[topic_id])
                case Level(name):  # "none" or a level the catalog lacks: no level, as today
                    level = name if name in catalog.level_by_id else None
                    dirty |= {d.id for d in domains}  # a level covers topics anywhere
        changed = [d for d in domains if d.id in dirty]
        if changed:  # only the domains something touched this week are counted again
            state = marks.state(assessed, level, logged)
            covered = covered_hours(catalog, state, changed)
            for domain in changed:
                standing = domain_standing(catalog, state, covered, domain)
                hours[domain.id] = standing.hours_to_close if standing.open else 0.0
            dirty.clear()
        out.append((end, sum(hours.values())))
    return out


_CLOSES_GAPS = frozenset({Why.GAP, Why.RECOMMENDED})


def planned_burn(plan: Plan, today: date, hours_now: float) -> list[tuple[date, float]]:
    """Today's hours, less the plan's new study at the end of each planned week.

    Only the study that closes gaps counts (gap topics and recommended steps):
    maths, prerequisites and reviews are in the plan but not in the gaps' total,
    so the line reaches 0 with the last gap topic, not weeks early. The last
    point is the plan's finish at 0 h (clamped at 0, never below).
    """
    if plan.finish is None:
        return [(today, hours_now)]
    by_week: dict[date, float] = {}
    for item in plan.items:
        if item.why not in _CLOSES_GAPS:
            continue
        for block in item.sessions:
            end = week_start(block.day) + timedelta(days=6)
            by_week[end] = by_week.get(end, 0.0) + block.hours
    points = [(today, hours_now)]
    left = hours_now
    for end in sorted(by_week):
        left = max(0.0, left - by_week[end])
        points.append((min(end, plan.finish), left))
    if points[-1][1] > 0:
        points.append((plan.finish, 0.0))
    else:
        points[-1] = (plan.finish, 0.0)
    return points


def paced_burn(today: date, hours_now: float, finish: date | None) -> list[tuple[date, float]]:
    """A straight line from today's hours to 0 on the measured pace's finish day."""
    if finish is None or hours_now <= 0:
        return []
    return [(today, hours_now), (max(finish, today), 0.0)]
