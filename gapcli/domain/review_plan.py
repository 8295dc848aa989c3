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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from gapcli.domain.reviews import CardView, Rating, due_on, next_due

HIGHEST_REVIEW_SHARE = 50  # more would leave new study less than the reviews' own slowdown


@dataclass(frozen=True)
class DayReviews:
    """What a study day holds for reviews: the reviews taken and the minutes held back."""

    reviews: tuple[tuple[str, int], ...]  # (topic, minutes), in the order studied
    held_back: int  # minutes of new study given up while reviews wait


class ReviewBook:
    """The finished topics' cards as the plan moves through its study days."""

    def __init__(
        self, cards: Iterable[CardView], minutes_of: Callable[[str], int], share: int
    ) -> None:
        self.cards = {c.topic: c for c in cards}
        self.minutes_of = minutes_of
        self.share = share

    def day(self, day: date, length: int, free: int) -> DayReviews:
        """Reserve ``day``'s reviews: at most ``share`` % of its ``length``, within ``free``."""
        cap = min(free, length * self.share // 100)
        if cap <= 0 or not self.cards:
            return DayReviews((), 0)
        taken: list[tuple[str, int]] = []
        used = 0
        due = due_on(self.cards.values(), day)
        for card in due:
            minutes = self.minutes_of(card.topic)
            if used + minutes > cap:
                break
            used += minutes
            taken.append((card.topic, minutes))
            self.cards[card.topic] = next_due(card, day, Rating.GOOD)
        waiting = sum(self.minutes_of(c.topic) for c in due[len(taken) :])
        return DayReviews(tuple(taken), min(waiting, cap))
