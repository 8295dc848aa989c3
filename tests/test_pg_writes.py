"""Writes on a real PostgreSQL (gapcli/store/pg.py): all or nothing, no lost update
when several writers act at once, a bounded retry; and gapcli's SQLModel tables work
there through SQLAlchemy (postgresql+psycopg)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pg_server import PgServer

from gapcli.errors import DatabaseBusy, DatabaseError
from gapcli.store.location import Location, parse_location

pytest.importorskip("psycopg")

WRITERS, INCREMENTS = 8, 25


@pytest.fixture
def location(pg_server: PgServer, pg_dbname: str) -> Location:
    return parse_location(pg_server.url(pg_dbname))


@pytest.fixture
def counter(location: Location) -> Location:
    from gapcli.store.pg import connect

    with connect(location) as conn:
        conn.execute("CREATE TABLE counter (id integer PRIMARY KEY, value integer NOT NULL)")
        conn.execute("CREATE TABLE item (id integer PRIMARY KEY, note text NOT NULL)")
        conn.execute("INSERT INTO counter VALUES (1, 0)")
    return location


def _value(location: Location) -> int:
    from gapcli.store.pg import connect

    with connect(location) as conn:
        row = conn.execute("SELECT value FROM counter WHERE id = 1").fetchone()
    assert row is not None
    return int(row[0])


def _increment(conn: Any) -> None:
    """Read, think, write: the shape that loses updates without isolation."""
    (value,) = conn.execute("SELECT value FROM counter WHERE id = 1").fetchone()
    time.sleep(0.001)
    conn.execute("UPDATE counter SET value = %s WHERE id = 1", (value + 1,))


def _in_threads(location: Location, one: Callable[[Any], None]) -> list[BaseException]:
    from gapcli.store.pg import connect

    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer() -> None:
        try:
            with connect(location) as conn:
                start.wait()
                for _ in range(INCREMENTS):
                    one(conn)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_eight_writers_on_one_row_lose_no_update(counter: Location) -> None:
    from gapcli.store import pg

    attempts: list[int] = []

    def counted(conn: Any) -> None:
        tries = [0]

        def work(c: Any) -> None:
            tries[0] += 1
            _increment(c)

        pg.write(conn, work)
        attempts.append(tries[0])

    assert _in_threads(counter, counted) == []
    assert _value(counter) == WRITERS * INCREMENTS
    assert max(attempts) <= pg.ATTEMPTS
    assert max(attempts) > 1  # they did conflict: the retry is what kept every update
    print(f"attempts: max {max(attempts)}, retried units {sum(a > 1 for a in attempts)}")


def test_the_same_writers_without_serializable_do_lose_updates(counter: Location) -> None:
    """The check above can fail: at PostgreSQL's default READ COMMITTED, the same
    read-then-write units overwrite each other's increments."""
    import psycopg

    def naive(conn: Any) -> None:
        conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        with conn.transaction():
            _increment(conn)

    assert _in_threads(counter, naive) == []
    assert _value(counter) < WRITERS * INCREMENTS


def test_an_error_inside_rolls_back_every_row(counter: Location) -> None:
    from gapcli.store.pg import connect, write

    def work(conn: Any) -> None:
        conn.execute("INSERT INTO item VALUES (1, 'first')")
        conn.execute("UPDATE counter SET value = 41 WHERE id = 1")
        conn.execute("INSERT INTO item VALUES (2, 'second')")
        raise ValueError("a bug half-way")

    with connect(counter) as conn:
        with pytest.raises(ValueError, match="half-way"):
            write(conn, work)
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (0,)
    assert _value(counter) == 0


def test_a_database_error_inside_rolls_back_and_is_not_retried(counter: Location) -> None:
    import psycopg

    from gapcli.store.pg import connect, write

    runs = []

    def work(conn: Any) -> None:
        runs.append(1)
        conn.execute("INSERT INTO item VALUES (1, 'first')")
        conn.execute("INSERT INTO item VALUES (1, 'same id')")

    with connect(counter) as conn:
        with pytest.raises(psycopg.errors.UniqueViolation):
            write(conn, work)
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (0,)
    assert runs == [1]


def test_a_unit_that_keeps_conflicting_gives_up_busy_with_nothing_saved(
    counter: Location,
) -> None:
    """The server raises 40001 every time: bounded attempts, growing pauses, then a
    one-line DatabaseBusy, and none of the attempts' rows kept."""
    from gapcli.store import pg

    pauses: list[float] = []

    def work(conn: Any) -> None:
        conn.execute("INSERT INTO item VALUES (1, 'kept?')")
        conn.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")

    with pg.connect(counter) as conn:
        with pytest.raises(DatabaseBusy) as busy:
            pg.write(conn, work, sleep=pauses.append)
        assert conn.execute("SELECT count(*) FROM item").fetchone() == (0,)
    assert "\n" not in str(busy.value) and "try again" in str(busy.value)
    assert len(pauses) == pg.ATTEMPTS - 1
    assert all(
        0 <= p <= min(pg.BACKOFF_CAP, pg.BACKOFF_FIRST * 2**i) for i, p in enumerate(pauses)
    )
    assert sum(pauses) <= 6.5  # about SQLite's busy timeout, at most


def test_a_deadlock_is_retried_too(counter: Location) -> None:
    from gapcli.store import pg

    runs = []

    def work(conn: Any) -> None:
        runs.append(1)
        if len(runs) == 1:
            conn.execute("DO $$ BEGIN RAISE EXCEPTION 'dl' USING ERRCODE = '40P01'; END $$")
        conn.execute("INSERT INTO item VALUES (1, 'second try')")

    with pg.connect(counter) as conn:
        pg.write(conn, work, sleep=lambda _s: None)
        assert conn.execute("SELECT note FROM item").fetchall() == [("second try",)]
    assert len(runs) == 2


def test_a_server_that_is_not_there_is_one_line_without_the_password(
    pg_server: PgServer,
) -> None:
    from gapcli.store.pg import connect

    location = parse_location(
        f"postgresql://ann:s3cr3t-pw@/nowhere?host={pg_server.socket_dir}&port=1"
    )
    with pytest.raises(DatabaseError) as refused, connect(location):
        pass
    message = str(refused.value)
    assert "s3cr3t-pw" not in message and "\n" not in message
    assert message.startswith("cannot connect to postgresql://ann:***@/nowhere")


def test_moments_read_back_in_utc_whatever_the_server_s_time_zone(
    pg_server: PgServer, pg_dbname: str
) -> None:
    import psycopg

    from gapcli.store.pg import connect

    with psycopg.connect(pg_server.conninfo(pg_dbname), autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE \"{pg_dbname}\" SET TimeZone = 'Asia/Kathmandu'")
    with connect(parse_location(pg_server.url(pg_dbname))) as conn:
        moment = conn.execute("SELECT timestamptz '2026-11-30 12:00:00+00'").fetchone()
    assert moment is not None
    assert moment[0].utcoffset().total_seconds() == 0


@pytest.fixture
def orm_engine(location: Location) -> Iterator[Any]:
    from alembic import command

    from gapcli.store.migrate import alembic_config
    from gapcli.store.pg import make_engine

    engine = make_engine(location)
    with engine.connect() as conn, conn.begin():
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    from sqlmodel import Session

    from gapcli.store.tables import Profile

    with Session(engine) as session:  # the learner every row below belongs to (id 1)
        session.add(
            Profile(
                catalog_id="ai",
                catalog_source="builtin",
                track="all",
                weekly_hours=6,
                study_days="mon",
                start_date=date(2026, 11, 30),
                created_at=datetime(2026, 11, 30, tzinfo=UTC),
                name="ann",
            )
        )
        session.commit()
    yield engine
    engine.dispose()


def test_gapcli_s_sqlmodel_tables_write_and_read_on_postgresql(orm_engine: Any) -> None:
    """The ORM writers port: an engine on postgresql+psycopg, one insert, one select."""
    from sqlmodel import Session, select

    from gapcli.domain.changes import ChangeKind
    from gapcli.store.pg import orm_write
    from gapcli.store.tables import Change, StudySession

    at = datetime(2026, 11, 30, 17, 29, 49, 204216, tzinfo=UTC)

    def log(session: Session) -> int:
        change = Change(at=at, kind=next(iter(ChangeKind)), summary="log 90 min", profile_id=1)
        session.add(change)
        session.flush()
        session.add(
            StudySession(
                day=date(2026, 11, 30),
                minutes=90,
                domain_id="linear-algebra",
                topic_id="la-visual",
                note="chapters 1-4 | 'quoted'",
                logged_at=at,
                change_id=change.id,
                profile_id=1,
            )
        )
        assert change.id is not None
        return change.id

    change_id = orm_write(orm_engine, log)
    with Session(orm_engine) as session:
        stored = session.exec(select(StudySession)).one()
        change = session.get(Change, change_id)
    assert (stored.minutes, stored.note, stored.change_id) == (90, "chapters 1-4 | 'quoted'", 1)
    assert stored.logged_at == at and stored.day == date(2026, 11, 30)
    assert change is not None and change.kind is next(iter(ChangeKind)) and change.at == at


def test_an_orm_write_that_fails_leaves_nothing(orm_engine: Any) -> None:
    from sqlmodel import Session, select

    from gapcli.domain.changes import ChangeKind
    from gapcli.store.pg import orm_write
    from gapcli.store.tables import Change

    def half(session: Session) -> None:
        session.add(
            Change(
                at=datetime(2026, 11, 30, tzinfo=UTC),
                kind=next(iter(ChangeKind)),
                summary="x",
                profile_id=1,
            )
        )
        session.flush()
        raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        orm_write(orm_engine, half)
    with Session(orm_engine) as session:
        assert session.exec(select(Change)).all() == []
