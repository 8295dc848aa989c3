"""Where the store is: a SQLite file or a PostgreSQL server, from ``--db`` / ``GAPCLI_DB``.

A value with a ``postgresql://``, ``postgres://`` or ``postgresql+psycopg://`` scheme
names a PostgreSQL database (libpq's URL form: ``postgresql://user@host:port/dbname``,
a Unix socket folder as ``?host=/path``); anything else is a SQLite file's path, as
before. Any other ``scheme://`` is refused: a typo such as ``postgressql://`` must not
silently become a file of that odd name.

The password a URL may hold never leaves this module unmasked: :meth:`Location.masked`
(also ``str()`` and ``repr()``) shows ``postgresql://ann:***@host/db``, and every
message gapcli prints about a store uses it. Only :meth:`Location.conninfo` and
:meth:`Location.sqlalchemy_url`, which go to the driver, carry the password. Better
still is no password in the URL at all: psycopg (libpq) reads ``PGPASSWORD``,
``PGPASSFILE`` / ``~/.pgpass`` and the other ``PG*`` variables itself.

No I/O and no driver import here, except :func:`require_psycopg`, which says what to
install when the driver is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote

from gapcli.errors import BadLocation, DriverMissing

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
MASK = "***"
INSTALL_DRIVER = "PostgreSQL needs psycopg: pip install 'gapcli[postgres]'"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# A password given as a query parameter (libpq accepts ?password=...).
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


class StoreKind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class Location:
    """One store: ``path`` for SQLite, or a PostgreSQL URL (kept private, see masked())."""

    kind: StoreKind
    path: Path | None = None
    _rest: str = field(default="", repr=False)  # the URL after "scheme://", as given
    _scheme: str = field(default="", repr=False)

    @property
    def is_postgres(self) -> bool:
        return self.kind is StoreKind.POSTGRESQL

    def masked(self) -> str:
        """What gapcli prints for this store: a path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return masked(f"{self._scheme}://{self._rest}")

    def scrub(self, text: str) -> str:
        """``text`` (a driver's message, say) with this URL's password hidden, as typed
        or decoded, wherever it appears; and any URL in it masked."""
        for secret in sorted(_passwords(self._rest), key=len, reverse=True):
            text = text.replace(secret, MASK)
        return masked(text)

    def conninfo(self) -> str:
        """The URL for psycopg.connect() (libpq knows only postgresql:// and postgres://)."""
        self._need_url()
        return f"postgresql://{self._rest}"

    def sqlalchemy_url(self) -> str:
        """The URL for SQLAlchemy's create_engine(), with psycopg 3 as the driver."""
        if self.path is not None:
            return f"sqlite:///{self.path}"
        return f"postgresql+psycopg://{self._rest}"

    def _need_url(self) -> None:
        if not self.is_postgres:
            raise BadLocation(f"{self.masked()} is a SQLite file, not a PostgreSQL URL")

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Location({self.kind.value}, {self.masked()!r})"


def parse_location(value: str | Path) -> Location:
    """A ``--db`` / ``GAPCLI_DB`` value as a store's location.

    Give the string as typed: a ``pathlib.Path`` folds ``postgresql://`` into
    ``postgresql:/``, so a URL passed as a Path is refused (with the reason) rather
    than guessed at.
    """
    text = str(value)
    match = _SCHEME.match(text)
    if match is None:
        if re.match(r"^postgres(ql)?(\+psycopg)?:", text, re.IGNORECASE):
            # Not echoed: without "scheme://" no part of it can be told to be a password.
            raise BadLocation(
                "that database location starts like a PostgreSQL URL but is not one (not "
                "shown: it may hold a password); write postgresql://user@host:port/dbname"
            )
        if not text.strip():
            raise BadLocation("the database location is empty; give a file or a URL")
        return Location(StoreKind.SQLITE, path=Path(text).expanduser())
    scheme = match.group(1)
    if scheme.lower() not in POSTGRES_SCHEMES:
        raise BadLocation(
            f"{masked(text)}: unknown kind of database URL {scheme}://; give a SQLite file's "
            "path or postgresql://user@host:port/dbname"
        )
    return Location(StoreKind.POSTGRESQL, _rest=text[match.end() :], _scheme=scheme)


def masked(text: str) -> str:
    """``text`` with any URL password replaced by ``***``; other text is returned as is.

    Conservative by design: the credentials are everything between ``scheme://`` and
    the *last* ``@`` of the string, so a password holding an unescaped ``@``, ``/``,
    ``?`` or ``#`` is hidden too (an ``@`` further on, in a query, hides more than it
    must, never less). A ``password=`` query parameter is hidden as well.
    """
    match = _SCHEME.match(text)
    if match is None:
        return _hide_query_password(text)
    head, rest = text[: match.end()], text[match.end() :]
    at = rest.rfind("@")
    if at < 0:
        return head + _hide_query_password(rest)
    userinfo, after = rest[:at], _hide_query_password(rest[at + 1 :])
    user, colon, _password = userinfo.partition(":")
    if colon:
        return f"{head}{user}:{MASK}@{after}"
    return f"{head}{_hide_query_password(userinfo)}@{after}"


def _passwords(rest: str) -> set[str]:
    """The passwords in a URL's part after ``scheme://`` (as masked() finds them)."""
    userinfo = rest[: max(rest.rfind("@"), 0)]
    found = {userinfo.partition(":")[2]}
    found.update(m.group(0).split("=", 1)[1] for m in _QUERY_PASSWORD.finditer(rest))
    return {form for secret in found if secret for form in (secret, unquote(secret))}


def _hide_query_password(text: str) -> str:
    return _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, text)


def require_psycopg() -> None:
    """Raise :class:`DriverMissing` (one line: what to install) unless psycopg imports."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DriverMissing(INSTALL_DRIVER) from None
