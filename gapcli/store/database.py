"""The one place a database is opened: reads through the standard library, writes through SQLModel.

- Readers open the file with ``mode=ro`` in one read transaction (one consistent
  snapshot for every query of a command), through :mod:`sqlite3` alone: a read
  command never changes the file, and never pays for importing SQLAlchemy.
- Writers get a SQLModel session from :mod:`gapcli.store.engine` (``BEGIN IMMEDIATE``,
  WAL, foreign keys), imported only when a command writes.
- A new database file is created 0600 before SQLite sees it.

:mod:`gapcli.store.engine` and :mod:`gapcli.store.migrate` are imported inside
the functions that need them for their cost alone (SQLAlchemy, alembic): neither
imports this module, so the store's imports have no cycle to dodge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.errors import DatabaseError, NotInitialised
from gapcli.store import sqlite_file
from gapcli.store.probe import FileState, probe, read_only_uri
from gapcli.store.sqlite_file import (
    RESTORE_HINT,
    create_private_file,
    database_files,
    driver_error,
    operational_error,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


class Database:
    """An opened gapcli database: hands out read connections and write sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._engines: dict[bool, Engine] = {}

    def _engine(self, write: bool) -> Engine:
        if write not in self._engines:
            from gapcli.store.engine import make_engine

            self._engines[write] = make_engine(self.path, write=write)
        return self._engines[write]

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection inside one transaction: every query sees the same data."""
        try:
            conn = sqlite3.connect(
                read_only_uri(self.path),
                uri=True,
                timeout=sqlite_file.BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {self.path}: {exc}") from None
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.OperationalError as exc:
            raise operational_error(self.path, str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise driver_error(self.path, str(exc)) from None
        finally:
            conn.close()

    @contextmanager
    def orm_read(self) -> Iterator[Session]:
        """A read-only SQLModel session, for the few reads that sit beside a write."""
        from sqlmodel import Session

        from gapcli.store.engine import translate_errors

        with translate_errors(self.path), Session(self._engine(False)) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        from sqlmodel import Session

        from gapcli.store.engine import translate_errors

        with translate_errors(self.path), Session(self._engine(True)) as session:
            try:
                self._refuse_damaged(session)
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _refuse_damaged(self, session: Session) -> None:
        """Never write into a damaged file: a write could bury what a restore would save.

        ``quick_check`` takes a few milliseconds on a learner's database (29 ms on
        73,000 sessions) and reads every page, including those this write won't touch.
        """
        result = session.connection().exec_driver_sql("PRAGMA quick_check(1)").scalar()
        if result != "ok":
            raise DatabaseError(f"{self.path} is damaged ({result}); {RESTORE_HINT}")

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


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
        for file in database_files(path):
            file.unlink(missing_ok=True)
        raise
    return Database(path)
