"""The team view's arithmetic (gapcli.domain.team): invariants over any team, and corners.

Members are plain values, so hypothesis builds teams of any shape: several
catalogs (domains some members lack), members with no domains, equal names,
ties. The builder from a real catalog is checked against ``gaps`` itself.
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import gap_report
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.domain.team import (
    HoldKind,
    MemberDomain,
    MemberSeries,
    MemberStanding,
    TopicRef,
    domain_order,
    member_series,
    member_standing,
    month_ends,
    team_coverage,
    team_gaps,
    team_matrix,
    team_trend,
)
from gapcli.services.catalogs import load_catalog
from gapcli.views.team import gaps_view, report_view, trend_view

DOMAINS = ("py", "sql", "ml", "web", "ops")
TOPICS = {d: tuple(f"{d}-{n}" for n in range(3)) for d in DOMAINS}
ALL_TOPICS = tuple(t for ts in TOPICS.values() for t in ts)


@st.composite
def member_domains(draw: st.DrawFn) -> tuple[MemberDomain, ...]:
    ids = draw(st.lists(st.sampled_from(DOMAINS), unique=True, max_size=len(DOMAINS)))
    out = []
    for d in ids:
        target = draw(st.integers(0, 100))
        current = draw(st.floats(0, 100, allow_nan=False))
        at = current >= target
        gap = 0.0 if at else draw(st.floats(0.1, 500, allow_nan=False))
        out.append(
            MemberDomain(
                domain_id=d,
                name=draw(st.sampled_from([d.upper(), f"{d} (other catalog)"])),
                current=current,
                target=target,
                gap_hours=gap,
                at_target=at,
                assessed=draw(st.booleans()),
                topics=tuple(TopicRef(t, t.title()) for t in TOPICS[d]),
            )
        )
    return tuple(out)


members_st = st.lists(
    st.builds(
        MemberStanding,
        name=st.sampled_from(["ana", "bo", "cy", "dee", "Ève", "zed"]),
        domains=member_domains(),
        known_topics=st.frozensets(st.sampled_from(ALL_TOPICS)),
        catalog=st.sampled_from(["builtin", "bootcamp"]),
    ),
    max_size=7,
)
track_st = st.none() | st.frozensets(st.sampled_from(DOMAINS))


@settings(max_examples=300, deadline=None)
@given(members_st, track_st)
def test_team_gaps_add_up(members: list[MemberStanding], only: frozenset[str] | None) -> None:
    rows = team_gaps(members, only)
    having = {d.domain_id for m in members for d in m.domains}
    assert len({r.domain_id for r in rows}) == len(rows)
    assert {r.domain_id for r in rows} == (having if only is None else having & only)
    for r in rows:
        mine = [d for m in members for d in m.domains if d.domain_id == r.domain_id]
        assert r.learners == len(mine) >= 1
        assert r.learners + r.without == len(members)
        assert r.total_gap_hours == pytest.approx(sum(d.gap_hours for d in mine))
        assert 0 <= r.at_target <= r.learners
        assert 0 <= r.assessed <= r.learners
        currents = [d.current for d in mine]
        assert min(currents) - 1e-9 <= r.median_current <= max(currents) + 1e-9
        assert min(currents) - 1e-9 <= r.mean_current <= max(currents) + 1e-9
        assert r.median_current == pytest.approx(statistics.median(currents))
    hours = [round(r.total_gap_hours, 6) for r in rows]
    assert hours == sorted(hours, reverse=True)  # largest first
    if only is None:  # the team total is the sum of every member's gaps
        total = sum(r.total_gap_hours for r in rows)
        assert total == pytest.approx(sum(d.gap_hours for m in members for d in m.domains))


@settings(max_examples=200, deadline=None)
@given(members_st, track_st)
def test_matrix_is_every_learner_by_every_domain(
    members: list[MemberStanding], only: frozenset[str] | None
) -> None:
    matrix = team_matrix(members, only)
    assert [r.name for r in matrix.rows] == sorted(m.name for m in members)
    assert [d.id for d in matrix.domains] == [
        d.id for d in domain_order(members) if only is None or d.id in only
    ]
    for row, member in zip(matrix.rows, sorted(members, key=lambda m: m.name), strict=True):
        mine = {d.domain_id: d for d in member.domains}
        for ref, cell in zip(matrix.domains, row.cells, strict=True):
            if ref.id not in mine:
                assert cell is None
            else:
                assert cell is not None
                assert (cell.current, cell.target) == (mine[ref.id].current, mine[ref.id].target)


@settings(max_examples=300, deadline=None)
@given(members_st, track_st, st.integers(1, 4))
def test_coverage_lists_exactly_what_too_few_hold(
    members: list[MemberStanding], only: frozenset[str] | None, minimum: int
) -> None:
    coverage = team_coverage(members, only, minimum)
    kept = {d.domain_id for m in members for d in m.domains}
    kept = kept if only is None else kept & only
    holders = {
        d: sorted(m.name for m in members for x in m.domains if x.domain_id == d and x.at_target)
        for d in kept
    }
    assert {h.id for h in coverage.domains} == {
        d for d, who in holders.items() if len(who) < minimum
    }
    for h in coverage.domains:
        assert h.kind is HoldKind.DOMAIN
        assert sorted(h.holders) == holders[h.id]
    universe = {t for d in kept for t in TOPICS[d]}
    knowers = {t: sorted(m.name for m in members if t in m.known_topics) for t in universe}
    assert {h.id for h in coverage.topics} == {
        t for t, who in knowers.items() if len(who) < minimum
    }
    for h in coverage.topics:
        assert h.kind is HoldKind.TOPIC
        assert sorted(h.holders) == knowers[h.id]
        assert h.domain_id in kept
    counts = [len(h.holders) for h in coverage.topics]
    assert counts == sorted(counts)  # fewest holders first


@st.composite
def series_st(draw: st.DrawFn) -> MemberSeries:
    start = draw(st.dates(date(2025, 1, 1), date(2026, 11, 1)))
    steps = draw(st.lists(st.tuples(st.integers(1, 40), st.floats(0, 300)), max_size=12))
    points = [(start, draw(st.floats(0, 300)))]
    for days, hours in steps:
        points.append((points[-1][0] + timedelta(days=days), hours))
    return MemberSeries(draw(st.sampled_from(["ana", "bo", "cy"])), tuple(points))


@settings(max_examples=200, deadline=None)
@given(st.lists(series_st(), max_size=5), series_st())
def test_trend_only_grows_with_members(series: list[MemberSeries], extra: MemberSeries) -> None:
    """Adding a member never lowers a month's total nor its head count."""
    before = {p.day: p for p in team_trend(series)}
    after = {p.day: p for p in team_trend([*series, extra])}
    for day, p in before.items():
        if day in after:
            assert after[day].hours >= p.hours - 1e-9
            assert after[day].members >= p.members
    for p in after.values():
        assert 0 <= p.members <= len(series) + 1
        expected = 0.0
        for s in [*series, extra]:
            seen = [h for d, h in s.points if d <= p.day]
            expected += seen[-1] if seen else 0.0
        assert p.hours == pytest.approx(expected, abs=1e-9)  # a total within EPS of 0 is 0


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 900))
def test_month_ends_are_month_ends_then_the_last_day(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    ends = month_ends(first, last)
    assert ends[-1] == last
    assert ends == sorted(set(ends))
    for end in ends[:-1]:
        assert (end + timedelta(days=1)).day == 1
        assert first <= end < last


def test_empty_team() -> None:
    assert team_gaps([]) == ()
    assert team_matrix([]).rows == ()
    assert team_coverage([]).domains == team_coverage([]).topics == ()
    assert team_trend([]) == ()
    assert team_trend([MemberSeries("ana", ())]) == ()
    view = gaps_view([])
    assert view.scope.members == 0 and view.total_hours == 0


def test_ties_keep_the_team_order() -> None:
    """Equal totals: the domain seen first (by member name) comes first."""

    def dom(d: str) -> MemberDomain:
        return MemberDomain(d, d.upper(), 50.0, 80, 10.0, False)

    zed = MemberStanding("zed", (dom("b"), dom("a")))
    ana = MemberStanding("ana", (dom("c"), dom("b")))
    assert [r.domain_id for r in team_gaps([zed, ana])] == ["b", "c", "a"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None).catalog


TRACK = "ai-engineer"


def test_a_member_is_what_gaps_counts(catalog: Catalog) -> None:
    track = TRACK if TRACK in catalog.track_by_id else catalog.tracks[0].id
    state = LearnerState({catalog.domains[0].id: Assessed(60, 90)})
    member = member_standing("ana", catalog, state, track)
    report = gap_report(catalog, state, track, include_closed=True)
    expected = {r.standing.domain_id for r in report.rows + report.off_track}
    assert {d.domain_id for d in member.domains} == expected
    total = sum(d.gap_hours for d in member.domains if d.domain_id in catalog.track(track).domains)
    assert total == pytest.approx(report.total_hours)
    assert member.catalog == catalog.id
    # The team of one: every gap is theirs, every domain has at most one holder.
    rows = team_gaps([member])
    assert all(r.learners == 1 and r.without == 0 for r in rows)
    coverage = team_coverage([member])
    assert {h.id for h in coverage.domains} == {d.domain_id for d in member.domains}


def test_a_member_with_no_assessments_counts_from_zero(catalog: Catalog) -> None:
    track = catalog.tracks[0].id
    member = member_standing("new", catalog, LearnerState(), track)
    assert member.domains and all(not d.assessed for d in member.domains)
    assert all(d.current == 0 for d in member.domains)
    assert member.known_topics == frozenset()


def test_a_track_the_catalog_lacks_keeps_the_assessed_domains(catalog: Catalog) -> None:
    domain = catalog.domains[0].id
    state = LearnerState({domain: Assessed(100, 80)})
    member = member_standing("ana", catalog, state, "no-such-track")
    assert [d.domain_id for d in member.domains] == [domain]
    assert member.domains[0].at_target


def test_different_catalogs_are_matched_by_id() -> None:
    a = MemberStanding("ana", (MemberDomain("py", "Python", 90, 80, 0, True),), catalog="one")
    b = MemberStanding(
        "bo",
        (
            MemberDomain("py", "Python (v2)", 40, 80, 20, False),
            MemberDomain("rust", "Rust", 10, 50, 30, False),
        ),
        catalog="two",
    )
    rows = {r.domain_id: r for r in team_gaps([b, a])}
    assert rows["py"].name == "Python"  # named as the first member by name has it
    assert (rows["py"].learners, rows["rust"].learners, rows["rust"].without) == (2, 1, 1)
    view = report_view([a, b], [], date(2026, 11, 30))
    assert view.gaps.scope.mixed and view.gaps.scope.catalogs == ("one", "two")


def test_trend_counts_a_member_from_their_first_point() -> None:
    ana = member_series(
        "ana", [(date(2026, 10, 15), 50.0), (date(2026, 9, 20), 80.0), (date(2026, 11, 30), 40.0)]
    )
    bo = member_series("bo", [(date(2026, 11, 10), 100.0), (date(2026, 11, 30), 90.0)])
    points = trend_view([ana, bo]).points
    assert [(p.day, p.hours, p.members) for p in points] == [
        (date(2026, 9, 30), 80.0, 1),
        (date(2026, 10, 31), 50.0, 1),
        (date(2026, 11, 30), 130.0, 2),
    ]
