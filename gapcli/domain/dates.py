"""Dates as a learner types them: ``today``, ``yesterday``, ``-3d``, ``-2w``, ``mon``, ISO.

Pure: the caller passes ``today`` (read once, from :mod:`gapcli.clock`). Every
relative form names a day up to today, never after it: "mon" on a Wednesday is
two days ago, and on a Monday it is today. Only an ISO date can be in the future;
whether that is allowed is the caller's rule (a log refuses it, ``plan --start``
takes it).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from gapcli.domain.calendar import WEEKDAYS, parse_date
from gapcli.domain.echo import quoted
from gapcli.errors import InvalidValue

# ASCII digits only (``re.ASCII``): ``-٣d`` is not three days ago. Seven digits reach
# past year 1 from any today, so the overflow is caught below rather than by length.
_AGO = re.compile(r"-([0-9]{1,7})([dw])", re.ASCII)
_ISO_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

FORMS = "YYYY-MM-DD (e.g. 2026-11-23), today, yesterday, -3d, -2w or a weekday (mon..sun)"


def parse_day(text: str, today: date, *, what: str = "date") -> date:
    """The day ``text`` names, seen from ``today``; one line listing the forms if none."""
    cleaned = text.strip().lower()
    if _ISO_SHAPE.fullmatch(cleaned):
        return parse_date(cleaned, what=what)
    try:
        relative = _relative(cleaned, today)
    except OverflowError:
        raise InvalidValue(f"{what} {quoted(text)} is before the year 1") from None
    if relative is None:
        raise InvalidValue(f"bad {what} {quoted(text)}; use {FORMS}")
    return relative


def _relative(text: str, today: date) -> date | None:
    if text == "today":
        return today
    if text == "yesterday":
        return _back(today, 1)
    weekday = WEEKDAYS.get(text)
    if weekday is not None:
        return _back(today, (today.weekday() - weekday) % 7)
    match = _AGO.fullmatch(text)
    if match is None:
        return None
    count = int(match[1])
    return _back(today, count * (7 if match[2] == "w" else 1))


def _back(today: date, days: int) -> date:
    return today - timedelta(days=days)  # OverflowError before the year 1: see parse_day
