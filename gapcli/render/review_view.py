"""``gapcli review``'s answer and ``gapcli reviews``'s list, as lines and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcli.domain.calendar import span
from gapcli.domain.words import plural
from gapcli.render.terminal import line

if TYPE_CHECKING:
    from gapcli.views.reviews import ReviewResult, ReviewsView


def print_review(result: ReviewResult) -> None:
    line(
        f"Reviewed {result.topic} ({result.rating.label}, {span(result.minutes)}, "
        f"{result.day:%Y-%m-%d}); next review {result.after.due:%Y-%m-%d} "
        f"(was due {result.before.due:%Y-%m-%d})."
    )


def print_reviews(view: ReviewsView) -> None:
    if not view.total:
        line("No finished topics yet: a topic you mark done comes back here for review.")
        return
    if not view.cards:
        line(f"Nothing due today; {plural(view.total, 'finished topic')} in review.")
        return
    title = "All finished topics" if view.all else f"Due for review ({view.due_count})"
    line(f"{title}, {view.today:%Y-%m-%d}, the most forgotten first:")
    for row in view.cards:
        card = row.card
        line(
            f"  {card.topic} ({row.domain}): due {card.due:%Y-%m-%d}, recall "
            f"{round(row.retrievability * 100)}%, last {card.last_rating.label}, "
            f"{span(row.minutes)}"
        )


def reviews_json(view: ReviewsView) -> list[dict[str, Any]]:
    return [
        {
            "topic": row.card.topic,
            "domain": row.domain,
            "due": row.card.due.isoformat(),
            "retrievability": round(row.retrievability, 4),
            "last_rating": row.card.last_rating.label,
            "last_review": row.card.last_review.isoformat(),
            "reviews": row.card.reviews,
            "minutes": row.minutes,
        }
        for row in view.cards
    ]
