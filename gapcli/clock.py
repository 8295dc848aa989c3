"""The one place gapcli reads the system clock.

Everything else receives ``today`` (or ``now``) as an argument, so a plan, a
forecast or a history can be computed for any day, and tests never depend on
the real date. ``GAPCLI_TODAY=YYYY-MM-DD`` moves today for every command: tests
pin it, and a learner can ask "what if" ("where will I stand on 1 March?").
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime

from gapcli.errors import InvalidValue

TODAY_VARIABLE = "GAPCLI_TODAY"
# The days GAPCLI_TODAY may pin: far enough from the ends of Python's calendar for
# the weeks a command looks back or ahead (history's grid, today's week) to exist.
EARLIEST = date(1970, 1, 1)
LATEST = date(9998, 12, 31)


def _pinned() -> date | None:
    text = os.environ.get(TODAY_VARIABLE, "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        _refuse(text)  # fromisoformat alone also takes 20261130 and 2026-W49-1
    try:
        pinned = date.fromisoformat(text)
    except ValueError:
        return _refuse(text)
    if not EARLIEST <= pinned <= LATEST:
        raise InvalidValue(
            f"{TODAY_VARIABLE} must be a date from {EARLIEST} to {LATEST} (got {text!r})"
        )
    return pinned


def _refuse(text: str) -> date:
    raise InvalidValue(f"{TODAY_VARIABLE} must be a date as YYYY-MM-DD (got {text[:40]!r})")


def today() -> date:
    """The learner's local date, or the one ``GAPCLI_TODAY`` pins."""
    return _pinned() or date.today()


def real_now() -> datetime:
    """This instant in UTC, never pinned: for the names of backups and kept copies.

    Backups sort by when they were really taken, so a "what if" run with
    ``GAPCLI_TODAY`` years ahead cannot make its backup look newest for years.
    """
    return datetime.now(UTC)


def now() -> datetime:
    """This instant in UTC; with ``GAPCLI_TODAY``, the same time of day on that date.

    Keeping the real time of day keeps consecutive writes in order within a
    pinned day, and the pinned date stays the local date of every stamp, so an
    assessment made "on" a pinned day is shown on that day.
    """
    pinned = _pinned()
    if pinned is None:
        return real_now()
    return datetime.combine(pinned, datetime.now().time()).astimezone(UTC)
