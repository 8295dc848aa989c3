"""What an SQLite database file is to gapcli, in one place every store module can import.

Its magic bytes, the side files that belong to it, the private mode it is
created with, how long to wait for its write lock, what the driver's errors
mean to a learner, and how its backups are stamped. These facts were spread
over the modules that open, probe, back up and migrate a database, which then
imported each other and only worked because one side imported lazily.

This module is the leaf of the store: it imports the standard library and
:mod:`gapcli.errors`, never another store module (a test checks the graph).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from gapcli.errors import DatabaseBusy, DatabaseError
from gapcli.files import PRIVATE_FILE_MODE, make_private_folders

SQLITE_MAGIC = b"SQLite format 3\x00"

# A live database is the file plus these: committed pages can sit in -wal, and
# -journal holds what a crashed rollback-mode transaction must undo.
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")

# Long enough for another gapcli to finish its short write, short enough that a
# stuck process is reported instead of hanging the command. Every connection
# reads it from here when it opens, so a test can shorten it in one place.
BUSY_TIMEOUT_S = 5.0

RESTORE_HINT = "restore a backup with 'gapcli db restore FILE'"

# UTC to the microsecond: backup names sort by age and two never collide.
BACKUP_STAMP = "%Y%m%dT%H%M%S%fZ"


def database_files(path: Path) -> list[Path]:
    """The database and its side files: what must move, be removed or be protected together."""
    return [path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILE_SUFFIXES)]


def side_file_named(db: Path, other: Path) -> Path | None:
    """The side file of ``db`` that ``other`` names (through symlinks too), if any.

    Whatever replaces a live -wal loses the commits it holds; a -shm or -journal
    that is not SQLite's misleads the next connection.
    """
    target = other.resolve()
    for side in database_files(db)[1:]:
        if target == side.resolve():
            return side
    return None


def backups_folder(db_path: Path) -> Path:
    """Where the automatic backups of ``db_path`` are kept (beside it)."""
    return db_path.parent / f"{db_path.name}.backups"


def has_backups(db_path: Path) -> bool:
    """Whether a backup of ``db_path`` was ever kept: then the path once held data."""
    with contextlib.suppress(OSError):
        return any(backups_folder(db_path).glob("*.db"))
    return False


def side_file_holds_data(path: Path, suffix: str) -> bool:
    """A non-empty ``-wal`` or ``-journal``: pages SQLite still has to apply or undo."""
    try:
        return Path(f"{path}{suffix}").stat().st_size > 0
    except OSError:
        return False


def let_sqlite_settle(path: Path) -> None:
    """Open ``path`` read-write once and close it, so SQLite finishes what is pending.

    On opening, SQLite rolls back a hot ``-journal``; the last connection to close
    checkpoints a ``-wal`` and removes it and the ``-shm``, all under SQLite's own
    locks, so a connection another process holds open is never disturbed (its files
    stay). Nothing changes what the database holds. Best effort: a file or folder
    we may not write, a busy lock or a full disk leave the files as they were.
    """
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(path, timeout=0)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()


def release_side_files(path: Path) -> None:
    """Remove the empty ``-wal`` and the ``-shm`` a read-only connection left behind.

    A read-only connection to a WAL database creates them but may not remove them;
    a read-write connection that closes last does. An ``-wal`` holding pages is left
    alone: moving those pages into the file is a write, not a read's business.
    """
    wal = Path(f"{path}-wal")
    try:
        if not path.is_file() or not wal.is_file() or wal.stat().st_size:
            return
    except OSError:
        return
    let_sqlite_settle(path)


def is_busy(text: str) -> bool:
    """SQLite says "locked" or "busy" when another connection holds the lock too long."""
    return "locked" in text or "busy" in text


def operational_error(path: Path, text: str) -> DatabaseError:
    """The one-line error for an SQLite operational error, whichever driver layer saw it."""
    if is_busy(text):
        return DatabaseBusy(f"{path} is busy (another gapcli is writing); try again")
    if "readonly" in text or "read-only" in text:
        return read_only_error(path)
    if "disk" in text or "full" in text:
        return DatabaseError(f"cannot write {path}: {text}; nothing was saved")
    return DatabaseError(f"{path}: {text}")


def read_only_error(path: Path) -> DatabaseError:
    """Say which is read-only: the file, or the folder SQLite must create ``-wal`` files in.

    A writable database in a folder the user may not write to was called "read-only",
    and making the file writable would not have helped.
    """
    folder = path.parent if str(path.parent) else Path()
    if os.access(path, os.W_OK) and not os.access(folder, os.W_OK | os.X_OK):
        return DatabaseError(
            f"cannot save changes to {path}: its folder {folder} is not writable "
            f"(SQLite keeps {path.name}-wal beside the database); nothing was saved"
        )
    return DatabaseError(f"{path} is read-only; cannot save changes")


def driver_error(path: Path, text: str) -> DatabaseError:
    """Any other driver error means the file may be damaged: point at the backups."""
    return DatabaseError(f"{path}: {text}; {RESTORE_HINT}")


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file so SQLite (and its -wal/-shm) inherit private modes.

    SQLite itself would create the file world-readable under the usual umask, and
    ignores the umask for its side files.
    """
    try:
        make_private_folders(path.parent)
    except OSError as exc:
        raise DatabaseError(f"cannot create directory {exc.filename}: {exc.strerror}") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    except FileExistsError:
        raise DatabaseError(f"{path} appeared while gapcli was creating it; try again") from None
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # exactly 0600: the umask may have taken more away
    finally:
        os.close(fd)
