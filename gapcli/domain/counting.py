"""How gapcli counts: percentages, topics and hours in one language.

A domain's topics split its 100 % by their hours, in teaching order, so each
topic owns an interval of the domain's percentage scale. A learner at 80 %
covers the interval [0, 80]; a finished topic covers its whole interval; time
logged on a topic covers that many of its hours (never more than it has).
The domain's current % is the covered share; the gap is what lies between it
and the target; closing it takes the next uncovered topics in teaching order.

A topic marked "not done yet" (``LearnerState.todo``) is the exception: the
learner's % is still that many of the domain's hours, but they are spent on
the domain's *other* topics in teaching order, and the to-do topic counts only
the time logged on it. If the other topics cannot absorb the whole %, the
leftover covers nothing (the learner said what they have not done; the %
cannot be put anywhere else). Closing a domain's gap always takes its
uncovered to-do topics, even once the target is reached. A to-do topic
finished after the domain's newest assessment stays set aside: the % still
covers the other topics and the finished topic adds its whole hours (laid
over all topics again, the % would swallow it and finishing it would add
nothing). The next assessment of the domain ends that: it is given knowing
the topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from gapcli.domain.catalog import Catalog, Domain
from gapcli.domain.learner import LearnerState

EPS = 1e-9
DEFAULT_TARGET = 100


class Span(NamedTuple):
    topic_id: str
    hours: float
    start: float  # percent of the domain where the topic starts
    end: float


# Each domain's spans, by the domain object's id (the domain kept beside them, so a
# recycled id is never mistaken for it): a team counts thousands of learners over one
# catalog, and laying the same spans out again for each was a fifth of ``team gaps``.
_SPANS: dict[int, tuple[Domain, tuple[Span, ...]]] = {}


def spans(domain: Domain) -> tuple[Span, ...]:
    """The domain's topics laid end to end in teaching order, in % of the domain."""
    cached = _SPANS.get(id(domain))
    if cached is not None and cached[0] is domain:
        return cached[1]
    laid = tuple(_lay_out(domain))
    _SPANS[id(domain)] = (domain, laid)
    return laid


def _lay_out(domain: Domain) -> list[Span]:
    total = domain.hours
    out: list[Span] = []
    cursor = 0.0
    for topic in domain.topics:
        share = topic.hours / total * 100
        out.append(Span(topic.id, topic.hours, cursor, min(100.0, cursor + share)))
        cursor += share
    return out


def level_topics(catalog: Catalog, level_id: str | None) -> set[str]:
    """Topics of ``level_id`` and every lower level."""
    if level_id is None or level_id not in catalog.level_rank:
        return set()
    rank = catalog.level_rank[level_id]
    return {t for m in catalog.math_levels[: rank + 1] for t in m.topics}


def covered_hours(
    catalog: Catalog, state: LearnerState, domains: Iterable[Domain] | None = None
) -> dict[str, float]:
    """Hours of each topic the learner already covers (0 .. topic hours).

    ``domains`` limits the work to their topics: replaying two years of history
    day by day needs only the domains each day touched.
    """
    marked = state.done | level_topics(catalog, state.math_level)
    todo = state.todo
    aside = set_aside(catalog, state)
    with_todo: set[str] = set()
    if todo:  # a to-do topic is not known, whatever a level or an old mark says
        marked = marked - todo
    if todo or aside:
        of_topic = catalog.domain_of_topic
        with_todo = {of_topic[t] for t in todo | aside if t in of_topic}
    covered: dict[str, float] = {}
    # A domain never assessed, with no topic marked or logged, covers nothing: no need
    # to lay its spans out (most of a catalog, for most learners of a team).
    touched: set[str | None] | None = None  # only needed once an unassessed domain comes
    for domain in catalog.domains if domains is None else domains:
        assessed = state.assessments.get(domain.id)
        if assessed is None and domain.id not in with_todo:
            if touched is None:
                of_topic = catalog.domain_of_topic
                touched = {of_topic.get(t) for t in marked}
                touched |= {of_topic.get(t) for t in state.logged_minutes}
            if domain.id not in touched:
                covered.update(dict.fromkeys((t.id for t in domain.topics), 0.0))
                continue
        current = assessed.current if assessed else 0
        if domain.id in with_todo:
            covered |= _covered_around_todo(domain, current, state, marked, aside)
            continue
        total = domain.hours
        for span in spans(domain):
            if span.topic_id in marked:
                covered[span.topic_id] = span.hours
                continue
            overlap = max(0.0, min(span.end, current) - span.start) / 100 * total
            logged = state.logged_minutes.get(span.topic_id, 0) / 60
            covered[span.topic_id] = _snap(min(span.hours, overlap + logged), span.hours)
    return covered


def set_aside(catalog: Catalog, state: LearnerState) -> set[str]:
    """Finished topics that were still to-do after their domain's newest assessment."""
    out: set[str] = set()
    for topic_id, ended in state.todo_ended.items():
        domain_id = catalog.domain_of_topic.get(topic_id)
        assessed = state.assessments.get(domain_id) if domain_id else None
        if assessed is None or topic_id not in state.done:
            continue  # unassessed: no % to set it aside from
        if assessed.at is None or ended >= assessed.at:
            out.add(topic_id)
    return out


def _covered_around_todo(
    domain: Domain,
    current: float,
    state: LearnerState,
    marked: AbstractSet[str],
    aside: AbstractSet[str],
) -> dict[str, float]:
    """A domain with to-do topics: its % in hours, laid over the other topics only.

    The other topics sit end to end in teaching order (a marked one keeps its
    place, as in :func:`spans`) and the first ``current`` % of the domain's
    hours covers them from the start; hours the other topics cannot hold are
    left uncovered. A to-do topic counts only the time logged on it; one set
    aside (:func:`set_aside`) counts whole, outside the %.
    """
    budget = current / 100 * domain.hours
    cursor = 0.0
    out: dict[str, float] = {}
    for topic in domain.topics:
        logged = state.logged_minutes.get(topic.id, 0) / 60
        if topic.id in state.todo:
            out[topic.id] = _snap(min(topic.hours, logged), topic.hours)
            continue
        if topic.id in aside:
            out[topic.id] = topic.hours
            continue
        start, cursor = cursor, cursor + topic.hours
        if topic.id in marked:
            out[topic.id] = topic.hours
            continue
        overlap = max(0.0, min(cursor, budget) - start)
        out[topic.id] = _snap(min(topic.hours, overlap + logged), topic.hours)
    return out


def _snap(value: float, hours: float) -> float:
    """Round float noise away: within EPS of 0 or of the whole topic counts as exactly that.

    Percent-to-hours round trips are inexact: 62 % of topics of 15.5, 12.5, 7 and
    3.5 h summed back to 61.99999999999999 %, a gap with no hours to close it.
    """
    if value >= hours - EPS:
        return hours
    if value <= EPS:
        return 0.0
    return value


def known_topics(catalog: Catalog, covered: dict[str, float]) -> frozenset[str]:
    return frozenset(
        tid for tid, hours in covered.items() if hours >= catalog.topic_by_id[tid].hours
    )


def math_level(catalog: Catalog, known: frozenset[str]) -> str | None:
    """The highest level whose topics (and all lower levels' topics) are known."""
    reached: str | None = None
    for level in catalog.math_levels:
        if not set(level.topics) <= known:
            break
        reached = level.id
    return reached


def math_ok(catalog: Catalog, required: str | None, have: str | None) -> bool:
    if required is None or required not in catalog.level_rank:
        return True
    if have is None:
        return catalog.level_rank[required] == 0 and not catalog.math_levels[0].topics
    return catalog.level_rank[have] >= catalog.level_rank[required]


class Standing(NamedTuple):
    """One domain's position: covered share, target, gap and the topics that close it."""

    domain_id: str
    assessed: int | None
    current: float
    target: int
    gap: float
    closing_topics: tuple[str, ...]
    hours_to_close: float

    @property
    def open(self) -> bool:
        """Something to study: a gap, or to-do topics in a domain whose target is met."""
        return self.gap > 0 or bool(self.closing_topics)


def domain_current(covered: dict[str, float], domain: Domain) -> float:
    """The domain's % known, from each topic's covered hours (``covered_hours``)."""
    return min(100.0, sum(covered[t.id] for t in domain.topics) / domain.hours * 100)


def domain_standing(
    catalog: Catalog, state: LearnerState, covered: dict[str, float], domain: Domain
) -> Standing:
    assessed = state.assessments.get(domain.id)
    target = (
        assessed.target
        if assessed
        else (domain.target if domain.target is not None else DEFAULT_TARGET)
    )
    current = domain_current(covered, domain)
    gap = target - current
    if gap <= EPS:  # met, or float noise of a met target: no gap and no hours to close
        gap = 0.0
    closing = closing_topics(domain, covered, target) if gap > 0 else ()
    if state.todo:
        closing = _with_todo(domain, state.todo, covered, closing)
    return Standing(
        domain_id=domain.id,
        assessed=assessed.current if assessed else None,
        current=current,
        target=target,
        gap=gap,
        closing_topics=closing,
        hours_to_close=sum(domain_topic_hours(domain, closing, covered)),
    )


def closing_topics(domain: Domain, covered: dict[str, float], to: float) -> tuple[str, ...]:
    """The next uncovered topics, in teaching order, that bring the domain to ``to`` %.

    A domain's gap closes with them; a domain another one needs up to a
    percentage (``requires: [{domain: D, to: 60}]``) is studied that far.
    """
    total = domain.hours
    reached = min(100.0, sum(covered[t.id] for t in domain.topics) / total * 100)
    closing: list[str] = []
    if reached >= to - EPS:
        return ()
    for topic in domain.topics:
        remaining = topic.hours - covered[topic.id]
        if remaining <= 0:
            continue
        closing.append(topic.id)
        reached += remaining / total * 100
        if reached >= to - EPS:
            break
    return tuple(closing)


def domain_topic_hours(
    domain: Domain, topic_ids: Iterable[str], covered: dict[str, float]
) -> list[float]:
    """The hours still to study on each of ``topic_ids`` (topics of ``domain``)."""
    hours = {t.id: t.hours for t in domain.topics}
    return [hours[t] - covered[t] for t in topic_ids]


def _with_todo(
    domain: Domain,
    todo: frozenset[str],
    covered: dict[str, float],
    closing: tuple[str, ...],
) -> tuple[str, ...]:
    """``closing`` with the domain's uncovered to-do topics added, in teaching order.

    The learner named them as not done: they are studied even when the target
    is reached without them (a to-do topic beyond the point where it is reached,
    or in a domain whose target is met).
    """
    chosen = set(closing)
    extra = [
        t for t in domain.topics if t.id in todo and t.id not in chosen and covered[t.id] < t.hours
    ]
    if not extra:
        return closing
    chosen |= {t.id for t in extra}
    return tuple(t.id for t in domain.topics if t.id in chosen)


class GapRow(NamedTuple):
    standing: Standing
    math_required: str | None
    math_ok: bool


class Unblock(NamedTuple):
    level: str
    domains: tuple[str, ...]
    gap: float
    hours: float


class GapReport(NamedTuple):
    """The track's gaps, and apart from them the gaps of assessed domains off the track.

    ``rows``, ``total_hours`` and ``unblock`` cover the track's domains only: the
    domains the plan closes, so the report's total is the one the plan works to.
    ``off_track`` rows are shown apart, labelled, and counted in nothing.
    """

    math_level: str | None
    rows: tuple[GapRow, ...]
    total_hours: float
    unblock: Unblock | None
    off_track: tuple[GapRow, ...] = ()


def off_track_domains(catalog: Catalog, state: LearnerState, track_id: str) -> list[str]:
    """Assessed domains outside the track, in catalog order.

    What the learner knows there still counts (as known topics, prerequisites
    and maths), but their gaps are neither in the gap report's total nor planned.
    """
    on_track = set(catalog.track(track_id).domains)
    return [d.id for d in catalog.domains if d.id in state.assessments and d.id not in on_track]


def gap_report(
    catalog: Catalog, state: LearnerState, track_id: str, *, include_closed: bool = False
) -> GapReport:
    covered = covered_hours(catalog, state)
    known = known_topics(catalog, covered)
    level = math_level(catalog, known)

    def rows_of(domain_ids: Iterable[str]) -> list[GapRow]:
        rows: list[GapRow] = []
        for domain_id in domain_ids:
            domain = catalog.domain_by_id[domain_id]
            standing = domain_standing(catalog, state, covered, domain)
            rows.append(GapRow(standing, domain.math, math_ok(catalog, domain.math, level)))
        order = {row.standing.domain_id: i for i, row in enumerate(rows)}
        rows.sort(key=lambda r: (-round(r.standing.gap, 6), order[r.standing.domain_id]))
        return rows if include_closed else [r for r in rows if r.standing.open]

    track = list(dict.fromkeys(catalog.track(track_id).domains))
    rows = rows_of(track)
    open_rows = [r for r in rows if r.standing.open]
    return GapReport(
        math_level=level,
        rows=tuple(rows),
        total_hours=sum(r.standing.hours_to_close for r in open_rows),
        unblock=best_unblock(catalog, open_rows, level, covered),
        off_track=tuple(rows_of(off_track_domains(catalog, state, track_id))),
    )


def best_unblock(
    catalog: Catalog, rows: list[GapRow], have: str | None, covered: dict[str, float]
) -> Unblock | None:
    """The math level that unblocks the most gap per hour of math it takes.

    A higher level always unblocks at least as much as a lower one, so the raw
    amount would always name the top level; per hour it names the best next step.
    """
    blocked = [r for r in rows if not r.math_ok]
    best: Unblock | None = None
    for level in catalog.math_levels:
        if math_ok(catalog, level.id, have) and have is not None:
            continue
        freed = [r for r in blocked if math_ok(catalog, r.math_required, level.id)]
        if not freed:
            continue
        gap = sum(r.standing.gap for r in freed)
        hours = sum(
            catalog.topic_by_id[t].hours - covered[t] for t in level_topics(catalog, level.id)
        )
        candidate = Unblock(level.id, tuple(r.standing.domain_id for r in freed), gap, hours)
        if best is None or _yield(candidate) > _yield(best) + EPS:
            best = candidate
    return best


def _yield(unblock: Unblock) -> float:
    return unblock.gap / max(unblock.hours, EPS)
