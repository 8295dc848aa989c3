"""What a crash, a kill or a full disk leaves in the corners, and that nothing is lost there.

A checkpoint cut short (the committed pages whole in the -wal, the main file shorter
than its header says), a -wal whose database file is gone, what a killed ``init``
left, a database an older gapcli wrote, and the temporary and side files a killed
export, backup or read left beside the data (issue 13).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import rows
from test_faults import (
    fill,
    fingerprint,
    give_away,
    one_error_line,
    run_commands,
    shared_folder,
    small_disk,  # noqa: F401 (a fixture, requested by name)
)
from test_migrations import _database_at

from gapcli.store.backup import backups_dir

SESSIONS = 2000  # enough to grow the file by a few hundred pages in one commit

# -- helpers ----------------------------------------------------------------------------------


def add_sessions(conn: sqlite3.Connection, n: int) -> None:
    """``n`` half-hour sessions, 40 a day (a day holds at most 24 h)."""
    conn.executemany(
        "INSERT INTO study_session (day, minutes, domain_id, note, logged_at, profile_id) "
        "VALUES (date('2025-01-06', ?), 30, 'rag', ?, '2025-01-06 10:00:00', 1)",
        [(f"+{i // 40} days", f"session {i} " + "x" * 200) for i in range(n)],
    )


@contextlib.contextmanager
def sessions_only_in_the_wal(db: Path, n: int = SESSIONS) -> Iterator[Path]:
    """``db`` with ``n`` sessions committed to its -wal and not checkpointed (a
    connection holds it open, as a process that is about to be killed would)."""
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.execute("BEGIN IMMEDIATE")
        add_sessions(holder, n)
        holder.execute("COMMIT")
        yield Path(f"{db}-wal")
    finally:
        holder.close()


def wal_frames(wal: bytes) -> Iterator[tuple[int, bytes]]:
    """(page number, page) of every frame of a -wal, in order."""
    page_size = int.from_bytes(wal[8:12], "big")
    offset = 32
    while offset + 24 + page_size <= len(wal):
        yield (
            int.from_bytes(wal[offset : offset + 4], "big"),
            wal[offset + 24 : offset + 24 + page_size],
        )
        offset += 24 + page_size


def crash_mid_checkpoint(demo: Path, crashed: Path) -> None:
    """At ``crashed``: what a process killed (or a disk filled) while its closing
    checkpoint was extending the main file leaves. Every commit is in the -wal; the
    checkpoint had written page 1 (whose header counts the new pages) and no more."""
    with sessions_only_in_the_wal(demo) as wal:
        shutil.copyfile(demo, crashed)  # the files as they are at this instant
        shutil.copyfile(wal, f"{crashed}-wal")
    first = [
        page for number, page in wal_frames(Path(f"{crashed}-wal").read_bytes()) if number == 1
    ]
    with crashed.open("r+b") as fh:
        fh.write(first[-1])
    header = crashed.read_bytes()[:100]
    pages = int.from_bytes(header[28:32], "big")
    assert crashed.stat().st_size < pages * int.from_bytes(header[16:18], "big")


def integrity_ok(path: Path) -> bool:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def study_sessions(cli: Any) -> int:
    result = cli("history", "--json")
    assert result.exit_code == 0, result.stderr
    return len(json.loads(result.stdout)["sessions"])


# -- 1. a checkpoint cut short is recovered, never called "truncated" ------------------------


@pytest.mark.parametrize(
    "first", [["gaps"], ["db", "check"], ["log-progress", "rag", "--minutes", "5"]]
)
def test_a_checkpoint_cut_short_is_recovered_not_called_truncated(
    cli: Any, demo: Path, tmp_path: Path, db_path: Path, first: list[str]
) -> None:
    source = tmp_path / "live" / "gapcli.db"
    source.parent.mkdir()
    demo.rename(source)
    crash_mid_checkpoint(source, db_path)

    result = cli(*first)

    assert result.exit_code == 0, result.stderr
    assert "truncated" not in result.stdout + result.stderr
    assert study_sessions(cli) == SESSIONS + (first[0] == "log-progress")
    assert cli("db", "check").exit_code == 0
    assert integrity_ok(db_path)


def test_a_checkpoint_cut_short_reads_while_another_process_holds_it_open(
    cli: Any, demo: Path, tmp_path: Path, db_path: Path
) -> None:
    """The -wal cannot be checkpointed then: the data is read through it."""
    source = tmp_path / "live" / "gapcli.db"
    source.parent.mkdir()
    demo.rename(source)
    crash_mid_checkpoint(source, db_path)
    with closing(sqlite3.connect(db_path)) as other:
        other.execute("SELECT count(*) FROM study_session").fetchone()
        assert cli("gaps").exit_code == 0
        assert study_sessions(cli) == SESSIONS
        assert cli("db", "check").exit_code == 0
    assert integrity_ok(db_path)


@pytest.mark.slow
def test_a_disk_that_filled_during_the_checkpoint_loses_nothing(
    cli: Any,
    demo: Path,
    small_disk: Path,  # noqa: F811 (the fixture imported above)
) -> None:
    """The issue's own reproduction: the closing checkpoint runs out of space while it
    extends the main file. Reads work at once; once space is freed, so does everything."""
    db = small_disk / "gapcli.db"
    shutil.copyfile(demo, db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("BEGIN IMMEDIATE")
    add_sessions(holder, 600)
    holder.execute("COMMIT")
    fill(small_disk, 0)
    holder.close()  # its checkpoint fails part way: the -wal stays, the file is short
    header = db.read_bytes()[:100]
    page_size = int.from_bytes(header[16:18], "big")
    assert db.stat().st_size < int.from_bytes(header[28:32], "big") * page_size
    assert Path(f"{db}-wal").stat().st_size > 0

    full = cli("--db", str(db), "history", "--json")
    assert full.exit_code == 0, full.stderr
    assert len(json.loads(full.stdout)["sessions"]) == 600

    (small_disk / "filler").unlink()
    assert cli("--db", str(db), "db", "check").exit_code == 0
    assert not Path(f"{db}-wal").exists()
    assert integrity_ok(db)
    assert rows(db, "SELECT count(*) FROM study_session") == [(600,)]


def test_a_truncated_file_without_its_wal_is_still_damage(
    cli: Any, demo: Path, tmp_path: Path, db_path: Path
) -> None:
    source = tmp_path / "live" / "gapcli.db"
    source.parent.mkdir()
    demo.rename(source)
    crash_mid_checkpoint(source, db_path)
    Path(f"{db_path}-wal").unlink()
    line = one_error_line(cli("gaps"))
    assert "truncated" in line
    assert "gapcli db restore" in line


# -- 7. a -wal whose database file is gone ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["init", "--demo"], ["gaps"], ["log-progress", "rag", "--minutes", "5"], ["db", "check"]],
    ids=["init", "gaps", "log", "check"],
)
def test_an_orphan_wal_is_refused_never_deleted(
    cli: Any, demo: Path, tmp_path: Path, db_path: Path, args: list[str]
) -> None:
    source = tmp_path / "live" / "gapcli.db"
    source.parent.mkdir()
    demo.rename(source)
    with sessions_only_in_the_wal(source) as wal:
        shutil.copyfile(wal, f"{db_path}-wal")
    orphan = Path(f"{db_path}-wal").read_bytes()

    line = one_error_line(cli(*args))

    assert "missing but its -wal holds data" in line
    assert "init" not in line
    assert Path(f"{db_path}-wal").read_bytes() == orphan
    assert not db_path.exists()


def test_restore_over_an_orphan_wal_keeps_a_copy_of_it(
    cli: Any, demo: Path, tmp_path: Path, db_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    with sessions_only_in_the_wal(db_path) as wal:
        orphan = wal.read_bytes()
        kept_wal = tmp_path / "orphan-wal"
        shutil.copyfile(wal, kept_wal)
    for file in (db_path, Path(f"{db_path}-shm")):
        file.unlink(missing_ok=True)
    shutil.copyfile(kept_wal, f"{db_path}-wal")

    result = cli("db", "restore", str(saved), "--yes")

    assert result.exit_code == 0, result.stderr
    copies = list(backups_dir(db_path).glob("*-unreadable.bin-wal"))
    assert [c.read_bytes() for c in copies] == [orphan]
    assert study_sessions(cli) == 0
    assert integrity_ok(db_path)


# -- 8. what a killed init leaves --------------------------------------------------------------

_HOT_JOURNAL = """
import os, sqlite3, sys
path = sys.argv[1]
os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA cache_size=1")
conn.execute("BEGIN")
conn.execute("CREATE TABLE t (x)")
conn.executemany("INSERT INTO t VALUES (?)", [("x" * 900,)] * 300)
os._exit(0)  # killed mid-transaction: pages in the file, the journal to undo them
"""


def make_empty(path: Path) -> None:
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def make_hot_journal(path: Path) -> None:
    subprocess.run([sys.executable, "-c", _HOT_JOURNAL, str(path)], check=True)
    assert path.stat().st_size > 0
    assert Path(f"{path}-journal").stat().st_size > 0


UNFINISHED = {"zero-bytes": make_empty, "page-and-hot-journal": make_hot_journal}


@pytest.mark.parametrize("kind", list(UNFINISHED))
def test_what_a_killed_init_left_is_said_so_and_init_starts_over(
    cli: Any, db_path: Path, kind: str
) -> None:
    UNFINISHED[kind](db_path)
    commands = (
        ["gaps"],
        ["db", "check"],
        ["db", "backup", str(db_path.parent / "copy.db")],
        ["export", "-f", "json"],
        ["log-progress", "rag", "--minutes", "5"],
    )
    for args in commands:
        line = one_error_line(cli(*args))
        assert "unfinished 'gapcli init'" in line, line
        assert "run 'gapcli init' again" in line
        assert "damaged" not in line
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.stderr
    assert cli("gaps").exit_code == 0
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


@pytest.mark.parametrize("kind", list(UNFINISHED))
def test_restore_over_what_a_killed_init_left(
    cli: Any, demo: Path, tmp_path: Path, kind: str
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    fresh = tmp_path / "fresh" / "gapcli.db"
    fresh.parent.mkdir()
    UNFINISHED[kind](fresh)
    result = cli("--db", str(fresh), "db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert rows(fresh, "SELECT count(*) FROM assessment") == [(9,)]
    assert integrity_ok(fresh)


@pytest.mark.slow
def test_init_killed_at_any_moment_never_wedges_the_database(tmp_path: Path) -> None:
    """kill -9 at random instants of ``init --demo``: afterwards there is no file, or a
    whole profile, or what gapcli calls an unfinished init; ``init`` then works."""
    rng = random.Random(13)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    gapcli = [sys.executable, "-m", "gapcli"]
    timed = tmp_path / "timed" / "gapcli.db"
    timed.parent.mkdir()
    started = time.monotonic()
    subprocess.run([*gapcli, "--db", str(timed), "init", "--demo"], env=env, check=True)
    whole = time.monotonic() - started  # kills land in its second half: the file work
    for i in range(30):
        db = tmp_path / f"k{i}" / "gapcli.db"
        db.parent.mkdir()
        child = subprocess.Popen(
            [*gapcli, "--db", str(db), "init", "--demo"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 1.1) * whole)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        again = subprocess.run(
            [*gapcli, "--db", str(db), "init", "--demo"], env=env, capture_output=True, text=True
        )
        assert again.returncode in (0, 1), again.stderr
        if again.returncode == 1:
            assert "already holds a profile" in again.stderr, again.stderr
        gaps = subprocess.run(
            [*gapcli, "--db", str(db), "gaps"], env=env, capture_output=True, text=True
        )
        assert gaps.returncode == 0, gaps.stderr
        assert rows(db, "SELECT count(*) FROM profile") == [(1,)]


# -- 9. a read never migrates an older database ------------------------------------------------

OLD_READS = {
    "gaps": ["gaps", "--json"],
    "plan": ["plan"],
    "history": ["history", "--json"],
    "config": ["config", "--json"],
    "check": ["db", "check"],
    "export": ["export", "-f", "json", "-o", "OUT"],
    "backup": ["db", "backup", "OUT"],
}


@pytest.mark.parametrize("name", list(OLD_READS))
def test_a_read_never_migrates_an_older_database(
    cli: Any, db_path: Path, tmp_path: Path, name: str
) -> None:
    _database_at("0001", db_path)
    before = fingerprint(db_path)
    out = tmp_path / "out" / "copy"
    out.parent.mkdir()
    time.sleep(0.01)
    result = cli(*[str(out) if a == "OUT" else a for a in OLD_READS[name]])
    assert result.exit_code == 0, result.stderr
    assert fingerprint(db_path) == before
    assert not backups_dir(db_path).exists()
    assert rows(db_path, "SELECT version_num FROM alembic_version") == [("0001",)]
    if name == "export":
        assert json.loads(out.read_text())["profile"]["study_time"] == "19:00"


def test_an_older_read_only_database_can_be_read_and_exported(
    db_path: Path, unprivileged: list[str]
) -> None:
    with shared_folder() as folder, shared_folder(0o777) as out_dir:
        db = folder / "gapcli.db"
        _database_at("0001", db)
        db.chmod(0o444)
        before = fingerprint(db)
        commands = [["gaps"], ["history", "--json"], ["export", "-o", str(out_dir / "p.json")]]
        for result in run_commands(unprivileged, db, commands):
            assert result["code"] == 0, result
        assert fingerprint(db) == before
        assert json.loads((out_dir / "p.json").read_text())["schema"] == 1
        # A write needs the upgrade, and says in one line that it cannot save.
        give_away(out_dir, unprivileged)
        (refused,) = run_commands(unprivileged, db, [["assess", "--math-level", "light"]])
        assert refused["code"] == 1, refused
        assert len(refused["stderr"].splitlines()) == 1, refused
        assert fingerprint(db) == before


# -- 11. gapcli's own leftovers ---------------------------------------------------------------

HOUR = 3600


def aged(path: Path, seconds: int, data: bytes = b"half") -> Path:
    """A file made ``seconds`` ago by the file system's clock, as gapcli judges age.

    Not ``time.time()``: under a moved clock (faketime) the two disagree.
    """
    path.write_bytes(data)
    past = path.stat().st_mtime - seconds
    os.utime(path, (past, past))
    return path


def test_stale_temporary_files_of_killed_writes_are_swept(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "new").mkdir()
    stale = [
        aged(out / ".plan.md.ab12cd_9.tmp", 2 * HOUR),
        aged(out / ".gapcli-backup-zz8k2m0q.tmp", 2 * HOUR),
        aged(out / ".gapcli-backup-zz8k2m0q.tmp-wal", 2 * HOUR),
        aged(tmp_path / "new" / ".gapcli.db.0a1b2c3d.new", 2 * HOUR),
    ]
    kept = [
        aged(out / ".plan.md.fresh123.tmp", 60),  # a live export's, perhaps
        aged(out / ".plan.md.notes.tmp", 2 * HOUR),  # not a name gapcli makes
        aged(out / ".other.md.ab12cd_9.tmp", 2 * HOUR),  # another destination's
        aged(out / "gapcli-backup-zz8k2m0q.tmp", 2 * HOUR),
    ]
    assert cli("export", "-o", str(out / "plan.md")).exit_code == 0
    assert cli("db", "backup", str(out / "copy.db")).exit_code == 0
    assert cli("--db", str(tmp_path / "new" / "gapcli.db"), "init").exit_code == 0
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


READ_COMMANDS = [
    ["gaps"],
    ["plan", "--json"],
    ["history"],
    ["db", "check"],
    ["catalog", "list"],
    ["export", "-f", "csv"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a) for a in READ_COMMANDS])
def test_a_read_leaves_the_database_a_single_file(cli: Any, demo: Path, args: list[str]) -> None:
    before = fingerprint(demo)
    time.sleep(0.01)
    assert cli(*args).exit_code == 0
    assert sorted(p.name for p in demo.parent.iterdir()) == [demo.name]
    assert fingerprint(demo) == before


def test_the_columns_a_read_adds_are_those_the_migrations_add(tmp_path: Path) -> None:
    """What an older file is read with is what upgrading it would give it."""
    from gapcli.store.contract import TABLES
    from gapcli.store.migrate import upgrade_existing
    from gapcli.store.old_schema import ADDED_COLUMNS, ADDED_TABLES, show_added_columns
    from gapcli.store.schema import HEAD, REVISIONS

    def columns(path: Path) -> dict[tuple[str, str], str | None]:
        with closing(sqlite3.connect(path)) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return {
                (table, r[1]): r[4]
                for table in tables
                for r in conn.execute(f"PRAGMA table_info({table})")
            }

    newest = columns(_at(HEAD, tmp_path))
    first = columns(_at(REVISIONS[0], tmp_path))
    new_tables = {t for t, _ in newest} - {t for t, _ in first}
    added = {key: newest[key] for key in newest.keys() - first.keys() if key[0] not in new_tables}
    # A column with a server default reads as it; one the migration fills instead
    # (0008's profile name and profile_id: no default, so no row is ever given one
    # silently) reads as what the migration wrote, checked on the rows below.
    filled = {
        (t.name, c.name)
        for t in TABLES
        for c in t.columns
        if c.before is not None and t.name not in new_tables
    }
    assert added == {
        (t, c): None if (t, c) in filled else f"'{default}'"
        for t, c, default in ADDED_COLUMNS
        if t not in new_tables
    }
    (tmp_path / "rows").mkdir()
    old = _at(REVISIONS[0], tmp_path / "rows")
    with closing(sqlite3.connect(old)) as conn:
        show_added_columns(conn)
        shown = {
            (t, c): conn.execute(f'SELECT DISTINCT "{c}" FROM "{t}"').fetchall() for t, c in filled
        }
    upgrade_existing(old)
    with closing(sqlite3.connect(old)) as conn:
        stored = {
            (t, c): conn.execute(f'SELECT DISTINCT "{c}" FROM "{t}"').fetchall() for t, c in filled
        }
    assert shown == stored
    # A table added since is read as an empty one with exactly its columns.
    shapes = {t: [c for (table, c) in newest if table == t] for t in new_tables}
    assert shapes == {t: list(names) for t, names in ADDED_TABLES}


def _at(revision: str, folder: Path) -> Path:
    path = folder / f"at-{revision}.db"
    _database_at(revision, path)
    return path
