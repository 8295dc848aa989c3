"""Faults a learner's data must survive: damaged pages, full disks, locked folders,
read-only files, and the automatic backups that are the way back.

Cases test_store.py already covers (foreign, empty, truncated files against init,
check, backup, gaps and assess; a read-only file and folder for ``db check``) are
not repeated; this file extends them to every command and to the faults they miss.
Kill -9 and many writers at once are in test_progress_cli.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import NOBODY
from typer.testing import CliRunner

from gapcli import clock as clock_module
from gapcli.cli import app
from gapcli.errors import GapError
from gapcli.store.backup import (
    KEEP_AUTOMATIC,
    BackupReason,
    automatic_backup,
    backups_dir,
    list_backups,
)

SESSIONS = 300  # enough study sessions to fill a dozen b-tree leaf pages

# -- helpers ----------------------------------------------------------------------------------


def connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()), safe='/')}?mode=ro", uri=True)


def count(path: Path, table: str = "study_session") -> int:
    with closing(connect_ro(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def integrity(path: Path) -> list[str]:
    with closing(connect_ro(path)) as conn:
        return [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]


def dump(path: Path) -> list[str]:
    """Every row as SQL. Even a read-only connection leaves -shm and -wal files beside a
    WAL database: dump a copy of a file whose folder is about to be filled up."""
    with closing(connect_ro(path)) as conn:
        return list(conn.iterdump())


def fingerprint(path: Path) -> tuple[bytes, int, int]:
    stat = path.stat()
    return path.read_bytes(), stat.st_mtime_ns, stat.st_mode


def wal_size(path: Path) -> int:
    """Bytes in the database's -wal file; an absent one counts as empty."""
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def one_error_line(result: Any) -> str:
    """The refusal contract: exit 1, exactly one stderr line, no traceback, not 'unexpected'."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("gapcli: error: "), lines
    assert "unexpected" not in lines[0], lines
    return lines[0]


def add_sessions(path: Path, n: int) -> None:
    """``n`` half-hour sessions, 40 a day (20 h: a day holds at most 24, see db check)."""
    with closing(sqlite3.connect(path)) as conn:
        # A file older than revision 0008 has no profile_id: its rows are its one learner's.
        columns = {row[1] for row in conn.execute("PRAGMA table_info(study_session)")}
        owner, one = (", profile_id", ", 1") if "profile_id" in columns else ("", "")
        conn.executemany(
            f"INSERT INTO study_session (day, minutes, domain_id, note, logged_at{owner}) "
            f"VALUES (date('2026-01-05', ?), 30, 'rag', ?, '2026-01-05 10:00:00'{one})",
            [(f"+{i // 40} days", f"session {i} " + "x" * 200) for i in range(n)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def rows_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo learner with 300 study sessions and, last, one logged through the CLI.

    Session 301 (the CLI one, with its change row for undo) lies on the last leaf
    page of study_session, session 2 on the first.
    """
    path = tmp_path_factory.mktemp("rows") / "rows.db"
    assert invoke("--db", str(path), "init", "--demo").exit_code == 0
    add_sessions(path, SESSIONS)
    logged = invoke("--db", str(path), "log-progress", "la-visual", "--minutes", "20")
    assert logged.exit_code == 0, logged.stderr
    assert wal_size(path) == 0
    return path


def table_leaf_pages(path: Path, table: str) -> list[int]:
    """The leaf pages of a table's b-tree, in key order (read from the file itself)."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    with closing(connect_ro(path)) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        root_page = int(root.fetchone()[0])
    leaves: list[int] = []

    def walk(page: int) -> None:
        base = (page - 1) * page_size
        header = base + (100 if page == 1 else 0)
        kind = data[header]
        if kind == 0x0D:  # table leaf
            leaves.append(page)
            return
        assert kind == 0x05, f"page {page} is not a table b-tree page"
        cells = int.from_bytes(data[header + 3 : header + 5], "big")
        for i in range(cells):
            pointer = int.from_bytes(data[header + 12 + 2 * i : header + 14 + 2 * i], "big")
            walk(int.from_bytes(data[base + pointer : base + pointer + 4], "big"))
        walk(int.from_bytes(data[header + 8 : header + 12], "big"))

    walk(root_page)
    return leaves


@pytest.fixture(scope="module")
def corrupt_template(rows_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rows_template with the middle half of a middle study_session leaf page overwritten."""
    path = tmp_path_factory.mktemp("corrupt") / "corrupt.db"
    shutil.copyfile(rows_template, path)
    leaves = table_leaf_pages(path, "study_session")
    assert len(leaves) >= 5
    page = leaves[len(leaves) // 2]
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size + page_size // 4
    data[start : start + page_size // 2] = b"\xff" * (page_size // 2)
    path.write_bytes(bytes(data))
    assert integrity(path) != ["ok"]
    return path


# -- damaged databases: refused by every command, never "repaired" -----------------------------


def make_corrupted_page(path: Path, rows: Path, corrupt: Path) -> None:
    shutil.copyfile(corrupt, path)


def make_zero_bytes(path: Path, rows: Path, corrupt: Path) -> None:
    """Zero bytes where a database with backups was (without any backup, it is what an
    unfinished init left: test_faults_leftovers.py)."""
    path.write_bytes(b"")
    backups_dir(path).mkdir(mode=0o700)
    (backups_dir(path) / f"{path.stem}-20260101T000000000000Z-pre-migration.db").write_bytes(b"")


def make_truncated(path: Path, rows: Path, corrupt: Path) -> None:
    data = rows.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])


DAMAGES = {
    "corrupted-page": make_corrupted_page,
    "zero-bytes": make_zero_bytes,
    "truncated": make_truncated,
}
DAMAGED_COMMANDS = {
    "gaps": ["gaps"],
    "gaps-json": ["gaps", "--json"],
    "plan": ["plan"],
    "plan-json": ["plan", "--json"],
    "history": ["history"],
    "history-json": ["history", "--json"],
    "today": ["today"],
    "roadmap": ["roadmap"],
    "roadmap-domain-json": ["roadmap", "rag", "--json"],
    "log-progress": ["log-progress", "rag", "--minutes", "5"],
    "assess": ["assess", "rag", "--current", "50"],
    "assess-math": ["assess", "--math-level", "light"],
    "undo": ["undo", "--yes"],
    "history-remove": ["history", "remove", "301", "--yes"],
    "history-edit": ["history", "edit", "2", "--minutes", "4"],
}


# undo, history remove and history edit read only the rows they change, never the
# damaged page: they are refused because every write runs a quick_check first.
def damaged_cases() -> Iterator[Any]:
    for kind in DAMAGES:
        for command in DAMAGED_COMMANDS:
            yield pytest.param(kind, command, id=f"{kind}-{command}")


@pytest.mark.parametrize(("kind", "command"), list(damaged_cases()))
def test_damaged_database_is_refused_by_every_command(
    cli: Any,
    db_path: Path,
    tmp_path: Path,
    rows_template: Path,
    corrupt_template: Path,
    kind: str,
    command: str,
) -> None:
    DAMAGES[kind](db_path, rows_template, corrupt_template)
    before = fingerprint(db_path)
    kept = sorted(backups_dir(db_path).glob("*")) if backups_dir(db_path).exists() else None
    time.sleep(0.01)
    line = one_error_line(cli(*DAMAGED_COMMANDS[command]))
    assert str(db_path) in line
    assert "gapcli db restore" in line
    # Not repaired, not replaced by a fresh empty database, nothing written beside it.
    assert fingerprint(db_path) == before
    assert wal_size(db_path) == 0
    assert (sorted(backups_dir(db_path).glob("*")) if kept is not None else None) == kept
    assert sorted(p.name for p in tmp_path.glob("*.db")) == [db_path.name]


def test_backup_of_a_corrupted_page_is_refused(
    cli: Any, db_path: Path, tmp_path: Path, corrupt_template: Path
) -> None:
    shutil.copyfile(corrupt_template, db_path)
    before = fingerprint(db_path)
    out = tmp_path / "out" / "copy.db"
    out.parent.mkdir()
    line = one_error_line(cli("db", "backup", str(out)))
    assert str(db_path) in line
    assert "integrity check" in line
    assert fingerprint(db_path) == before
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_db_check_reports_a_corrupted_page(
    cli: Any, db_path: Path, corrupt_template: Path, as_json: bool
) -> None:
    shutil.copyfile(corrupt_template, db_path)
    before = fingerprint(db_path)
    result = cli("db", "check", *(["--json"] if as_json else []))
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    if as_json:
        report = json.loads(result.stdout)
        assert report["path"] == str(db_path)
        assert report["ok"] is False
        assert report["integrity"] != ["ok"]
    else:
        assert result.stdout.startswith(f"{db_path}: PROBLEMS FOUND\n")
    assert fingerprint(db_path) == before
    assert wal_size(db_path) == 0


def test_db_check_of_a_corrupted_page_points_to_restore(
    cli: Any, db_path: Path, corrupt_template: Path
) -> None:
    shutil.copyfile(corrupt_template, db_path)
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "gapcli db restore" in result.stdout + result.stderr


# -- read commands never write ----------------------------------------------------------------

READS = {
    "gaps": ["gaps"],
    "gaps-json": ["gaps", "--json"],
    "gaps-all": ["gaps", "--all"],
    "plan": ["plan"],
    "plan-json": ["plan", "--json"],
    "plan-weeks": ["plan", "--weeks", "2"],
    "history": ["history"],
    "history-json": ["history", "--json"],
    "history-filtered": ["history", "--since", "2026-01-01", "--domain", "rag"],
    "catalog-list": ["catalog", "list"],
    "catalog-tracks-json": ["catalog", "list", "--kind", "tracks", "--json"],
    "catalog-show": ["catalog", "show", "rag"],
    "db-path": ["db", "path"],
    "db-path-json": ["db", "path", "--json"],
    "db-check": ["db", "check"],
    "db-check-json": ["db", "check", "--json"],
    "assess-no-args": ["assess"],  # without a terminal: the gap report
    "db-backup": ["db", "backup", "OUT"],
    "today": ["today"],
    "today-json": ["today", "--json"],
    "roadmap": ["roadmap"],
    "roadmap-domain": ["roadmap", "rag"],
    "roadmap-track-json": ["roadmap", "--track", "all", "--json"],
}


def read_args(name: str, out_dir: Path) -> list[str]:
    return [str(out_dir / "copy.db") if a == "OUT" else a for a in READS[name]]


@pytest.mark.parametrize("live_wal", [False, True], ids=["checkpointed", "live-wal"])
@pytest.mark.parametrize("name", list(READS))
def test_read_command_leaves_the_database_untouched(
    cli: Any, db_path: Path, tmp_path: Path, rows_template: Path, name: str, live_wal: bool
) -> None:
    """Same bytes, same mtime, same -wal: also while another connection's commits sit in
    the -wal (a read must neither checkpoint them nor miss them)."""
    shutil.copyfile(rows_template, db_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with contextlib.ExitStack() as stack:
        if live_wal:
            holder = stack.enter_context(closing(sqlite3.connect(db_path, isolation_level=None)))
            holder.execute("PRAGMA wal_autocheckpoint=0")
            holder.execute(
                "INSERT INTO study_session (day, minutes, domain_id, note, logged_at, profile_id) "
                "VALUES ('2026-01-06', 45, 'rag', 'only in the wal', '2026-01-06 10:00:00', 1)"
            )
            assert wal_size(db_path) > 0
        before = fingerprint(db_path), wal_size(db_path)
        time.sleep(0.02)
        result = cli(*read_args(name, out_dir))
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert (fingerprint(db_path), wal_size(db_path)) == before
        if live_wal and name == "history-json":
            notes = [s["note"] for s in json.loads(result.stdout)["sessions"]]
            assert "only in the wal" in notes
        if name == "db-backup":
            assert count(out_dir / "copy.db") == SESSIONS + 1 + live_wal


# -- another user: read-only files, unwritable folders ----------------------------------------

# Runs each command given (JSON) in one process, so many commands cost one start-up.
_DRIVER = """
import json, sys
from typer.testing import CliRunner
from gapcli.cli import app
results = []
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(app, args)
    crash = r.exception if not isinstance(r.exception, (SystemExit, type(None))) else None
    results.append({"args": args, "code": r.exit_code, "stderr": r.stderr,
                    "crash": repr(crash) if crash else None})
print(json.dumps(results))
"""


@contextlib.contextmanager
def shared_folder(mode: int = 0o755) -> Iterator[Path]:
    """A folder outside pytest's private tmp, so that the unprivileged user can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="gapcli-faults-"))
    folder.chmod(mode)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


def give_away(path: Path, prefix: list[str]) -> None:
    """Make ``path`` belong to the user the commands run as."""
    if prefix:
        os.chown(path, NOBODY, NOBODY)


def run_commands(prefix: list[str], db: Path, commands: list[list[str]]) -> list[dict[str, Any]]:
    env = {**os.environ, "GAPCLI_DB": str(db), "HOME": str(db.parent)}
    done = subprocess.run(
        [*prefix, sys.executable, "-c", _DRIVER, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    for result in results:
        assert result["crash"] is None, result
    return results


def assert_one_error_line(result: dict[str, Any]) -> str:
    assert result["code"] == 1, result
    lines = result["stderr"].splitlines()
    assert len(lines) == 1, result
    assert lines[0].startswith("gapcli: error: "), result
    assert "unexpected" not in lines[0], result
    return str(lines[0])


@pytest.mark.parametrize("folder_mode", [0o777, 0o555], ids=["writable-folder", "locked-folder"])
def test_read_commands_work_on_a_read_only_file(
    rows_template: Path, unprivileged: list[str], folder_mode: int
) -> None:
    with shared_folder() as folder, shared_folder(0o777) as out_dir:
        db = folder / "gapcli.db"
        shutil.copyfile(rows_template, db)
        db.chmod(0o444)
        folder.chmod(folder_mode)
        before = fingerprint(db)
        time.sleep(0.01)
        results = run_commands(unprivileged, db, [read_args(name, out_dir) for name in READS])
        for result in results:
            assert result["code"] == 0, result
            assert result["stderr"] == "", result
        assert fingerprint(db) == before
        assert wal_size(db) == 0
        assert count(out_dir / "copy.db") == SESSIONS + 1


def test_unwritable_folder_refuses_writes_in_one_line(
    rows_template: Path, unprivileged: list[str]
) -> None:
    """The database file is the user's and writable, its folder is not (no -wal can be made)."""
    with shared_folder() as folder, shared_folder(0o777) as out_dir:
        db = folder / "gapcli.db"
        shutil.copyfile(rows_template, db)
        give_away(db, unprivileged)
        folder.chmod(0o755 if unprivileged else 0o555)
        before = fingerprint(db)
        writes = [
            ["log-progress", "rag", "--minutes", "5"],
            ["assess", "rag", "--current", "50"],
            ["undo", "--yes"],
            ["history", "remove", "301", "--yes"],
            ["history", "edit", "2", "--minutes", "4"],
        ]
        refused = [
            ["--db", str(folder / "new.db"), "init", "--demo"],
            ["db", "backup", str(folder / "copy.db")],
        ]
        reads = [["gaps"], ["history", "--json"], ["db", "check"], ["db", "backup", "OUT"]]
        reads = [[str(out_dir / "copy.db") if a == "OUT" else a for a in r] for r in reads]
        results = run_commands(unprivileged, db, writes + refused + reads)
        for result in results[: len(writes)]:
            assert str(db) in assert_one_error_line(result)
        for result in results[len(writes) : len(writes) + len(refused)]:
            assert str(folder) in assert_one_error_line(result)
        for result in results[len(writes) + len(refused) :]:
            assert result["code"] == 0, result
        assert fingerprint(db) == before
        assert sorted(p.name for p in folder.iterdir()) == ["gapcli.db"]
        assert count(out_dir / "copy.db") == SESSIONS + 1


def test_restore_in_an_unwritable_folder_refuses_in_one_line(
    rows_template: Path, unprivileged: list[str]
) -> None:
    with shared_folder() as folder, shared_folder() as source_dir:
        db = folder / "gapcli.db"
        shutil.copyfile(rows_template, db)
        give_away(db, unprivileged)
        source = source_dir / "saved.db"
        shutil.copyfile(rows_template, source)
        source.chmod(0o644)
        folder.chmod(0o755 if unprivileged else 0o555)
        before = fingerprint(db)
        try:
            [result] = run_commands(unprivileged, db, [["db", "restore", str(source), "--yes"]])
            assert fingerprint(db) == before
            assert sorted(p.name for p in folder.iterdir()) == ["gapcli.db"]
            assert str(folder) in assert_one_error_line(result)
        finally:
            folder.chmod(0o755)


# -- a disk that fills up ---------------------------------------------------------------------

DISK_KB = 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A fresh 1 MB tmpfs to fill up (needs root; skipped otherwise)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", f"size={DISK_KB}k,mode=0700", "tmpfs"]
    try:
        done = subprocess.run(
            [*command, str(mount_point)], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        pytest.skip(f"cannot mount a small tmpfs to fill up: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave_kb: int) -> None:
    """Fill ``disk`` to the last byte, then free ``leave_kb`` KiB of it again."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave_kb * 1024))
    assert shutil.disk_usage(disk).free <= leave_kb * 1024 + 4096


def test_disk_fills_up_during_a_log(cli: Any, small_disk: Path, rows_template: Path) -> None:
    """Free space grows 8 KiB at a time from just room for the -shm index (32 KiB): the
    log fails while writing its -wal frames until the space suffices, and then works."""
    db = small_disk / "gapcli.db"
    shutil.copyfile(rows_template, db)
    rows = dump(rows_template)
    failed: list[int] = []
    for leave_kb in range(32, 129, 8):
        fill(small_disk, leave_kb)
        before = db.read_bytes()
        result = cli("--db", str(db), "log-progress", "rag", "--minutes", "5", "--note", "full")
        if result.exit_code == 0:
            break
        line = one_error_line(result)
        assert str(db) in line
        assert "full" in line
        assert "damaged" not in line
        assert db.read_bytes() == before
        assert wal_size(db) == 0
        failed.append(leave_kb)
    else:
        pytest.fail("log-progress never succeeded, even with 128 KiB free")
    (small_disk / "filler").unlink()
    assert failed, "the first attempt already had room: the test did not fill the disk"
    assert integrity(db) == ["ok"]
    assert count(db) == SESSIONS + 2
    after = dump(db)
    assert [r for r in rows if r not in after] == []  # every earlier row, unchanged


@pytest.mark.parametrize("command", ["log-progress", "assess", "gaps"])
def test_no_space_at_all_keeps_the_database(
    cli: Any, small_disk: Path, rows_template: Path, command: str
) -> None:
    db = small_disk / "gapcli.db"
    shutil.copyfile(rows_template, db)
    rows = dump(rows_template)
    fill(small_disk, 0)
    before = fingerprint(db)
    args = {
        "log-progress": ["log-progress", "rag", "--minutes", "5"],
        "assess": ["assess", "rag", "--current", "50"],
        "gaps": ["gaps"],
    }[command]
    result = cli("--db", str(db), *args)
    if not (command == "gaps" and result.exit_code == 0):  # a read may manage without room
        assert str(db) in one_error_line(result)
    assert fingerprint(db) == before
    (small_disk / "filler").unlink()
    assert integrity(db) == ["ok"]
    assert dump(db) == rows


def test_no_space_at_all_is_not_reported_as_damage(
    cli: Any, small_disk: Path, rows_template: Path
) -> None:
    db = small_disk / "gapcli.db"
    shutil.copyfile(rows_template, db)
    fill(small_disk, 0)
    line = one_error_line(cli("--db", str(db), "log-progress", "rag", "--minutes", "5"))
    assert "damaged" not in line
    assert "restore" not in line


@pytest.mark.parametrize("leave_kb", [0, 100])
def test_restore_onto_a_full_disk_keeps_the_database(
    cli: Any, small_disk: Path, rows_template: Path, tmp_path: Path, leave_kb: int
) -> None:
    saved = tmp_path / "saved.db"
    assert cli("--db", str(rows_template), "db", "backup", str(saved)).exit_code == 0
    db = small_disk / "gapcli.db"
    shutil.copyfile(rows_template, db)
    add_sessions(db, 3)
    rows = dump(shutil.copyfile(db, tmp_path / "rows.db"))
    fill(small_disk, leave_kb)
    before = db.read_bytes()
    one_error_line(cli("--db", str(db), "db", "restore", str(saved), "--yes"))
    assert db.read_bytes() == before
    (small_disk / "filler").unlink()
    assert integrity(db) == ["ok"]
    assert dump(db) == rows


def backups_onto_a_filling_disk(cli: Any, disk: Path, source: Path) -> Iterator[Any]:
    """Back ``source`` up onto ``disk`` with 8 KiB more room each time, until it works."""
    for leave_kb in range(0, DISK_KB, 8):
        fill(disk, leave_kb)
        result = cli("--db", str(source), "db", "backup", str(disk / "copy.db"))
        yield result
        if result.exit_code == 0:
            return
    pytest.fail("the backup never fitted")


def test_backup_onto_a_filling_disk_fails_in_one_line_without_a_copy(
    cli: Any, small_disk: Path, rows_template: Path
) -> None:
    before = fingerprint(rows_template)
    failures = 0
    for result in backups_onto_a_filling_disk(cli, small_disk, rows_template):
        if result.exit_code == 0:
            break
        line = one_error_line(result)
        assert "full" in line or "disk I/O error" in line
        assert not (small_disk / "copy.db").exists()
        assert [p for p in small_disk.iterdir() if p.name.endswith(".tmp")] == []
        failures += 1
    assert failures > 0
    assert integrity(small_disk / "copy.db") == ["ok"]
    assert count(small_disk / "copy.db") == SESSIONS + 1
    assert fingerprint(rows_template) == before


def test_failed_backups_onto_a_full_disk_leave_no_files(
    cli: Any, small_disk: Path, rows_template: Path
) -> None:
    for result in backups_onto_a_filling_disk(cli, small_disk, rows_template):
        if result.exit_code != 0:
            assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


# -- automatic backups: rotated, never replaced, restorable -----------------------------------


def test_automatic_backups_below_the_limit_are_all_kept(demo: Path) -> None:
    taken = []
    for _ in range(3):
        add_sessions(demo, 1)
        taken.append(automatic_backup(demo, BackupReason.PRE_MIGRATION))
    assert len(set(taken)) == 3
    assert list_backups(demo) == sorted(taken, reverse=True)
    for i, path in enumerate(taken):
        assert integrity(path) == ["ok"]
        assert count(path) == i + 1
        assert path.stat().st_mode & 0o777 == 0o600
    assert backups_dir(demo).stat().st_mode & 0o777 == 0o700


def test_automatic_backups_rotate_to_the_newest(demo: Path) -> None:
    taken = []
    for _ in range(KEEP_AUTOMATIC + 3):
        add_sessions(demo, 1)
        taken.append(automatic_backup(demo, BackupReason.PRE_MIGRATION))
    kept = list_backups(demo)
    # The newest ones, and the oldest: the database as it was before its first migration.
    assert kept == sorted([taken[0], *taken[-KEEP_AUTOMATIC:]], reverse=True)
    assert sorted(backups_dir(demo).iterdir()) == sorted(kept)
    # Each kept backup is the database as it was at its moment.
    assert [count(p) for p in reversed(kept)] == [1, *range(4, KEEP_AUTOMATIC + 4)]


class _FrozenClock:
    """Stands in for the real clock behind backup names: ``now`` returns set instants."""

    def __init__(self, *instants: datetime) -> None:
        self.instants = list(instants)

    def now(self, tz: Any = None) -> datetime:
        return self.instants.pop(0) if len(self.instants) > 1 else self.instants[0]


def test_an_automatic_backup_never_replaces_an_existing_one(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two backups in the same microsecond: the first one stays as it was."""
    instant = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    monkeypatch.setattr(clock_module, "real_now", _FrozenClock(instant).now)
    first = automatic_backup(demo, BackupReason.PRE_MIGRATION)
    kept = fingerprint(first)
    add_sessions(demo, 5)
    try:
        second: Path | None = automatic_backup(demo, BackupReason.PRE_MIGRATION)
    except GapError:
        second = None  # refusing is fine: it is a one-line error, not a lost backup
    assert fingerprint(first) == kept
    assert count(first) == 0
    if second is not None:
        assert second != first
        assert count(second) == 5


def test_rotation_keeps_the_backup_just_taken_after_the_clock_went_back(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = datetime(2030, 1, 1, tzinfo=UTC)
    clock = _FrozenClock(*(ahead + timedelta(seconds=i) for i in range(KEEP_AUTOMATIC)))
    monkeypatch.setattr(clock_module, "real_now", clock.now)
    for _ in range(KEEP_AUTOMATIC):
        automatic_backup(demo, BackupReason.PRE_MIGRATION)
    monkeypatch.undo()
    add_sessions(demo, 2)
    latest = automatic_backup(demo, BackupReason.PRE_RESTORE)
    assert latest.exists()
    assert count(latest) == 2


def test_restore_of_an_automatic_backup(cli: Any, demo: Path) -> None:
    add_sessions(demo, 4)
    saved = automatic_backup(demo, BackupReason.PRE_MIGRATION)
    add_sessions(demo, 6)
    result = cli("db", "restore", str(saved), "--yes")
    assert result.exit_code == 0, result.stderr
    assert count(demo) == 4
    assert count(demo, "assessment") == 9
    kept = Path(result.stdout.splitlines()[-1].split("kept in ", 1)[1])
    assert kept.parent == backups_dir(demo)
    assert count(kept) == 10
    assert count(saved) == 4  # the backup restored from is still there, unchanged
    assert cli("db", "check").exit_code == 0


def test_restore_of_the_oldest_automatic_backup_keeps_it(cli: Any, demo: Path) -> None:
    taken = []
    for _ in range(KEEP_AUTOMATIC):
        add_sessions(demo, 1)
        taken.append(automatic_backup(demo, BackupReason.PRE_MIGRATION))
    oldest = taken[0]
    result = cli("db", "restore", str(oldest), "--yes")
    assert oldest.exists(), "the backup being restored was deleted"
    assert result.exit_code == 0, result.stderr
    assert count(demo) == 1
