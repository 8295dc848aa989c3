"""A gapcli store on PostgreSQL, with the interface of :class:`gapcli.store.database.Database`.

Reads: one psycopg connection in one ``REPEATABLE READ READ ONLY`` transaction (one
snapshot for every query of a command), wrapped by :class:`PgConnection` so that the
plain SQL of :mod:`gapcli.store.queries` runs unchanged: ``?`` placeholders become
``%s``, and values come back as :mod:`sqlite3` gives them (dates and moments as the
text SQLite stores, ``numeric`` as float). One set of queries, no SQLAlchemy.
The chosen profile's rows are shown through temporary views named like the tables
(:mod:`gapcli.store.scope`), created at the start of the transaction, which is then
made READ ONLY (PostgreSQL refuses CREATE in a read-only transaction, but lets a
transaction become read-only after it has begun).

Writes: no lost update, all or nothing, by explicit row locks rather than SERIALIZABLE
retries. The services write in ``with db.write() as session:`` blocks, which a context
manager cannot run a second time, so a retry on 40001 would mean rewriting every
service as a callback. Instead each write is one READ COMMITTED transaction that first
locks what it is about: a scoped write (one learner) locks its ``profile`` row ``FOR
UPDATE``; a whole-store write (init, import, profile rename/remove) locks the
``profile`` table ``IN EXCLUSIVE MODE`` (which waits for every row lock and blocks new
ones). Every later statement of a READ COMMITTED transaction sees what was committed
before it began, so a read-then-write inside a unit sees the previous writer's rows:
writers of one learner queue like SQLite's ``BEGIN IMMEDIATE``, writers of different
learners never wait for each other, and nothing is retried. A lock held longer than
SQLite's busy timeout (5 s, ``lock_timeout``), or a deadlock the server breaks (40P01;
none is expected: every unit takes its one lock first), rolls the unit back with a
"busy, try again" message.

Migrations: alembic, from empty at ``init`` and when the stored revision is older at
the first write, under an advisory lock so two processes never migrate at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gapcli.errors import BadLocation, DatabaseBusy, DatabaseError, NotInitialised
from gapcli.store.database import Database
from gapcli.store.location import Location, require_psycopg
from gapcli.store.schema import HEAD, REVISIONS

if TYPE_CHECKING:
    import sqlite3

    import psycopg
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

MIGRATION_LOCK = 0x6761_7063  # "gapc": pg_advisory_xact_lock key held while migrating
RETRYABLE = frozenset({"40001", "40P01"})
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out
# How long a write waits for another's lock before "busy, try again": SQLite's busy timeout.
LOCK_TIMEOUT_MS = 5000
SESSION_SETUP = f"SET TIME ZONE 'UTC'; SET lock_timeout = {LOCK_TIMEOUT_MS}"


def sqlite_moment(text: str) -> str:
    """PostgreSQL's text of a UTC ``timestamptz`` ('2026-11-23 17:29:49.2042+00') as
    SQLite stores a moment ('2026-11-23 17:29:49.204200')."""
    head = text[:19]
    rest = text[19:]
    fraction = ""
    if rest.startswith("."):
        end = 1
        while end < len(rest) and rest[end].isdigit():
            end += 1
        fraction = rest[1:end]
    return f"{head}.{fraction.ljust(6, '0')[:6]}"


def _register_loaders(conn: psycopg.Connection[Any]) -> None:
    """Values as :mod:`sqlite3` returns them, so queries.py parses them unchanged."""
    from psycopg.adapt import Loader

    class AsText(Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode()

    class Moment(Loader):
        def load(self, data: Any) -> str:
            return sqlite_moment(bytes(data).decode())

    class AsFloat(Loader):
        def load(self, data: Any) -> float:
            return float(bytes(data).decode())

    conn.adapters.register_loader("date", AsText)
    conn.adapters.register_loader("timestamptz", Moment)
    conn.adapters.register_loader("timestamp", Moment)
    conn.adapters.register_loader("numeric", AsFloat)


def translate(sql: str, params: Sequence[Any] | None) -> tuple[str, Sequence[Any] | None]:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    if not params:
        return sql, None
    return sql.replace("%", "%%").replace("?", "%s"), tuple(params)


class PgCursor:
    """The part of :class:`sqlite3.Cursor` the store uses: rows, and ``lastrowid``."""

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class PgConnection:
    """A psycopg connection that answers ``execute`` as a :class:`sqlite3.Connection`:
    the store's plain SQL, one copy for both databases."""

    def __init__(self, conn: psycopg.Connection[Any], location: Location) -> None:
        self._conn = conn
        self._location = location

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        import psycopg

        text, args = translate(sql, params)
        inserting = text.lstrip().upper().startswith("INSERT") and "RETURNING" not in text.upper()
        if inserting:
            text += " RETURNING id"
        try:
            cursor = self._conn.execute(text, args)
            if inserting:
                row = cursor.fetchone()
                return PgCursor(cursor, None if row is None else int(row[0]))
        except psycopg.Error as exc:
            raise _error(self._location, exc) from None
        return PgCursor(cursor)


def _error(location: Location, exc: BaseException) -> DatabaseError:
    """One line naming the masked URL; never the password, never a traceback."""
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None)
    if state in RETRYABLE or state == LOCK_NOT_AVAILABLE:
        return DatabaseBusy(
            f"{location.masked()} is busy (another write held it for more than "
            f"{LOCK_TIMEOUT_MS // 1000} s); nothing was saved, try again"
        )
    lines = str(orig).strip().splitlines()
    reason = location.scrub(lines[0] if lines else type(orig).__name__)
    return DatabaseError(f"{location.masked()}: {reason}")


def connect(location: Location) -> psycopg.Connection[Any]:
    """A psycopg connection in autocommit mode, in UTC, with sqlite3-like loaders; a lock
    held by another writer is waited for :data:`LOCK_TIMEOUT_MS` at most (then busy)."""
    require_psycopg()
    import psycopg

    try:
        conn = psycopg.connect(location.conninfo(), autocommit=True)
    except psycopg.Error as exc:  # down, refused, bad password, no such database...
        lines = str(exc).strip().splitlines()
        reason = location.scrub(lines[0] if lines else type(exc).__name__)
        raise DatabaseError(f"cannot connect to {location.masked()}: {reason}") from None
    try:
        conn.execute(SESSION_SETUP)
    except psycopg.Error as exc:
        conn.close()
        raise _error(location, exc) from None
    _register_loaders(conn)
    return conn


def stored_revision(location: Location) -> str | None:
    """The schema revision of the server database (None: gapcli's tables are not there)."""
    conn = connect(location)
    try:
        present = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if not present or not present[0]:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        conn.close()


def make_engine(location: Location) -> Engine:
    """SQLAlchemy on postgresql+psycopg: READ COMMITTED (see the module), UTC, no pool."""
    require_psycopg()
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool
    from sqlmodel import create_engine

    from gapcli.store import orm_scope  # noqa: F401  (scopes every ORM session to a profile)

    try:
        engine = create_engine(
            location.sqlalchemy_url(), isolation_level="READ COMMITTED", poolclass=NullPool
        )
    except ValueError:  # SQLAlchemy's URL parser: libpq's "h1:5432,h2:5433" for one
        raise BadLocation(
            f"{location.masked()}: gapcli's writes cannot use this URL (several hosts in "
            "one URL are not supported); give one host"
        ) from None

    @event.listens_for(engine, "connect")
    def _utc(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute(SESSION_SETUP)
        dbapi_connection.autocommit = autocommit

    return engine


def upgrade(location: Location) -> None:
    """Migrate the server database to the newest revision (from empty too), in one
    transaction, one process at a time (an advisory lock; the others then find it done)."""
    from alembic import command
    from sqlalchemy import text

    from gapcli.store.migrate import alembic_config

    engine = make_engine(location)
    try:
        with _translated(location), engine.connect() as conn, conn.begin():
            conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


@contextmanager
def _translated(location: Location) -> Iterator[None]:
    """SQLAlchemy's and psycopg's errors as one masked line."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as exc:
        raise _error(location, exc) from None
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise _error(location, exc) from None
        raise


class PgDatabase(Database):
    """A gapcli store on a PostgreSQL server (see the module's docstring)."""

    def __init__(
        self, location: Location, *, outdated: bool = False, profile: str | None = None
    ) -> None:
        super().__init__(Path(location.masked()), outdated=outdated, profile=profile)
        self.location = location
        self.label = location.masked()
        self._pg_engine: Engine | None = None

    def _upgrade_for_writing(self) -> None:
        if self._outdated:
            upgrade(self.location)
            self._outdated = False

    def _orm_engine(self) -> Engine:
        if self._pg_engine is None:
            self._pg_engine = make_engine(self.location)
        return self._pg_engine

    @contextmanager
    def read(
        self, *, scoped: bool = True, each_member: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """One REPEATABLE READ snapshot, read-only once the profile's views exist."""
        import psycopg

        if self._outdated:
            raise DatabaseError(
                f"{self.label} holds an older gapcli schema; any write command (for example "
                "'gapcli config set ...') migrates it first"
            )
        raw = connect(self.location)
        conn = PgConnection(raw, self.location)
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            if scoped:
                from gapcli.store.scope import profile_names, scope_to_profile

                wrapped = cast("sqlite3.Connection", conn)
                chosen = self._choose(profile_names(wrapped))
                scope_to_profile(wrapped, 0 if chosen is None else chosen, schema=_schema(conn))
            elif each_member:
                from gapcli.store.team_queries import show_members

                show_members(cast("sqlite3.Connection", conn), _schema(conn))
            conn.execute("SET TRANSACTION READ ONLY")
            yield cast("sqlite3.Connection", conn)
        except psycopg.Error as exc:
            raise _error(self.location, exc) from None
        finally:
            raw.close()

    @contextmanager
    def orm_read(self) -> Iterator[Session]:
        from sqlmodel import Session

        self._upgrade_for_writing()
        with _translated(self.location), Session(self._orm_engine()) as session:
            self._scope_session(session)
            yield session

    @contextmanager
    def write(self, *, scoped: bool = True) -> Iterator[Session]:
        """One READ COMMITTED transaction that locks first (see the module's docstring)."""
        from sqlmodel import Session

        self._upgrade_for_writing()
        with _translated(self.location), Session(self._orm_engine()) as session:
            try:
                connection = session.connection()
                if scoped:
                    self._scope_session(session)
                    pid = session.info["profile_id"]
                    if pid is not None:
                        connection.exec_driver_sql(
                            "SELECT id FROM profile WHERE id = %(id)s FOR UPDATE", {"id": pid}
                        )
                else:
                    connection.exec_driver_sql("LOCK TABLE profile IN EXCLUSIVE MODE")
                yield session
                if not scoped:  # import keeps an export's ids: the sequences follow
                    session.flush()
                    follow_sequences(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def write_sql(self) -> Iterator[sqlite3.Connection]:
        """:meth:`write` through the wrapper: the same SQL as on SQLite (log-progress),
        no SQLAlchemy; the chosen profile's row is locked first."""
        import psycopg

        self._upgrade_for_writing()
        raw = connect(self.location)
        conn = PgConnection(raw, self.location)
        try:
            with raw.transaction():
                rows = conn.execute("SELECT id, name FROM profile").fetchall()
                pid = self._choose([(int(i), str(n)) for i, n in rows])
                if pid is not None:
                    conn.execute("SELECT id FROM profile WHERE id = ? FOR UPDATE", (pid,))
                yield cast("sqlite3.Connection", conn)
        except psycopg.Error as exc:
            raise _error(self.location, exc) from None
        finally:
            raw.close()

    def dispose(self) -> None:
        if self._pg_engine is not None:
            self._pg_engine.dispose()
            self._pg_engine = None


def follow_sequences(session: Session) -> None:
    """Set each table's id sequence past its largest id.

    A row inserted with its id given (``import`` keeps an export's ids in an empty
    store) does not advance PostgreSQL's sequence, and the next row would be given a
    taken id; SQLite needs no such step (a new rowid is the largest plus one).
    """
    from sqlmodel import SQLModel

    connection = session.connection()
    for table in SQLModel.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        name = table.name.replace('"', '""')
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f'coalesce(max(id), 0) + 1, false) FROM "{name}"'
        )


def _schema(conn: PgConnection) -> str:
    """The schema gapcli's tables are in (the first of the search path)."""
    row = conn.execute("SELECT current_schema()").fetchone()
    if row is None or row[0] is None:
        raise DatabaseError("the server database has no schema to read (search_path)")
    return str(row[0])


def open_pg_database(location: Location, profile: str | None = None) -> PgDatabase:
    """An existing gapcli store on the server; an older schema is migrated by the first write."""
    revision = stored_revision(location)
    if revision is None:
        raise NotInitialised(f"no gapcli database at {location.masked()}; run 'gapcli init' first")
    if revision not in REVISIONS:
        raise DatabaseError(
            f"{location.masked()} was written by a newer gapcli (schema {revision}); "
            "upgrade gapcli to open it"
        )
    return PgDatabase(location, outdated=revision != HEAD, profile=profile)


def create_pg_database(
    location: Location, fill: Callable[[Database], None] | None = None, profile: str | None = None
) -> PgDatabase:
    """The server database with gapcli's tables (made from empty, or migrated), filled by
    ``fill`` in its own transaction."""
    revision = stored_revision(location)
    if revision is not None and revision not in REVISIONS:
        raise DatabaseError(
            f"{location.masked()} was written by a newer gapcli (schema {revision}); "
            "upgrade gapcli to open it"
        )
    if revision != HEAD:
        upgrade(location)
    made = PgDatabase(location, profile=profile)
    try:
        if fill is not None:
            fill(made)
    finally:
        made.dispose()
    return made
