"""Every condition gapcli refuses, named for what went wrong.

The CLI turns any :class:`GapError` into one line on stderr and exit code 1;
nothing else in the code prints errors.
"""

from __future__ import annotations


class GapError(Exception):
    """A refused input or a data problem the user can act on."""


class NotInitialised(GapError):
    """No gapcli database exists yet at the chosen path."""


class AlreadyInitialised(GapError):
    """init would replace an existing profile."""


class DatabaseError(GapError):
    """The database file is missing, damaged, foreign, locked or too new."""


class DatabaseBusy(DatabaseError):
    """Another process held the write lock for longer than the busy timeout."""


class DriverMissing(DatabaseError):
    """A PostgreSQL store was named but psycopg (the ``postgres`` extra) is not installed."""


class BadLocation(DatabaseError):
    """``--db`` / ``GAPCLI_DB`` names neither a file nor a PostgreSQL URL gapcli can use."""


class CatalogError(GapError):
    """A catalog file could not be read or is invalid; lists every problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        first = problems[0] if problems else "invalid catalog"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{source}: {first}{more}")


class CatalogMismatch(GapError):
    """The catalog in use is not the one the profile was made with (another id)."""


class UnknownId(GapError):
    """A domain, topic, track or level id the catalog does not have."""


class InvalidValue(GapError):
    """A number, date or option value out of its allowed range."""


class OutputError(GapError):
    """An output file cannot be written where the user asked."""


class UnknownProfile(GapError):
    """No profile of that name, or several and none chosen."""
