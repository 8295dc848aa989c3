"""The one place a database is opened: reads through the standard library, writes through SQLModel.

- Readers open the file with ``mode=ro`` in one read transaction (one consistent
  snapshot for every query of a command), through :mod:`sqlite3` alone: a read
  command never changes the file, and never pays for importing SQLAlchemy.
- Writers get a SQLModel session from :mod:`gapcli.store.engine` (``BEGIN IMMEDIATE``,
  WAL, foreign keys), imported only when a command writes.
- A new database file is created 0600 before SQLite sees it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.errors import DatabaseBusy, DatabaseError, NotInitialised
from gapcli.store.probe import RESTORE_HINT, FileState, probe, read_only_uri

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_S = 5.0


def operational_error(path: Path, text: str) -> DatabaseError:
    """The one-line error for an SQLite operational error, whichever driver layer saw it."""
    if "locked" in text or "busy" in text:
        return DatabaseBusy(f"{path} is busy (another gapcli is writing); try again")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"{path} is read-only; cannot save changes")
    if "disk" in text or "full" in text:
        return DatabaseError(f"cannot write {path}: {text}; nothing was saved")
    return DatabaseError(f"{path}: {text}")


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
                timeout=BUSY_TIMEOUT_S,
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
            raise DatabaseError(f"{self.path}: {exc}; {RESTORE_HINT}") from None
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
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return Database(path)
