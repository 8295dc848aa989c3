"""Faults around backups and restores: the corners where a good copy could be lost.

A restore over a damaged file, backup rotation that must not delete the only copy
of some data, a writer racing a restore, and a backup aimed at the live database's
side files. The damaged and filled databases come from test_faults.py's fixtures.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_faults import (
    DISK_KB,
    SESSIONS,
    add_sessions,
    corrupt_template,
    count,
    dump,
    fill,
    fingerprint,
    give_away,
    integrity,
    one_error_line,
    rows_template,
    run_commands,
    shared_folder,
    small_disk,
    wal_size,
)
from test_migrations import _database_at

from gapcli.errors import DatabaseBusy
from gapcli.store import backup as backup_module
from gapcli.store import sqlite_file
from gapcli.store.backup import (
    KEEP_AUTOMATIC,
    BackupReason,
    automatic_backup,
    backups_dir,
    list_backups,
)
from gapcli.store.database import Database
from gapcli.store.schema import REVISIONS
from gapcli.store.tables import StudySession

__all__ = [
    "corrupt_template",
    "rows_template",
    "small_disk",
]  # fixtures shared with test_faults.py

MIGRATION = BackupReason.PRE_MIGRATION
RESTORE = BackupReason.PRE_RESTORE


def kept_path(result: Any) -> Path:
    """Where ``db restore`` says the content it replaced is kept."""
    return Path(result.stdout.splitlines()[-1].split("kept in ", 1)[1])


# -- a restore over a damaged database --------------------------------------------------------


def test_restore_over_a_corrupted_page_keeps_the_damaged_bytes_aside(
    cli: Any, db_path: Path, tmp_path: Path, rows_template: Path, corrupt_template: Path
) -> None:
    """Every damage message advises 'db restore': it must work over the damaged file."""
    saved = tmp_path / "saved.db"
    assert cli("--db", str(rows_template), "db", "backup", str(saved)).exit_code == 0
    shutil.copyfile(corrupt_template, db_path)
    damaged = db_path.read_bytes()
    result = cli("db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert integrity(db_path) == ["ok"]
    assert count(db_path) == SESSIONS + 1
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert "damaged" in result.stdout.splitlines()[-1]
    kept = kept_path(result)
    assert kept.parent == backups_dir(db_path)
    assert kept.read_bytes() == damaged
    assert kept.stat().st_mode & 0o777 == 0o600
    assert cli("db", "check").exit_code == 0


def test_a_failed_restore_over_a_damaged_file_leaves_it_in_place(
    cli: Any, small_disk: Path, tmp_path: Path, rows_template: Path, corrupt_template: Path
) -> None:
    """Free space grows until the restore fits: each failure before leaves the damaged
    file at its path (never no database at all) and its copy kept aside. The backup is
    bigger than the damaged file, so freeing the damaged file's room is not enough."""
    bigger = tmp_path / "bigger.db"
    shutil.copyfile(rows_template, bigger)
    # A third more sessions: since revision 0008 (a page more for each profile index)
    # twice as many no longer fit the small disk beside the damaged file and its copy.
    add_sessions(bigger, SESSIONS // 3)
    assert bigger.stat().st_size > rows_template.stat().st_size
    saved = tmp_path / "saved.db"
    assert cli("--db", str(bigger), "db", "backup", str(saved)).exit_code == 0
    db = small_disk / "gapcli.db"
    shutil.copyfile(corrupt_template, db)
    damaged = db.read_bytes()
    failures = 0
    for leave_kb in range(len(damaged) // 1024 + 8, DISK_KB, 16):
        fill(small_disk, leave_kb)
        result = cli("--db", str(db), "db", "restore", str(saved), "--yes")
        if result.exit_code == 0:
            break
        line = one_error_line(result)
        assert db.read_bytes() == damaged
        if "the damaged file is kept in " in line:  # else: no room even for the copy
            kept = Path(line.split("the damaged file is kept in ", 1)[1])
            assert kept.read_bytes() == damaged
            failures += 1
        shutil.rmtree(backups_dir(db), ignore_errors=True)  # room for the next attempt
    else:
        pytest.fail("the restore never fitted")
    assert failures > 0, "no attempt failed after the copy was kept: the test missed the case"
    (small_disk / "filler").unlink()
    assert integrity(db) == ["ok"]
    assert count(db) == SESSIONS + SESSIONS // 3 + 1
    assert sorted(p.name for p in small_disk.iterdir()) == ["gapcli.db", "gapcli.db.backups"]


# -- rotation never deletes the only copy of some data ----------------------------------------


def test_restoring_the_same_file_many_times_keeps_what_was_there_first(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    add_sessions(demo, 3)
    first = dump(demo)
    for _ in range(KEEP_AUTOMATIC + 2):
        result = cli("db", "restore", str(saved), "--yes")
        assert result.exit_code == 0, result.stderr
    assert count(demo) == 0
    assert any(dump(p) == first for p in list_backups(demo)), "the data before was lost"


def test_an_unchanged_database_does_not_push_out_older_backups(demo: Path) -> None:
    """Failed migrations of a read-only file back up the same content on every read."""
    for _ in range(KEEP_AUTOMATIC):
        add_sessions(demo, 1)
        automatic_backup(demo, MIGRATION)
    unique = list_backups(demo)
    for _ in range(KEEP_AUTOMATIC):
        assert automatic_backup(demo, MIGRATION) == unique[0]
    assert list_backups(demo) == unique
    assert sorted(count(p) for p in unique) == list(range(1, KEEP_AUTOMATIC + 1))


def test_failed_migrations_of_a_read_only_file_keep_the_older_backups(
    unprivileged: list[str],
) -> None:
    """Reads of an old-schema file the user may not write once backed it up and failed to
    migrate it, pushing out the backups holding other data. Now a read reads it as it is,
    takes no backup, and the older backups stay."""
    with shared_folder(0o777) as folder:
        db = folder / "gapcli.db"
        _database_at(REVISIONS[0], db)
        for _ in range(KEEP_AUTOMATIC):
            add_sessions(db, 1)
            automatic_backup(db, MIGRATION)
        unique = list_backups(db)
        for path in [backups_dir(db), *unique]:
            give_away(path, unprivileged)
        db.chmod(0o644 if unprivileged else 0o444)
        results = run_commands(unprivileged, db, [["gaps"]] * KEEP_AUTOMATIC)
        assert [r["code"] for r in results] == [0] * KEEP_AUTOMATIC, results
        assert list_backups(db) == unique
        assert len({count(p) for p in unique}) == KEEP_AUTOMATIC  # each its own data


def test_rotation_leaves_files_gapcli_did_not_name_alone(demo: Path) -> None:
    folder = backups_dir(demo)
    folder.mkdir(mode=0o700)
    mine = folder / "archive.db"
    shutil.copyfile(demo, mine)
    notes = folder / "notes.txt"
    notes.write_text("my own notes")
    before = fingerprint(mine)
    for _ in range(KEEP_AUTOMATIC + 2):
        add_sessions(demo, 1)
        automatic_backup(demo, MIGRATION)
    assert fingerprint(mine) == before
    assert notes.read_text() == "my own notes"
    assert mine not in list_backups(demo)


def test_rotation_keeps_the_oldest_pre_migration_and_pre_restore_backups(demo: Path) -> None:
    add_sessions(demo, 1)
    oldest_migration = automatic_backup(demo, MIGRATION)
    add_sessions(demo, 1)
    oldest_restore = automatic_backup(demo, RESTORE)
    for _ in range(KEEP_AUTOMATIC + 3):
        add_sessions(demo, 1)
        automatic_backup(demo, MIGRATION)
        add_sessions(demo, 1)
        automatic_backup(demo, RESTORE)
    kept = list_backups(demo)
    assert oldest_migration in kept
    assert oldest_restore in kept
    assert (count(oldest_migration), count(oldest_restore)) == (1, 2)
    assert len(kept) == KEEP_AUTOMATIC + 2


# -- a writer racing a restore ----------------------------------------------------------------


def test_a_write_while_a_restore_runs_is_never_lost(
    cli: Any, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer commits just after the safety backup, before the copy-in (the race's window).

    Either it waits for the restore (here: gives up, busy, nothing acknowledged) or what
    it wrote is in the restored database or in the safety backup.
    """
    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    add_sessions(demo, 2)
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_S", 0.2)
    take_backup = backup_module.automatic_backup
    acknowledged: list[bool] = []

    def backup_then_write(*args: Any, **kwargs: Any) -> Path:
        taken = take_backup(*args, **kwargs)
        writer = Database(demo)
        try:
            with writer.write() as session:
                session.add(
                    StudySession(
                        day=date(2026, 1, 6),
                        minutes=7,
                        domain_id="rag",
                        note="written during the restore",
                        logged_at=datetime.now(UTC),
                    )
                )
            acknowledged.append(True)
        except DatabaseBusy:
            acknowledged.append(False)
        finally:
            writer.dispose()
        return taken

    monkeypatch.setattr(backup_module, "automatic_backup", backup_then_write)
    result = cli("db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert len(acknowledged) == 1, "the safety backup was not taken"
    kept = kept_path(result)
    assert count(kept) == 2
    if acknowledged[0]:
        places = [p for p in (demo, kept) if "written during the restore" in str(dump(p))]
        assert places, "an acknowledged write was lost"


# -- a backup never replaces the live database's side files -----------------------------------

_CRASHED_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_autocheckpoint=0")
for i in range(3):
    conn.execute(
        "INSERT INTO study_session (day, minutes, domain_id, note, logged_at, profile_id) "
        "VALUES ('2026-01-06', 30, 'rag', 'in the wal', '2026-01-06 10:00:00', 1)"
    )
os._exit(0)  # killed before it could checkpoint: the sessions live only in -wal
"""


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_backup_never_replaces_a_side_file_of_the_database(
    cli: Any, demo: Path, suffix: str
) -> None:
    subprocess.run([sys.executable, "-c", _CRASHED_WRITER, str(demo)], check=True)
    assert wal_size(demo) > 0
    side = Path(f"{demo}{suffix}")
    before = side.read_bytes() if side.exists() else None
    line = one_error_line(cli("db", "backup", str(side), "--force"))
    assert str(side) in line
    assert (side.read_bytes() if side.exists() else None) == before
    assert count(demo) == 3
    with closing(sqlite3.connect(demo)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


RACES = 30  # the race lost an acknowledged row about once in 30 restores


def _keep_writing(path: str, acknowledged: str, stop: Any) -> None:
    """Log sessions until told to stop; a session's note is recorded once committed."""
    db = Database(Path(path))
    with Path(acknowledged).open("a", encoding="utf-8") as record:
        i = 0
        while not stop.is_set():
            note = f"raced {i}"
            try:
                with db.write() as session:
                    session.add(
                        StudySession(
                            day=date(2026, 1, 6),
                            minutes=1,
                            domain_id="rag",
                            note=note,
                            logged_at=datetime.now(UTC),
                        )
                    )
            except DatabaseBusy:
                continue
            record.write(note + "\n")
            record.flush()
            i += 1
    db.dispose()


def notes(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {str(r[0]) for r in conn.execute("SELECT note FROM study_session")}


@pytest.mark.slow
def test_restores_racing_a_writer_lose_no_acknowledged_session(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    """A real writer process logs without pause while the same backup is restored again and
    again: every session it saw committed is in the final database or in a safety backup."""
    import multiprocessing

    saved = tmp_path / "saved.db"
    assert cli("db", "backup", str(saved)).exit_code == 0
    acknowledged = tmp_path / "acknowledged.txt"
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    writer = ctx.Process(target=_keep_writing, args=(str(demo), str(acknowledged), stop))
    writer.start()
    saved_notes: set[str] = set()
    restored = 0
    try:
        for _ in range(RACES):
            result = cli("db", "restore", str(saved), "--yes")
            if result.exit_code != 0:
                # On a loaded machine the writer can hold the lock past the busy
                # timeout: a clean refusal that changed nothing, as documented.
                assert "is busy" in result.stderr, result.stderr
                continue
            restored += 1
            saved_notes |= notes(kept_path(result))
    finally:
        stop.set()
        writer.join(timeout=60)
    assert writer.exitcode == 0
    written = set(acknowledged.read_text().split("\n")) - {""}
    assert restored > 0, "every restore was refused as busy: the test raced nothing"
    assert len(written) > RACES, "the writer hardly wrote: the test raced nothing"
    assert written - saved_notes - notes(demo) == set()
