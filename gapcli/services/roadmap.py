"""``gapcli roadmap``: one domain's topics as a checklist, or a track's domains, read-only.

Like roadmap.sh's page for one roadmap: each topic in teaching order with where
the learner stands on it. The statuses come from the same counting as ``gaps``
(:func:`covered_hours`, :func:`domain_standing`) and the dates from the same
plan as ``plan`` (:func:`plan_for` from today), so the three never disagree.
"""

from __future__ import annotations

from datetime import date

from gapcli.domain.catalog import Catalog, Domain, Track
from gapcli.domain.counting import EPS, Standing, covered_hours, domain_standing
from gapcli.domain.matching import resolve, resolve_domain
from gapcli.domain.planner import Plan
from gapcli.domain.reasons import Why
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.views.roadmap import DomainRoadmap, TopicRow, TopicStatus, TrackRoadmap
from gapcli.views.snapshot import Snapshot


def first_days(plan: Plan) -> dict[str, date]:
    """Each planned topic's first day of new study (a finished topic's review is not
    its plan: the roadmap said "done, planned from" the review's day)."""
    days: dict[str, date] = {}
    for item in plan.items:
        if item.why is Why.REVIEW:
            continue
        for block in item.sessions:
            if item.topic not in days or block.day < days[item.topic]:
                days[item.topic] = block.day
    return days


def _status(
    snap: Snapshot, standing: Standing, topic_id: str, hours: float, covered: float, planned: bool
) -> TopicStatus:
    state = snap.state
    if topic_id in state.done and topic_id not in state.todo:
        return TopicStatus.DONE
    if covered >= hours - EPS:
        return TopicStatus.KNOWN
    if covered > EPS:
        return TopicStatus.IN_PROGRESS
    if topic_id in state.todo:
        return TopicStatus.TODO
    if planned:
        return TopicStatus.PLANNED
    if topic_id in standing.closing_topics:
        return TopicStatus.TO_STUDY
    return TopicStatus.NOT_NEEDED


def _domain(
    snap: Snapshot,
    domain: Domain,
    covered: dict[str, float],
    days: dict[str, date],
    track: Track,
) -> DomainRoadmap:
    standing = domain_standing(snap.catalog, snap.state, covered, domain)
    rows = tuple(
        TopicRow(
            topic_id=t.id,
            name=t.name,
            hours=t.hours,
            covered=covered[t.id],
            status=_status(snap, standing, t.id, t.hours, covered[t.id], t.id in days),
            planned=days.get(t.id),
        )
        for t in domain.topics
    )
    return DomainRoadmap(domain.id, domain.name, standing, domain.id in track.domains, rows)


def _parts(snap: Snapshot, today: date) -> tuple[dict[str, float], dict[str, date], Track]:
    covered = covered_hours(snap.catalog, snap.state)
    plan = plan_for(snap, PlanRequest(start=today, today=today))
    return covered, first_days(plan), snap.catalog.track(snap.settings.track)


def domain_roadmap(ws: Workspace, domain_text: str, today: date) -> DomainRoadmap:
    """One domain (id or name, as ``assess`` takes it) topic by topic."""
    snap = snapshot(ws)
    domain = snap.catalog.domain_by_id[resolve_domain(snap.catalog, domain_text)]
    covered, days, track = _parts(snap, today)
    return _domain(snap, domain, covered, days, track)


def resolve_track(catalog: Catalog, text: str) -> Track:
    """A track by id or name; "all" is every domain unless a track has that id."""
    if text.strip().casefold() == "all" and "all" not in catalog.track_by_id:
        return catalog.track("all")
    return catalog.track_by_id[resolve(text, {t.id: t.name for t in catalog.tracks}, "track")]


def track_roadmap(ws: Workspace, track_text: str | None, today: date) -> TrackRoadmap:
    """Each domain of a track (default: the learner's) with its standing and status counts."""
    snap = snapshot(ws)
    catalog = snap.catalog
    if track_text is None:
        chosen = catalog.track(snap.settings.track)
    else:
        chosen = resolve_track(catalog, track_text)
    covered, days, own = _parts(snap, today)
    rows = tuple(
        _domain(snap, catalog.domain_by_id[d], covered, days, own) for d in chosen.domains
    )
    return TrackRoadmap(chosen.id, chosen.name, rows)
