"""Cards built one FSRS step at a time are exactly what FSRS gives for the whole replay.

gapcli asks FSRS each distinct step once (``gapcli.domain.reviews.Steps``) and
builds every card, replayed or projected, from those answers. The reference here
is the plain way: one ``fsrs`` card, reviewed event after event by the scheduler.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from gapcli.domain.reviews import (
    Rating,
    ReviewEvent,
    ReviewKind,
    build_card,
    first_card,
    next_due,
    scheduler,
)

ratings = st.sampled_from(list(Rating))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
gaps = st.lists(st.tuples(st.integers(0, 400), ratings), min_size=0, max_size=8)


def fsrs_replay(events: list[ReviewEvent]) -> tuple[float, float, date]:
    """Stability, difficulty and due day after reviewing one fsrs card with every event."""
    from fsrs import Card
    from fsrs import Rating as FsrsRating

    noon = [datetime.combine(e.day, time(12), UTC) for e in events]
    card = Card(card_id=1, due=noon[0])
    for event, when in zip(events, noon, strict=True):
        card, _ = scheduler().review_card(card, FsrsRating(int(event.rating)), when)
    assert card.stability is not None and card.difficulty is not None
    return card.stability, card.difficulty, card.due.date()


def events_from(day: date, first: Rating, steps: list[tuple[int, Rating]]) -> list[ReviewEvent]:
    events = [ReviewEvent("t", day, first, ReviewKind.LEARNED)]
    for gap, rating in steps:
        day += timedelta(days=gap)
        events.append(ReviewEvent("t", day, rating))
    return events


@settings(max_examples=80)
@given(days, ratings, gaps)
def test_a_replayed_card_is_fsrs_reviewing_one_card_with_every_event(
    day: date, first: Rating, steps: list[tuple[int, Rating]]
) -> None:
    events = events_from(day, first, steps)
    card = build_card("t", events)
    assert (card.stability, card.difficulty, card.due) == fsrs_replay(events)
    assert (card.learned, card.last_review, card.reviews) == (day, events[-1].day, len(steps))


@given(days, ratings)
def test_a_first_card_is_the_replay_of_its_first_recall(day: date, rating: Rating) -> None:
    replayed = build_card("t", [ReviewEvent("t", day, rating, ReviewKind.LEARNED)])
    assert first_card("t", day, rating) == replayed


@settings(max_examples=60)
@given(days, ratings, gaps)
def test_reviews_stepped_one_by_one_are_the_replay_of_them_all(
    day: date, first: Rating, steps: list[tuple[int, Rating]]
) -> None:
    events = events_from(day, first, steps)
    card = first_card("t", day, first)
    for event in events[1:]:
        card = next_due(card, event.day, event.rating)
    assert card == build_card("t", events)
    assert (card.stability, card.difficulty, card.due) == fsrs_replay(events)


@settings(max_examples=120)
@given(
    st.lists(st.tuples(days, ratings, gaps), min_size=0, max_size=12),
    st.integers(0, 800),
    st.one_of(st.none(), st.integers(0, 6)),
)
def test_due_cards_rank_lowest_retrievability_first(
    histories: list[tuple[date, Rating, list[tuple[int, Rating]]]],
    later: int,
    first: int | None,
) -> None:
    """A plan ranks its backlog by days since the last review over stability; that is
    the order of FSRS's retrievability, lowest first, ties by topic."""
    from gapcli.domain.reviews import due_on

    cards = [
        build_card(f"t{n}", [e._replace(topic=f"t{n}") for e in events_from(*history)])
        for n, history in enumerate(histories)
    ]
    day = max((c.last_review for c in cards), default=date(2030, 1, 1)) + timedelta(later)
    ranked = due_on(cards, day)
    assert sorted(c.topic for c in ranked) == sorted(c.topic for c in cards if c.due <= day)
    recall = [c.retrievability(day) for c in ranked]
    assert recall == sorted(recall)
    for a, b in pairwise(ranked):
        if a.retrievability(day) == b.retrievability(day) and a.topic > b.topic:
            # Only where the power rounds two different ratios to one float.
            assert (a.last_review, a.stability) != (b.last_review, b.stability)
    if first is not None:
        assert due_on(cards, day, first) == ranked[:first]
