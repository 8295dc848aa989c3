"""A plan's first days (``plan_head``, what ``gapcli today`` plans) are the whole plan's.

``today`` shows this week and the next study day, so it asks the planner to
stop once it has passed them. Stopping must not change a single session before
the cut: the property below plans the same generated cases (the planner's own
strategies, with review cards and review shares added) both ways and compares
them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_planner import cases

from gapcli.domain.planner import PlanSettings, make_plan, plan_head
from gapcli.domain.reasons import Why
from gapcli.domain.reviews import Rating, first_card
from gapcli.errors import InvalidValue


@st.composite
def with_reviews(draw: st.DrawFn) -> tuple[Any, PlanSettings]:
    """A planner case whose done topics may hold review cards, at various review shares."""
    catalog, state, plan_settings, start = draw(cases())
    done = sorted(state.done)
    learned = draw(st.lists(st.sampled_from(done), unique=True)) if done else []
    cards = tuple(
        first_card(
            topic, start - timedelta(days=draw(st.integers(0, 400))), draw(st.sampled_from(Rating))
        )
        for topic in learned
    )
    share = draw(st.sampled_from([0, 10, 25, 50]))
    return (catalog, state, start), plan_settings._replace(cards=cards, review_share=share)


@settings(deadline=None)
@given(with_reviews(), st.integers(-3, 40))
def test_a_plan_head_is_the_whole_plans_first_days(case: Any, days: int) -> None:
    (catalog, state, start), plan_settings = case
    until = start + timedelta(days=days)
    try:
        whole = make_plan(catalog, state, plan_settings, start)
    except InvalidValue:  # a plan past the year 9999: a head may stop before it
        return
    head = plan_head(catalog, state, plan_settings, start, until)

    study = [i.sessions[0].day for i in whole.items if i.why is not Why.REVIEW]
    assert head.has_study == (whole.finish is not None) == bool(study)
    assert head.through == (max(until, study[0]) if study else until)
    # The same items, whole, in the same order: every one that begins by the cut.
    assert head.items == tuple(i for i in whole.items if i.sessions[0].day <= head.through)
    assert head.start == whole.start and head.settings == whole.settings
    # So each day up to the cut holds the same sessions (topics, minutes, order, reviews).
    assert _days(head.items, head.through) == _days(whole.items, head.through)


def _days(items: Any, through: date) -> dict[date, list[tuple[str, Why, int]]]:
    by_day: dict[date, list[tuple[str, Why, int]]] = {}
    for item in items:
        for block in item.sessions:
            if block.day <= through:
                by_day.setdefault(block.day, []).append((item.topic, item.why, block.minutes))
    return by_day
