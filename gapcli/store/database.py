"""Connections done right for SQLite, and the one place a database is opened.

- Writers begin with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented recipe: the
  driver's own transaction handling is switched off and we emit BEGIN), so two
  processes writing at once queue on the busy timeout instead of failing.
- Every connection turns foreign keys on; writers use WAL.
- Readers open the file with ``mode=ro``: a read command never changes it.
- A new database file is created 0600 before SQLite sees it.
- No connection pool: a connection closes when its session ends, so the last
  one out checkpoints the WAL and a finished command leaves a single file (a
  pooled connection kept committed pages in ``-wal`` until garbage collection).
"""

from __future__ import annotations

import os
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
from sqlmodel import Session, create_engine

from gapcli.errors import DatabaseBusy, DatabaseError, NotInitialised
from gapcli.store.probe import RESTORE_HINT, FileState, probe, read_only_uri

BUSY_TIMEOUT_S = 5.0


def make_engine(path: Path, *, write: bool, foreign_keys: bool = True) -> Engine:
    # Connect ourselves rather than through a URL: "sqlite:///a#b?c/x.db" would
    # silently open "a#b" (SQLAlchemy reads "?" as the start of the query string).
    target = str(path) if write else read_only_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=not write, timeout=BUSY_TIMEOUT_S)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        dbapi_conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        if write:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file so SQLite (and its -wal/-shm) inherit private modes."""
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create directory {parent}: {exc.strerror}") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise DatabaseError(f"{path} appeared while gapcli was creating it; try again") from None
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)


class Database:
    """An opened gapcli database: hands out read or write sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._engines: dict[bool, Engine] = {}

    def _engine(self, write: bool) -> Engine:
        if write not in self._engines:
            self._engines[write] = make_engine(self.path, write=write)
        return self._engines[write]

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self.path), Session(self._engine(False)) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with translate_errors(self.path), Session(self._engine(True)) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn driver errors into one-line messages the user can act on."""
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig)
        if "locked" in text or "busy" in text:
            raise DatabaseBusy(f"{path} is busy (another gapcli is writing); try again") from None
        if "readonly" in text or "read-only" in text:
            raise DatabaseError(f"{path} is read-only; cannot save changes") from None
        if "disk" in text or "full" in text:
            raise DatabaseError(f"cannot write {path}: {text}; nothing was saved") from None
        raise DatabaseError(f"{path}: {text}") from None
    except SAError as exc:
        orig = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"{path}: {orig}; {RESTORE_HINT}") from None


def open_database(path: Path) -> Database:
    """Open an existing gapcli database, migrating it first when it is older."""
    state = probe(path)
    if state.state is FileState.MISSING:
        raise NotInitialised(f"no gapcli database at {path}; run 'gapcli init' first")
    if state.state is FileState.OUTDATED:
        from gapcli.store.migrate import upgrade_existing

        upgrade_existing(path)
    return Database(path)


def create_database(path: Path) -> Database:
    """Create a new, empty, migrated database at ``path`` (which must not exist)."""
    from gapcli.store.migrate import upgrade_new

    create_private_file(path)
    try:
        upgrade_new(path)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return Database(path)
