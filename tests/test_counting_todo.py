"""Property tests for "not done yet" marks (``LearnerState.todo``, issue 14 rule 6).

A to-do topic is never covered by the learner's %, only by time logged on it;
the % is spent on the domain's other topics; a domain without to-do topics
counts exactly as before. Catalogs and learners come from ``test_counting``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from test_counting import catalogs, learners

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import covered_hours, domain_standing, gap_report, level_topics
from gapcli.domain.learner import LearnerState
from gapcli.domain.planner import PlanSettings, make_plan

TOL = 1e-6
EARLIER = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)


@st.composite
def todo_scenarios(draw: st.DrawFn) -> tuple[Catalog, LearnerState]:
    """A learner with a few topics marked not done yet (never also done)."""
    catalog = draw(catalogs())
    state = draw(learners(catalog))
    topics = sorted(catalog.topic_by_id)
    todo = frozenset(draw(st.lists(st.sampled_from(topics), unique=True, min_size=1, max_size=4)))
    return catalog, state._replace(done=state.done - todo, todo=todo)


def _domains_with_todo(catalog: Catalog, state: LearnerState) -> set[str]:
    return {catalog.domain_of_topic[t] for t in state.todo}


@given(todo_scenarios())
def test_a_domain_without_todo_topics_counts_exactly_as_before(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    with_todo = covered_hours(catalog, state)
    without = covered_hours(catalog, state._replace(todo=frozenset()))
    marked = _domains_with_todo(catalog, state)
    for domain in catalog.domains:
        if domain.id in marked:
            continue
        for topic in domain.topics:
            assert with_todo[topic.id] == without[topic.id]  # exactly, not approximately
        covered = covered_hours(catalog, state)
        assert domain_standing(catalog, state, covered, domain) == domain_standing(
            catalog, state._replace(todo=frozenset()), without, domain
        )


@given(todo_scenarios())
def test_a_todo_topic_is_covered_only_by_logged_time(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    covered = covered_hours(catalog, state)
    for topic_id in state.todo:
        hours = catalog.topic_by_id[topic_id].hours
        logged = state.logged_minutes.get(topic_id, 0) / 60
        assert abs(covered[topic_id] - min(hours, logged)) < TOL
        if topic_id not in state.logged_minutes:
            assert covered[topic_id] == 0  # whatever the % or the math level says


@given(todo_scenarios())
def test_covered_hours_never_exceed_the_percent_plus_logged_time(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    """Per domain: current % of its hours, plus time logged, plus topics marked known."""
    catalog, state = scenario
    covered = covered_hours(catalog, state)
    marked = (state.done | level_topics(catalog, state.math_level)) - state.todo
    for domain in catalog.domains:
        assessed = state.assessments.get(domain.id)
        budget = (assessed.current if assessed else 0) / 100 * domain.hours
        logged = sum(state.logged_minutes.get(t.id, 0) / 60 for t in domain.topics)
        known = sum(t.hours for t in domain.topics if t.id in marked)
        assert sum(covered[t.id] for t in domain.topics) <= budget + logged + known + TOL


@given(todo_scenarios())
def test_the_percent_is_spent_on_the_other_topics(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    """With nothing logged or marked, the % covers min(its hours, the other topics' hours)."""
    catalog, state = scenario
    state = state._replace(done=frozenset(), math_level=None, logged_minutes={})
    covered = covered_hours(catalog, state)
    for domain in catalog.domains:
        assessed = state.assessments.get(domain.id)
        budget = (assessed.current if assessed else 0) / 100 * domain.hours
        others = sum(t.hours for t in domain.topics if t.id not in state.todo)
        got = sum(covered[t.id] for t in domain.topics)
        assert abs(got - min(budget, others)) < TOL
        # and it fills the other topics in teaching order: no hole before a covered one
        seen_gap = False
        for topic in (t for t in domain.topics if t.id not in state.todo):
            if seen_gap:
                assert covered[topic.id] == 0
            if covered[topic.id] < topic.hours:
                seen_gap = True


@given(todo_scenarios())
def test_uncovered_todo_topics_always_close_their_domain(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    covered = covered_hours(catalog, state)
    for domain in catalog.domains:
        s = domain_standing(catalog, state, covered, domain)
        order = [t.id for t in domain.topics]
        assert list(s.closing_topics) == sorted(s.closing_topics, key=order.index)
        remaining = sum(catalog.topic_by_id[t].hours - covered[t] for t in s.closing_topics)
        assert abs(remaining - s.hours_to_close) < TOL
        for topic in domain.topics:
            if topic.id in state.todo and covered[topic.id] < topic.hours:
                assert topic.id in s.closing_topics
        assert s.open == (s.hours_to_close > 0)


@given(todo_scenarios())
def test_gap_report_counts_every_open_domain(scenario: tuple[Catalog, LearnerState]) -> None:
    catalog, state = scenario
    report = gap_report(catalog, state, "all")
    every = gap_report(catalog, state, "all", include_closed=True)
    assert {r.standing.domain_id for r in report.rows} == {
        r.standing.domain_id for r in every.rows if r.standing.open
    }
    total = sum(r.standing.hours_to_close for r in report.rows)
    assert abs(report.total_hours - total) < TOL


@given(todo_scenarios())
def test_marking_done_again_is_as_if_never_marked_todo(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    redone = state._replace(done=state.done | state.todo, todo=frozenset())
    covered = covered_hours(catalog, redone)
    assert all(covered[t] == catalog.topic_by_id[t].hours for t in state.todo)


@given(todo_scenarios())
def test_the_plan_schedules_every_uncovered_todo_topic(
    scenario: tuple[Catalog, LearnerState],
) -> None:
    catalog, state = scenario
    plan = make_plan(catalog, state, PlanSettings(6, (0, 2, 5), "all"), date(2026, 12, 7))
    covered = covered_hours(catalog, state)
    planned = {item.topic for item in plan.items}
    for topic_id in state.todo:
        if covered[topic_id] < catalog.topic_by_id[topic_id].hours:
            assert topic_id in planned


@given(todo_scenarios(), st.data())
def test_finishing_a_todo_topic_adds_its_hours_and_moves_nothing_else(
    scenario: tuple[Catalog, LearnerState], data: st.DataObject
) -> None:
    """The % was given without the to-do topic: finished, it adds what it still lacked.

    Counted as an ordinary done topic it would fall inside the % and add nothing:
    a learner who finished a topic they had said was not done saw their % drop back.
    """
    catalog, state = scenario
    topic = data.draw(st.sampled_from(sorted(state.todo)))
    domain = catalog.domain_by_id[catalog.domain_of_topic[topic]]
    assessed = state.assessments.get(domain.id)
    if assessed is not None:  # made before the mark: the topic was to-do after it
        state = state._replace(
            assessments={**state.assessments, domain.id: assessed._replace(at=EARLIER)}
        )
    finished = state._replace(
        done=state.done | {topic}, todo=state.todo - {topic}, todo_ended={topic: LATER}
    )
    before, after = covered_hours(catalog, state), covered_hours(catalog, finished)
    assert after[topic] == catalog.topic_by_id[topic].hours
    assert {t: h for t, h in after.items() if t != topic} == {
        t: h for t, h in before.items() if t != topic
    }


@given(todo_scenarios(), st.data())
def test_an_assessment_after_finishing_counts_as_if_never_marked_todo(
    scenario: tuple[Catalog, LearnerState], data: st.DataObject
) -> None:
    """The next assessment is given knowing the finished topic: the % covers it again."""
    catalog, state = scenario
    topic = data.draw(st.sampled_from(sorted(state.todo)))
    domain_id = catalog.domain_of_topic[topic]
    assessed = state.assessments.get(domain_id)
    done = state.done | {topic}
    plain = state._replace(done=done, todo=state.todo - {topic})
    if assessed is not None:
        plain = plain._replace(
            assessments={**state.assessments, domain_id: assessed._replace(at=LATER)}
        )
    reassessed = plain._replace(todo_ended={topic: EARLIER})
    assert covered_hours(catalog, reassessed) == covered_hours(catalog, plain)
