"""The planner's cached review steps give exactly what FSRS gives when asked each time.

``first_card`` and ``next_due`` remember FSRS's answers (a plan repeats the same
steps thousands of times); these properties replay the same events through
``build_card``, which asks FSRS afresh for every event, and compare.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gapcli.domain.reviews import (
    Rating,
    ReviewEvent,
    ReviewKind,
    build_card,
    first_card,
    next_due,
)

ratings = st.sampled_from(list(Rating))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(days, ratings)
def test_a_first_card_is_the_replay_of_its_first_recall(day: date, rating: Rating) -> None:
    replayed = build_card("t", [ReviewEvent("t", day, rating, ReviewKind.LEARNED)])
    assert first_card("t", day, rating) == replayed


@settings(max_examples=60)
@given(days, ratings, st.lists(st.tuples(st.integers(0, 400), ratings), min_size=1, max_size=8))
def test_reviews_stepped_one_by_one_are_the_replay_of_them_all(
    day: date, first: Rating, steps: list[tuple[int, Rating]]
) -> None:
    events = [ReviewEvent("t", day, first, ReviewKind.LEARNED)]
    card = first_card("t", day, first)
    for gap, rating in steps:
        day += timedelta(days=gap)
        events.append(ReviewEvent("t", day, rating))
        card = next_due(card, day, rating)
    assert card == build_card("t", events)
