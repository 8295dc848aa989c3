"""``gapcli config`` as plain lines and as JSON; ``config set``'s two-line answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.words import plural
from gapcli.render.terminal import line

if TYPE_CHECKING:
    from datetime import date

    from gapcli.views.config import ConfigView, SetResult


def print_config(view: ConfigView) -> None:
    width = max(len(item.key) for item in view.lines)
    for item in view.lines:
        since = f"  (set {item.changed_at:%Y-%m-%d})" if item.changed_at is not None else ""
        line(f"{item.key:<{width}}  {item.value}{since}")
    line(f"{'catalog':<{width}}  {view.catalog} ({view.catalog_name})")
    if view.history:
        changes = {row.change_id if row.change_id is not None else -row.id for row in view.history}
        line(
            f"{plural(len(changes), 'change')} in the settings history "
            "('gapcli undo' takes back the last)"
        )


def config_json(view: ConfigView) -> dict[str, Any]:
    """Typed values (numbers as numbers, days as names), then the append-only history."""
    settings = view.settings
    return {
        "weekly-hours": settings.weekly_hours,
        "study-days": [DAY_NAMES[d] for d in settings.study_days],
        "day-hours": (
            {DAY_NAMES[d]: round(m / 60, 4) for d, m in settings.day_hours}
            if settings.day_hours
            else None
        ),
        "study-time": settings.study_time,
        "min-session": settings.min_session,
        "track": settings.track,
        "review-share": settings.review_share,
        "catalog": view.catalog,
        "catalog_source": view.settings.catalog_source,
        "history": [
            {"id": row.id, "at": row.at.isoformat(), "key": row.key, "value": row.value}
            for row in view.history
        ],
    }


def _finish(day: date | None) -> str:
    return "no finish date" if day is None else f"{day:%Y-%m-%d}"


def print_set(result: SetResult) -> None:
    if not result.changed:
        line(f"{result.key.value} is already {result.after}; nothing changed.")
        return
    line(f"{result.key.value}: {result.before} -> {result.after}")
    if result.finish_before == result.finish_after:
        line(f"finish {_finish(result.finish_after)} (no change)")
    else:
        line(f"finish {_finish(result.finish_before)} -> {_finish(result.finish_after)}")
