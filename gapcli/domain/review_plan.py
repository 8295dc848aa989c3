"""Reviews inside the plan: each study day keeps a share of its minutes for them.

Pure, like the planner that calls it. On each study day, in order, the due
reviews (lowest retrievability first) take their minutes until the day's
review share is used up; the rest wait for the next study day, still lowest
retrievability first. A topic the plan finishes becomes a card on its last
day, as if marked done and recalled "good"; each planned review is projected
as recalled "good" too, so the card comes back at FSRS's next interval, and the
plan shows those returns. While reviews wait, the day's new study gives up as
many minutes as they would take, up to the review share again and never its
last minimum session: new topics (what makes more reviews) slow down and the
backlog shrinks, instead of the backlog growing while new topics race ahead.
Holding back more would leave study days idle: measured with
bench/review_year.py, it delayed the demo learner's finish further and left the
backlog no smaller. For the same reason the planner gives the held-back minutes
to a topic that fits in the day with them, rather than leave the day idle while
the topic waits for a day with room. New study always goes on, so every plan ends.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice
from typing import NamedTuple

from gapcli.domain.reviews import SHORTEST_REVIEW, CardView, Rating, due_on, first_card, next_due

# A backlog longer than this is ranked by the cards that fell due first: every plan a
# learner could follow stays far below it, and a catalog of 100,000 topics studied 24 h
# a day (whose reviews no share can hold) still plans in linear time.
RANKED = 500
HIGHEST_REVIEW_SHARE = 50  # more would leave new study less than the reviews' own slowdown


class DayReviews(NamedTuple):
    """What a study day holds for reviews: the reviews taken and the minutes held back."""

    reviews: tuple[tuple[str, int], ...]  # (topic, minutes), in the order studied
    held_back: int  # minutes of new study given up while reviews wait


class ReviewBook:
    """The finished topics' cards as the plan moves through its study days.

    Cards wait in a heap by due day, so a study day looks only at the cards due
    by then (a plan at a low pace walks thousands of days).
    """

    def __init__(
        self, cards: Iterable[CardView], minutes_of: Callable[[str], int], share: int
    ) -> None:
        self.share = share
        self.waiting: list[tuple[date, str, CardView]] = [(c.due, c.topic, c) for c in cards]
        heapq.heapify(self.waiting)
        self.minutes_of = minutes_of
        self.minutes = {topic: minutes_of(topic) for _, topic, _ in self.waiting}
        self.due: dict[str, CardView] = {}

    def __bool__(self) -> bool:
        """Whether any card is in the book (so some study days will hold reviews)."""
        return bool(self.waiting or self.due)

    def learn(self, topic: str, day: date) -> None:
        """A topic the plan finishes on ``day`` becomes a card, recalled "good" that day.

        Its reviews then take their place in the days after, like those of the
        topics finished before the plan: the finish date pays for them too.
        """
        card = first_card(topic, day)
        self.minutes[topic] = self.minutes_of(topic)
        heapq.heappush(self.waiting, (card.due, topic, card))

    def day(self, day: date, length: int, free: int, keep: int) -> DayReviews:
        """Reserve ``day``'s reviews: at most ``share`` % of its ``length``, within ``free``.

        ``keep`` is the minutes new study keeps however many reviews wait.
        """
        while self.waiting and self.waiting[0][0] <= day:
            _, topic, card = heapq.heappop(self.waiting)
            self.due[topic] = card
        cap = min(free, length * self.share // 100)
        if not self.due or cap < SHORTEST_REVIEW:
            # No review fits in today's share: holding new study back would not help.
            return DayReviews((), 0)
        taken: list[tuple[str, int]] = []
        used = 0
        # The share holds at most this many reviews: only they need ranking, among the
        # first RANKED of the backlog (it keeps the order the cards fell due in).
        backlog = islice(self.due.values(), RANKED)
        for card in due_on(backlog, day, cap // SHORTEST_REVIEW):
            # A review longer than what is left of the share is shortened to it, never
            # below the shortest review: the most forgotten topic is never stuck behind
            # a share too small for its full length.
            minutes = min(self.minutes[card.topic], cap - used)
            if minutes < SHORTEST_REVIEW:
                break
            used += minutes
            taken.append((card.topic, minutes))
            del self.due[card.topic]
            after = next_due(card, day, Rating.GOOD)
            heapq.heappush(self.waiting, (after.due, after.topic, after))
        room = min(cap, max(0, free - used - keep))
        waiting = 0
        for card in self.due.values():  # only as far as the day's room for new study
            if waiting >= room:
                break
            waiting += self.minutes[card.topic]
        return DayReviews(tuple(taken), min(waiting, room))
