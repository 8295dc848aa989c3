"""``log-progress`` writes through the standard library: the same rows, the same guarantees.

Its rows go in through :mod:`gapcli.store.log_rows` inside
:meth:`Database.write_sql`; everything else that writes, and everything that
reads those rows back for ``undo`` and ``history edit``, goes through SQLModel.
These tests hold the two paths to one another on real files.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from gapcli.domain.changes import ChangeKind
from gapcli.errors import DatabaseError
from gapcli.store import log_rows, sqlite_file
from gapcli.store.database import Database
from gapcli.store.schema import REVISIONS
from gapcli.store.tables import Change, StudySession, TopicProgress

AWARE = datetime(2026, 11, 30, 17, 29, 49, 204216, tzinfo=UTC)
ROUND = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # no microseconds: still six digits


def raw(path: Path, table: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows as stored (every column but id and change_id), in the order of ``ids``."""
    with closing(sqlite3.connect(path)) as conn:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        kept = [c for c in columns if c not in ("id", "change_id")]
        rows = []
        for ident in ids:
            sql = f"SELECT {', '.join(f'{c}, typeof({c})' for c in kept)} FROM {table} WHERE id=?"
            rows.append(conn.execute(sql, (ident,)).fetchone())
        return rows


@pytest.mark.parametrize("moment", [AWARE, ROUND], ids=["microseconds", "whole-second"])
def test_log_rows_store_exactly_what_the_orm_stores(demo: Path, moment: datetime) -> None:
    """Text, types and formats alike: the ORM reads these rows back as its own."""
    db = Database(demo)
    try:
        with db.write() as session:
            change = Change(at=moment, kind=ChangeKind.LOG, summary="s", undo="{}")
            session.add(change)
            session.flush()
            assert change.id is not None
            orm = StudySession(
                day=date(2026, 11, 29),
                minutes=45,
                domain_id="rag",
                topic_id="rag-why",
                note="n",
                logged_at=moment,
                change_id=change.id,
            )
            mark = TopicProgress(at=moment, topic_id="rag-why", done=False, change_id=change.id)
            session.add_all([orm, mark])
            session.flush()
            orm_ids = (change.id, orm.id, mark.id)
        with db.write_sql() as conn:
            change_id = log_rows.add_change(
                conn, at=moment, kind=ChangeKind.LOG, summary="s", undo="{}", profile_id=1
            )
            session_id = log_rows.add_session(
                conn,
                day=date(2026, 11, 29),
                minutes=45,
                domain_id="rag",
                topic_id="rag-why",
                note="n",
                logged_at=moment,
                change_id=change_id,
                profile_id=1,
            )
            log_rows.add_mark(
                conn, at=moment, topic_id="rag-why", done=False, change_id=change_id, profile_id=1
            )
            mark_id = conn.execute("SELECT max(id) FROM topic_progress").fetchone()[0]
        for table, a, b in zip(
            ("change", "study_session", "topic_progress"),
            orm_ids,
            (change_id, session_id, mark_id),
            strict=True,
        ):
            assert a is not None
            assert raw(demo, table, [b]) == raw(demo, table, [a]), table
        with db.orm_read() as session:
            back, own = (
                session.get(StudySession, session_id),
                session.get(StudySession, orm_ids[1]),
            )
            assert back is not None and own is not None
            assert back.model_dump(exclude={"id", "change_id"}) == own.model_dump(
                exclude={"id", "change_id"}
            )
            assert back.day == date(2026, 11, 29)
            read_change = session.get(Change, change_id)
            assert read_change is not None and read_change.kind is ChangeKind.LOG
            marks = session.exec(
                select(TopicProgress).where(TopicProgress.change_id == change_id)
            ).all()
            assert [m.done for m in marks] == [False]
    finally:
        db.dispose()


def test_the_plain_writer_is_set_up_as_the_orm_writer(demo: Path) -> None:
    pragmas = ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
    db = Database(demo)
    try:
        with db.write() as session:
            conn = session.connection()
            orm = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in pragmas]
        with db.write_sql() as plain:
            assert plain.in_transaction
            assert [plain.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas] == orm
    finally:
        db.dispose()
    assert orm[:2] == [1, "wal"]
    assert not Path(f"{demo}-wal").exists()  # the last connection out checkpointed


def test_the_plain_writer_keeps_nothing_of_a_failed_block(demo: Path) -> None:
    before = raw(demo, "change", [1])
    with closing(sqlite3.connect(demo)) as conn:
        changes = conn.execute("SELECT count(*) FROM change").fetchone()[0]
    db = Database(demo)
    with pytest.raises(RuntimeError), db.write_sql() as conn:
        log_rows.add_change(
            conn, at=AWARE, kind=ChangeKind.LOG, summary="s", undo="{}", profile_id=1
        )
        raise RuntimeError("the command failed after its first row")
    with pytest.raises(DatabaseError, match="FOREIGN KEY"), db.write_sql() as conn:
        log_rows.add_mark(
            conn, at=AWARE, topic_id="rag-why", done=True, change_id=10**6, profile_id=1
        )
    with closing(sqlite3.connect(demo)) as conn:
        assert conn.execute("SELECT count(*) FROM change").fetchone()[0] == changes
        held = "SELECT count(*) FROM topic_progress WHERE change_id = 1000000"
        assert conn.execute(held).fetchone()[0] == 0
    assert raw(demo, "change", [1]) == before


def test_log_progress_on_a_busy_database_is_one_line_and_saves_nothing(
    cli: Any, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_S", 0.2)
    started = time.monotonic()
    with closing(sqlite3.connect(demo, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        result = cli("log-progress", "rag", "--minutes", "30")
        holder.execute("ROLLBACK")
    assert time.monotonic() - started < 4.0
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "busy" in line
    with closing(sqlite3.connect(demo)) as conn:
        assert conn.execute("SELECT count(*) FROM study_session").fetchone()[0] == 0


def test_log_progress_imports_no_sqlalchemy(demo: Path) -> None:
    """Logging, undone, redone: only ``undo`` loads SQLModel."""
    script = (
        "import sys\n"
        "from gapcli.cli import main\n"
        "sys.argv = ['gapcli', '--db', sys.argv[1], 'log-progress', 'rag-why', '--minutes',"
        " '30', '--done', '--note', 'n']\n"
        "assert main() == 0\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(demo)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_undo_and_edit_take_a_plain_log_as_their_own(cli: Any, demo: Path) -> None:
    logged = cli("log-progress", "rag-why", "--minutes", "30", "--done", "--note", "n")
    assert logged.exit_code == 0, logged.stderr
    with closing(sqlite3.connect(demo)) as conn:
        (session_id,) = conn.execute("SELECT max(id) FROM study_session").fetchone()
    edited = cli("history", "edit", str(session_id), "--minutes", "45")
    assert edited.exit_code == 0, edited.stderr
    assert cli("undo", "--yes").exit_code == 0  # the edit
    undone = cli("undo", "--yes")  # the log: its session retired, its mark deleted
    assert undone.exit_code == 0, undone.stderr
    assert "logged 30 min on rag-why" in undone.stdout
    with closing(sqlite3.connect(demo)) as conn:
        live = "SELECT count(*) FROM study_session WHERE removed_at IS NULL"
        assert conn.execute(live).fetchone()[0] == 0
        marks = "SELECT count(*) FROM topic_progress WHERE topic_id = 'rag-why'"
        assert conn.execute(marks).fetchone()[0] == 0


def test_log_progress_migrates_an_older_database_first(cli: Any, demo: Path) -> None:
    """An older file is backed up and migrated by the first write, this one included."""
    from alembic import command
    from sqlalchemy import create_engine

    from gapcli.store.migrate import alembic_config

    engine = create_engine(f"sqlite:///{demo}")
    try:
        with engine.connect() as conn, conn.begin():
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, REVISIONS[-2])
    finally:
        engine.dispose()
    logged = cli("log-progress", "rag-why", "--minutes", "30")
    assert logged.exit_code == 0, logged.stderr
    with closing(sqlite3.connect(demo)) as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == REVISIONS[-1]
        )
        assert conn.execute("SELECT count(*) FROM study_session").fetchone()[0] == 1
    assert len(list(demo.parent.glob(f"{demo.name}.backups/*pre-migration.db"))) == 1
