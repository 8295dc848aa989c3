"""The rows review cards are replayed from, read from the store (see gapcli.domain.reviews).

Reading them is two small queries; replaying them (``Snapshot.cards``) loads
``fsrs`` and walks every review, so it happens only when a command asks for the
cards (a plan, the gaps, the reviews), never for ``log-progress``.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from gapcli.domain.reviews import CardRows, Rating, ReviewEvent, ReviewKind
from gapcli.store import queries


def read_card_rows(conn: sqlite3.Connection) -> CardRows:
    """Each finished topic's first day and the events to replay.

    A card's first day is the day of the first recall written with its newest
    done mark (the session's day, which may be in the past); a done mark from
    before reviews existed starts the card on the mark's own local day.
    """
    done = queries.done_since(conn)
    if not done:
        return CardRows()
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
    return CardRows(first, tuple(events))
