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
3. **Order**: a topological order of those dependencies (Kahn's algorithm
   with a heap); among the topics free to go next, the track's order wins,
   then the larger gap, then the catalog's ``study_order``, then catalog
   (teaching) order. A pulled-in topic ranks as the best-placed topic that
   needs it.
4. **Sessions**: in whole minutes, study days share the weekly hours evenly
   (but a day is at least two minimum sessions long and at most 24 hours);
   a topic that fits in a day is studied in one sitting, a longer one is cut
   into day-sized pieces, and no session is shorter than the minimum unless
   its whole topic is.
5. **This week**: in the week the plan starts, the hours the learner already
   studied that week (``PlanSettings.used_this_week``) come off the week's
   budget first, so the plan never asks for more than the week has left.

Each pulled-in topic then names the first planned topic that needs it, so the
learner reads what a maths or prerequisite topic is for.

Every step is linear in the size of the catalog (see ``bench/planner.py``).
"""

from __future__ import annotations

import gc
import graphlib
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal, cast

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
from gapcli.errors import InvalidValue, UnknownId

Why = Literal["gap", "prerequisite", "math"]
_DAY = 24 * 60  # minutes in a day: no study day holds more
MIN_SESSION_MINUTES = 30  # the default shortest session a learner sits down for
LOWEST_SESSION_MINUTES = 15  # the shortest minimum a setting may ask for
HIGHEST_SESSION_MINUTES = 240
Gate = tuple[str, str]  # a virtual node of the order: ("domain" | "math" | "level", id)
Node = str | Gate  # a topic id or a gate


@dataclass(frozen=True)
class PlanSettings:
    weekly_hours: float
    study_days: tuple[int, ...]  # date.weekday() numbers
    track: str
    domains: tuple[str, ...] = ()  # restrict the gaps to these domains (prerequisites still come)
    min_session_minutes: int = MIN_SESSION_MINUTES  # no shorter session, unless the topic is
    # Hours already studied in the Monday-to-Sunday week of the plan's start; the
    # caller decides whether that week is the learner's current one.
    used_this_week: float = 0.0


@dataclass(frozen=True, slots=True)
class StudyBlock:
    day: date
    hours: float  # always whole minutes

    @property
    def minutes(self) -> int:
        return round(self.hours * 60)


@dataclass(frozen=True, slots=True)
class PlanItem:
    topic: str
    domain: str
    hours: float
    why: Why
    sessions: tuple[StudyBlock, ...]
    # For a pulled-in topic (maths, prerequisite): the first planned topic that
    # needs it directly, so the learner is told what it is for.
    needed_by: str | None = None


@dataclass(frozen=True)
class Plan:
    """The ordered, dated topics; when each domain finishes; which targets the plan reaches.

    ``domain_finish`` holds, for a domain in ``targets`` (a domain whose gap
    the plan closes), the day its target is reached, and for a domain the
    plan only borrows prerequisites or maths from, the day of its last topic.
    """

    start: date
    settings: PlanSettings
    items: tuple[PlanItem, ...]
    domain_finish: dict[str, date] = field(default_factory=dict)
    targets: tuple[str, ...] = ()  # domains whose gap the plan closes, in study order

    @property
    def total_hours(self) -> float:
        return sum(i.hours for i in self.items)

    @property
    def finish(self) -> date | None:
        return self.items[-1].sessions[-1].day if self.items else None


class _Planning:
    """The learner's standing, computed once and shared by the planning steps.

    From step 2 on, a topic is a *node*: its place in the catalog. ``names``,
    ``topics`` and ``domain_at`` give a node's id, topic and domain id.
    """

    def __init__(self, catalog: Catalog, state: LearnerState) -> None:
        self.catalog = catalog
        self.state = state
        self.index = catalog.catalog_order  # topic id -> node
        self.names = list(catalog.topic_by_id)
        self.topics = list(catalog.topic_by_id.values())
        self.domain_at = [d.id for d in catalog.domains for _ in d.topics]
        self.covered = covered_hours(catalog, state)
        self.known = known_topics(catalog, self.covered)
        self.have = math_level(catalog, self.known)
        self._standings: dict[str, Standing] = {}
        self._levels: dict[str, list[str]] = {}
        self._level_owners: dict[str, frozenset[str]] = {}
        self._closing: dict[str, frozenset[str]] = {}

    def standing(self, domain_id: str) -> Standing:
        if domain_id not in self._standings:
            domain = self.catalog.domain_by_id[domain_id]
            self._standings[domain_id] = domain_standing(
                self.catalog, self.state, self.covered, domain
            )
        return self._standings[domain_id]

    def closing(self, domain_id: str) -> frozenset[str]:
        """The topics that close the domain's gap, as a set."""
        if domain_id not in self._closing:
            self._closing[domain_id] = frozenset(self.standing(domain_id).closing_topics)
        return self._closing[domain_id]

    def remaining(self, topic_id: str) -> float:
        return self.catalog.topic_by_id[topic_id].hours - self.covered[topic_id]

    def math_gate(self, domain_id: str) -> Gate | None:
        """The virtual node a domain's topics wait for when the learner lacks its maths.

        ("level", L) stands for "every uncovered topic of L and of the levels
        below it is studied"; all domains that need L share it, and it waits
        for L's own topics and the gate of the level below, so the graph stays
        linear in size. A math domain that owns topics of those levels gets
        its own ("math", D) gate without them: they follow their own
        ``requires``, and gating a domain on itself would be a cycle.
        """
        required = self.catalog.domain_by_id[domain_id].math
        if required is None or math_ok(self.catalog, required, self.have):
            return None
        if domain_id in self._level_domains(required):
            return ("math", domain_id)
        return ("level", required)

    def gate_topics(self, gate: Gate) -> list[str]:
        """Every topic a math gate waits for, directly or through lower levels."""
        kind, ident = gate
        if kind == "level":
            return self._level_uncovered(ident)
        required = self.catalog.domain_by_id[ident].math
        return [t for t in self._level_uncovered(required) if self.domain_of(t) != ident]

    def gate_preds(self, gate: Gate) -> list[Node]:
        """What a math gate waits for directly (a level: its own topics, the level below)."""
        kind, ident = gate
        if kind != "level":
            return list(self.gate_topics(gate))
        rank = self.catalog.level_rank[ident]
        preds: list[Node] = [
            t for t in self.catalog.math_levels[rank].topics if self.remaining(t) > EPS
        ]
        if rank > 0:
            preds.append(("level", self.catalog.math_levels[rank - 1].id))
        return preds

    def _level_uncovered(self, level_id: str | None) -> list[str]:
        """Uncovered topics of ``level_id`` and the levels below it, in catalog order."""
        key = level_id or ""
        if key not in self._levels:
            topics = sorted(level_topics(self.catalog, level_id), key=self.index.__getitem__)
            self._levels[key] = [t for t in topics if self.remaining(t) > EPS]
        return self._levels[key]

    def _level_domains(self, level_id: str) -> frozenset[str]:
        """The domains owning a topic of ``level_id`` or of a level below it."""
        if level_id not in self._level_owners:
            self._level_owners[level_id] = frozenset(
                self.domain_of(t) for t in level_topics(self.catalog, level_id)
            )
        return self._level_owners[level_id]

    def domain_of(self, topic_id: str) -> str:
        return self.domain_at[self.index[topic_id]]


def make_plan(catalog: Catalog, state: LearnerState, settings: PlanSettings, start: date) -> Plan:
    """Plan the topics that close the learner's gaps (see the module's docstring).

    The cyclic garbage collector is paused for the call. On large catalogs the
    planner makes hundreds of thousands of small containers (node lists, plan
    items), enough to set off the collector's full passes, which walk every
    object in the process, the whole catalog included: at 100,000 topics three
    of them took 0.6 s of 1.85 s, and the planner grew 19x per 10x topics
    instead of 13x (``bench/planner.py``). Nothing the planner makes forms a
    reference cycle, so the pause leaves no garbage behind: reference counting
    frees everything as usual, and the collector resumes (if it was running)
    when the call returns, with one pass over the young survivors (the plan).
    """
    if not settings.study_days:
        raise InvalidValue("no study days; give at least one, e.g. --study-days mon,wed,sat")
    if not LOWEST_SESSION_MINUTES <= settings.min_session_minutes <= HIGHEST_SESSION_MINUTES:
        raise InvalidValue(
            f"the shortest session must be {LOWEST_SESSION_MINUTES} to "
            f"{HIGHEST_SESSION_MINUTES} minutes (got {settings.min_session_minutes})"
        )
    collecting = gc.isenabled()
    gc.disable()
    try:
        ctx = _Planning(catalog, state)
        gaps = [t for d in _scope(catalog, settings) for t in ctx.standing(d).closing_topics]
        why, needs = _close_over_needs(ctx, gaps)
        order = _study_order(ctx, settings, why, needs)
        return _explain(ctx, _schedule(ctx, order, why, settings, start), why, needs)
    finally:
        if collecting:
            gc.enable()


def _scope(catalog: Catalog, settings: PlanSettings) -> tuple[str, ...]:
    """The domains whose gaps the plan closes: ``settings.domains``, else the track's."""
    return settings.domains or _track(catalog, settings)


def _track(catalog: Catalog, settings: PlanSettings) -> tuple[str, ...]:
    try:
        return catalog.track(settings.track).domains
    except KeyError:
        raise UnknownId(f"unknown track '{settings.track}'") from None


def _close_over_needs(
    ctx: _Planning, gaps: list[str]
) -> tuple[list[Why | None], list[Sequence[int]]]:
    """Step 2: pull in prerequisites, prerequisite domains and maths, transitively.

    A domain's own needs (its prerequisite domains' closing topics and its
    maths) are the same for each of its topics, so they are added once per
    domain: the closure stays linear in the size of the catalog.

    Returns, per node, why it is planned (None: it is not) and the nodes its
    ``requires`` name. Each ``requires`` id is looked up once, here, and from
    here on nodes index plain lists: on large catalogs a lookup by id misses
    the memory caches (the key's text lies anywhere in the heap), and such
    lookups grew 30x per 10x topics from 10,000 to 100,000 topics.
    """
    catalog = ctx.catalog
    index = ctx.index
    topics = ctx.topics
    domain_at = ctx.domain_at
    why: list[Why | None] = [None] * len(topics)
    needs: list[Sequence[int]] = [()] * len(topics)
    known = bytearray(len(topics))
    for topic_id in ctx.known:
        known[index[topic_id]] = 1
    queue: list[int] = []
    domains_done: set[str] = set()
    gates_done: set[Gate] = set()

    def need(topic_id: str, reason: Why) -> None:
        node = index[topic_id]
        if why[node] is None:
            why[node] = reason
            queue.append(node)

    for topic_id in gaps:
        need(topic_id, "gap")
    while queue:
        node = queue.pop()
        required = [index[r] for r in topics[node].requires]
        needs[node] = required
        for pred in required:
            if why[pred] is None and not known[pred]:
                why[pred] = "prerequisite"
                queue.append(pred)
        domain_id = domain_at[node]
        if domain_id in domains_done:
            continue
        domains_done.add(domain_id)
        for required_domain in catalog.domain_by_id[domain_id].required_domains:
            for closing in ctx.standing(required_domain).closing_topics:
                need(closing, "prerequisite")
        gate = ctx.math_gate(domain_id)
        if gate is not None and gate not in gates_done:
            gates_done.add(gate)
            for math_topic in ctx.gate_topics(gate):
                need(math_topic, "math")
    return why, needs


def _study_order(
    ctx: _Planning, settings: PlanSettings, why: list[Why | None], needs: list[Sequence[int]]
) -> list[int]:
    """Step 3: a topological order of the planned topics, ties broken as a roadmap reads.

    Virtual nodes ("domain", D) stand for "D's closing topics are done" and
    ("level", L) or ("math", D) for "the maths is done" (see
    :meth:`_Planning.math_gate`), keeping the graph linear in size. They are
    numbered after the last topic.

    The order is Kahn's algorithm with a heap of the ready topics' keys
    (:func:`_priorities`), on lists indexed by node: graphlib's sorter keeps
    an object per node in dicts and walks the whole graph for cycles before
    it starts, about a third of the planner's time at 100,000 topics. A node
    never released means a cycle; only then is graphlib asked to name it.
    """
    catalog = ctx.catalog
    topics = len(why)  # a key's remainder modulo this is its topic's node
    virtual: dict[Gate, int] = {}
    gated: dict[int, list[int]] = {}  # virtual node -> the nodes it waits for

    def node_of(gate: Gate) -> int:
        if gate not in virtual:
            virtual[gate] = topics + len(virtual)
        return virtual[gate]

    # The topics are visited in catalog order, domain by domain; the order in
    # which the graph is built does not change the plan (the keys decide it).
    graph: list[Sequence[int]] = [()] * topics  # node -> the nodes it waits for
    seeds: dict[str, list[int]] = {}  # per domain: its planned topics
    members = 0  # planned topics and virtual nodes: the nodes to order
    first = 0
    for domain in catalog.domains:
        gate: list[int] | None = None  # the virtual nodes this domain's topics wait for
        planned: list[int] = []
        for node in range(first, first + len(domain.topics)):
            if why[node] is not None:
                if gate is None:
                    gate = _domain_gates(ctx, domain.id, gated, node_of)
                edges = [pred for pred in needs[node] if why[pred] is not None]
                edges += gate
                graph[node] = edges
                planned.append(node)
        if planned:
            seeds[domain.id] = planned
            members += len(planned)
        first += len(domain.topics)
    graph += [gated[n] for n in range(topics, topics + len(virtual))]
    members += len(virtual)

    key = _priorities(ctx, settings, graph, seeds, topics)
    size = len(graph)
    waiting = [0] * size  # per node: how many of the nodes it waits for are not done
    unblocks: list[list[int]] = [[] for _ in range(size)]  # per node: the nodes waiting for it
    ready: list[int] = []
    for node, preds in enumerate(graph):
        if preds:
            waiting[node] = len(preds)
            for pred in preds:
                unblocks[pred].append(node)
        elif node >= topics or why[node] is not None:
            ready.append(node)
    heap: list[int] = []
    order: list[int] = []
    push, pop = heapq.heappush, heapq.heappop
    finished = 0
    while True:
        while ready:
            node = ready.pop()
            if node < topics:
                push(heap, key[node])
                continue
            finished += 1  # a virtual node: nothing to study, it only gates others
            for after in unblocks[node]:
                waiting[after] -= 1
                if not waiting[after]:
                    ready.append(after)
        if not heap:
            break
        node = pop(heap) % topics
        order.append(node)
        finished += 1
        for after in unblocks[node]:
            waiting[after] -= 1
            if not waiting[after]:
                ready.append(after)
    if finished < members:
        raise _cycle_error(ctx, graph, why, virtual)
    return order


def _cycle_error(
    ctx: _Planning, graph: list[Sequence[int]], why: list[Why | None], virtual: dict[Gate, int]
) -> InvalidValue:
    """Name a cycle of ``graph`` (graphlib finds one) in an error."""
    topics = len(why)
    nodes = {n: set(preds) for n, preds in enumerate(graph) if n >= topics or why[n] is not None}
    try:
        graphlib.TopologicalSorter(nodes).prepare()
    except graphlib.CycleError as exc:
        found: list[int] = exc.args[1]
    else:  # pragma: no cover - only called when some node never became ready
        found = []
    label = {n: _node_name(g) for g, n in virtual.items()}
    cycle = " -> ".join(label[n] if n >= topics else ctx.names[n] for n in reversed(found))
    return InvalidValue(
        f"the catalog's topic, domain and math prerequisites form a cycle: {cycle}"
    )


def _domain_gates(
    ctx: _Planning, domain_id: str, gated: dict[int, list[int]], node_of: Callable[[Gate], int]
) -> list[int]:
    """The virtual nodes a domain's topics wait for; adds them to ``gated`` with their needs."""
    catalog = ctx.catalog
    index = ctx.index
    gate: list[int] = []
    for d in catalog.domain_by_id[domain_id].required_domains:
        node = node_of(("domain", d))
        if node not in gated:
            gated[node] = [index[t] for t in ctx.standing(d).closing_topics]
        if node not in gate:
            gate.append(node)
    math_gate = ctx.math_gate(domain_id)
    if math_gate is not None:
        gate.append(node_of(math_gate))
        pending = [math_gate]
        while pending:  # the gate, and the gates of the lower levels it waits for
            here = pending.pop()
            if node_of(here) not in gated:
                needs = ctx.gate_preds(here)
                pending += [p for p in needs if not isinstance(p, str)]
                gated[node_of(here)] = [
                    index[p] if isinstance(p, str) else node_of(p) for p in needs
                ]
    return gate


def _node_name(gate: Gate) -> str:
    kind, ident = gate
    if kind == "domain":
        return f"(domain {ident} up to its target)"
    return f"(math level {ident})" if kind == "level" else f"(the maths {ident} needs)"


def _priorities(
    ctx: _Planning,
    settings: PlanSettings,
    graph: list[Sequence[int]],
    seeds: dict[str, list[int]],
    topics: int,
) -> list[int]:
    """Sort keys of the topic nodes: a topic ranks as high as the best-placed topic needing it.

    A domain whose gap the plan closes ranks by its place in the profile's
    track (``--domain`` only filters: domains outside the track come after
    it), then by its gap, larger first. A pulled-in prerequisite or math
    topic inherits the rank of what it unblocks, so the light maths a first
    domain needs comes right before that domain, not mixed with maths only a
    later domain needs. Then the catalog's ``study_order``, then catalog order.

    ``seeds`` holds each domain's planned topics. The key (rank, place in
    ``study_order``, place in the catalog) is packed into one integer, which
    the heap compares without building tuples; the remainder modulo the number
    of topics gives the topic back. The keys come as a list indexed by node.
    """
    catalog = ctx.catalog
    track = _track(catalog, settings)
    track_pos: dict[str, int] = {}
    for i, d in enumerate(track):
        track_pos.setdefault(d, i)
    own = {
        d: (track_pos.get(d, len(track)), -round(ctx.standing(d).gap, 6))
        for d in _scope(catalog, settings)
    }
    # Walk back from each domain's topics through what they need, best-ranked
    # domain first: the first walk to reach a node gives it the best rank of
    # anything that needs it, and every node and edge is visited once.
    rank = [-1] * len(graph)  # -1: not reached
    level = -1
    previous: tuple[int, float] | None = None
    for domain_id in sorted(own, key=own.__getitem__):
        if own[domain_id] != previous:  # equal keys share a rank
            level += 1
            previous = own[domain_id]
        stack = [t for t in seeds.get(domain_id, ()) if rank[t] < 0]
        for node in stack:
            rank[node] = level
        while stack:
            for pred in graph[stack.pop()]:
                if rank[pred] < 0:
                    rank[pred] = level
                    stack.append(pred)
    far = level + 1  # needed by nothing in scope: cannot happen
    index = ctx.index
    study_pos: dict[int, int] = {}
    for i, step in enumerate(catalog.study_order):
        for ident in step.ids:
            study_pos.setdefault(index[ident], i)
    unlisted = len(catalog.study_order)
    key = [0] * topics
    for nodes in seeds.values():
        for node in nodes:
            placed = rank[node]
            key[node] = (
                ((placed if placed >= 0 else far) * (unlisted + 1)) + study_pos.get(node, unlisted)
            ) * topics + node
    return key


def _schedule(
    ctx: _Planning, order: list[int], why: list[Why | None], settings: PlanSettings, start: date
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
    """
    if not order:
        return Plan(start, settings, ())
    week = _Week(settings)
    catalog = ctx.catalog
    scope = set(_scope(catalog, settings))
    # A domain's finish: when its gap closes (the last of its closing topics),
    # or, for a domain the plan only borrows from, its last planned topic.
    closes: dict[str, frozenset[str] | None] = {}
    items: list[PlanItem] = []
    finish: dict[str, date] = {}
    names, topics, domain_at, covered = ctx.names, ctx.topics, ctx.domain_at, ctx.covered
    shortest, day_minutes = week.shortest, week.day_minutes
    try:
        week.begin(start, used_minutes=math.ceil(settings.used_this_week * 60 - 1e-6))
        for node in order:
            topic_id = names[node]
            todo = planned_minutes(topics[node].hours - covered[topic_id])
            whole = todo
            blocks: list[StudyBlock] = []
            while todo:
                free = week.free()
                if todo <= free:
                    take = todo
                elif whole <= day_minutes:  # fits in a day, not in what is left of today
                    take = 0
                else:  # a long topic: a piece, leaving no crumb behind it
                    take = min(free, todo - shortest)
                    if take < shortest:
                        take = 0
                if take == 0:
                    week.next_day()
                    continue
                blocks.append(StudyBlock(week.day, take / 60))
                week.spend(take)
                todo -= take
            domain_id = domain_at[node]
            reason = cast(Why, why[node])  # set for every planned node
            items.append(PlanItem(topic_id, domain_id, whole / 60, reason, tuple(blocks)))
            if domain_id not in closes:
                closing = ctx.closing(domain_id) if domain_id in scope else None
                closes[domain_id] = closing or None
            closing = closes[domain_id]
            if closing is None or topic_id in closing:
                finish[domain_id] = week.day
    except OverflowError:
        raise InvalidValue(
            "this plan would run past the year 9999; raise the weekly hours"
        ) from None
    targets = tuple(d for d, closing in closes.items() if closing is not None)
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
    early), and never over a whole day.
    """

    def __init__(self, settings: PlanSettings) -> None:
        self.days = set(settings.study_days)
        self.week_minutes = math.floor(settings.weekly_hours * 60 + 1e-6)
        if self.week_minutes < 1:
            raise InvalidValue("the weekly hours must come to at least a minute")
        self.shortest = max(1, min(settings.min_session_minutes, self.week_minutes // 2))
        even = self.week_minutes // len(self.days)
        self.day_minutes = min(_DAY, max(even, 2 * self.shortest))
        self.day = date.min
        self.day_left = self.week_left = 0

    def begin(self, start: date, used_minutes: int = 0) -> None:
        """Start on ``start``'s first study day; ``used_minutes`` of its week are gone."""
        day = start
        while day.weekday() not in self.days:
            day += timedelta(days=1)
        self.day = day
        self.day_left = self.day_minutes
        self.week_left = max(0, self.week_minutes - used_minutes)
        if day - timedelta(days=day.weekday()) != start - timedelta(days=start.weekday()):
            self.week_left = self.week_minutes  # the first study day is in the next week

    def free(self) -> int:
        return min(self.day_left, self.week_left)

    def spend(self, minutes: int) -> None:
        self.day_left -= minutes
        self.week_left -= minutes

    def next_day(self) -> None:
        day = _next_study_day(self.day, self.days)
        if day - timedelta(days=day.weekday()) != self.day - timedelta(days=self.day.weekday()):
            self.week_left = self.week_minutes
        self.day = day
        self.day_left = self.day_minutes


def _explain(
    ctx: _Planning, plan: Plan, why: list[Why | None], needs: list[Sequence[int]]
) -> Plan:
    """Name, for each pulled-in topic, the first planned topic that needs it directly.

    Walks the plan in order and gives each of a topic's direct needs (its
    ``requires``, its domain's prerequisite domains' closing topics, the maths
    its domain lacks) the first topic to claim it: the reason the learner
    studies it now. A domain's own needs are the same for all its topics, so
    they are claimed once per domain and the walk stays linear.
    """
    index = ctx.index
    claimed: dict[str, str] = {}
    domains_seen: set[str] = set()
    gates_seen: set[Gate] = set()

    def claim(topic_id: str, by: str) -> None:
        if topic_id not in claimed and why[index[topic_id]] not in (None, "gap"):
            claimed[topic_id] = by

    for item in plan.items:
        for pred in needs[index[item.topic]]:
            claim(ctx.names[pred], item.topic)
        if item.domain in domains_seen:
            continue
        domains_seen.add(item.domain)
        for required_domain in ctx.catalog.domain_by_id[item.domain].required_domains:
            for closing in ctx.standing(required_domain).closing_topics:
                claim(closing, item.topic)
        gate = ctx.math_gate(item.domain)
        if gate is not None and gate not in gates_seen:
            gates_seen.add(gate)
            for math_topic in ctx.gate_topics(gate):
                claim(math_topic, item.topic)
    if not claimed:
        return plan
    items = tuple(
        replace(i, needed_by=claimed[i.topic]) if i.topic in claimed else i for i in plan.items
    )
    return replace(plan, items=items)


def _next_study_day(day: date, days: set[int]) -> date:
    day += timedelta(days=1)
    while day.weekday() not in days:
        day += timedelta(days=1)
    return day
