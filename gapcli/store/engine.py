"""SQLAlchemy engines for writes and migrations, the way SQLite needs them.

- Writers begin with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented recipe: the
  driver's own transaction handling is switched off and we emit BEGIN), so two
  processes writing at once queue on the busy timeout instead of failing.
- Every connection turns foreign keys on; writers use WAL.
- No connection pool: a connection closes when its session ends, so the last
  one out checkpoints the WAL and a finished command leaves a single file (a
  pooled connection kept committed pages in ``-wal`` until garbage collection).

Only commands that write import this module (and SQLAlchemy with it); reads go
through :mod:`gapcli.store.queries` and the standard library.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError as SAError
from sqlalchemy.pool import NullPool
from sqlmodel import create_engine

from gapcli.store import (
    orm_scope,  # noqa: F401  (scopes every ORM session to one profile)
    sqlite_file,
)
from gapcli.store.probe import read_only_uri
from gapcli.store.sqlite_file import driver_error, operational_error


def make_engine(path: Path, *, write: bool, foreign_keys: bool = True) -> Engine:
    # Connect ourselves rather than through a URL: "sqlite:///a#b?c/x.db" would
    # silently open "a#b" (SQLAlchemy reads "?" as the start of the query string).
    target = str(path) if write else read_only_uri(path)
    timeout = sqlite_file.BUSY_TIMEOUT_S

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=not write, timeout=timeout)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        dbapi_conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        if write:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn driver errors into one-line messages the user can act on."""
    try:
        yield
    except OperationalError as exc:
        raise operational_error(path, str(exc.orig)) from None
    except SAError as exc:
        orig = getattr(exc, "orig", None) or exc
        raise driver_error(path, str(orig)) from None
