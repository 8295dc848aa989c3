"""Reviews inside the plan: each study day keeps a share of its minutes for them.

Pure, like the planner that calls it. On each study day, in order, the due
reviews (lowest retrievability first) take their minutes until the day's
review share is used up; the rest wait for the next study day, still lowest
retrievability first. Each planned review is projected as recalled "good", so
the card comes back at FSRS's next interval, and the plan shows those returns
too. While reviews wait, the day's new study gives up as many minutes as the
review share again (never more than that, so new study always goes on): new
topics slow down and the backlog shrinks, instead of the backlog growing while
new topics race ahead.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from gapcli.domain.reviews import SHORTEST_REVIEW, CardView, Rating, due_on, next_due

HIGHEST_REVIEW_SHARE = 50  # more would leave new study less than the reviews' own slowdown


@dataclass(frozen=True)
class DayReviews:
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
        self.minutes = {topic: minutes_of(topic) for _, topic, _ in self.waiting}
        self.due: dict[str, CardView] = {}

    def day(self, day: date, length: int, free: int) -> DayReviews:
        """Reserve ``day``'s reviews: at most ``share`` % of its ``length``, within ``free``."""
        while self.waiting and self.waiting[0][0] <= day:
            _, topic, card = heapq.heappop(self.waiting)
            self.due[topic] = card
        cap = min(free, length * self.share // 100)
        if not self.due or cap < SHORTEST_REVIEW:
            # No review fits in today's share: holding new study back would not help.
            return DayReviews((), 0)
        taken: list[tuple[str, int]] = []
        used = 0
        due = due_on(self.due.values(), day)
        for card in due:
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
        waiting = sum(min(self.minutes[c.topic], cap) for c in due[len(taken) :])
        return DayReviews(tuple(taken), min(waiting, cap))
