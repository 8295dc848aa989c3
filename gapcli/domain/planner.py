"""The planner: gaps, prerequisites, maths and weekly hours in, a dated plan out.

A pure function of (catalog, learner state, settings, start date): no clock,
no I/O, deterministic. How it works, in four steps:

1. **What**: for every domain of the track below its target, the next
   uncovered topics in teaching order until the target is reached.
2. **Closure**: every planned topic pulls in what it needs that is not known
   yet: its topic prerequisites, the topics that bring each prerequisite
   domain of its domain up to that domain's target, and, when the learner
   lacks the math level its domain needs, every uncovered topic of the math
   levels up to that one. Pulled-in topics pull in their own needs.
3. **Order**: a topological order (graphlib) of those dependencies; among the
   topics free to go next, the track's order wins, then the larger gap, then
   the catalog's ``study_order``, then catalog (teaching) order.
4. **Dates**: study days share the weekly hours evenly; topics fill days in
   order and a long topic continues over as many days as it needs.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import (
    EPS,
    Standing,
    covered_hours,
    domain_standing,
    known_topics,
    level_topics,
    math_level,
    math_ok,
)
from gapcli.domain.learner import LearnerState
from gapcli.errors import InvalidValue

Why = Literal["gap", "prerequisite", "math"]


@dataclass(frozen=True)
class PlanSettings:
    weekly_hours: float
    study_days: tuple[int, ...]  # date.weekday() numbers
    track: str
    domains: tuple[str, ...] = ()  # restrict the gaps to these domains (prerequisites still come)


@dataclass(frozen=True)
class StudyBlock:
    day: date
    hours: float


@dataclass(frozen=True)
class PlanItem:
    topic: str
    domain: str
    hours: float
    why: Why
    sessions: tuple[StudyBlock, ...]


@dataclass(frozen=True)
class Plan:
    start: date
    settings: PlanSettings
    items: tuple[PlanItem, ...]
    domain_finish: dict[str, date] = field(default_factory=dict)

    @property
    def total_hours(self) -> float:
        return sum(i.hours for i in self.items)

    @property
    def finish(self) -> date | None:
        return self.items[-1].sessions[-1].day if self.items else None


class _Planning:
    """The learner's standing, computed once and shared by the planning steps."""

    def __init__(self, catalog: Catalog, state: LearnerState) -> None:
        self.catalog = catalog
        self.state = state
        self.covered = covered_hours(catalog, state)
        self.known = known_topics(catalog, self.covered)
        self.have = math_level(catalog, self.known)
        self._standings: dict[str, Standing] = {}
        self._math: dict[str, list[str]] = {}

    def standing(self, domain_id: str) -> Standing:
        if domain_id not in self._standings:
            domain = self.catalog.domain_by_id[domain_id]
            self._standings[domain_id] = domain_standing(
                self.catalog, self.state, self.covered, domain
            )
        return self._standings[domain_id]

    def remaining(self, topic_id: str) -> float:
        return self.catalog.topic_by_id[topic_id].hours - self.covered[topic_id]

    def math_needed(self, domain_id: str) -> list[str]:
        """Uncovered topics of the math levels a domain needs, when the learner lacks it."""
        if domain_id not in self._math:
            required = self.catalog.domain_by_id[domain_id].math
            needed: list[str] = []
            if not math_ok(self.catalog, required, self.have):
                topics = level_topics(self.catalog, required)
                needed = [
                    t for t in self.catalog.topic_by_id if t in topics and self.remaining(t) > EPS
                ]
            self._math[domain_id] = needed
        return self._math[domain_id]


def make_plan(catalog: Catalog, state: LearnerState, settings: PlanSettings, start: date) -> Plan:
    if not settings.study_days:
        raise InvalidValue("no study days; give at least one, e.g. --study-days mon,wed,sat")
    ctx = _Planning(catalog, state)
    scope = settings.domains or catalog.track(settings.track).domains
    why: dict[str, Why] = {}
    for domain_id in scope:
        for topic_id in ctx.standing(domain_id).closing_topics:
            why.setdefault(topic_id, "gap")
    _close_over_needs(ctx, why)
    order = _study_order(ctx, settings, why)
    return _schedule(ctx, order, why, settings, start)


def _close_over_needs(ctx: _Planning, why: dict[str, Why]) -> None:
    """Step 2: pull in prerequisites, prerequisite domains and maths, transitively."""
    catalog = ctx.catalog
    queue = list(why)
    while queue:
        topic_id = queue.pop()
        domain_id = catalog.domain_of_topic[topic_id]
        needs: list[tuple[str, Why]] = [
            (r, "prerequisite")
            for r in catalog.topic_by_id[topic_id].requires
            if r not in ctx.known
        ]
        for required_domain in catalog.domain_by_id[domain_id].requires:
            needs += [(t, "prerequisite") for t in ctx.standing(required_domain).closing_topics]
        needs += [(t, "math") for t in ctx.math_needed(domain_id)]
        for need, reason in needs:
            if need not in why:
                why[need] = reason
                queue.append(need)


def _study_order(ctx: _Planning, settings: PlanSettings, why: dict[str, Why]) -> list[str]:
    """Step 3: a topological order of the planned topics, ties broken as a roadmap reads.

    Virtual nodes ("domain", D) and ("math", D) stand for "D's closing topics
    are done" and "the maths D needs is done", keeping the graph linear in size.
    """
    catalog = ctx.catalog
    graph: dict[object, set[object]] = {}
    for topic_id in why:
        domain_id = catalog.domain_of_topic[topic_id]
        preds: set[object] = {r for r in catalog.topic_by_id[topic_id].requires if r in why}
        for d in catalog.domain_by_id[domain_id].requires:
            preds.add(("domain", d))
            graph.setdefault(("domain", d), set[object](ctx.standing(d).closing_topics))
        if ctx.math_needed(domain_id):
            preds.add(("math", domain_id))
            graph.setdefault(("math", domain_id), set[object](ctx.math_needed(domain_id)))
        graph[topic_id] = preds

    sorter: graphlib.TopologicalSorter[object] = graphlib.TopologicalSorter(graph)
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = " -> ".join(str(n) for n in reversed(exc.args[1]))
        raise InvalidValue(f"the catalog's prerequisites form a cycle: {cycle}") from None
    key = _priorities(ctx, settings, graph)
    heap: list[tuple[tuple[float, ...], str]] = []
    order: list[str] = []

    def release(nodes: Sequence[object]) -> None:
        pending = list(nodes)
        while pending:
            node = pending.pop()
            if isinstance(node, str):
                heapq.heappush(heap, (key[node], node))
            else:  # a virtual node: nothing to study, it only gates others
                sorter.done(node)
                pending.extend(sorter.get_ready())

    release(sorter.get_ready())
    while heap:
        _, topic_id = heapq.heappop(heap)
        order.append(topic_id)
        sorter.done(topic_id)
        release(sorter.get_ready())
    return order


def _priorities(
    ctx: _Planning, settings: PlanSettings, graph: dict[object, set[object]]
) -> dict[str, tuple[float, ...]]:
    """Sort keys: a topic ranks as high as the best-placed topic that needs it.

    A domain's rank is its place in the track, then its gap (larger first).
    A pulled-in prerequisite or math topic inherits the rank of what it
    unblocks, so the light maths a first domain needs comes right before that
    domain, not mixed with maths only a later domain needs.
    """
    catalog = ctx.catalog
    scope = settings.domains or catalog.track(settings.track).domains
    track_pos = {d: i for i, d in enumerate(scope)}
    far = float(len(catalog.domains) + len(catalog.topic_by_id))

    def own(node: object) -> tuple[float, float]:
        if not isinstance(node, str):
            return (far, 0.0)
        domain_id = catalog.domain_of_topic[node]
        return (float(track_pos.get(domain_id, far)), -round(ctx.standing(domain_id).gap, 6))

    rank = {node: own(node) for node in graph}
    order = list(graphlib.TopologicalSorter(graph).static_order())
    for node in reversed(order):  # dependants before their prerequisites
        for pred in graph.get(node, ()):
            rank[pred] = min(rank[pred], rank[node])
    study_pos = {s.topic: i for i, s in enumerate(catalog.study_order)}
    return {
        node: (*rank[node], float(study_pos.get(node, far)), float(catalog.catalog_order[node]))
        for node in graph
        if isinstance(node, str)
    }


def _schedule(
    ctx: _Planning, order: list[str], why: dict[str, Why], settings: PlanSettings, start: date
) -> Plan:
    """Step 4: fill study days evenly with the ordered topics."""
    days = set(settings.study_days)
    share = settings.weekly_hours / len(days)
    day = start
    while day.weekday() not in days:
        day += timedelta(days=1)
    left = share
    items: list[PlanItem] = []
    finish: dict[str, date] = {}
    try:
        for topic_id in order:
            hours = ctx.remaining(topic_id)
            todo = hours
            blocks: list[StudyBlock] = []
            while todo > EPS:
                if left <= EPS:
                    day = _next_study_day(day, days)
                    left = share
                take = min(todo, left)
                blocks.append(StudyBlock(day, take))
                todo -= take
                left -= take
            domain_id = ctx.catalog.domain_of_topic[topic_id]
            items.append(PlanItem(topic_id, domain_id, hours, why[topic_id], tuple(blocks)))
            finish[domain_id] = day
    except OverflowError:
        raise InvalidValue(
            "this plan would run past the year 9999; raise the weekly hours"
        ) from None
    return Plan(start, settings, tuple(items), finish)


def _next_study_day(day: date, days: set[int]) -> date:
    day += timedelta(days=1)
    while day.weekday() not in days:
        day += timedelta(days=1)
    return day
