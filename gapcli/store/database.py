"""The one place a database is opened: reads through the standard library, writes through SQLModel.

- Readers open the file with ``mode=ro`` in one read transaction (one consistent
  snapshot for every query of a command), through :mod:`sqlite3` alone: a read
  command never changes the file, and never pays for importing SQLAlchemy.
- Writers get a SQLModel session from :mod:`gapcli.store.engine` (``BEGIN IMMEDIATE``,
  WAL, foreign keys), imported only when a command writes. ``log-progress``, the
  write people run most, adds its few rows through :mod:`sqlite3` instead
  (:meth:`Database.write_sql`, same transaction settings and checks), so it does
  not load SQLAlchemy either.
- A new database file is created 0600 before SQLite sees it, under a temporary
  name, and renamed into place only once it is whole: a killed ``init`` never
  leaves a half-made file where the learner's database belongs.
- Only a write migrates an older file; a read shows it as the newest schema
  would (:mod:`gapcli.store.old_schema`).

:mod:`gapcli.store.engine` and :mod:`gapcli.store.migrate` are imported inside
the functions that need them for their cost alone (SQLAlchemy, alembic): neither
imports this module, so the store's imports have no cycle to dodge.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.errors import DatabaseError, NotInitialised
from gapcli.leftovers import LeftoverKind, sweep_leftovers
from gapcli.store import sqlite_file
from gapcli.store.probe import UNFINISHED_HINT, FileState, probe, read_only_uri
from gapcli.store.sqlite_file import (
    RESTORE_HINT,
    create_private_file,
    database_files,
    driver_error,
    operational_error,
    release_side_files,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


class Database:
    """An opened gapcli database: hands out read connections and write sessions."""

    def __init__(self, path: Path, *, outdated: bool = False, profile: str | None = None) -> None:
        self.path = path
        self._outdated = outdated
        self._engines: dict[bool, Engine] = {}
        self.profile = profile  # the name --profile / $GAPCLI_PROFILE gave, if any
        self.label = str(path)  # how messages name the store (a PostgreSQL URL, masked)
        # The chosen profile's id once a connection has looked (None: the store has none).
        self._profile_id: int | None = None
        self._resolved = False

    def _choose(self, rows: Sequence[tuple[int, str]]) -> int | None:
        """The id of the profile this command is about, among the store's ``rows``
        (see :func:`gapcli.domain.profiles.choose_profile`); looked up once."""
        if not self._resolved:
            from gapcli.domain.profiles import choose_profile

            ids = {str(name): int(i) for i, name in rows}
            chosen = choose_profile(list(ids), self.profile, self.label)
            self._profile_id = None if chosen is None else ids[chosen]
            self._resolved = True
        return self._profile_id

    @property
    def profile_id(self) -> int | None:
        """The chosen profile's id (its rows are what every command reads and writes)."""
        if not self._resolved:
            with self.read():
                pass
        return self._profile_id

    def chosen_profile_id(self) -> int:
        """The chosen profile's id, for a write that names it; refused when there is none."""
        pid = self.profile_id
        if pid is None:
            raise NotInitialised("no profile yet; run 'gapcli init' first")
        return pid

    def use_profile(self, profile_id: int) -> None:
        """From now on, this command is about profile ``profile_id`` (one it just made)."""
        self._profile_id, self._resolved = profile_id, True

    def _upgrade_for_writing(self) -> None:
        """An older file is migrated by the first write, never by a read."""
        if self._outdated:
            from gapcli.store.migrate import upgrade_existing

            upgrade_existing(self.path)
            self._outdated = False

    def _engine(self, write: bool) -> Engine:
        if write not in self._engines:
            from gapcli.store.engine import make_engine

            self._engines[write] = make_engine(self.path, write=write)
        return self._engines[write]

    @contextmanager
    def read(
        self, *, scoped: bool = True, each_member: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """A read-only connection inside one transaction: every query sees the same data.

        ``scoped``: it sees the chosen profile's rows only (:mod:`gapcli.store.scope`);
        whole-store reads (``gapcli profiles``) say False and choose nothing.
        ``each_member`` (with ``scoped=False``): the team commands read every learner,
        one at a time (:mod:`gapcli.store.team_queries`).
        """
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
            if self._outdated:  # only then: the views are built from the schema contract
                from gapcli.store.old_schema import show_added_columns

                show_added_columns(conn)
            conn.execute("BEGIN")
            if scoped:
                from gapcli.store.scope import profile_names, scope_to_profile

                chosen = self._choose(profile_names(conn))
                if not self._outdated:  # an older file holds one learner: nothing to hide
                    scope_to_profile(conn, 0 if chosen is None else chosen)
            elif each_member:
                from gapcli.store.team_queries import show_members

                show_members(conn, "main")
            yield conn
        except sqlite3.OperationalError as exc:
            raise operational_error(self.path, str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise driver_error(self.path, str(exc)) from None
        finally:
            conn.close()
            release_side_files(self.path)

    @contextmanager
    def orm_read(self) -> Iterator[Session]:
        """A read-only SQLModel session, for the few reads that sit beside a write."""
        from sqlmodel import Session

        from gapcli.store.engine import translate_errors

        self._upgrade_for_writing()  # only write commands read through the ORM
        with translate_errors(self.path), Session(self._engine(False)) as session:
            self._scope_session(session)
            yield session

    @contextmanager
    def write(self, *, scoped: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``scoped``: the session sees and writes the chosen profile's rows only; the
        few commands that manage profiles themselves (init, import, profile) say False.
        """
        from sqlmodel import Session

        from gapcli.store.engine import translate_errors

        self._upgrade_for_writing()
        with translate_errors(self.path), Session(self._engine(True)) as session:
            try:
                self._refuse_damaged(session)
                if scoped:
                    self._scope_session(session)
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def write_sql(self) -> Iterator[sqlite3.Connection]:
        """:meth:`write` over the standard library: one ``BEGIN IMMEDIATE`` transaction.

        The connection is set up as :func:`gapcli.store.engine.make_engine` sets a
        writer's (busy timeout, foreign keys, WAL, full sync), the file is refused if
        damaged, and the block is committed when it ends or rolled back on any error.
        No pool: closing this last connection checkpoints the WAL, as the ORM's does.
        """
        self._upgrade_for_writing()
        timeout = sqlite_file.BUSY_TIMEOUT_S
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {self.path}: {exc}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._check_intact(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
                self._choose(conn.execute("SELECT id, name FROM profile").fetchall())
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise operational_error(self.path, str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise driver_error(self.path, str(exc)) from None
        finally:
            conn.close()

    def _scope_session(self, session: Session) -> None:
        """The session reads and writes the chosen profile's rows only (engine.py's hooks)."""
        rows = session.connection().exec_driver_sql("SELECT id, name FROM profile").fetchall()
        session.info["profile_id"] = self._choose([(int(i), str(n)) for i, n in rows])

    def _refuse_damaged(self, session: Session) -> None:
        result = session.connection().exec_driver_sql("PRAGMA quick_check(1)").scalar()
        self._check_intact(result)

    def _check_intact(self, result: object) -> None:
        """Never write into a damaged file: a write could bury what a restore would save.

        ``quick_check`` reads every page, including those this write won't touch: a
        learner's database is small, and a write is worth that certainty.
        """
        if result != "ok":
            raise DatabaseError(f"{self.path} is damaged ({result}); {RESTORE_HINT}")

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def open_database(path: Path, profile: str | None = None) -> Database:
    """Open an existing gapcli database; an older one is migrated by its first write.

    ``profile`` names the learner whose rows the commands see (None: the only one).
    """
    state = probe(path)
    if state.state is FileState.MISSING:
        raise NotInitialised(f"no gapcli database at {path}; run 'gapcli init' first")
    if state.state is FileState.UNFINISHED:
        raise NotInitialised(f"{path}: {UNFINISHED_HINT}")
    return Database(path, outdated=state.state is FileState.OUTDATED, profile=profile)


def create_database(
    path: Path, fill: Callable[[Database], None] | None = None, *, replace_unfinished: bool = False
) -> Database:
    """Create a migrated database at ``path``, filled by ``fill``, whole or not at all.

    It is made under a temporary name in the same folder and renamed into place
    once its last connection has closed (so it is one file, its -wal checkpointed).
    ``path`` must not exist, unless it is what an unfinished ``init`` left
    (``replace_unfinished``). Leftovers of earlier killed attempts are swept first.
    """
    import secrets

    from gapcli.store.migrate import upgrade_new

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    create_private_file(tmp)
    sweep_leftovers(tmp, LeftoverKind.NEW_DATABASE, path.name)
    try:
        upgrade_new(tmp)
        made = Database(tmp)
        try:
            if fill is not None:
                fill(made)
        finally:
            made.dispose()
        if Path(f"{tmp}-wal").exists():
            raise DatabaseError(f"cannot create {path}: its last changes could not be saved")
        _sync(tmp)
        _move_into_place(tmp, path, replace=replace_unfinished)
    except BaseException:
        for file in database_files(tmp):
            file.unlink(missing_ok=True)
        raise
    return Database(path)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(tmp: Path, path: Path, *, replace: bool) -> None:
    """Rename the new file to ``path``; never over a database that appeared meanwhile."""
    try:
        if replace:
            for side in database_files(path)[1:]:
                side.unlink(missing_ok=True)  # the unfinished init's, settled and empty
            tmp.replace(path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no other init is overwritten
            except FileExistsError:
                raise DatabaseError(
                    f"{path} appeared while gapcli was creating it; try again"
                ) from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise DatabaseError(
                        f"{path} appeared while gapcli was creating it; try again"
                    ) from None
                tmp.replace(path)
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
