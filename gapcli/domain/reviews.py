"""Spaced review of finished topics: cards rebuilt from the review log with FSRS.

Pure: no database, no clock. The rows gapcli stores (a done mark, then each
review with its rating) are the source of truth; a card is replayed from them
every time, so an upgrade of ``fsrs`` or an export/import round trip loses
nothing. Days, not moments: a review belongs to a study day, and every event is
placed at noon UTC of its day, so intervals come out in whole days and a plan is
the same wherever it is computed.

FSRS is tuned for flash cards; a topic is not one. The scheduler here has no
minute-long (re)learning steps, a maximum interval of a year, and no fuzzing
(plans must be deterministic). ``fsrs`` is imported inside the functions that
need it: a learner with no finished topic never loads it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from gapcli.domain.echo import quoted
from gapcli.errors import InvalidValue

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

MAX_INTERVAL_DAYS = 365
AT_RISK = 0.7  # retrievability under which a finished topic is flagged in ``gaps``
DEFAULT_REVIEW_SHARE = 25  # % of a study day's minutes reviews may take
REVIEW_FRACTION = 0.1  # a review takes this share of the topic's hours ...
SHORTEST_REVIEW = 10  # ... but never fewer minutes than this
LONGEST_REVIEW = 30  # ... nor more


class Rating(IntEnum):
    """How well the learner recalled a topic; FSRS's own four grades."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.lower()


def parse_rating(text: str) -> Rating:
    """'again', 'hard', 'good' or 'easy' (any case, or 1-4)."""
    cleaned = text.strip().lower()
    for rating in Rating:
        if cleaned in (rating.label, str(rating.value)):
            return rating
    raise InvalidValue(f"a rating is again, hard, good or easy, not {quoted(text)}")


class ReviewKind(StrEnum):
    """A stored review row: the first recall (when the topic was marked done) or a review."""

    LEARNED = "learned"
    REVIEW = "review"


class ReviewEvent(NamedTuple):
    topic: str
    day: date
    rating: Rating
    kind: ReviewKind = ReviewKind.REVIEW


class CardView(NamedTuple):
    """A finished topic's memory as FSRS sees it after its last event."""

    topic: str
    learned: date  # the day the topic was marked done (the card's first event)
    last_review: date
    last_rating: Rating
    reviews: int  # reviews after the first recall
    due: date
    stability: float
    difficulty: float

    def retrievability(self, day: date) -> float:
        """The chance of recalling the topic on ``day`` (1.0 on the last review's day)."""
        elapsed = max(0, (day - self.last_review).days)
        decay, factor = _curve()
        return float((1 + factor * elapsed / self.stability) ** decay)


def review_minutes(topic_hours: float) -> int:
    """A review's length: a share of the topic's hours, within the documented bounds."""
    return max(SHORTEST_REVIEW, min(LONGEST_REVIEW, round(topic_hours * 60 * REVIEW_FRACTION)))


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


@cache
def scheduler() -> Scheduler:
    """FSRS for topics: no minute steps, at most a year between reviews, no fuzzing."""
    from fsrs import Scheduler

    return Scheduler(
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=MAX_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


@cache
def _curve() -> tuple[float, float]:
    """FSRS's forgetting curve R(t) = (1 + factor * t / S) ** decay, from its parameters."""
    decay = -float(scheduler().parameters[20])
    return decay, 0.9 ** (1 / decay) - 1


def _card_view(topic: str, learned: date, card: Card, last: ReviewEvent, reviews: int) -> CardView:
    return CardView(
        topic=topic,
        learned=learned,
        last_review=last.day,
        last_rating=last.rating,
        reviews=reviews,
        due=card.due.date(),
        stability=float(card.stability or 0.0),
        difficulty=float(card.difficulty or 0.0),
    )


def build_card(topic: str, events: Iterable[ReviewEvent]) -> CardView:
    """Replay a topic's events (its first recall, then reviews, by day) into a card.

    An event on or before the previous one's day counts on that day: FSRS sees
    a same-day review as a short interval, which is what it was.
    """
    from fsrs import Card
    from fsrs import Rating as FsrsRating

    ordered = sorted(events, key=lambda e: (e.day, e.kind is ReviewKind.REVIEW))
    if not ordered:
        raise ValueError(f"no events for {topic}")
    first = ordered[0]
    sched = scheduler()
    card = Card(card_id=1, due=at_noon(first.day))
    reviews = 0
    for event in ordered:
        card, _ = sched.review_card(card, FsrsRating(int(event.rating)), at_noon(event.day))
        reviews += event is not first
    return _card_view(topic, first.day, card, ordered[-1], reviews)


def build_cards(
    done: Mapping[str, date],
    events: Iterable[ReviewEvent],
) -> dict[str, CardView]:
    """A card for each finished topic: ``done`` maps it to the day it was marked done.

    Its first recall is the LEARNED event of that day if the learner rated it
    (``log-progress --done --recall``), else Good. Reviews before the done day
    belong to an earlier round of the topic and are left out.
    """
    by_topic: dict[str, list[ReviewEvent]] = {}
    for event in events:
        by_topic.setdefault(event.topic, []).append(event)
    cards: dict[str, CardView] = {}
    for topic, learned in done.items():
        mine = [e for e in by_topic.get(topic, []) if e.day >= learned]
        rated = [e for e in mine if e.kind is ReviewKind.LEARNED]
        first = (
            rated[-1] if rated else ReviewEvent(topic, learned, Rating.GOOD, ReviewKind.LEARNED)
        )
        later = [e for e in mine if e.kind is ReviewKind.REVIEW]
        cards[topic] = build_card(topic, [first, *later])
    return cards


@dataclass(frozen=True)
class CardRows:
    """What the cards are replayed from, as read from the store."""

    learned: dict[str, date] = field(default_factory=dict)  # finished topic: its card's day 1
    events: tuple[ReviewEvent, ...] = ()  # its first recall (if rated) and its reviews

    @cached_property
    def cards(self) -> dict[str, CardView]:
        """Every finished topic's card, replayed once for all the snapshots sharing these
        rows (``today`` plans from the learner's morning and from tomorrow)."""
        return build_cards(self.learned, self.events) if self.learned else {}


def cards_for(rows: CardRows, topics: Set[str]) -> dict[str, CardView]:
    """The cards of the finished topics in ``topics`` (replaying them loads ``fsrs``).

    A card is replayed from its own topic's rows alone, so these are a slice of
    ``rows.cards``.
    """
    return {t: card for t, card in rows.cards.items() if t in topics}


def first_card(topic: str, day: date, rating: Rating = Rating.GOOD) -> CardView:
    """A topic's card on the day it is finished: what the plan projects for topics it finishes.

    The same as replaying that one recall (``build_card``), which starts every
    card alike: FSRS is asked once per rating.
    """
    stability, difficulty, interval = _first_recall(rating)
    return CardView(
        topic=topic,
        learned=day,
        last_review=day,
        last_rating=rating,
        reviews=0,
        due=day + timedelta(days=interval),
        stability=stability,
        difficulty=difficulty,
    )


def next_due(card: CardView, day: date, rating: Rating = Rating.GOOD) -> CardView:
    """The card after a review on ``day`` with ``rating``: what the plan projects."""
    stability, difficulty, interval = _review_step(
        card.stability, card.difficulty, (day - card.last_review).days, rating
    )
    return CardView(
        topic=card.topic,
        learned=card.learned,
        last_review=day,
        last_rating=rating,
        reviews=card.reviews + 1,
        due=day + timedelta(days=interval),
        stability=stability,
        difficulty=difficulty,
    )


_ANY_DAY = date(2000, 1, 3)  # FSRS's steps depend on days between events, not on the date


@cache
def _first_recall(rating: Rating) -> tuple[float, float, int]:
    """A new card's stability, difficulty and days to its first review after ``rating``."""
    card = build_card("", [ReviewEvent("", _ANY_DAY, rating, ReviewKind.LEARNED)])
    return card.stability, card.difficulty, (card.due - _ANY_DAY).days


@lru_cache(maxsize=4096)
def _review_step(
    stability: float, difficulty: float, elapsed: int, rating: Rating
) -> tuple[float, float, int]:
    """One review of a card in FSRS's review state, ``elapsed`` days after its last one.

    Cached because a plan projects the same steps again and again: every card it
    finishes starts alike and is reviewed on its due day, so most of its many
    reviews repeat an earlier one's inputs exactly.
    """
    from fsrs import Card, State
    from fsrs import Rating as FsrsRating

    last = at_noon(_ANY_DAY)
    current = Card(
        card_id=1,
        state=State.Review,
        step=None,
        stability=stability,
        difficulty=difficulty,
        due=last,
        last_review=last,
    )
    when = last + timedelta(days=elapsed)
    after, _ = scheduler().review_card(current, FsrsRating(int(rating)), when)
    return (
        float(after.stability or 0.0),
        float(after.difficulty or 0.0),
        (after.due - when).days,
    )


def due_on(cards: Iterable[CardView], day: date, first: int | None = None) -> list[CardView]:
    """The cards due on or before ``day``, lowest retrievability first (then by topic).

    With ``first``, only that many of them: a plan's day ranks its whole backlog
    but takes the few its review share holds.
    """
    due = (c for c in cards if c.due <= day)

    def key(card: CardView) -> tuple[float, str]:
        return (card.retrievability(day), card.topic)

    return sorted(due, key=key) if first is None else heapq.nsmallest(first, due, key=key)


def at_risk(cards: Iterable[CardView], day: date) -> list[CardView]:
    """Finished topics likely forgotten by ``day`` (retrievability under ``AT_RISK``)."""
    return sorted(
        (c for c in cards if c.retrievability(day) < AT_RISK),
        key=lambda c: (c.retrievability(day), c.topic),
    )


def at_risk_by_domain(
    cards: Iterable[CardView], domain_of_topic: Mapping[str, str], day: date
) -> dict[str, tuple[str, ...]]:
    """Each domain's finished topics at risk of being forgotten, the most forgotten first.

    One review brings a topic back, so the count is also the reviews it takes.
    """
    found: dict[str, list[str]] = {}
    for card in at_risk(cards, day):
        found.setdefault(domain_of_topic[card.topic], []).append(card.topic)
    return {d: tuple(topics) for d, topics in found.items()}
