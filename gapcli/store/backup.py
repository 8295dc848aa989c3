"""Online backups: safe while another process writes, and never a file copy.

A live WAL database is three files; SQLite's backup API copies a consistent
snapshot of all of it. Automatic backups rotate, so one bad moment never
replaces the only good copy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from gapcli import clock
from gapcli.atomic import check_destination
from gapcli.errors import DatabaseError, OutputError
from gapcli.files import make_private_folders
from gapcli.store.probe import integrity_problems, read_only_uri
from gapcli.store.sqlite_file import BACKUP_STAMP, database_files

KEEP_AUTOMATIC = 7


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
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
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
    return db_path.parent / f"{db_path.name}.backups"


def automatic_backup(db_path: Path, reason: str, *, keep: Path | None = None) -> Path:
    """Take a timestamped backup beside the database and keep the newest few.

    Rotation never deletes the backup just taken (even if the clock went back
    and its name sorts oldest), nor ``keep``: the backup a restore reads from.
    """
    folder = backups_dir(db_path)
    try:
        make_private_folders(folder)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the backups folder {folder}: {exc.strerror}; nothing was changed"
        ) from None
    stamp = clock.real_now().strftime(BACKUP_STAMP)
    target = backup_to(db_path, folder / f"{db_path.stem}-{stamp}-{reason}.db")
    spared = {target.resolve()} | ({keep.resolve()} if keep is not None else set())
    old = [p for p in list_backups(db_path) if p.resolve() not in spared]
    for stale in old[KEEP_AUTOMATIC - 1 :]:
        with contextlib.suppress(OSError):
            stale.unlink()
    return target


def list_backups(db_path: Path) -> list[Path]:
    """Automatic backups, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=lambda p: p.name, reverse=True)
