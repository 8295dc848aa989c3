"""The team view: many learners' standings, aggregated by domain and topic id. Pure.

A team's members may use different catalogs (a bootcamp's own and the built-in
one, or two versions of one). Domains and topics are therefore matched by id,
never by name or position: a member counts in a domain only when their own
catalog has it (and it is in their scope, below), and a domain is named as the
first member (by name) whose catalog has it names it.

A member's *scope* is what ``gaps`` shows them: their track's domains, each
counted as the gap report counts it (one not yet assessed from 0 % up to its
default target), and the domains they assessed off the track. A learner on a
web track is not counted as a learner of machine learning with a 100 h gap.

The inputs are plain values (:class:`MemberStanding`, :class:`MemberSeries`)
so that the service only reads each profile's catalog and rows; the builders
:func:`member_standing` and :func:`member_series` turn the values the
single-learner commands already compute into them.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import (
    EPS,
    covered_hours,
    domain_standing,
    known_topics,
    off_track_domains,
)
from gapcli.domain.learner import LearnerState

BUS_FACTOR = 2  # a domain or topic fewer than this many learners hold is at risk

# --- inputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicRef:
    """A topic of a member's catalog: its id (the key) and its name there."""

    id: str
    name: str


@dataclass(frozen=True)
class MemberDomain:
    """One domain of one member, as their ``gaps`` counts it."""

    domain_id: str
    name: str  # as the member's catalog names it
    current: float  # %
    target: int  # %
    gap_hours: float  # hours to close (0 when nothing is left to study)
    at_target: bool  # current reaches the target
    assessed: bool = True  # False: never assessed, counted from 0 % as ``gaps`` does
    topics: tuple[TopicRef, ...] = ()  # the domain's topics in teaching order


@dataclass(frozen=True)
class MemberStanding:
    """One learner's domains (their scope) and every topic they know."""

    name: str
    domains: tuple[MemberDomain, ...]
    known_topics: frozenset[str] = frozenset()
    catalog: str = ""  # the member's catalog id, to tell the reader when they differ


@dataclass(frozen=True)
class MemberSeries:
    """One learner's hours left to close their gaps on each of some days, by day."""

    name: str
    points: tuple[tuple[date, float], ...]


def topic_refs(catalog: Catalog) -> dict[str, tuple[TopicRef, ...]]:
    """Each domain's topics as :class:`TopicRef` values: build once per catalog, share."""
    return {d.id: tuple(TopicRef(t.id, t.name) for t in d.topics) for d in catalog.domains}


def member_standing(
    name: str,
    catalog: Catalog,
    state: LearnerState,
    track_id: str,
    refs: Mapping[str, tuple[TopicRef, ...]] | None = None,
) -> MemberStanding:
    """A learner's standing from what ``gaps`` reads: their catalog, state and track.

    The domains are the track's (a track the catalog lacks counts as none) then
    the assessed ones off it; the known topics are those covered in full (by %,
    a done mark, time logged or a math level), as the planner counts them.
    ``refs`` (:func:`topic_refs` of the same catalog) saves rebuilding the
    topics for each of thousands of members on one catalog.
    """
    covered = covered_hours(catalog, state)
    known = known_topics(catalog, covered)
    try:
        on_track = [d for d in catalog.track(track_id).domains if d in catalog.domain_by_id]
        off = off_track_domains(catalog, state, track_id)
    except KeyError:  # a track the catalog lacks: every assessed domain is off it
        on_track, off = [], [d.id for d in catalog.domains if d.id in state.assessments]
    scope = list(dict.fromkeys([*on_track, *off]))
    refs = topic_refs(catalog) if refs is None else refs
    rows = []
    for domain_id in scope:
        domain = catalog.domain_by_id[domain_id]
        s = domain_standing(catalog, state, covered, domain)
        rows.append(
            MemberDomain(
                domain_id=domain_id,
                name=domain.name,
                current=s.current,
                target=s.target,
                gap_hours=s.hours_to_close if s.open else 0.0,
                at_target=s.gap <= 0,
                assessed=s.assessed is not None,
                topics=refs[domain_id],
            )
        )
    return MemberStanding(name, tuple(rows), known, catalog.id)


def member_series(name: str, points: Iterable[tuple[date, float]]) -> MemberSeries:
    """A learner's hours left (``services.hours_left.hours_left`` gives them), by day."""
    return MemberSeries(name, tuple(sorted(points, key=lambda p: p[0])))


# --- outputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainRef:
    id: str
    name: str


@dataclass(frozen=True)
class TeamGap:
    """One domain across the team: who has it, where they stand, what closing it takes."""

    domain_id: str
    name: str
    learners: int  # members who have the domain (in their catalog and scope)
    assessed: int  # of them, those who assessed it
    mean_current: float
    median_current: float
    total_gap_hours: float
    at_target: int  # of the learners, those at their target
    without: int  # members who do not have it (another catalog, or off their track)


@dataclass(frozen=True)
class MatrixCell:
    current: float
    target: int
    at_target: bool


@dataclass(frozen=True)
class MatrixRow:
    name: str
    cells: tuple[MatrixCell | None, ...]  # one per matrix domain; None: not theirs


@dataclass(frozen=True)
class TeamMatrix:
    domains: tuple[DomainRef, ...]
    rows: tuple[MatrixRow, ...]  # by learner name


class HoldKind(StrEnum):
    DOMAIN = "domain"  # held by a learner at their target in it
    TOPIC = "topic"  # held by a learner who knows it


@dataclass(frozen=True)
class Holding:
    """A domain or topic fewer than :data:`BUS_FACTOR` learners hold, and who does."""

    kind: HoldKind
    id: str
    name: str
    domain_id: str  # a topic's domain; a domain's own id
    learners: int  # members who have it in scope
    holders: tuple[str, ...]  # by name: who could mentor the others


@dataclass(frozen=True)
class TeamCoverage:
    domains: tuple[Holding, ...]  # fewest holders first, then in domain order
    topics: tuple[Holding, ...]  # fewest holders first, then domain and teaching order
    minimum: int = BUS_FACTOR


@dataclass(frozen=True)
class TrendPoint:
    """The team's hours left at the end of a month (the last point: the latest day)."""

    day: date
    hours: float
    members: int  # members counted: those whose first point is on or before ``day``


# --- computing ----------------------------------------------------------------------


def by_name(members: Iterable[MemberStanding]) -> list[MemberStanding]:
    """Members in name order (a stable sort: equal names keep the order given)."""
    return sorted(members, key=lambda m: m.name)


def domain_order(members: Iterable[MemberStanding]) -> tuple[DomainRef, ...]:
    """Every domain any member has, in order of first appearance by member name.

    A team on one catalog and track sees its track's order; a domain only some
    catalogs have comes after those already seen, named as the first member
    to have it names it.
    """
    seen: dict[str, str] = {}
    for member in by_name(members):
        for d in member.domains:
            seen.setdefault(d.domain_id, d.name)
    return tuple(DomainRef(i, n) for i, n in seen.items())


def _chosen(refs: Sequence[DomainRef], only: Collection[str] | None) -> list[DomainRef]:
    """The domains ``only`` names (a track's), in the team's order; None: all of them."""
    if only is None:
        return list(refs)
    keep = set(only)
    return [r for r in refs if r.id in keep]


def team_gaps(
    members: Sequence[MemberStanding], only: Collection[str] | None = None
) -> tuple[TeamGap, ...]:
    """Per domain: learners, mean and median current, total gap hours, learners at target.

    Largest total gap first; ties in the team's domain order. ``only`` keeps the
    domains a track names. Mean and median are over the learners who have the
    domain; a member without it is counted in ``without``, nowhere else.
    """
    refs = _chosen(domain_order(members), only)
    index = {r.id: n for n, r in enumerate(refs)}
    rows: dict[str, list[MemberDomain]] = {r.id: [] for r in refs}
    for member in members:
        for d in _unique(member.domains):
            if d.domain_id in rows:
                rows[d.domain_id].append(d)
    out = []
    for ref in refs:
        have = rows[ref.id]
        currents = [d.current for d in have]
        out.append(
            TeamGap(
                domain_id=ref.id,
                name=ref.name,
                learners=len(have),
                assessed=sum(1 for d in have if d.assessed),
                mean_current=statistics.fmean(currents),
                median_current=statistics.median(currents),
                total_gap_hours=sum(d.gap_hours for d in have),
                at_target=sum(1 for d in have if d.at_target),
                without=len(members) - len(have),
            )
        )
    out.sort(key=lambda g: (-round(g.total_gap_hours, 6), index[g.domain_id]))
    return tuple(out)


def _unique(domains: Iterable[MemberDomain]) -> list[MemberDomain]:
    """A member's domains, one per id (the first, should a caller repeat one)."""
    seen: dict[str, MemberDomain] = {}
    for d in domains:
        seen.setdefault(d.domain_id, d)
    return list(seen.values())


def team_matrix(
    members: Sequence[MemberStanding], only: Collection[str] | None = None
) -> TeamMatrix:
    """Learners (by name) × domains (the team's order): each cell current and target."""
    refs = tuple(_chosen(domain_order(members), only))
    rows = []
    for member in by_name(members):
        mine = {d.domain_id: d for d in reversed(member.domains)}  # the first one wins
        cells = tuple(
            MatrixCell(d.current, d.target, d.at_target) if (d := mine.get(r.id)) else None
            for r in refs
        )
        rows.append(MatrixRow(member.name, cells))
    return TeamMatrix(refs, tuple(rows))


def team_coverage(
    members: Sequence[MemberStanding],
    only: Collection[str] | None = None,
    minimum: int = BUS_FACTOR,
) -> TeamCoverage:
    """The domains and topics fewer than ``minimum`` learners hold, with who holds them.

    A domain is held by a learner at their target in it; a topic by a learner
    who knows it (wherever it sits in their own scope or catalog: they can
    still mentor it). The topics looked at are those of the domains kept, as
    the first member to have each domain lists them; a topic two domains
    list counts under the first.
    """
    ordered = by_name(members)
    refs = _chosen(domain_order(ordered), only)
    kept = {r.id for r in refs}
    learners: dict[str, int] = dict.fromkeys(kept, 0)
    holders: dict[str, list[str]] = {r.id: [] for r in refs}
    topics: dict[str, tuple[TopicRef, str]] = {}  # topic id: (ref, domain id)
    topic_learners: dict[str, int] = {}
    for member in ordered:
        counted: set[str] = set()
        for d in _unique(member.domains):
            if d.domain_id not in kept:
                continue
            learners[d.domain_id] += 1
            if d.at_target:
                holders[d.domain_id].append(member.name)
            for t in d.topics:
                topics.setdefault(t.id, (t, d.domain_id))
                if t.id not in counted:
                    counted.add(t.id)
                    topic_learners[t.id] = topic_learners.get(t.id, 0) + 1
    index = {r.id: n for n, r in enumerate(refs)}
    domains = [
        Holding(HoldKind.DOMAIN, r.id, r.name, r.id, learners[r.id], tuple(holders[r.id]))
        for r in refs
        if len(holders[r.id]) < minimum
    ]
    domains.sort(key=lambda h: (len(h.holders), index[h.id]))
    topic_rows = []
    for n, (topic_id, (ref, domain_id)) in enumerate(topics.items()):
        who = tuple(m.name for m in ordered if topic_id in m.known_topics)
        if len(who) < minimum:
            row = Holding(
                HoldKind.TOPIC, topic_id, ref.name, domain_id, topic_learners[topic_id], who
            )
            topic_rows.append((len(who), index[domain_id], n, row))
    topic_rows.sort(key=lambda r: r[:3])
    return TeamCoverage(tuple(domains), tuple(r[3] for r in topic_rows), minimum)


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from ``first``'s up to before ``last``, then ``last``.

    The shape :func:`team_trend` snapshots at: a replay asked for only these
    days (``replay_hours``) costs one count a month instead of one a week.
    """
    ends: list[date] = []
    month = date(first.year, first.month, 1)
    while True:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end >= last:
            break
        ends.append(end)
        month = following
    return [*ends, last] if last >= first else ends


def team_trend(series: Sequence[MemberSeries]) -> tuple[TrendPoint, ...]:
    """The team's total hours left at each month's end, and on the latest day of all.

    A member counts from their first point on (before it they were not on the
    team, or not assessed: their line would start at a mountain they never
    stood before), with their latest point on or before each day. The months run
    from the earliest first point to the latest last point of any member.
    """
    lines = [sorted(s.points, key=lambda p: p[0]) for s in series if s.points]
    if not lines:
        return ()
    first = min(line[0][0] for line in lines)
    last = max(line[-1][0] for line in lines)
    out = []
    cursors = [0] * len(lines)
    for day in month_ends(first, last):
        hours = 0.0
        members = 0
        for n, line in enumerate(lines):
            i = cursors[n]
            while i + 1 < len(line) and line[i + 1][0] <= day:
                i += 1
            cursors[n] = i
            if line[i][0] <= day:
                hours += line[i][1]
                members += 1
        out.append(TrendPoint(day, 0.0 if abs(hours) < EPS else hours, members))
    return tuple(out)


def catalogs_of(members: Iterable[MemberStanding]) -> tuple[str, ...]:
    """The distinct catalogs the members use, sorted: more than one, and the view says so."""
    return tuple(sorted({m.catalog for m in members if m.catalog}))
