"""The PostgreSQL store under concurrent read-then-write units: each unit reads how many
sessions the learner has, pauses, then writes a session noting that number. If every
unit saw all the units before it, the notes are 0, 1, 2 ... with no repeat; a lost
update shows as a repeated number. The naive setup (the same SQL at READ COMMITTED
without gapcli's lock) must repeat some, so the test is shown able to catch a loss."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pg_server import PgServer

from gapcli.store.location import Location, parse_location

pytest.importorskip("psycopg")

THREADS, UNITS = 6, 15
DAY = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def location(cli: Any, pg_server: PgServer, pg_dbname: str) -> Location:
    url = pg_server.url(pg_dbname)
    for name in ("ann", "bob"):
        assert cli("--db", url, "--profile", name, "init").exit_code == 0
    return parse_location(url)


def _in_threads(unit: Callable[[], None]) -> list[BaseException]:
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run() -> None:
        try:
            start.wait()
            for _ in range(UNITS):
                unit()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return failures


def _notes(location: Location, profile: str) -> list[int]:
    from gapcli.store.pg_database import open_pg_database

    db = open_pg_database(location, profile)
    with db.read() as conn:
        rows = conn.execute("SELECT note FROM study_session ORDER BY id").fetchall()
    return sorted(int(n) for (n,) in rows)


def _sql_unit(location: Location, profile: str) -> Callable[[], None]:
    """log-progress's path: Database.write_sql and the rows of store/log_rows.py."""
    from gapcli.domain.changes import ChangeKind
    from gapcli.store import log_rows
    from gapcli.store.pg_database import open_pg_database

    def unit() -> None:
        db = open_pg_database(location, profile)
        with db.write_sql() as conn:
            pid = db.chosen_profile_id()
            seen = len(log_rows.day_minutes(conn, DAY, profile_id=pid))
            time.sleep(0.002)
            change = log_rows.add_change(
                conn, at=AT, kind=ChangeKind.LOG, summary="t", undo="{}", profile_id=pid
            )
            log_rows.add_session(
                conn,
                day=DAY,
                minutes=1,
                domain_id="rag",
                topic_id=None,
                note=str(seen),
                logged_at=AT,
                change_id=change,
                profile_id=pid,
            )

    return unit


def _orm_unit(location: Location, profile: str) -> Callable[[], None]:
    """Every other write's path: Database.write, a SQLModel session."""
    from sqlmodel import func, select

    from gapcli.domain.changes import ChangeKind
    from gapcli.store.pg_database import open_pg_database
    from gapcli.store.tables import Change, StudySession

    def unit() -> None:
        db = open_pg_database(location, profile)
        try:
            with db.write() as session:
                seen = session.exec(select(func.count()).select_from(StudySession)).one()
                time.sleep(0.002)
                change = Change(at=AT, kind=ChangeKind.LOG, summary="t")
                session.add(change)
                session.flush()
                session.add(
                    StudySession(
                        day=DAY,
                        minutes=1,
                        domain_id="rag",
                        note=str(seen),
                        logged_at=AT,
                        change_id=change.id,
                    )
                )
        finally:
            db.dispose()

    return unit


@pytest.mark.parametrize("make_unit", [_sql_unit, _orm_unit], ids=["write_sql", "orm_write"])
def test_read_then_write_units_of_one_learner_lose_no_update(
    location: Location, make_unit: Callable[[Location, str], Callable[[], None]]
) -> None:
    assert _in_threads(make_unit(location, "ann")) == []
    assert _notes(location, "ann") == list(range(THREADS * UNITS))
    assert _notes(location, "bob") == []  # and nothing went to the other learner


def test_two_learners_write_side_by_side(location: Location) -> None:
    ann, bob = _sql_unit(location, "ann"), _orm_unit(location, "bob")
    flip = iter(range(10**6))

    def either() -> None:
        (ann if next(flip) % 2 else bob)()

    assert _in_threads(either) == []
    total = THREADS * UNITS
    assert _notes(location, "ann") == list(range(total // 2))
    assert _notes(location, "bob") == list(range(total - total // 2))


def test_the_naive_setup_loses_updates(location: Location) -> None:
    """The same unit without gapcli's lock, at READ COMMITTED: numbers repeat."""
    import psycopg

    conninfo = location.conninfo()
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SELECT id FROM profile WHERE name = 'ann'").fetchone()
    assert row is not None
    pid = int(row[0])

    def unit() -> None:
        with psycopg.connect(conninfo) as conn, conn.transaction():
            (seen,) = conn.execute(
                "SELECT count(*) FROM study_session WHERE profile_id = %s", (pid,)
            ).fetchone() or (0,)
            time.sleep(0.002)
            (change,) = conn.execute(
                "INSERT INTO change (at, kind, summary, undo, profile_id) "
                "VALUES (now(), 'log', 't', '{}', %s) RETURNING id",
                (pid,),
            ).fetchone() or (0,)
            conn.execute(
                "INSERT INTO study_session (day, minutes, domain_id, note, logged_at, "
                "change_id, profile_id) VALUES (%s, 1, 'rag', %s, now(), %s, %s)",
                (DAY, str(seen), change, pid),
            )

    assert _in_threads(unit) == []
    notes = _notes(location, "ann")
    assert len(notes) == THREADS * UNITS
    assert notes != list(range(THREADS * UNITS))  # some unit worked from a stale count
