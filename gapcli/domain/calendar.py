"""Study days and dates: parsing and formatting the learner's week."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gapcli.errors import InvalidValue

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALIASES = {name: i for i, name in enumerate(DAY_NAMES)} | {
    full: i
    for i, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}


def parse_study_days(text: str | Iterable[str]) -> tuple[int, ...]:
    """'mon,wed,sat' -> (0, 2, 5); weekday numbers as in ``date.weekday()``."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    days: set[int] = set()
    for raw in parts:
        name = raw.strip().lower()
        if not name:
            continue
        if name not in _ALIASES:
            raise InvalidValue(
                f"unknown study day '{raw.strip()}'; use three-letter names like mon,wed,sat"
            )
        days.add(_ALIASES[name])
    if not days:
        raise InvalidValue("no study days given; use for example --study-days mon,wed,sat")
    return tuple(sorted(days))


def format_study_days(days: Iterable[int]) -> str:
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def parse_date(text: str, *, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"bad {what} '{text}'; use YYYY-MM-DD, for example 2026-11-23"
        ) from None


MAX_WEEKLY_HOURS = 168.0
# Below half an hour a week a plan spans decades of tiny blocks (and takes long to build).
MIN_WEEKLY_HOURS = 0.5


def check_weekly_hours(hours: float) -> float:
    if hours != hours or hours < MIN_WEEKLY_HOURS:
        raise InvalidValue(
            f"weekly hours must be at least {MIN_WEEKLY_HOURS:g} (half an hour; got {hours:g})"
        )
    if hours > MAX_WEEKLY_HOURS:
        raise InvalidValue(f"weekly hours cannot exceed {MAX_WEEKLY_HOURS:g} (got {hours:g})")
    return hours


def parse_clock(text: str, *, what: str = "--at") -> str:
    """'7:30' or '19:00' -> 'HH:MM' (24-hour clock), the form the profile stores."""
    hours, sep, minutes = text.strip().partition(":")
    if (
        not sep
        or not (hours.isdigit() and minutes.isdigit())
        or len(hours) > 2
        or len(minutes) != 2
        or int(hours) > 23
        or int(minutes) > 59
    ):
        raise InvalidValue(f"{what} wants a time like 19:00 (24-hour HH:MM), not '{text}'")
    return f"{int(hours):02d}:{minutes}"
