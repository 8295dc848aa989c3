"""Property tests for the counting model (gapcli.domain.counting) on small catalogs.

Catalogs are built in code with ``parse_catalog``: 1-3 skill domains of 1-6
topics (0.5-20 h each), and sometimes a math domain with 1-3 math levels.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gapcli.domain.catalog import Catalog
from gapcli.domain.catalog_format import parse_catalog
from gapcli.domain.counting import (
    Standing,
    covered_hours,
    domain_current,
    domain_standing,
    gap_report,
    known_topics,
    math_level,
    math_ok,
    spans,
)
from gapcli.domain.learner import Assessed, LearnerState

TOL = 1e-6
percents = st.integers(0, 100)
hours = st.one_of(  # catalog-like halves and tenths, and any float in range
    st.integers(1, 40).map(lambda n: n / 2),
    st.integers(5, 200).map(lambda n: n / 10),
    st.floats(0.5, 20, allow_nan=False, allow_infinity=False),
)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    domains: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    if draw(st.booleans()):
        n = draw(st.integers(1, 6))
        math_ids = [f"m-{i}" for i in range(n)]
        domains.append(
            {
                "id": "maths",
                "name": "Maths",
                "kind": "math",
                "topics": [{"id": t, "name": t, "hours": draw(hours)} for t in math_ids],
            }
        )
        n_levels = draw(st.integers(1, 3))
        # each math topic belongs to one level or to none; a level may have no topics
        owner = draw(st.lists(st.none() | st.integers(0, n_levels - 1), min_size=n, max_size=n))
        levels = [
            {
                "id": f"level-{k}",
                "name": f"Level {k}",
                "topics": [t for t, o in zip(math_ids, owner, strict=True) if o == k],
            }
            for k in range(n_levels)
        ]
    for d in range(draw(st.integers(1, 4 - len(domains)))):
        domain: dict[str, Any] = {
            "id": f"d{d}",
            "name": f"Domain {d}",
            "topics": [
                {"id": f"d{d}-t{i}", "name": f"Topic {i}", "hours": draw(hours)}
                for i in range(draw(st.integers(1, 6)))
            ],
        }
        target = draw(st.none() | percents)
        if target is not None:
            domain["target"] = target
        needs_math = draw(st.booleans())
        if levels and needs_math:
            domain["math"] = draw(st.sampled_from([m["id"] for m in levels]))
        domains.append(domain)
    return parse_catalog(
        {"catalog": 1, "id": "small", "name": "Small", "math_levels": levels, "domains": domains}
    )


@st.composite
def learners(draw: st.DrawFn, catalog: Catalog) -> LearnerState:
    topics = sorted(catalog.topic_by_id)
    assessments = {
        d.id: Assessed(draw(percents), draw(percents))
        for d in catalog.domains
        if draw(st.booleans())
    }
    done = frozenset(draw(st.lists(st.sampled_from(topics), unique=True, max_size=4)))
    levels = [m.id for m in catalog.math_levels]
    level = draw(st.none() | st.sampled_from(levels)) if levels else None
    logged = draw(st.dictionaries(st.sampled_from(topics), st.integers(1, 1500), max_size=3))
    return LearnerState(assessments, done, level, logged)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Catalog, LearnerState]:
    catalog = draw(catalogs())
    return catalog, draw(learners(catalog))


def standings(catalog: Catalog, state: LearnerState) -> dict[str, Standing]:
    covered = covered_hours(catalog, state)
    return {d.id: domain_standing(catalog, state, covered, d) for d in catalog.domains}


def rank(catalog: Catalog, level: str | None) -> int:
    return -1 if level is None else catalog.level_rank[level]


@given(catalogs())
def test_topic_shares_split_100_in_teaching_order(catalog: Catalog) -> None:
    for domain in catalog.domains:
        parts = spans(domain)
        assert [s.topic_id for s in parts] == [t.id for t in domain.topics]
        assert parts[0].start == 0
        for before, after in pairwise(parts):
            assert abs(after.start - before.end) < TOL
        assert abs(sum(s.end - s.start for s in parts) - 100) < TOL
        assert abs(parts[-1].end - 100) < TOL and parts[-1].end <= 100
        for s in parts:
            assert abs((s.end - s.start) - s.hours / domain.hours * 100) < TOL


@given(catalogs(), st.data())
def test_known_share_is_monotone_in_assessed_current(
    catalog: Catalog, data: st.DataObject
) -> None:
    state = data.draw(learners(catalog))
    domain = data.draw(st.sampled_from(catalog.domains))
    low, high = sorted(data.draw(st.tuples(percents, percents)))

    def known(current: int) -> float:
        assessments = {**state.assessments, domain.id: Assessed(current, 100)}
        return standings(catalog, state._replace(assessments=assessments))[domain.id].current

    assert known(low) <= known(high) + TOL
    assert known(high) >= high - TOL  # the first `high` % is always known


@given(catalogs(), st.data())
def test_assessed_current_alone_is_the_known_share(catalog: Catalog, data: st.DataObject) -> None:
    domain = data.draw(st.sampled_from(catalog.domains))
    current, target = data.draw(percents), data.draw(percents)
    state = LearnerState(assessments={domain.id: Assessed(current, target)})
    s = standings(catalog, state)[domain.id]
    assert abs(s.current - current) < TOL
    assert s.target == target
    assert abs(s.gap - max(0, target - current)) < TOL


@given(catalogs(), st.data())
def test_an_assessment_at_its_target_leaves_exactly_no_gap(
    catalog: Catalog, data: st.DataObject
) -> None:
    # float noise once left gaps of 1e-14 % with 0 h to close them
    domain = data.draw(st.sampled_from(catalog.domains))
    current = data.draw(percents)
    target = data.draw(st.integers(0, current))
    s = standings(catalog, LearnerState(assessments={domain.id: Assessed(current, target)}))
    assert (s[domain.id].gap, s[domain.id].hours_to_close) == (0, 0)


def test_float_noise_regression() -> None:
    # 62 % of these hours summed back to 61.99999999999999 %: a gap of 1e-14 with 0 h
    topics = [{"id": f"t{i}", "name": "T", "hours": h} for i, h in enumerate([15.5, 12.5, 7, 3.5])]
    catalog = parse_catalog(
        {
            "catalog": 1,
            "id": "c",
            "name": "C",
            "domains": [{"id": "d", "name": "D", "topics": topics}],
        }
    )
    s = standings(catalog, LearnerState(assessments={"d": Assessed(62, 62)}))["d"]
    assert (s.gap, s.hours_to_close, s.closing_topics) == (0, 0, ())


@given(scenarios(), st.data())
def test_marking_a_topic_done_never_raises_a_gap(
    scenario: tuple[Catalog, LearnerState], data: st.DataObject
) -> None:
    catalog, state = scenario
    topic = data.draw(st.sampled_from(sorted(catalog.topic_by_id)))
    before = standings(catalog, state)
    after = standings(catalog, state._replace(done=state.done | {topic}))
    for domain_id, old in before.items():
        assert after[domain_id].gap <= old.gap + TOL
        assert after[domain_id].hours_to_close <= old.hours_to_close + TOL
        assert after[domain_id].current >= old.current - TOL


@given(scenarios(), st.data())
def test_logging_minutes_never_raises_a_gap(
    scenario: tuple[Catalog, LearnerState], data: st.DataObject
) -> None:
    catalog, state = scenario
    topic = data.draw(st.sampled_from(sorted(catalog.topic_by_id)))
    minutes = data.draw(st.integers(1, 2000))
    logged = dict(state.logged_minutes)
    logged[topic] = logged.get(topic, 0) + minutes
    before = standings(catalog, state)
    after = standings(catalog, state._replace(logged_minutes=logged))
    for domain_id, old in before.items():
        assert after[domain_id].gap <= old.gap + TOL
        assert after[domain_id].hours_to_close <= old.hours_to_close + TOL


@given(scenarios())
def test_hours_to_close_is_zero_exactly_when_there_is_no_gap(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    for s in standings(catalog, state).values():
        assert s.gap >= 0 and s.hours_to_close >= 0
        assert (s.gap == 0) == (s.hours_to_close == 0)
        assert (s.gap == 0) == (not s.closing_topics)
        assert s.gap == 0 or s.current < s.target


@given(scenarios())
def test_studying_the_closing_topics_closes_the_gap(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    covered = covered_hours(catalog, state)
    for domain_id, s in standings(catalog, state).items():
        remaining = sum(catalog.topic_by_id[t].hours - covered[t] for t in s.closing_topics)
        assert abs(remaining - s.hours_to_close) < TOL
        assert len(set(s.closing_topics)) == len(s.closing_topics)
        studied = standings(catalog, state._replace(done=state.done | set(s.closing_topics)))
        after = studied[domain_id]
        domain = catalog.domain_by_id[domain_id]
        ran_out = all(t.id in state.done | set(s.closing_topics) for t in domain.topics)
        assert after.current >= s.target - TOL or ran_out
        assert after.gap < TOL
        # and no closing topic was superfluous: without the last one the target is missed
        if s.closing_topics:
            short = set(s.closing_topics[:-1])
            fewer = standings(catalog, state._replace(done=state.done | short))[domain_id]
            assert fewer.gap > 0


@given(catalogs(), st.data())
def test_math_level_is_monotone_in_the_known_set(catalog: Catalog, data: st.DataObject) -> None:
    topics = sorted(catalog.topic_by_id)
    small = frozenset(data.draw(st.lists(st.sampled_from(topics), unique=True)))
    extra = frozenset(data.draw(st.lists(st.sampled_from(topics), unique=True)))
    low, high = math_level(catalog, small), math_level(catalog, small | extra)
    assert rank(catalog, low) <= rank(catalog, high)
    everything = math_level(catalog, frozenset(topics))
    assert everything == (catalog.math_levels[-1].id if catalog.math_levels else None)


@given(scenarios())
def test_a_self_assessed_math_level_is_reached(scenario: tuple[Catalog, LearnerState]) -> None:
    catalog, state = scenario
    known = known_topics(catalog, covered_hours(catalog, state))
    reached = math_level(catalog, known)
    assert rank(catalog, reached) >= rank(catalog, state.math_level)
    for level in catalog.math_levels:
        assert math_ok(catalog, level.id, reached) == (
            rank(catalog, reached) >= catalog.level_rank[level.id]
            or (reached is None and catalog.level_rank[level.id] == 0 and not level.topics)
        )


@given(scenarios())
def test_gap_report_orders_and_totals(scenario: tuple[Catalog, LearnerState]) -> None:
    catalog, state = scenario
    report = gap_report(catalog, state, "all")
    every = gap_report(catalog, state, "all", include_closed=True)
    gaps = [r.standing.gap for r in report.rows]
    assert gaps == sorted(gaps, reverse=True)
    assert all(g > 0 for g in gaps)
    assert [r.standing.domain_id for r in every.rows][: len(report.rows)] == [
        r.standing.domain_id for r in report.rows
    ]
    assert len(every.rows) == len(catalog.domains)
    total = sum(r.standing.hours_to_close for r in report.rows)
    assert abs(report.total_hours - total) < TOL
    assert every.total_hours == report.total_hours


@given(scenarios())
def test_following_the_unblock_tip_unblocks_what_it_names(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    report = gap_report(catalog, state, "all")
    unblock = report.unblock
    blocked = {r.standing.domain_id for r in report.rows if not r.math_ok}
    if unblock is None:
        assert not blocked or not catalog.math_levels
        return
    assert set(unblock.domains) <= blocked
    assert unblock.hours > 0
    after = gap_report(catalog, state._replace(math_level=unblock.level), "all")
    ok = {r.standing.domain_id for r in after.rows if r.math_ok}
    assert set(unblock.domains) <= ok
    assert rank(catalog, after.math_level) >= catalog.level_rank[unblock.level]


@given(scenarios(), st.data())
def test_a_slice_of_domains_counts_as_the_whole_catalog_does(
    scenario: tuple[Catalog, LearnerState], data: st.DataObject
) -> None:
    """``history`` replays each day with only the domains it touched, and reads only their
    % known: both must be what the whole catalog's count and standing say."""
    catalog, state = scenario
    topics = sorted(catalog.topic_by_id)
    todo = data.draw(st.lists(st.sampled_from(topics), unique=True, max_size=3))
    state = state._replace(todo=frozenset(todo))
    whole = covered_hours(catalog, state)
    # The plain count: every domain laid out, none skipped as untouched (an unassessed
    # domain counts from 0 %, as one assessed at 0 % does).
    at_zero = {d.id: Assessed(0, 100) for d in catalog.domains}
    plain = covered_hours(catalog, state._replace(assessments=at_zero | state.assessments))
    assert whole == plain
    some = data.draw(st.lists(st.sampled_from(catalog.domains), unique_by=lambda d: d.id))
    part = covered_hours(catalog, state, some)
    assert part == {t.id: whole[t.id] for d in some for t in d.topics}
    for domain in some:
        standing = domain_standing(catalog, state, whole, domain)
        assert domain_current(part, domain) == standing.current
