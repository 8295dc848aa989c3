"""``gapcli reviews`` and ``review``: the cards due, and what one review changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.domain.reviews import CardView, Rating


@dataclass(frozen=True)
class DueCard:
    card: CardView
    domain: str
    retrievability: float
    minutes: int  # how long its review takes (see ``review_minutes``)


@dataclass(frozen=True)
class ReviewsView:
    today: date
    cards: tuple[DueCard, ...]  # due ones (or all), lowest retrievability first
    due_count: int
    total: int
    all: bool


@dataclass(frozen=True)
class ReviewResult:
    topic: str
    rating: Rating
    minutes: int
    day: date
    before: CardView
    after: CardView
