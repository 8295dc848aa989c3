"""Spaced review of finished topics: cards rebuilt from the review log with FSRS.

Pure: no database, no clock. The rows gapcli stores (a done mark, then each
review with its rating) are the source of truth; a card is replayed from them
every time, so an upgrade of ``fsrs`` or an export/import round trip loses
nothing. Days, not moments: a review belongs to a study day, and every event is
placed at noon UTC of its day, so intervals come out in whole days and a plan is
the same wherever it is computed.

FSRS is tuned for flash cards; a topic is not one. The scheduler here has no
minute-long (re)learning steps, a maximum interval of a year, and no fuzzing
(plans must be deterministic).

With no learning steps a card is in FSRS's review state from its first recall on,
so each review's outcome depends on four numbers only: the card's stability and
difficulty, the days since its last review, and the rating. Every card gapcli
replays or projects is a chain of such steps (:class:`Step`), and :data:`STEPS` asks
``fsrs`` each distinct one once. A command may start from the answers earlier
commands wrote down (``gapcli.services.steps_cache``); ``fsrs`` is imported only
for a question none of them asked.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Set
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from functools import cache, cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from gapcli.domain.echo import quoted
from gapcli.errors import InvalidValue

if TYPE_CHECKING:
    from fsrs import Scheduler

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
        decay, factor = STEPS.curve()
        return float((1 + factor * elapsed / self.stability) ** decay)


def review_minutes(topic_hours: float) -> int:
    """A review's length: a share of the topic's hours, within the documented bounds."""
    return max(SHORTEST_REVIEW, min(LONGEST_REVIEW, round(topic_hours * 60 * REVIEW_FRACTION)))


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


# How gapcli sets FSRS up for topics: no minute steps, at most a year between reviews,
# no fuzzing. Also part of the key of the answers kept between commands
# (``services/steps_cache.py``), so a change here is never answered from the old ones.
SCHEDULER_OPTIONS: dict[str, list[Any] | int | bool] = {
    "learning_steps": [],
    "relearning_steps": [],
    "maximum_interval": MAX_INTERVAL_DAYS,
    "enable_fuzzing": False,
}


@cache
def scheduler() -> Scheduler:
    """FSRS for topics, set up as ``SCHEDULER_OPTIONS`` says."""
    from fsrs import Scheduler

    return Scheduler(**SCHEDULER_OPTIONS)  # type: ignore[arg-type]


class Step(NamedTuple):
    """FSRS's answer for one review: the card's new memory, and the days to its next review."""

    stability: float
    difficulty: float
    interval: int


# One question to FSRS: the card's stability and difficulty before the review, the
# days since its last review and the rating. A new card is asked as (0.0, 0.0, 0,
# rating): FSRS never gives a card a stability of 0.
StepKey = tuple[float, float, int, int]
NEW_CARD = (0.0, 0.0)


class Steps:
    """FSRS's answers, each distinct question asked of ``fsrs`` once per process.

    ``source``, when set, is called once, at the first question, for answers kept
    from earlier commands (the services set it; the domain does no I/O). What this
    process had to ask ``fsrs`` is in ``learned``; every question it asked, in
    order, in ``used``: what a cache of the answers keeps first.
    """

    def __init__(self) -> None:
        self.known: dict[StepKey, Step] = {}
        self.learned: dict[StepKey, Step] = {}
        self.used: dict[StepKey, None] = {}
        self.decay: float | None = None  # the exponent of FSRS's forgetting curve
        self.source: Callable[[], tuple[dict[StepKey, Step], float] | None] | None = None
        self._curve: tuple[float, float] | None = None

    def _seed(self) -> None:
        source, self.source = self.source, None
        found = source() if source is not None else None
        if found is not None:
            known, decay = found
            self.known = {**known, **self.known}
            if self.decay is None:
                self.decay = decay

    def answer(self, stability: float, difficulty: float, elapsed: int, rating: Rating) -> Step:
        if self.source is not None:
            self._seed()
        key = (stability, difficulty, elapsed, int(rating))
        self.used[key] = None
        step = self.known.get(key)
        if step is None:
            step = self.known[key] = self.learned[key] = _ask_fsrs(key)
        return step

    def curve(self) -> tuple[float, float]:
        """FSRS's forgetting curve R(t) = (1 + factor * t / S) ** decay: (decay, factor)."""
        if self._curve is None:
            if self.source is not None:
                self._seed()
            if self.decay is None:
                self.decay = -float(scheduler().parameters[20])
            self._curve = (self.decay, 0.9 ** (1 / self.decay) - 1)
        return self._curve


STEPS = Steps()

_ANY_DAY = date(2000, 1, 3)  # FSRS's steps depend on days between events, not on the date


def _ask_fsrs(key: StepKey) -> Step:
    """FSRS's own answer to one question (see ``StepKey``), from its scheduler."""
    from fsrs import Card, State
    from fsrs import Rating as FsrsRating

    stability, difficulty, elapsed, rating = key
    last = at_noon(_ANY_DAY)
    when = last + timedelta(days=elapsed)
    if (stability, difficulty) == NEW_CARD:
        card = Card(card_id=1, due=when)
    else:
        card = Card(
            card_id=1,
            state=State.Review,
            step=None,
            stability=stability,
            difficulty=difficulty,
            due=last,
            last_review=last,
        )
    after, _ = scheduler().review_card(card, FsrsRating(rating), when)
    return Step(
        float(after.stability or 0.0), float(after.difficulty or 0.0), (after.due - when).days
    )


def build_card(topic: str, events: Iterable[ReviewEvent]) -> CardView:
    """Replay a topic's events (its first recall, then reviews, by day) into a card.

    An event on or before the previous one's day counts on that day: FSRS sees
    a same-day review as a short interval, which is what it was.
    """
    ordered = sorted(events, key=lambda e: (e.day, e.kind is ReviewKind.REVIEW))
    if not ordered:
        raise ValueError(f"no events for {topic}")
    first = ordered[0]
    step = STEPS.answer(*NEW_CARD, 0, first.rating)
    for before, event in pairwise(ordered):
        elapsed = (event.day - before.day).days
        step = STEPS.answer(step.stability, step.difficulty, elapsed, event.rating)
    last = ordered[-1]
    return _after(topic, first.day, last.day, last.rating, len(ordered) - 1, step)


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


class CardRows:
    """What the cards are replayed from, as read from the store; read-only once built.

    A plain class (not a dataclass, whose module loads ``inspect`` on every read):
    it caches the replayed cards on the instance.
    """

    def __init__(
        self,
        learned: dict[str, date] | None = None,  # finished topic: its card's day 1
        events: tuple[ReviewEvent, ...] = (),  # its first recall (if rated) and its reviews
    ) -> None:
        self.learned = learned if learned is not None else {}
        self.events = events

    def __repr__(self) -> str:
        return f"CardRows(learned={self.learned!r}, events={self.events!r})"

    def with_event(self, event: ReviewEvent) -> CardRows:
        """These rows and one more event (a review about to be stored)."""
        return CardRows(self.learned, (*self.events, event))

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

    The same as replaying that one recall (``build_card``).
    """
    return _after(topic, day, day, rating, 0, STEPS.answer(*NEW_CARD, 0, rating))


def next_due(card: CardView, day: date, rating: Rating = Rating.GOOD) -> CardView:
    """The card after a review on ``day`` with ``rating``: what the plan projects."""
    step = STEPS.answer(card.stability, card.difficulty, (day - card.last_review).days, rating)
    return _after(card.topic, card.learned, day, rating, card.reviews + 1, step)


def _after(
    topic: str, learned: date, day: date, rating: Rating, reviews: int, step: Step
) -> CardView:
    """The card after its review (or first recall) on ``day``, as FSRS's ``step`` left it."""
    return CardView(
        topic=topic,
        learned=learned,
        last_review=day,
        last_rating=rating,
        reviews=reviews,
        due=day + timedelta(days=step.interval),
        stability=step.stability,
        difficulty=step.difficulty,
    )


def due_on(cards: Iterable[CardView], day: date, first: int | None = None) -> list[CardView]:
    """The cards due on or before ``day``, lowest retrievability first (then by topic).

    With ``first``, only that many of them: a plan's day ranks its whole backlog
    but takes the few its review share holds.
    """
    due = (c for c in cards if c.due <= day)

    def key(card: CardView) -> tuple[float, str]:
        # FSRS's curve falls as the days since the last review grow against the card's
        # stability, and depends on nothing else: the larger that ratio, the lower the
        # retrievability. A plan ranks its backlog on every study day, so it ranks by
        # the ratio and spares a power per card per day.
        return (-max(0, (day - card.last_review).days) / card.stability, card.topic)

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
