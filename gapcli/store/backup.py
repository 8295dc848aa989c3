"""Online backups: safe while another process writes, and never a file copy.

A live WAL database is three files; SQLite's backup API copies a consistent
snapshot of all of it. Automatic backups rotate, so one bad moment never
replaces the only good copy: a backup that holds what the newest one holds is
not taken again (a failing migration of a read-only file would otherwise push
every older backup out), rotation deletes only files gapcli named, and the
oldest backup of each kind (the data as it was before the first restore, before
the first migration) is always kept.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sqlite3
import tempfile
from collections.abc import Generator
from enum import Enum
from pathlib import Path

from gapcli import clock
from gapcli.atomic import check_destination
from gapcli.errors import DatabaseError, OutputError
from gapcli.files import make_private_folders
from gapcli.leftovers import LeftoverKind, sweep_leftovers
from gapcli.store.probe import integrity_problems, read_only_uri
from gapcli.store.sqlite_file import (
    BACKUP_STAMP,
    backups_folder,
    database_files,
    release_side_files,
)

KEEP_AUTOMATIC = 7


class BackupReason(Enum):
    """Why gapcli took an automatic backup; the last part of its file name."""

    PRE_MIGRATION = "pre-migration"
    PRE_RESTORE = "pre-restore"
    PRE_RESET = "pre-reset"  # `gapcli reset`, or `init` replacing the demo learner


def backup_to(source: Path, destination: Path, *, force: bool = False) -> Path:
    """Copy ``source`` into ``destination`` atomically via SQLite's online backup."""
    try:
        if destination.exists() and source.exists() and destination.samefile(source):
            raise OutputError(f"{destination} is the database itself; give another file name")
    except OSError as exc:
        raise OutputError(f"cannot write {destination}: {exc.strerror}") from None
    parent = check_destination(destination, force=force)
    problems = integrity_problems(source)
    if problems:
        raise DatabaseError(f"{source} fails its integrity check ({problems[0]}); not backed up")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=".gapcli-backup-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write in {parent}: {exc.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    sweep_leftovers(tmp, LeftoverKind.BACKUP)
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
            release_side_files(source)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.chmod(0o600)
        tmp.replace(destination)
    except sqlite3.Error as exc:
        _remove_with_side_files(tmp)
        raise DatabaseError(f"backup of {source} failed: {exc}") from None
    except OSError as exc:
        _remove_with_side_files(tmp)
        raise OutputError(f"cannot write {destination}: {exc.strerror}") from None
    return destination


def _remove_with_side_files(path: Path) -> None:
    """A copy of a WAL database is briefly one too: its -wal and -shm go with it."""
    for file in database_files(path):
        with contextlib.suppress(OSError):
            file.unlink()


def backups_dir(db_path: Path) -> Path:
    return backups_folder(db_path)


def automatic_backup(db_path: Path, reason: BackupReason, *, keep: Path | None = None) -> Path:
    """Take a timestamped backup beside the database and rotate the older ones.

    Returns the backup that holds the database's content: the newest existing one
    when it holds the same rows (nothing new is written then). Rotation keeps the
    newest few, never deletes the backup just taken (even if the clock went back
    and its name sorts oldest), nor ``keep`` (the backup a restore reads from),
    nor the oldest backup of each reason, nor any file gapcli did not name.
    """
    folder = backups_dir(db_path)
    try:
        make_private_folders(folder)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the backups folder {folder}: {exc.strerror}; nothing was changed"
        ) from None
    earlier = list_backups(db_path)
    stamp = clock.real_now().strftime(BACKUP_STAMP)
    target = backup_to(db_path, folder / f"{db_path.stem}-{stamp}-{reason.value}.db")
    if earlier and same_content(target, earlier[0]):
        _remove_with_side_files(target)
        return earlier[0]
    _rotate(db_path, spared={target, *([keep] if keep is not None else [])})
    return target


def _rotate(db_path: Path, spared: set[Path]) -> None:
    backups = list_backups(db_path)
    for reason in BackupReason:
        oldest = [p for p in backups if _reason(db_path, p) is reason][-1:]
        spared |= set(oldest)
    kept = {p.resolve() for p in spared}
    old = [p for p in backups if p.resolve() not in kept]
    for stale in old[KEEP_AUTOMATIC - 1 :]:
        with contextlib.suppress(OSError):
            stale.unlink()


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    """The names automatic_backup gives: stem, UTC stamp to the microsecond, reason."""
    reasons = "|".join(re.escape(r.value) for r in BackupReason)
    return re.compile(rf"{re.escape(db_path.stem)}-\d{{8}}T\d{{12}}Z-({reasons})\.db")


def _reason(db_path: Path, backup: Path) -> BackupReason | None:
    match = _name_pattern(db_path).fullmatch(backup.name)
    return BackupReason(match.group(1)) if match else None


def list_backups(db_path: Path) -> list[Path]:
    """Automatic backups (files gapcli named, never the user's own), newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(db_path)
    named = [p for p in folder.glob("*.db") if pattern.fullmatch(p.name)]
    return sorted(named, key=lambda p: p.name, reverse=True)


def same_content(first: Path, second: Path) -> bool:
    """Whether two sound databases hold the same schema and rows (their pages may differ).

    Compared lazily, table by table in rowid order: the first difference ends it.
    A file that cannot be read this way counts as different, so its backup is taken.
    """
    missing = object()
    try:
        with contextlib.ExitStack() as stack:
            a, b = (
                stack.enter_context(contextlib.closing(sqlite3.connect(uri, uri=True)))
                for uri in (read_only_uri(first), read_only_uri(second))
            )
            rows_a, rows_b = _content(a), _content(b)
            stack.callback(rows_a.close)  # before the connections close: LIFO
            stack.callback(rows_b.close)
            pairs = itertools.zip_longest(rows_a, rows_b, fillvalue=missing)
            return all(x == y for x, y in pairs)
    except sqlite3.Error:
        return False


def _content(conn: sqlite3.Connection) -> Generator[tuple[object, ...], None, None]:
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    yield from schema
    yield (int(conn.execute("PRAGMA user_version").fetchone()[0]),)
    for kind, name, _table, _sql in schema:
        if kind == "table":
            quoted = '"' + str(name).replace('"', '""') + '"'
            yield from conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
