"""The learner's settings as ``gapcli config set`` takes them: keys, values, checks.

Pure (no database, no clock): the services read the stored history and call
these. Each value is checked as ``init`` checks it and stored in one canonical
text form, so the newest row of a key reads back to the same setting.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum

from gapcli.domain.calendar import (
    DAY_NAMES,
    WEEKDAYS,
    check_week,
    check_weekly_hours,
    format_study_days,
    parse_clock,
    parse_study_days,
)
from gapcli.domain.echo import quoted
from gapcli.domain.numbers import parse_float, parse_int
from gapcli.domain.sessions import HIGHEST_SESSION_MINUTES, LOWEST_SESSION_MINUTES
from gapcli.errors import InvalidValue

DAY = 24 * 60
EVEN = "even"  # day-hours: back to the even split of the weekly hours

DayHours = tuple[tuple[int, int], ...]  # (weekday, minutes), by weekday


class SettingKey(StrEnum):
    """What ``config set`` changes, named as on the command line."""

    WEEKLY_HOURS = "weekly-hours"
    STUDY_DAYS = "study-days"
    DAY_HOURS = "day-hours"
    STUDY_TIME = "study-time"
    MIN_SESSION = "min-session"
    TRACK = "track"
    REVIEW_SHARE = "review-share"


class CatalogKey(StrEnum):
    """The catalog in use, as ``gapcli catalog switch`` records it in the settings history.

    Not a :class:`SettingKey`: ``config set`` refuses it, since switching the
    catalog changes what the learner's progress means and has its own command.
    """

    SOURCE = "catalog"  # "builtin" or the catalog file's absolute path
    ID = "catalog-id"


def parse_key(text: str) -> SettingKey:
    """The key typed; an unknown one is refused with the closest keys."""
    wanted = text.strip().lower().replace("_", "-")
    try:
        return SettingKey(wanted)
    except ValueError:
        pass
    if wanted in (CatalogKey.SOURCE, CatalogKey.ID):
        raise InvalidValue(
            "the catalog is shown by 'gapcli config' but not set there: switching a profile's "
            "catalog changes what its progress means; 'gapcli catalog switch FILE' shows "
            "what carries over first"
        )
    import difflib  # only a mistyped key needs it; every read loads this module

    keys = [k.value for k in SettingKey]
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(k) for k in close)}?" if close else ""
    raise InvalidValue(f"unknown setting {quoted(text)}{hint} (settings: {', '.join(keys)})")


def parse_weekly_hours(text: str) -> float:
    try:
        hours = parse_float(text)
    except ValueError:
        raise InvalidValue(
            f"weekly-hours wants a number of hours like 6 or 7.5, not {quoted(text)}"
        ) from None
    return check_weekly_hours(hours)


def parse_min_session(text: str) -> int:
    """The plan's shortest session in minutes, in the planner's range."""
    try:
        minutes = parse_int(text)
    except ValueError:
        raise InvalidValue(
            f"min-session wants whole minutes like 45, not {quoted(text)}"
        ) from None
    if not LOWEST_SESSION_MINUTES <= minutes <= HIGHEST_SESSION_MINUTES:
        raise InvalidValue(
            f"min-session must be {LOWEST_SESSION_MINUTES} to {HIGHEST_SESSION_MINUTES} "
            f"minutes (got {minutes})"
        )
    return minutes


def parse_review_share(text: str) -> int:
    """The % of a study day reviews may take: 0 (no reviews planned) to the highest."""
    from gapcli.domain.review_plan import HIGHEST_REVIEW_SHARE

    try:
        share = parse_int(text.strip().removesuffix("%"))
    except ValueError:
        raise InvalidValue(
            f"review-share wants a whole percentage like 25, not {quoted(text)}"
        ) from None
    if not 0 <= share <= HIGHEST_REVIEW_SHARE:
        raise InvalidValue(
            f"review-share must be 0 to {HIGHEST_REVIEW_SHARE} % of a study day (got {share})"
        )
    return share


def parse_day_hours(text: str) -> DayHours:
    """'mon=1,sat=4' -> ((0, 60), (5, 240)); 'even' -> () (the even split again)."""
    cleaned = text.strip().lower()
    if cleaned == EVEN:
        return ()
    found: dict[int, int] = {}
    for raw in cleaned.split(","):
        part = raw.strip()
        if not part:
            continue
        name, sep, amount = part.partition("=")
        day = WEEKDAYS.get(name.strip())
        if not sep or day is None:
            raise InvalidValue(
                f"day-hours wants days with hours like mon=1,sat=4 (or 'even'), not {quoted(part)}"
            )
        if day in found:
            raise InvalidValue(f"day-hours names {DAY_NAMES[day]} twice")
        try:
            hours = parse_float(amount)
        except ValueError:
            raise InvalidValue(f"day-hours: {quoted(amount)} is not a number of hours") from None
        minutes = round(hours * 60) if math.isfinite(hours) else -1
        if not 1 <= minutes <= DAY:
            raise InvalidValue(
                f"day-hours: {DAY_NAMES[day]} must have more than 0 and at most 24 hours "
                f"(got {amount.strip()})"
            )
        found[day] = minutes
    if not found:
        raise InvalidValue("day-hours wants days with hours like mon=1,sat=4 (or 'even')")
    return tuple(sorted(found.items()))


def _hours(minutes: int) -> str:
    return f"{round(minutes / 60, 2):g}"


def format_day_hours(day_hours: DayHours) -> str:
    """The stored and shown form: 'mon=1,sat=4.5'; 'even' for none."""
    if not day_hours:
        return EVEN
    return ",".join(f"{DAY_NAMES[d]}={m / 60:g}" for d, m in day_hours)


def day_lengths(
    weekly_hours: float, study_days: Iterable[int], day_hours: DayHours
) -> dict[int, int]:
    """Each study day's minutes: its own when day-hours name it, else the even share."""
    days = sorted(set(study_days))
    named = dict(day_hours)
    even = int(weekly_hours * 60 + 1e-6) // max(1, len(days))
    return {d: named.get(d, min(DAY, even)) for d in days}


def day_minutes(
    weekly_hours: float, study_days: Iterable[int], day_hours: DayHours
) -> tuple[int, ...] | None:
    """The planner's ``day_minutes`` (Monday first, 0 off study days); None without day-hours."""
    if not day_hours:
        return None
    lengths = day_lengths(weekly_hours, study_days, day_hours)
    return tuple(lengths.get(d, 0) for d in range(7))


def check_settings(weekly_hours: float, study_days: tuple[int, ...], day_hours: DayHours) -> None:
    """Refuse a combination the planner could not honour, in one line.

    As ``init``: no more than 24 h a study day on the even split. With
    day-hours: each named day is a study day, and the week's hours fit in the
    days' hours (else the weekly hours could never be studied).
    """
    check_week(weekly_hours, study_days, way_out="give more study days or fewer weekly-hours")
    if not day_hours:
        return
    off = [DAY_NAMES[d] for d, _ in day_hours if d not in study_days]
    if off:
        raise InvalidValue(
            f"day-hours give hours to {','.join(off)}, not among your study days "
            f"({format_study_days(study_days)}); change study-days or day-hours "
            "('day-hours even' clears them)"
        )
    lengths = day_lengths(weekly_hours, study_days, day_hours)
    total = sum(lengths.values())
    if round(weekly_hours * 60) > total:
        parts = " + ".join(f"{DAY_NAMES[d]} {_hours(m)}" for d, m in sorted(lengths.items()))
        raise InvalidValue(
            f"{weekly_hours:g} h a week do not fit in your days ({parts} = {_hours(total)} h); "
            "give the days more hours or lower weekly-hours"
        )


def normalise(key: SettingKey, text: str) -> str:
    """The canonical stored text of a value, checked on its own (``track`` is the service's)."""
    match key:
        case SettingKey.WEEKLY_HOURS:
            return f"{parse_weekly_hours(text):g}"
        case SettingKey.STUDY_DAYS:
            return format_study_days(parse_study_days(text))
        case SettingKey.DAY_HOURS:
            return format_day_hours(parse_day_hours(text))
        case SettingKey.STUDY_TIME:
            return parse_clock(text, what="study-time")
        case SettingKey.MIN_SESSION:
            return str(parse_min_session(text))
        case SettingKey.TRACK:
            return text.strip()
        case SettingKey.REVIEW_SHARE:
            return str(parse_review_share(text))
