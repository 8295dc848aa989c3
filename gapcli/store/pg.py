"""Writes on PostgreSQL with the guarantees gapcli gives on SQLite.

On SQLite a write is one ``BEGIN IMMEDIATE`` transaction: the write lock is taken
before anything is read, so a read-then-write never works from a stale read, and any
error rolls everything back. PostgreSQL has no database-wide write lock; its own
means for the same guarantee is the SERIALIZABLE isolation level: each unit of work
behaves as if it ran alone, and when two interleave in a way that could lose an
update, one of them fails at its next statement or at COMMIT with SQLSTATE 40001
(serialization failure), or 40P01 when the server broke a deadlock. Nothing of the
failed attempt is kept, so it is safe to run the unit again from the start.

So :func:`write` (psycopg) and :func:`orm_write` (SQLModel sessions) run a unit of
work in one SERIALIZABLE transaction and retry it on 40001/40P01 only:

- at most :data:`ATTEMPTS` (30) attempts, with pauses adding up to at most about
  6 s (3 s on average), then :class:`~gapcli.errors.DatabaseBusy` ("try again"):
  the same order as SQLite's 5 s busy timeout, so a write that keeps conflicting
  ends with a clear message instead of hanging. Measured on the test server with 8
  writers incrementing one row (a read, 1 ms, a write: the worst case, all on one
  row), the unluckiest unit of 200 needed 8 to 10 attempts, and with 10 attempts
  allowed 2 runs in 8 gave up: hence 30, not 10;
- between attempts, a pause drawn uniformly from 0 to ``BACKOFF_FIRST * 2**k``
  seconds (5 ms, 10 ms, 20 ms ... capped at :data:`BACKOFF_CAP`, 250 ms).
  Exponential so a crowd of writers thins out; random ("full jitter") so writers
  that failed together do not retry together and collide again.

Every other error (a constraint, a bug in the unit, a lost connection) rolls the
whole transaction back and is raised at once, never retried: a unit is all or
nothing. The unit may run more than once, so it must only read and write through
the connection or session it is given (no printing, no files) until it returns.

Every connection works in UTC (``SET TIME ZONE 'UTC'``): gapcli stores moments as
aware UTC datetimes (``timestamp with time zone``), and a server's own TimeZone must
not shift what reads return.

The commands do not write through these helpers: their units of work are ``with``
blocks that cannot be re-run, so :mod:`gapcli.store.pg_database` takes row locks
instead (see there). These remain for a unit of work written as a callable.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from gapcli.errors import DatabaseBusy, DatabaseError
from gapcli.store.location import Location, require_psycopg

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

T = TypeVar("T")

RETRYABLE = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 30
BACKOFF_FIRST = 0.005  # seconds
BACKOFF_CAP = 0.25  # seconds
BUSY = "the database is busy (other writers kept conflicting); nothing was saved, try again"


def backoff(attempt: int, draw: Callable[[float, float], float] = random.uniform) -> float:
    """The pause after failed attempt ``attempt`` (1, 2, ...): full jitter, capped."""
    return draw(0.0, min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** (attempt - 1)))


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, also when SQLAlchemy wraps it (``.orig``)."""
    for candidate in (exc, getattr(exc, "orig", None)):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def retrying(
    attempt_once: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``attempt_once`` (one whole transaction) until it commits, retrying on
    40001/40P01 only, at most ``attempts`` times; then :class:`DatabaseBusy`."""
    for attempt in range(1, attempts + 1):
        try:
            return attempt_once()
        except Exception as exc:
            if sqlstate(exc) not in RETRYABLE:
                raise
            if attempt == attempts:
                raise DatabaseBusy(BUSY) from exc
            sleep(backoff(attempt))
    raise AssertionError("unreachable")  # pragma: no cover  (attempts >= 1)


@contextmanager
def connect(location: Location) -> Iterator[psycopg.Connection[Any]]:
    """A psycopg connection to ``location``, in UTC, SERIALIZABLE, closed on exit.

    In autocommit mode, so nothing is open between units of work: each
    ``conn.transaction()`` is one BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT.
    """
    require_psycopg()
    import psycopg

    try:
        conn = psycopg.connect(location.conninfo(), autocommit=True)
    except psycopg.Error as exc:  # unreachable, refused, bad URL, authentication...
        lines = str(exc).strip().splitlines()
        reason = location.scrub(lines[0] if lines else type(exc).__name__)
        raise DatabaseError(f"cannot connect to {location.masked()}: {reason}") from None
    try:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
        yield conn
    finally:
        conn.close()


def write(
    conn: psycopg.Connection[Any],
    work: Callable[[psycopg.Connection[Any]], T],
    *,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work(conn)`` as one SERIALIZABLE transaction, all or nothing, retried on
    serialization failure or deadlock (see the module's docstring)."""

    def once() -> T:
        with conn.transaction():
            return work(conn)

    return retrying(once, attempts=attempts, sleep=sleep)


def make_engine(location: Location) -> Engine:
    """A SQLAlchemy engine on ``location`` (postgresql+psycopg), SERIALIZABLE, in UTC."""
    require_psycopg()
    from sqlalchemy import create_engine, event

    engine = create_engine(
        location.sqlalchemy_url(), isolation_level="SERIALIZABLE", pool_pre_ping=True
    )

    @event.listens_for(engine, "connect")
    def _utc(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.autocommit = autocommit

    return engine


def orm_write(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work(session)`` in one SERIALIZABLE transaction through SQLModel, with the
    same retry as :func:`write`: gapcli's ORM writers, ported unchanged."""
    from sqlmodel import Session

    def once() -> T:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            return work(session)

    return retrying(once, attempts=attempts, sleep=sleep)
