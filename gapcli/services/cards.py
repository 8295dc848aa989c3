"""The review cards of finished topics, from the stored rows (see :mod:`gapcli.domain.reviews`).

Reading the rows is two small queries; replaying them loads ``fsrs`` and walks
every review, so it happens only when a command asks for the cards (a plan, the
gaps, the reviews), never for ``log-progress``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, datetime

from gapcli.domain.reviews import CardView, Rating, ReviewEvent, ReviewKind, build_cards
from gapcli.store import queries


@dataclass(frozen=True)
class CardRows:
    """What the cards are replayed from: each finished topic's done mark, every review."""

    done: dict[str, datetime] = field(default_factory=dict)  # topic: its newest done mark
    reviews: tuple[queries.ReviewRow, ...] = ()


def read_card_rows(conn: sqlite3.Connection) -> CardRows:
    done = queries.done_since(conn)
    return CardRows(done, tuple(queries.reviews(conn)) if done else ())


def cards_from(rows: CardRows, topics: Set[str]) -> dict[str, CardView]:
    """A card for each finished topic in ``topics``.

    Its first day is the day of the first recall written with its newest done
    mark (the session's day, which may be in the past); a done mark from before
    reviews existed starts the card on the mark's own local day.
    """
    done = {t: at for t, at in rows.done.items() if t in topics}
    if not done:
        return {}
    learned: dict[str, date] = {}
    events: list[ReviewEvent] = []
    for row in rows.reviews:
        if row.topic_id not in done:
            continue
        if row.kind == ReviewKind.LEARNED:
            if row.at >= done[row.topic_id]:
                learned[row.topic_id] = row.day
                rating = Rating(row.rating)
                events.append(ReviewEvent(row.topic_id, row.day, rating, ReviewKind.LEARNED))
        else:
            events.append(ReviewEvent(row.topic_id, row.day, Rating(row.rating)))
    first = {t: learned.get(t, at.astimezone().date()) for t, at in done.items()}
    return build_cards(first, events)
