"""The burn-down's pure parts: week ends, the replay, the lines ahead."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcli.domain.burndown import Assess, Logged, Mark, paced_burn, replay_hours, week_ends
from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import gap_report
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.services.catalogs import load_catalog

TODAY = date(2026, 11, 30)  # a Monday
TRACK = "ai-engineer-gaps"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None).catalog


def test_week_ends_are_sundays_then_today() -> None:
    ends = week_ends(date(2026, 11, 4), TODAY)
    assert ends == [
        date(2026, 11, 8),
        date(2026, 11, 15),
        date(2026, 11, 22),
        date(2026, 11, 29),
        TODAY,
    ]
    assert week_ends(TODAY, TODAY) == [TODAY]


def test_each_week_is_what_gaps_counted_then(catalog: Catalog) -> None:
    """A domain assessed later counts from 0 % before (as gaps counted it that week),
    so a later assessment never rewrites a past week's hours."""
    first, later = date(2026, 11, 2), date(2026, 11, 20)
    changes = [(first, Assess("rag", 50, 90)), (later, Assess("multimodal", 40, 75))]
    hours = dict(replay_hours(catalog, TRACK, changes, week_ends(first, TODAY)))
    rag_only = LearnerState({"rag": Assessed(50, 90)})
    assert hours[date(2026, 11, 8)] == pytest.approx(
        gap_report(catalog, rag_only, TRACK).total_hours
    )
    earlier = dict(replay_hours(catalog, TRACK, changes[:1], week_ends(first, TODAY)))
    assert hours[date(2026, 11, 15)] == earlier[date(2026, 11, 15)]  # before the later one
    both = LearnerState({"rag": Assessed(50, 90), "multimodal": Assessed(40, 75)})
    assert hours[TODAY] == pytest.approx(gap_report(catalog, both, TRACK).total_hours)


def test_the_mark_saved_last_stands(catalog: Catalog) -> None:
    """A mark dated back (``--date``) after a newer one does not undo it, as the store reads."""
    topic = "rag-chunking-loaders"
    first = date(2026, 11, 2)
    changes = [
        (first, Assess("rag", 30, 90)),
        (date(2026, 11, 20), Mark(topic, False, seq=1)),
        (date(2026, 11, 10), Mark(topic, True, seq=2)),  # saved last, dated earlier
    ]
    hours = dict(replay_hours(catalog, TRACK, changes, week_ends(first, TODAY)))  # type: ignore[arg-type]
    done = LearnerState({"rag": Assessed(30, 90)}, frozenset({topic}))
    assert hours[TODAY] == pytest.approx(gap_report(catalog, done, TRACK).total_hours)
    assert hours[date(2026, 11, 15)] == hours[TODAY]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.sampled_from(["rag-chunking-loaders", "mm-vision-prompting", "la-visual"]),
            st.integers(1, 300),
        ),
        max_size=25,
    ),
    st.booleans(),
)
def test_study_never_adds_hours(
    catalog: Catalog, sessions: list[tuple[int, str, int]], mark_done: bool
) -> None:
    """Between assessments, logging time and marking topics done only lower the line."""
    start = TODAY - timedelta(days=63)
    changes: list[tuple[date, object]] = [
        (start, Assess("rag", 30, 90)),
        (start, Assess("multimodal", 20, 80)),
    ]
    changes += [(start + timedelta(days=d), Logged(t, m)) for d, t, m in sessions]
    if mark_done:
        changes.append((start + timedelta(days=30), Mark("rag-chunking-loaders", True)))
    line = [h for _, h in replay_hours(catalog, TRACK, changes, week_ends(start, TODAY))]  # type: ignore[arg-type]
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(line))
    # Counted again only where something changed, the line still ends on the full report.
    logged: dict[str, int] = {}
    for _, topic, minutes in sessions:
        logged[topic] = logged.get(topic, 0) + minutes
    final = LearnerState(
        {"rag": Assessed(30, 90), "multimodal": Assessed(20, 80)},
        frozenset({"rag-chunking-loaders"} if mark_done else ()),
        None,
        logged,
    )
    assert line[-1] == pytest.approx(gap_report(catalog, final, TRACK).total_hours)


def test_the_pace_line_is_absent_without_a_forecast() -> None:
    assert paced_burn(TODAY, 40.0, None) == []
    assert paced_burn(TODAY, 40.0, date(2027, 3, 1)) == [(TODAY, 40.0), (date(2027, 3, 1), 0.0)]
