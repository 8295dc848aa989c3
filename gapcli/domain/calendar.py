"""Study days and dates: parsing and formatting the learner's week."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from gapcli.domain.echo import quoted
from gapcli.errors import InvalidValue

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = {name: i for i, name in enumerate(DAY_NAMES)} | {
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
        if name not in WEEKDAYS:
            raise InvalidValue(
                f"unknown study day {quoted(raw.strip())}; use three-letter names like mon,wed,sat"
            )
        if WEEKDAYS[name] in days:
            raise InvalidValue(f"study day {quoted(raw.strip())} is given twice")
        days.add(WEEKDAYS[name])
    if not days:
        raise InvalidValue("no study days given; use for example --study-days mon,wed,sat")
    return tuple(sorted(days))


def format_study_days(days: Iterable[int]) -> str:
    return ",".join(DAY_NAMES[d] for d in sorted(days))


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def parse_date(text: str, *, what: str = "date") -> date:
    """YYYY-MM-DD only, as the message says: Python 3.11's ``fromisoformat`` also takes
    ``20240229`` and ``2024-W01-1``, which a learner would not recognise in output."""
    cleaned = text.strip()
    try:
        if not _ISO_DAY.fullmatch(cleaned):
            raise ValueError(cleaned)
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValue(
            f"bad {what} {quoted(text)}; use YYYY-MM-DD, for example 2026-11-23"
        ) from None


# The zone furthest ahead of UTC (Kiribati's Line Islands): no one's today is later.
AHEAD_OF_UTC = timedelta(hours=14)


def latest_date_anywhere(now: datetime) -> date:
    """The date somewhere on Earth is at most this at ``now``.

    A record carries the date where it was made: exported at UTC+14 and imported
    at UTC-11 at once, its newest session is a day or two ahead of the importer's
    today, yet not in the future.
    """
    return (now.astimezone(UTC) + AHEAD_OF_UTC).date()


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


DAY_MINUTES = 24 * 60


def span(minutes: int) -> str:
    """Minutes as a learner reads them: '45 min', '20 h', '20 h 30 min'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def check_day_total(
    day: date, logged: Mapping[int, int], adding: int, *, edited: int | None = None
) -> None:
    """Refuse study time that takes ``day`` past its 24 hours.

    One log is capped at 24 h, but a day's total was not: 38 h logged on one day
    made the measured pace (and the forecast built on it) four times too fast.
    ``logged`` maps the id of each session the day already holds (not session
    ``edited``, when an edit moves or lengthens one) to its minutes; ``adding`` is
    what the change puts on the day. The refusal names those sessions, so that
    ``history edit`` can fix the right one.
    """
    total = sum(logged.values())
    if total + adding <= DAY_MINUTES:
        return
    ids = sorted(logged)
    shown = ", ".join(str(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
    named = f" (session{'s' if len(ids) != 1 else ''} {shown})" if ids else ""
    change = f"{span(adding)} more" if edited is None else f"session {edited} at {span(adding)}"
    raise InvalidValue(
        f"{day:%Y-%m-%d} already holds {span(total)} of study{named}; {change} "
        f"would make {span(total + adding)}, more than the 24 h of a day"
    )


def check_week(
    weekly_hours: float,
    study_days: tuple[int, ...],
    *,
    way_out: str = "give more study days or fewer hours",
) -> None:
    """Refuse settings that plan more than 24 h on a study day.

    The planner shares the weekly hours evenly over the study days, so 168 h on
    mon alone would plan 168 h on one Monday.
    """
    count = len(study_days)
    if weekly_hours > 24 * count:
        days = f"{count} study day" + ("s" if count != 1 else "")
        raise InvalidValue(
            f"{weekly_hours:g} h a week over {days} is more than 24 h a day "
            f"(at most {24 * count} h a week on {format_study_days(study_days)}; {way_out})"
        )


def parse_clock(text: str, *, what: str = "--at") -> str:
    """'7:30' or '19:00' -> 'HH:MM' (24-hour clock), the form the profile stores."""
    # ASCII digits only: str.isdigit() and int() take Arabic-Indic ones, which were stored.
    match = _CLOCK.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidValue(f"{what} wants a time like 19:00 (24-hour HH:MM), not {quoted(text)}")
    return f"{int(match[1]):02d}:{match[2]}"
