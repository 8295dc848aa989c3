"""Reviews of finished topics: the cards, ``gapcli review`` and ``gapcli reviews``.

A topic marked done is a card from that day on; each review is a row of its own
and its minutes a study session, all under one change (``undo`` takes it back).
Cards are replayed from the rows every time (see :mod:`gapcli.domain.reviews`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from gapcli.domain.calendar import check_day_total
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.reviews import Rating, ReviewKind, review_minutes
from gapcli.errors import InvalidValue
from gapcli.services import steps_cache
from gapcli.services.profile import now
from gapcli.services.state import snapshot
from gapcli.views.reviews import DueCard, ReviewResult, ReviewsView

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace

LONGEST_REVIEW_LOG = 24 * 60


def reviews_view(ws: Workspace, today: date, *, everything: bool) -> ReviewsView:
    snap = snapshot(ws)
    cards = snap.cards
    catalog = snap.catalog
    rows = [
        DueCard(
            card,
            catalog.domain_of_topic[card.topic],
            card.retrievability(today),
            review_minutes(catalog.topic_by_id[card.topic].hours),
        )
        for card in cards.values()
    ]
    rows.sort(key=lambda r: (r.retrievability, r.card.topic))
    steps_cache.save()
    due = [r for r in rows if r.card.due <= today]
    return ReviewsView(today, tuple(rows if everything else due), len(due), len(rows), everything)


def record_review(
    ws: Workspace,
    what: str,
    rating: Rating,
    *,
    minutes: int | None,
    day: date,
    note: str | None,
    today: date,
) -> ReviewResult:
    """Append a review of a finished topic and its minutes as a study session."""
    from gapcli.domain.matching import resolve
    from gapcli.domain.reviews import ReviewEvent, cards_for
    from gapcli.services.progress import check_day, check_note
    from gapcli.store import log_rows

    snap = snapshot(ws)
    catalog = snap.catalog
    topic = resolve(what, {t.id: t.name for t in catalog.topic_by_id.values()}, "topic")
    check_day(day, today)
    note = check_note(note)
    card = snap.cards.get(topic)
    if card is None:
        raise InvalidValue(
            f"'{topic}' is not finished; reviews are for topics you marked done "
            f"('gapcli log-progress {topic} --done')"
        )
    if day < card.learned:
        raise InvalidValue(
            f"'{topic}' was finished on {card.learned:%Y-%m-%d}; a review comes after that"
        )
    amount = review_minutes(catalog.topic_by_id[topic].hours) if minutes is None else minutes
    if not 1 <= amount <= LONGEST_REVIEW_LOG:
        raise InvalidValue(f"--minutes must be 1 to {LONGEST_REVIEW_LOG} (got {amount})")
    # The card with this review in its place among the others: a backdated review
    # may come before reviews already recorded, so it is replayed, not appended.
    rows = snap.card_rows
    added = ReviewEvent(topic, day, rating)
    after = cards_for(rows.with_event(added), {topic})[topic]
    stamp = now()
    db = ws.database()
    with db.write_sql() as conn:
        pid = db.chosen_profile_id()
        check_day_total(day, log_rows.day_minutes(conn, day, profile_id=pid), amount)
        change_id = log_rows.add_change(
            conn,
            at=stamp,
            kind=ChangeKind.REVIEW,
            summary=f"reviewed {topic} ({rating.label}, {amount} min, {day:%Y-%m-%d})",
            undo=record_to_json(AddedRows()),
            profile_id=pid,
        )
        session_id = log_rows.add_session(
            conn,
            day=day,
            minutes=amount,
            domain_id=catalog.domain_of_topic[topic],
            topic_id=topic,
            note=note if note is not None else f"review ({rating.label})",
            logged_at=stamp,
            change_id=change_id,
            profile_id=pid,
        )
        log_rows.add_review(
            conn,
            at=stamp,
            day=day,
            topic_id=topic,
            rating=int(rating),
            kind=ReviewKind.REVIEW.value,
            session_id=session_id,
            change_id=change_id,
            profile_id=pid,
        )
    steps_cache.save()
    return ReviewResult(topic, rating, amount, day, card, after)
