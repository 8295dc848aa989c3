"""The store on real SQLite files: creation, refusing bad files, backups, concurrency."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from gapcli.cli import app
from gapcli.errors import DatabaseBusy
from gapcli.services.state import learner_state
from gapcli.store import sqlite_file
from gapcli.store.database import Database
from gapcli.store.schema import HEAD
from gapcli.store.tables import StudySession

SESSION_ROWS = 3000


def count(path: Path, table: str) -> int:
    uri = f"file:{quote(str(path.resolve()), safe='/')}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def fingerprint(path: Path) -> tuple[bytes, int, int]:
    stat = path.stat()
    return path.read_bytes(), stat.st_mtime_ns, stat.st_mode


def add_sessions(path: Path, n: int, note: str = "x" * 200) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO study_session (day, minutes, domain_id, note, logged_at, profile_id) "
            "VALUES ('2026-01-05', 30, 'rag', ?, '2026-01-05 10:00:00', 1)",
            [(note,)] * n,
        )
        conn.commit()


def one_error_line(result: Any) -> str:
    """The refusal contract: exit 1, exactly one stderr line, no traceback."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("gapcli: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database with enough study sessions to span many pages."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    result = CliRunner().invoke(app, ["--db", str(path), "init", "--demo"])
    assert result.exit_code == 0, result.stderr
    add_sessions(path, SESSION_ROWS)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert path.stat().st_size > 20 * 4096
    return path


# -- creating -------------------------------------------------------------------------------------


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_init_creates_a_private_database(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "new-dir" / "gapcli.db"
    monkeypatch.setenv("GAPCLI_DB", str(path))
    with umask(0o022):
        result = cli("init", "--demo")
    assert result.exit_code == 0, result.stderr
    assert f"Created {path}" in result.stdout
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert count(path, "assessment") == 9
    assert count(path, "profile") == 1
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD


def test_wal_and_shm_files_are_private(demo: Path) -> None:
    with umask(0o022):
        db = Database(demo)
        try:
            with db.write() as session:
                session.add(
                    StudySession(
                        day=date(2026, 1, 5),
                        minutes=30,
                        domain_id="rag",
                        logged_at=datetime.now(UTC),
                    )
                )
                session.flush()
                side = [Path(f"{demo}{suffix}") for suffix in ("-wal", "-shm")]
                present = [p for p in side if p.exists()]
                assert present, "a WAL database open for writing has its side files"
                for p in present:
                    assert p.stat().st_mode & 0o777 == 0o600, p
        finally:
            db.dispose()
    # The last connection out checkpoints: a finished write leaves one file.
    assert not Path(f"{demo}-wal").exists()
    assert count(demo, "study_session") == 1


def test_connections_use_foreign_keys_and_wal(demo: Path) -> None:
    db = Database(demo)
    try:
        with db.write() as session:
            conn = session.connection()
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        with db.read() as conn:  # reads: the standard library, read-only, one snapshot
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.in_transaction
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                conn.execute("DELETE FROM main.study_session")
    finally:
        db.dispose()


def test_reinit_fails_and_leaves_the_file_identical(cli: Any, db_path: Path) -> None:
    assert cli("init", "--track", "ai-engineer").exit_code == 0
    before = fingerprint(db_path)
    time.sleep(0.01)
    line = one_error_line(cli("init", "--track", "ai-researcher", "--yes"))
    assert "already holds a profile" in line
    assert fingerprint(db_path) == before
    line = one_error_line(cli("init", "--demo", "--yes"))
    assert fingerprint(db_path) == before


def test_declining_to_replace_the_demo_leaves_the_file_identical(cli: Any, demo: Path) -> None:
    """An untouched demo is offered for replacement (tests/test_onboarding.py); no keeps it."""
    before = fingerprint(demo)
    time.sleep(0.01)
    result = cli("init", "--track", "ai-researcher", input="n\n")
    assert result.exit_code == 1
    assert fingerprint(demo) == before


def test_init_with_a_bad_option_creates_nothing(cli: Any, db_path: Path) -> None:
    line = one_error_line(cli("init", "--track", "astrology"))
    assert "astrology" in line
    assert not db_path.exists()
    assert not list(db_path.parent.glob("gapcli.db*"))


def test_a_read_command_does_not_change_the_database(cli: Any, demo: Path) -> None:
    before = fingerprint(demo)
    assert cli("db", "check").exit_code == 0
    assert cli("gaps").exit_code == 0
    assert fingerprint(demo) == before


# -- files that are not (usable) gapcli databases -------------------------------------------------


def make_text(path: Path, _big: Path) -> None:
    path.write_text("my study notes\nnot a database\n")


def make_zero(path: Path, _big: Path) -> None:
    """Zero bytes where a database once was: its backups folder says it held data (an
    empty file with no backup ever taken is what an unfinished init left:
    test_faults_leftovers.py)."""
    path.write_bytes(b"")
    backups = path.parent / f"{path.name}.backups"
    backups.mkdir(mode=0o700)
    (backups / f"{path.stem}-20260101T000000000000Z-pre-migration.db").write_bytes(b"")


def make_truncated(path: Path, big: Path) -> None:
    data = big.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])


def make_truncated_at_page(path: Path, big: Path) -> None:
    data = big.read_bytes()
    path.write_bytes(data[: 4096 * 8])


def make_header_only(path: Path, big: Path) -> None:
    path.write_bytes(big.read_bytes()[:100])


def make_other_app(path: Path, _big: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
        conn.commit()


def make_other_alembic_app(path: Path, _big: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('abc123')")
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        conn.commit()


def make_newer(path: Path, big: Path) -> None:
    shutil.copyfile(big, path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()


def make_no_revision(path: Path, big: Path) -> None:
    shutil.copyfile(big, path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.commit()


BAD_FILES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "text": (make_text, "not a gapcli database (not an SQLite file)"),
    "zero-bytes": (make_zero, "is empty (0 bytes)"),
    "truncated": (make_truncated, "is truncated"),
    "truncated-at-page": (make_truncated_at_page, "is truncated"),
    "header-only": (make_header_only, "is truncated"),
    "other-app": (make_other_app, "not a gapcli database"),
    "other-alembic-app": (make_other_alembic_app, "not a gapcli database"),
    "newer-gapcli": (make_newer, "newer gapcli (schema 9999)"),
    "no-revision": (make_no_revision, "no schema revision"),
}
COMMANDS = {
    "init": ["init", "--demo"],
    "check": ["db", "check"],
    "backup": ["db", "backup", "BACKUP"],
    "gaps": ["gaps"],
    "assess": ["assess", "rag", "--current", "50"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_database_file_is_refused_and_untouched(
    cli: Any, db_path: Path, big_db: Path, tmp_path: Path, kind: str, command: str
) -> None:
    make, needle = BAD_FILES[kind]
    make(db_path, big_db)
    before = fingerprint(db_path)
    backups = tmp_path / "gapcli.db.backups"
    kept = sorted(backups.iterdir()) if backups.exists() else None
    backup = tmp_path / "backup.db"
    args = [str(backup) if a == "BACKUP" else a for a in COMMANDS[command]]
    time.sleep(0.01)
    line = one_error_line(cli(*args))
    assert needle in line
    assert str(db_path) in line
    assert fingerprint(db_path) == before
    assert not backup.exists()
    assert (sorted(backups.iterdir()) if backups.exists() else None) == kept


def test_damaged_file_message_points_to_the_backups(cli: Any, db_path: Path) -> None:
    make_zero(db_path, db_path)
    assert "gapcli db restore" in one_error_line(cli("db", "check"))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_directory_at_the_path(cli: Any, db_path: Path, tmp_path: Path, command: str) -> None:
    db_path.mkdir()
    (db_path / "inside.txt").write_text("keep")
    args = [str(tmp_path / "b.db") if a == "BACKUP" else a for a in COMMANDS[command]]
    line = one_error_line(cli(*args))
    assert "is a directory" in line
    assert [p.name for p in db_path.iterdir()] == ["inside.txt"]


@pytest.mark.parametrize("name", ["a#b", "what?", "100%25", "sp ace"])
def test_odd_characters_in_the_folder_name(cli: Any, tmp_path: Path, name: str) -> None:
    """'#', '?' and '%' must not cut the path short (a URL would open another file)."""
    path = tmp_path / name / "me.db"
    assert cli("--db", str(path), "init", "--demo").exit_code == 0
    assert cli("--db", str(path), "assess", "rag", "-c", "50").exit_code == 0
    assert count(path, "assessment") == 10
    assert cli("--db", str(path), "db", "check").exit_code == 0
    assert cli("--db", str(path), "db", "backup", str(path.parent / "b#?.db")).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert sorted(p.name for p in path.parent.iterdir() if "-" not in p.name) == [
        "b#?.db",
        "me.db",
    ]


@pytest.mark.parametrize(
    "args",
    [["gaps"], ["db", "check"], ["db", "backup", "out.db"], ["assess", "rag", "-c", "50"]],
    ids=["gaps", "check", "backup", "assess"],
)
def test_missing_database_says_run_init(
    cli: Any, db_path: Path, tmp_path: Path, args: list[str]
) -> None:
    line = one_error_line(cli(*args))
    assert "gapcli init" in line
    assert not db_path.exists()
    assert not (tmp_path / "out.db").exists()


def test_broken_symlink_at_the_path(cli: Any, db_path: Path, tmp_path: Path) -> None:
    db_path.symlink_to(tmp_path / "gone.db")
    assert "broken symbolic link" in one_error_line(cli("init"))
    assert not (tmp_path / "gone.db").exists()


def test_busy_database_gives_one_line(
    cli: Any, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every connection reads the busy timeout from the one module that holds it, so
    shortening it there shortens both waits; the clock proves the patch took hold."""
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_S", 0.2)
    started = time.monotonic()
    with closing(sqlite3.connect(demo, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        db = Database(demo)
        try:
            with pytest.raises(DatabaseBusy), db.write() as session:
                session.add(
                    StudySession(
                        day=date(2026, 1, 5),
                        minutes=5,
                        domain_id="rag",
                        logged_at=datetime.now(UTC),
                    )
                )
        finally:
            db.dispose()
        line = one_error_line(cli("assess", "rag", "--current", "55"))
        assert "busy" in line
        holder.execute("ROLLBACK")
    assert time.monotonic() - started < 4.0  # one wait of the default 5 s would exceed it
    assert count(demo, "study_session") == 0
    assert count(demo, "assessment") == 9


def test_read_only_database_file(demo: Path, unprivileged: list[str]) -> None:
    """A read command works on a file the user cannot write, and leaves it unchanged.

    As root, file modes do not stop writes: the commands then run as ``nobody``.
    """
    prefix = unprivileged
    folder = Path(tempfile.mkdtemp(prefix="gapcli-ro-"))
    try:
        path = folder / "ro.db"
        shutil.copyfile(demo, path)
        path.chmod(0o444)
        folder.chmod(0o555)
        before = fingerprint(path)
        env = {**os.environ, "GAPCLI_DB": str(path), "HOME": str(folder)}

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "gapcli", *args],
                capture_output=True,
                text=True,
                env=env,
                cwd="/",
                check=False,
            )

        check = run("db", "check")
        assert check.returncode == 0, check.stderr
        write = run("assess", "rag", "-c", "60")
        assert write.returncode == 1
        assert write.stderr.startswith("gapcli: error: ")
        assert len(write.stderr.splitlines()) == 1
        assert "Traceback" not in write.stderr
        assert fingerprint(path) == before
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


def test_unreadable_folder_on_the_way(tmp_path: Path, unprivileged: list[str]) -> None:
    """A database path the user may not reach gets one line, not an 'unexpected' error."""
    prefix = unprivileged
    locked = Path(tempfile.mkdtemp(prefix="gapcli-locked-"))
    try:
        locked.chmod(0o700 if prefix else 0o000)
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "gapcli", "--db", str(locked / "x.db"), "gaps"],
            capture_output=True,
            text=True,
            cwd="/",
            check=False,
        )
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"gapcli: error: cannot read {locked / 'x.db'}: Permission denied"
        ]
    finally:
        locked.chmod(0o700)
        shutil.rmtree(locked)


# -- where the database is ----------------------------------------------------------------------


def test_db_path_option_beats_environment(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("GAPCLI_DB", str(tmp_path / "env.db"))
    assert cli("db", "path").stdout == f"{tmp_path / 'env.db'}\n"
    result = cli("--db", str(tmp_path / "opt.db"), "db", "path")
    assert result.stdout == f"{tmp_path / 'opt.db'}\n"
    assert not (tmp_path / "opt.db").exists()
    assert not (tmp_path / "env.db").exists()


def test_db_path_json(cli: Any, demo: Path) -> None:
    import json

    assert json.loads(cli("db", "path", "--json").stdout) == {"path": str(demo), "exists": True}


def test_db_path_defaults_to_the_user_data_dir(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GAPCLI_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = cli("db", "path")
    assert result.exit_code == 0
    if sys.platform.startswith("linux"):
        assert result.stdout == f"{tmp_path / 'xdg' / 'gapcli' / 'gapcli.db'}\n"
    assert not (tmp_path / "xdg").exists()


# -- backups and restores ---------------------------------------------------------------------


def test_backup_is_a_valid_private_single_file(cli: Any, demo: Path, tmp_path: Path) -> None:
    add_sessions(demo, 25)
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    result = cli("db", "backup", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Backed up {demo} to {target}\n"
    assert count(target, "study_session") == 25
    assert count(target, "assessment") == 9
    assert target.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]


def test_backup_refuses_an_existing_file_without_force(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    target.write_text("precious")
    line = one_error_line(cli("db", "backup", str(target)))
    assert "already exists" in line
    assert "--force" in line
    assert target.read_text() == "precious"
    assert cli("db", "backup", str(target), "--force").exit_code == 0
    assert count(target, "assessment") == 9


def test_backup_replaces_a_symlink_not_its_target(cli: Any, demo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not clobber")
    link = tmp_path / "link.db"
    link.symlink_to(victim)
    assert cli("db", "backup", str(link), "--force").exit_code == 0
    assert victim.read_text() == "do not clobber"
    assert not link.is_symlink()
    assert count(link, "assessment") == 9


@pytest.mark.parametrize(
    ("target", "needle"),
    [("DIR", "is a directory"), ("nowhere/x.db", "does not exist"), ("SELF", "database itself")],
)
def test_backup_refuses_bad_destinations(
    cli: Any, demo: Path, tmp_path: Path, target: str, needle: str
) -> None:
    before = fingerprint(demo)
    dest = {"DIR": str(tmp_path), "SELF": str(demo)}.get(target, str(tmp_path / target))
    assert needle in one_error_line(cli("db", "backup", dest, "--force"))
    assert fingerprint(demo)[0] == before[0]
    assert not list(tmp_path.glob(".gapcli-backup-*"))


def test_backup_refuses_a_damaged_source(cli: Any, demo: Path, tmp_path: Path) -> None:
    with closing(sqlite3.connect(demo)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(demo.read_bytes())
    # Scribble over the second page (a b-tree page) but keep the length and header.
    data[page_size : page_size * 2] = b"\xff" * page_size
    demo.write_bytes(bytes(data))
    result = cli("db", "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert not (tmp_path / "copy.db").exists()


def test_restore_round_trip(cli: Any, demo: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    add_sessions(demo, 7, note="after the backup")
    assert count(demo, "study_session") == 7
    result = cli("db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert count(demo, "study_session") == 0
    assert count(demo, "assessment") == 9
    assert demo.stat().st_mode & 0o777 == 0o600
    # The content it replaced is kept, and says where.
    kept = result.stdout.splitlines()[-1].split("kept in ", 1)[1]
    assert count(Path(kept), "study_session") == 7
    assert cli("db", "check").exit_code == 0


def test_restore_without_yes_refuses_when_not_a_terminal(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    add_sessions(demo, 3)
    assert "--yes" in one_error_line(cli("db", "restore", str(saved)))
    assert count(demo, "study_session") == 3


def test_restore_into_a_missing_database(cli: Any, demo: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    fresh = tmp_path / "fresh" / "new.db"
    fresh.parent.mkdir()
    result = cli("--db", str(fresh), "db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert count(fresh, "assessment") == 9
    assert fresh.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("kind", ["text", "other-app", "newer-gapcli", "zero-bytes"])
def test_restore_refuses_a_bad_source(
    cli: Any, demo: Path, big_db: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "source.db"
    BAD_FILES[kind][0](source, big_db)
    before = fingerprint(demo)
    one_error_line(cli("db", "restore", str(source), "--yes"))
    assert fingerprint(demo) == before


def test_restore_over_a_damaged_database_keeps_its_bytes(
    cli: Any, demo: Path, db_path: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    damaged = b"SQLite format 3\x00" + b"\x07" * 500
    db_path.write_bytes(damaged)
    result = cli("db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert count(db_path, "assessment") == 9
    kept = Path(result.stdout.splitlines()[-1].split("kept in ", 1)[1])
    assert kept.read_bytes() == damaged
    assert kept.stat().st_mode & 0o777 == 0o600


# -- two processes writing at once -------------------------------------------------------------

WRITERS = 4
WRITES = 50


def _store_writer(path: str, worker: int, start: Any) -> None:
    from sqlmodel import func, select

    db = Database(Path(path))
    start.wait()
    try:
        for i in range(WRITES):
            with db.write() as session:
                seen = session.exec(select(func.count()).select_from(StudySession)).one()
                session.add(
                    StudySession(
                        day=date(2026, 1, 5),
                        minutes=1 + i,
                        domain_id="rag",
                        note=f"{seen}",
                        logged_at=datetime.now(UTC),
                        topic_id=f"w{worker}",
                    )
                )
    finally:
        db.dispose()


def test_concurrent_writers_through_the_store_lose_nothing(demo: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_store_writer, args=(str(demo), w, start)) for w in range(WRITERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * WRITERS
    assert count(demo, "study_session") == WRITERS * WRITES
    with closing(sqlite3.connect(demo)) as conn:
        seen = sorted(int(r[0]) for r in conn.execute("SELECT note FROM study_session"))
        per_worker = dict(
            conn.execute("SELECT topic_id, count(*) FROM study_session GROUP BY topic_id")
        )
    # Each transaction read the count of every row committed before it: serialised.
    assert seen == list(range(WRITERS * WRITES))
    assert per_worker == {f"w{w}": WRITES for w in range(WRITERS)}


NAIVE_WRITERS = 4
NAIVE_WRITES = 150


def _naive_writer(path: str, start: Any, errors: Any) -> None:
    conn = sqlite3.connect(path)  # Python's defaults: deferred transactions
    start.wait()
    for _ in range(NAIVE_WRITES):
        try:
            value = conn.execute("SELECT n FROM counter").fetchone()[0]
            time.sleep(0.0005)  # the work a command does between reading and writing
            conn.execute("UPDATE counter SET n = ?", (value + 1,))
            conn.commit()
        except sqlite3.OperationalError:
            conn.rollback()
            with errors.get_lock():
                errors.value += 1
    conn.close()


def test_naive_read_then_write_loses_updates_or_locks(tmp_path: Path) -> None:
    """Proves the concurrency test above can fail: the naive setup does lose data."""
    path = tmp_path / "naive.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        conn.execute("INSERT INTO counter VALUES (0)")
        conn.commit()
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(NAIVE_WRITERS)
    errors = ctx.Value("i", 0)
    procs = [
        ctx.Process(target=_naive_writer, args=(str(path), start, errors))
        for _ in range(NAIVE_WRITERS)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * NAIVE_WRITERS
    with closing(sqlite3.connect(path)) as conn:
        final = conn.execute("SELECT n FROM counter").fetchone()[0]
    attempted = NAIVE_WRITERS * NAIVE_WRITES
    lost = attempted - errors.value - final
    assert lost > 0 or errors.value > 0, (final, errors.value)


@pytest.mark.slow
def test_two_cli_processes_write_at_once(demo: Path) -> None:
    """Two real ``python -m gapcli`` processes assessing at the same moment both succeed."""
    env = {**os.environ, "GAPCLI_DB": str(demo)}
    script = (
        "import sys\n"
        "from gapcli.cli import main\n"
        "domain = sys.argv[1]\n"
        "codes = []\n"
        "for pct in range(10, 30):\n"
        "    sys.argv = ['gapcli', 'assess', domain, '--current', str(pct)]\n"
        "    codes.append(main())\n"
        "sys.exit(max(codes))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, domain],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for domain in ("rag", "mlops")
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert count(demo, "assessment") == 9 + 2 * 20
    result = subprocess.run(
        [sys.executable, "-m", "gapcli", "db", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_read_query_runs_on_the_newest_schema(cli: Any, demo: Path) -> None:
    """The plain-SQL reads name real columns: each runs on a freshly migrated database."""
    from gapcli.store import queries

    logged = cli("log-progress", "rag-why", "--minutes", "30", "--note", "n", "--done")
    assert logged.exit_code == 0
    assert cli("assess", "--math-level", "light").exit_code == 0
    assert cli("away", "add", "2026-12-24", "2026-12-26", "--note", "a").exit_code == 0
    assert cli("away", "add", "2027-01-04").exit_code == 0
    assert cli("away", "remove", "2").exit_code == 0
    assert cli("note", "rag-why", "why", "--link", "https://example.org").exit_code == 0
    assert cli("read", "vaswani-2017", "--date", "2026-11-02").exit_code == 0
    db = Database(demo)
    with db.read() as conn:
        profile = queries.profile(conn)
        assert profile is not None and profile.track == "ai-engineer-gaps"
        assert profile.created_at.tzinfo is not None and profile.study_time == "19:00"
        newest = {a.domain_id: (a.current, a.target) for a in queries.assessments(conn)}
        assert newest["rag"] == (80, 90)
        assert learner_state(conn).done == {"rag-why"}
        assert queries.math_levels(conn)[-1].level == "light"
        assert queries.logged_minutes(conn) == {"rag-why": 30}
        assert sum(queries.minutes_by_day(conn).values()) == 30
        (session,) = queries.sessions(conn, domain="rag")
        assert (session.minutes, session.note, session.topic_id) == (30, "n", "rag-why")
        assert queries.sessions(conn, since=session.day + timedelta(days=1)) == []
        assert len(queries.assessments(conn)) == 9
        assert [m.level for m in queries.math_levels(conn)][-1] == "light"
        demo_todo = ["ft-lora-mechanics", "mm-vision-prompting", "ops-observability-langsmith"]
        assert learner_state(conn).todo == set(demo_todo)
        assert [(m.topic_id, m.done) for m in queries.topic_marks(conn)] == [
            *((t, False) for t in demo_todo),
            ("rag-why", True),
        ]
        (kept,) = queries.away_ranges(conn)
        assert (kept.id, kept.start, kept.days, kept.note) == (1, date(2026, 12, 24), 3, "a")
        (note,) = queries.notes(conn, "rag-why")
        assert (note.id, note.text, note.link) == (1, "why", "https://example.org")
        assert queries.papers_read(conn) == {"vaswani-2017": date(2026, 11, 2)}


def test_read_commands_do_not_import_sqlalchemy(demo: Path) -> None:
    """Reads go through the standard library: SQLAlchemy is for writes and migrations."""
    script = (
        "import sys\n"
        "from gapcli.cli import main\n"
        "db = sys.argv[1]\n"
        "for args in (['gaps', '--json'], ['plan', '--json'], ['history', '--json'], "
        "['export', '-f', 'json'], ['db', 'check'], ['today'], ['today', '--json']):\n"
        "    sys.argv = ['gapcli', '--db', db, *args]\n"
        "    assert main() == 0, args\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules)\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(demo)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
