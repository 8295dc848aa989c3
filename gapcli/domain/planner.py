"""The planner: gaps, prerequisites, maths and weekly hours in, a dated plan out.

A pure function of (catalog, learner state, settings, start date): no clock,
no I/O, deterministic. It plans as a curriculum designer would:

1. **What comes first**: the roadmap's recommended steps (the track's
   ``study_order``, else the catalog's) that the learner has not done, in
   their order; then the topics that close the gaps, domain by domain, the
   larger gap first (as the gap report reads) with the track's order breaking
   ties, each domain's topics in teaching order.
2. **Just in time**: each of those topics is preceded by what it needs and
   the learner lacks, right before it: its prerequisite topics, the part of
   each prerequisite domain it needs (``{domain, to}``, or up to the learner's
   target), and the topics of the math level it needs (its own ``math``, else
   its domain's). Needs are met depth first, so a prerequisite's own needs
   come before it, and maths never arrives weeks before what uses it.
3. **Sessions**: in whole minutes, study days share the weekly hours evenly
   (but a day is at least two minimum sessions long and at most 24 hours),
   unless the learner gave each weekday its own length (``day_minutes``);
   a topic that fits in a day is studied in one sitting, a longer one is cut
   into day-sized pieces, and no session is shorter than the minimum unless
   its whole topic is.
4. **Away days** (``PlanSettings.away``) are skipped as if they were not
   study days: nothing is planned on them, and the week's other days keep
   their usual length (the weekly budget is not squeezed into fewer days).
5. **This week**: in the week the plan starts, the hours the learner already
   studied that week (``PlanSettings.used_this_week``) come off the week's
   budget first, so the plan never asks for more than the week has left; and
   what was studied on the start day itself (``used_today``) comes off that
   day, so a plan made after the day's study does not ask for the day again.

Each pulled-in topic then names the first planned topic that needs it, so the
learner reads what a maths or prerequisite topic is for.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import (
    EPS,
    Standing,
    closing_topics,
    covered_hours,
    domain_standing,
    known_topics,
    level_topics,
    math_level,
    math_ok,
)
from gapcli.domain.learner import LearnerState
from gapcli.domain.reasons import Why
from gapcli.domain.review_plan import ReviewBook
from gapcli.domain.reviews import DEFAULT_REVIEW_SHARE, CardView, review_minutes
from gapcli.domain.sessions import (
    HIGHEST_SESSION_MINUTES,
    LOWEST_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
)
from gapcli.errors import InvalidValue, UnknownId

_DAY = 24 * 60  # minutes in a day: no study day holds more
# With reviews in the plan every day may keep some minutes for them; a topic that
# fits in a day waits at most a week of study days for one with room, then gets the
# next study day whole (its reviews wait a day).
_WAIT_FOR_ROOM = 7


class _GateKind(StrEnum):
    DOMAIN = "domain"  # a prerequisite domain, up to a % (or the learner's target)
    LEVEL = "level"  # a math level and the levels below it
    OWN_LEVEL = "own-level"  # a math level's topics outside the math domain that needs it


class _Gate(NamedTuple):
    """A group of topics that several topics wait for: a prerequisite domain or a math level.

    One node stands for the group, so a domain of fifty topics needing
    another's first 60 % adds fifty edges, not fifty times that domain.
    """

    kind: _GateKind
    ident: str  # the domain, or the level
    extent: int | str | None = None  # DOMAIN: the % needed (None: target); OWN_LEVEL: level

    def label(self) -> str:
        if self.kind is _GateKind.DOMAIN:
            how_far = "its target" if self.extent is None else f"{self.extent} %"
            return f"(domain {self.ident} up to {how_far})"
        if self.kind is _GateKind.LEVEL:
            return f"(math level {self.ident})"
        return f"(the maths {self.ident} needs)"


_Node = str | _Gate  # a topic id or a gate


class PlanSettings(NamedTuple):
    weekly_hours: float
    study_days: tuple[int, ...]  # date.weekday() numbers
    track: str
    domains: tuple[str, ...] = ()  # restrict the gaps to these domains (prerequisites still come)
    min_session_minutes: int = MIN_SESSION_MINUTES  # no shorter session, unless the topic is
    # Hours already studied in the Monday-to-Sunday week of the plan's start; the
    # caller decides whether that week is the learner's current one.
    used_this_week: float = 0.0
    # Hours already studied on the plan's start day (part of ``used_this_week``):
    # that day holds only what they leave of its length.
    used_today: float = 0.0
    # Minutes per weekday (0-6) when the learner gave each day its own length
    # (``config set day-hours``); None shares the weekly hours evenly.
    day_minutes: tuple[int, ...] | None = None
    # Days the learner is away (``gapcli away``): no session is planned on them.
    away: frozenset[date] = frozenset()
    # Finished topics' review cards and the share (%) of a study day reviews may take
    # (see gapcli.domain.review_plan); no cards, no reviews.
    cards: tuple[CardView, ...] = ()
    review_share: int = DEFAULT_REVIEW_SHARE


class StudyBlock(NamedTuple):
    day: date
    hours: float  # always whole minutes

    @property
    def minutes(self) -> int:
        return round(self.hours * 60)


class PlanItem(NamedTuple):
    topic: str
    domain: str
    hours: float
    why: Why
    sessions: tuple[StudyBlock, ...]
    # For a pulled-in topic (maths, prerequisite): the first planned topic that
    # needs it directly, so the learner is told what it is for.
    needed_by: str | None = None


class Plan(NamedTuple):
    """The ordered, dated topics; when each domain finishes; which targets the plan reaches.

    ``domain_finish`` holds, for a domain in ``targets`` (a domain whose gap
    the plan closes), the day its target is reached, and for a domain the
    plan only borrows prerequisites or maths from, the day of its last topic.
    """

    start: date
    settings: PlanSettings
    items: tuple[PlanItem, ...]
    domain_finish: dict[str, date]
    targets: tuple[str, ...] = ()  # domains whose gap the plan closes, in study order

    @property
    def total_hours(self) -> float:
        """The hours of new study (reviews are counted apart: ``review_hours``)."""
        return sum(i.hours for i in self.items if i.why is not Why.REVIEW)

    @property
    def review_hours(self) -> float:
        return sum(i.hours for i in self.items if i.why is Why.REVIEW)

    @property
    def finish(self) -> date | None:
        """The last day of new study: reviews go on after it, but the plan is done."""
        days = [i.sessions[-1].day for i in self.items if i.why is not Why.REVIEW]
        return max(days) if days else None


class PlanHead(NamedTuple):
    """The first days of a plan (:func:`plan_head`): the items that begin by ``through``.

    Each is the whole plan's item, whole (a topic begun by then keeps its later
    sessions), in the same order, so every session up to ``through`` is the
    whole plan's. It has no finish, no domain finishes and no targets: the plan
    goes on after it, and nothing that shows a finish date or a forecast takes
    one.
    """

    start: date
    settings: PlanSettings
    items: tuple[PlanItem, ...]
    through: date  # the last day whose sessions are all here: at least the first of new study
    has_study: bool  # whether the plan holds any new study (else it has no days at all)


class _Planning:
    """The learner's standing, computed once, and what each topic or gate waits for."""

    def __init__(self, catalog: Catalog, state: LearnerState) -> None:
        self.catalog = catalog
        self.state = state
        self.covered = covered_hours(catalog, state)
        self.known = known_topics(catalog, self.covered)
        self.have = math_level(catalog, self.known)
        self._standings: dict[str, Standing] = {}
        self._members: dict[_Gate, tuple[_Node, ...]] = {}
        self._owners: dict[str, frozenset[str]] = {}
        self._preds: dict[str, tuple[_Node, ...]] = {}

    def standing(self, domain_id: str) -> Standing:
        if domain_id not in self._standings:
            domain = self.catalog.domain_by_id[domain_id]
            self._standings[domain_id] = domain_standing(
                self.catalog, self.state, self.covered, domain
            )
        return self._standings[domain_id]

    def remaining(self, topic_id: str) -> float:
        return self.catalog.topic_by_id[topic_id].hours - self.covered[topic_id]

    def domain_of(self, topic_id: str) -> str:
        return self.catalog.domain_of_topic[topic_id]

    def gates(self, topic_id: str) -> list[_Gate]:
        """The groups a topic waits for: its domain's prerequisite domains, then its maths."""
        domain = self.catalog.domain_by_id[self.domain_of(topic_id)]
        gates = [_Gate(_GateKind.DOMAIN, d, to) for d, to in domain.needs]
        required = self.catalog.topic_math(topic_id)
        if required is not None and not math_ok(self.catalog, required, self.have):
            if domain.id in self._level_domains(required):
                # A math domain owning topics of that level: gating it on itself
                # would be a cycle; its own topics follow their own requires.
                gates.append(_Gate(_GateKind.OWN_LEVEL, domain.id, required))
            else:
                gates.append(_Gate(_GateKind.LEVEL, required))
        return gates

    def preds(self, node: _Node) -> tuple[_Node, ...]:
        """What a node waits for directly: gates first, then a topic's own requires.

        Kept, because ordering and explaining the plan both walk them.
        """
        if not isinstance(node, str):
            return self.members(node)
        if node not in self._preds:
            requires = self.catalog.topic_by_id[node].requires
            known = self.known
            self._preds[node] = (*self.gates(node), *(r for r in requires if r not in known))
        return self._preds[node]

    def members(self, gate: _Gate) -> tuple[_Node, ...]:
        if gate not in self._members:
            self._members[gate] = self._gate_members(gate)
        return self._members[gate]

    def _gate_members(self, gate: _Gate) -> tuple[_Node, ...]:
        catalog = self.catalog
        if gate.kind is _GateKind.DOMAIN:
            if gate.extent is None:
                return self.standing(gate.ident).closing_topics
            domain = catalog.domain_by_id[gate.ident]
            return closing_topics(domain, self.covered, float(gate.extent))
        if gate.kind is _GateKind.OWN_LEVEL:
            return tuple(
                t for t in self.math_topics(str(gate.extent)) if self.domain_of(t) != gate.ident
            )
        rank = catalog.level_rank[gate.ident]
        own: list[_Node] = [t for t in catalog.math_levels[rank].topics if self.remaining(t) > EPS]
        if rank > 0:
            own.insert(0, _Gate(_GateKind.LEVEL, catalog.math_levels[rank - 1].id))
        return tuple(own)

    def math_topics(self, level_id: str) -> list[str]:
        """The uncovered topics of ``level_id`` and the levels below it, in catalog order."""
        order = self.catalog.catalog_order
        topics = sorted(level_topics(self.catalog, level_id), key=order.__getitem__)
        return [t for t in topics if self.remaining(t) > EPS]

    def gate_topics(self, gate: _Gate) -> list[str]:
        """Every topic a gate stands for, through the lower levels of a math level."""
        if gate.kind is _GateKind.LEVEL:
            return self.math_topics(gate.ident)
        return [t for t in self.members(gate) if isinstance(t, str)]

    def _level_domains(self, level_id: str) -> frozenset[str]:
        """The domains owning a topic of ``level_id`` or a lower level (asked per topic)."""
        if level_id not in self._owners:
            topics = level_topics(self.catalog, level_id)
            self._owners[level_id] = frozenset(self.domain_of(t) for t in topics)
        return self._owners[level_id]


def make_plan(catalog: Catalog, state: LearnerState, settings: PlanSettings, start: date) -> Plan:
    """Plan the recommended steps and the topics that close the learner's gaps.

    See the module's docstring for the rules.
    """
    ctx = _Planning(catalog, state)
    order, why = _order(ctx, settings)
    return _explain(ctx, _schedule(ctx, order, why, settings, start), order, why)


def plan_head(
    catalog: Catalog, state: LearnerState, settings: PlanSettings, start: date, until: date
) -> PlanHead:
    """The plan's first days, for a caller that shows only them (``gapcli today``).

    The same planning as :func:`make_plan`, stopped once the scheduler has
    passed ``until`` and the first day of new study: the days after it are
    what most of a plan's time goes into (their reviews), and nothing here
    shows them.
    """
    ctx = _Planning(catalog, state)
    order, why = _order(ctx, settings)
    plan = _explain(ctx, _schedule(ctx, order, why, settings, start, until), order, why)
    first = next((i.sessions[0].day for i in plan.items if i.why is not Why.REVIEW), None)
    through = until if first is None else max(until, first)
    items = tuple(i for i in plan.items if i.sessions[0].day <= through)
    return PlanHead(start, settings, items, through, first is not None)


def _order(ctx: _Planning, settings: PlanSettings) -> tuple[list[str], dict[str, Why]]:
    """The topics to study, in study order, and why each is there."""
    if not settings.study_days:
        raise InvalidValue("no study days; give at least one, e.g. --study-days mon,wed,sat")
    if not LOWEST_SESSION_MINUTES <= settings.min_session_minutes <= HIGHEST_SESSION_MINUTES:
        raise InvalidValue(
            f"the shortest session must be {LOWEST_SESSION_MINUTES} to "
            f"{HIGHEST_SESSION_MINUTES} minutes (got {settings.min_session_minutes})"
        )
    scope = _scope(ctx.catalog, settings)
    gaps = [t for d in _by_gap(ctx, settings, scope) for t in ctx.standing(d).closing_topics]
    steps = _steps(ctx, settings) if gaps else []
    order, pulled, maths = _just_in_time(ctx, [*steps, *gaps])
    gap_set = set(gaps)
    why: dict[str, Why] = {}
    for topic_id in order:
        if topic_id in gap_set:
            why[topic_id] = Why.GAP
        elif topic_id in maths:
            why[topic_id] = Why.MATH
        elif topic_id in pulled:
            why[topic_id] = Why.PREREQUISITE
        else:
            why[topic_id] = Why.RECOMMENDED
    return order, why


def _scope(catalog: Catalog, settings: PlanSettings) -> tuple[str, ...]:
    """The domains whose gaps the plan closes: ``settings.domains``, else the track's."""
    return settings.domains or _track(catalog, settings)


def _track(catalog: Catalog, settings: PlanSettings) -> tuple[str, ...]:
    try:
        return catalog.track(settings.track).domains
    except KeyError:
        raise UnknownId(f"unknown track '{settings.track}'") from None


def _by_gap(ctx: _Planning, settings: PlanSettings, scope: tuple[str, ...]) -> list[str]:
    """The domains in scope, the larger gap first, the track's order breaking ties.

    The gap report uses the same key, so the plan reads in the report's order.
    A domain given with ``--domain`` outside the track comes after the track's.
    """
    track = _track(ctx.catalog, settings)
    place: dict[str, int] = {}
    for i, d in enumerate(track):
        place.setdefault(d, i)
    unique = list(dict.fromkeys(scope))
    return sorted(unique, key=lambda d: (-round(ctx.standing(d).gap, 6), place.get(d, len(track))))


def _steps(ctx: _Planning, settings: PlanSettings) -> list[str]:
    """The roadmap's recommended steps the learner has not done, in their order.

    With ``--domain``, only the steps inside those domains: the learner asked
    for a plan of those domains alone. Steps lead toward the track's targets:
    once every target is met, the caller plans none.
    """
    only = set(settings.domains)
    return [
        topic_id
        for step in ctx.catalog.steps(settings.track)
        for topic_id in step.ids
        if ctx.remaining(topic_id) > EPS and (not only or ctx.domain_of(topic_id) in only)
    ]


def _just_in_time(ctx: _Planning, wanted: list[str]) -> tuple[list[str], set[str], set[str]]:
    """The study order: each wanted topic in turn, after what it needs, depth first.

    Returns the order, the topics pulled in as some node's need, and the topics
    pulled in as maths (the members of a math gate). A node met again while its
    own needs are being met closes a cycle, named in the error.
    """
    visiting, done = 1, 2
    status: dict[_Node, int] = {}
    order: list[str] = []
    pulled: set[str] = set()
    maths: set[str] = set()
    for root in wanted:
        if root in status:
            continue
        status[root] = visiting
        path: list[tuple[_Node, Iterator[_Node]]] = [(root, iter(ctx.preds(root)))]
        while path:
            node, preds = path[-1]
            for pred in preds:
                if isinstance(pred, str):
                    pulled.add(pred)
                    if not isinstance(node, str) and node.kind is not _GateKind.DOMAIN:
                        maths.add(pred)
                seen = status.get(pred)
                if seen is None:
                    status[pred] = visiting
                    path.append((pred, iter(ctx.preds(pred))))
                    break
                if seen == visiting:
                    raise _cycle_error([n for n, _ in path], pred)
            else:
                path.pop()
                status[node] = done
                if isinstance(node, str):
                    order.append(node)
    return order, pulled, maths


def _cycle_error(path: list[_Node], again: _Node) -> InvalidValue:
    loop = [*path[path.index(again) :], again]
    names = " -> ".join(n if isinstance(n, str) else n.label() for n in reversed(loop))
    return InvalidValue(
        f"the catalog's topic, domain and math prerequisites form a cycle: {names}"
    )


def _schedule(
    ctx: _Planning,
    order: list[str],
    why: dict[str, Why],
    settings: PlanSettings,
    start: date,
    until: date | None = None,
) -> Plan:
    """Step 4: cut the ordered topics into sessions a person would sit down for.

    Works in whole minutes (see :class:`_Week`): a calendar-minute plan is
    what a learner's diary holds, and integer arithmetic leaves no float
    crumbs. A topic that fits in one study day is studied in one sitting:
    when what is left of today is too short, it waits for the next study day
    and today ends early, rather than being cut in two. A longer topic is cut
    into day-sized pieces, none shorter than the minimum session; its last
    piece is never a crumb, because the piece before gives way. Today's
    leftover shorter than a piece is left free, not filled with a crumb.
    The week of ``start`` holds only what ``used_this_week`` left of the weekly
    hours: its days fill in order until that runs out, and the plan goes on the
    next week.
    With ``until``, no topic is begun after ``until`` and the first topic's
    first day: what comes before is exactly what the whole plan has there.
    """
    if not order:
        return Plan(start, settings, (), {})
    week = _Week(settings)
    catalog = ctx.catalog
    scope = set(_scope(catalog, settings))
    # A domain's finish: when its gap closes (the last of its closing topics),
    # or, for a domain the plan only borrows from, its last planned topic.
    closes: dict[str, frozenset[str] | None] = {}
    items: list[PlanItem] = []
    finish: dict[str, date] = {}
    shortest, day_minutes = week.shortest, week.day_minutes
    book = (
        ReviewBook(
            settings.cards,
            lambda t: review_minutes(catalog.topic_by_id[t].hours),
            settings.review_share,
        )
        if settings.review_share
        else None
    )

    def arrive(*, reviews: bool = True) -> None:
        """Reserve the new study day's reviews before any new study (see review_plan).

        Not when a topic has waited a week of study days for a day with room for it:
        that day is its own, whole, and the reviews wait until the next one.
        """
        if book is None or not reviews:
            return
        held = book.day(week.day, week.length(week.day), week.free(), shortest)
        for topic_id, minutes in held.reviews:
            block = (StudyBlock(week.day, minutes / 60),)
            items.append(
                PlanItem(topic_id, ctx.domain_of(topic_id), minutes / 60, Why.REVIEW, block)
            )
            week.spend(minutes)
        week.held = min(held.held_back, week.day_left)
        week.day_left -= week.held

    # A study day's room for new study: once there are cards, what the reviews' share
    # leaves of it. A topic that fits in that waits for a day with room; a longer one
    # is cut.
    reserved = day_minutes * settings.review_share // 100
    try:
        week.begin(
            start,
            used_minutes=math.ceil(settings.used_this_week * 60 - 1e-6),
            used_today=math.ceil(settings.used_today * 60 - 1e-6),
        )
        arrive()
        for n, topic_id in enumerate(order):
            if until is not None and n and week.day > until:
                break
            todo = planned_minutes(ctx.remaining(topic_id))
            whole = todo
            blocks: list[StudyBlock] = []
            waited = 0  # study days skipped waiting for room for the whole topic
            room = day_minutes - (reserved if book else 0)
            while todo:
                free = week.free()
                if todo <= free:
                    take = todo
                elif todo == whole and todo <= min(week.day_left + week.held, week.week_left):
                    # Fits in what the waiting reviews held back: the day is the topic's,
                    # not left idle while it waits for the next one.
                    week.release()
                    take = todo
                elif whole <= room:  # fits in a day, not in what is left of today
                    take = 0
                    waited += 1
                elif whole <= day_minutes and whole < 2 * shortest:
                    # Fits only in a day without reviews, and cannot be cut without a
                    # crumb: the next study day is its own.
                    take = 0
                    waited = _WAIT_FOR_ROOM
                else:  # a long topic: a piece, leaving no crumb behind it
                    take = min(free, todo - shortest)
                    if take < shortest:
                        take = 0
                if take == 0:
                    week.next_day()
                    arrive(reviews=waited < _WAIT_FOR_ROOM)
                    continue
                blocks.append(StudyBlock(week.day, take / 60))
                week.spend(take)
                todo -= take
            if until is not None and n == 0:
                until = max(until, blocks[0].day)  # at least the first day of new study
            domain_id = ctx.domain_of(topic_id)
            items.append(PlanItem(topic_id, domain_id, whole / 60, why[topic_id], tuple(blocks)))
            if book is not None:
                book.learn(topic_id, week.day)
            if domain_id not in closes:
                closing = (
                    frozenset(ctx.standing(domain_id).closing_topics)
                    if domain_id in scope
                    else None
                )
                closes[domain_id] = closing or None
            closing = closes[domain_id]
            if closing is None or topic_id in closing:
                finish[domain_id] = week.day
    except OverflowError:
        raise InvalidValue(
            "this plan would run past 9999-12-31, the last day gapcli can date; "
            "start it earlier or raise the weekly hours"
        ) from None
    targets = tuple(d for d, closing in closes.items() if closing is not None)
    # In the order they begin: a review comes where its day falls among the topics,
    # not after the topic that was being placed when it was reserved. (A stable sort:
    # the topics, which begin in study order, keep it.)
    items.sort(key=lambda item: item.sessions[0].day)
    return Plan(start, settings, tuple(items), finish, targets)


def planned_minutes(hours: float) -> int:
    """A topic's remaining time in whole minutes, rounded up (never planned as nothing).

    The tolerance keeps float noise (a whole number of hours held as a hair
    over its minutes) from adding a minute.
    """
    return max(1, math.ceil(hours * 60 - 1e-6))


class _Week:
    """The calendar the scheduler walks: study days, their length, the weekly budget.

    ``week_minutes`` is the weekly hours in whole minutes, the hard cap of
    every Monday-to-Sunday week. ``shortest`` is the minimum session, lowered
    only when a whole week holds less than two of them, so that a long topic
    can always be cut into pieces that are not crumbs. ``day_minutes`` is a
    study day's length: the weekly budget shared evenly over the study days,
    but at least two minimum sessions (a learner with little time sits down
    on fewer days for a proper session, and the weekly budget ends the week
    early), and never over a whole day. With ``day_minutes`` each weekday has
    its own length (:meth:`length`) and ``day_minutes`` is the longest, which
    decides whether a topic fits in one sitting.
    """

    def __init__(self, settings: PlanSettings) -> None:
        self.days = set(settings.study_days)
        self.away = settings.away
        self.week_minutes = math.floor(settings.weekly_hours * 60 + 1e-6)
        if self.week_minutes < 1:
            raise InvalidValue("the weekly hours must come to at least a minute")
        self.shortest = max(1, min(settings.min_session_minutes, self.week_minutes // 2))
        self.lengths: dict[int, int] | None = None
        if settings.day_minutes is None:
            even = self.week_minutes // len(self.days)
            self.day_minutes = min(_DAY, max(even, 2 * self.shortest))
        else:
            self.lengths, self.shortest = _own_lengths(settings, self.week_minutes, self.shortest)
            self.day_minutes = max(self.lengths.values())
        self.day = date.min
        self.day_left = self.week_left = 0
        self.held = 0  # minutes of today held back for waiting reviews (see arrive)

    def begin(self, start: date, used_minutes: int = 0, used_today: int = 0) -> None:
        """Start on ``start``'s first study day; ``used_minutes`` of its week are gone,
        and ``used_today`` of ``start`` itself when it is that day."""
        day = start
        while day.weekday() not in self.days or day in self.away:
            day += timedelta(days=1)
        self.day = day
        self.day_left = max(0, self.length(day) - (used_today if day == start else 0))
        self.week_left = max(0, self.week_minutes - used_minutes)
        if day - timedelta(days=day.weekday()) != start - timedelta(days=start.weekday()):
            self.week_left = self.week_minutes  # the first study day is in the next week

    def free(self) -> int:
        return min(self.day_left, self.week_left)

    def release(self) -> None:
        """Give today's held-back minutes back to new study."""
        self.day_left += self.held
        self.held = 0

    def spend(self, minutes: int) -> None:
        self.day_left -= minutes
        self.week_left -= minutes

    def next_day(self) -> None:
        day = _next_study_day(self.day, self.days, self.away)
        if day - timedelta(days=day.weekday()) != self.day - timedelta(days=self.day.weekday()):
            self.week_left = self.week_minutes
        self.day = day
        self.day_left = self.length(day)
        self.held = 0

    def length(self, day: date) -> int:
        """How long ``day`` is: its own length when the learner gave one, else the even share."""
        return self.day_minutes if self.lengths is None else self.lengths[day.weekday()]


def _own_lengths(
    settings: PlanSettings, week_minutes: int, shortest: int
) -> tuple[dict[int, int], int]:
    """Each study day's own length and the minimum session that fits them.

    A day is capped at 24 hours and at the week (a day longer than the week could
    never be filled, and a topic waiting for it would wait for ever). The minimum
    session shrinks to half the longest day, so a long topic can always be cut.
    """
    given = settings.day_minutes or ()
    if len(given) != 7 or any(m < 0 for m in given):
        raise InvalidValue("day lengths must be seven non-negative minute counts, Monday first")
    lengths = {d: min(_DAY, week_minutes, given[d]) for d in settings.study_days}
    longest = max(lengths.values())
    if longest < 1:
        raise InvalidValue("no study day has any time; give a study day some hours")
    return lengths, max(1, min(shortest, longest // 2))


def _explain(ctx: _Planning, plan: Plan, order: list[str], why: dict[str, Why]) -> Plan:
    """Name, for each pulled-in topic, the first planned topic that needs it directly.

    Walks the topics in study order (the order of the plan's new study, also
    past where :func:`plan_head` stopped scheduling, so a head names the same
    topics) and gives each of a topic's direct needs (its ``requires``, the
    part of each prerequisite domain its domain needs, the maths it lacks) the
    first topic to claim it: the reason the learner studies it now. A gate is
    claimed once, so the walk stays linear.
    """
    claimed: dict[str, str] = {}
    gates_seen: set[_Gate] = set()

    def claim(topic_id: str, by: str) -> None:
        if topic_id not in claimed and why.get(topic_id, Why.GAP) is not Why.GAP:
            claimed[topic_id] = by

    for topic in order:
        for pred in ctx.preds(topic):
            if isinstance(pred, str):
                claim(pred, topic)
            elif pred not in gates_seen:
                gates_seen.add(pred)
                for topic_id in ctx.gate_topics(pred):
                    claim(topic_id, topic)
    if not claimed:
        return plan
    items = tuple(
        i._replace(needed_by=claimed[i.topic])
        if i.topic in claimed and i.why is not Why.REVIEW
        else i
        for i in plan.items
    )
    return plan._replace(items=items)


def _next_study_day(day: date, days: set[int], away: frozenset[date] = frozenset()) -> date:
    """The next study day the learner is not away; past date.max, OverflowError."""
    day += timedelta(days=1)
    while day.weekday() not in days or day in away:
        day += timedelta(days=1)
    return day
