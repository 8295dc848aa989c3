"""The review cards of finished topics, read from the store (see :mod:`gapcli.domain.reviews`)."""

from __future__ import annotations

import sqlite3
from datetime import date

from gapcli.domain.reviews import CardView, Rating, ReviewEvent, ReviewKind, build_cards
from gapcli.store import queries


def cards_from(conn: sqlite3.Connection) -> dict[str, CardView]:
    """A card for each finished topic, replayed from the stored rows.

    Its first day is the day of the first recall written with its newest done
    mark (the session's day, which may be in the past); a done mark from before
    reviews existed starts the card on the mark's own local day.
    """
    done = queries.done_since(conn)
    if not done:
        return {}
    learned: dict[str, date] = {}
    events: list[ReviewEvent] = []
    for row in queries.reviews(conn):
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
