"""Away days: ranges of days the learner will not study. Pure (no clock, no database).

A range is stored as its first and last day, both included. The rules a new
range must meet are here, so ``away add`` and ``import`` refuse the same things
with the same words: not inverted, not over :data:`MAX_AWAY_DAYS` (a year and a
day: a typo like 2207 for 2027 is caught, a sabbatical is not), not overlapping
a live range (two ranges over one day would make ``away remove`` of one of them
silently leave the day away), and a note of at most :data:`MAX_AWAY_NOTE`
characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from gapcli.errors import InvalidValue

MAX_AWAY_DAYS = 366
MAX_AWAY_NOTE = 10_000
FIRST_YEAR = 2000  # as a log's date: anything earlier is a typo
YEARS_AHEAD = 10  # an away day further ahead is a typo (and would near date.max)


class AwayRange(NamedTuple):
    id: int
    start: date
    end: date
    note: str | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def describe(self) -> str:
        if self.start == self.end:
            return f"away {self.id}: {self.start:%Y-%m-%d}"
        return f"away {self.id}: {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d} ({self.days} days)"


def check_range(start: date, end: date, live: Iterable[AwayRange], today: date) -> None:
    """Refuse an inverted, absurdly long, overlapping or far-off range, in one line."""
    for what, day in (("starts", start), ("ends", end)):
        if day.year < FIRST_YEAR:
            raise InvalidValue(f"the away range {what} {day.isoformat()}, too far in the past")
        if day.year > today.year + YEARS_AHEAD:
            raise InvalidValue(
                f"the away range {what} {day:%Y-%m-%d}, more than {YEARS_AHEAD} years ahead"
            )
    if end < start:
        raise InvalidValue(
            f"the away range ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})"
        )
    length = (end - start).days + 1
    if length > MAX_AWAY_DAYS:
        raise InvalidValue(
            f"the away range is {length} days long; at most {MAX_AWAY_DAYS} "
            "(add a longer absence as several ranges)"
        )
    for other in live:
        if start <= other.end and other.start <= end:
            raise InvalidValue(
                f"{start:%Y-%m-%d} to {end:%Y-%m-%d} overlaps {other.describe()} "
                f"(remove it first with 'gapcli away remove {other.id}')"
            )


def check_away_note(note: str | None) -> str | None:
    """The note as stored: trimmed, None when empty; over the cap refused.

    Bytes that were not UTF-8 in the shell (lone surrogates) become U+FFFD, which
    SQLite can store.
    """
    if note is None:
        return None
    note = note.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if len(note) > MAX_AWAY_NOTE:
        raise InvalidValue(f"the note is {len(note)} characters; at most {MAX_AWAY_NOTE}")
    return note.strip() or None


def away_days(ranges: Iterable[AwayRange]) -> frozenset[date]:
    """Every day of every range: what the planner, the pace and the streak skip."""
    days: set[date] = set()
    for r in ranges:
        days.update(r.start + timedelta(days=n) for n in range(r.days))
    return frozenset(days)
