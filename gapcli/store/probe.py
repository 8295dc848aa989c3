"""Look at a database file before anything opens it for writing.

Everything here uses the standard library and read-only connections, so a file
that turns out to be foreign, damaged or too new is left byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from gapcli.errors import DatabaseError
from gapcli.files import SpecialFile, read_regular
from gapcli.store.schema import HEAD, REVISIONS
from gapcli.store.sqlite_file import (
    RESTORE_HINT,
    SQLITE_MAGIC,
    has_backups,
    is_busy,
    let_sqlite_settle,
    operational_error,
    side_file_holds_data,
)

FULL_DISK_BYTES = 1024 * 1024  # less free space than this, and an I/O error is the disk's


class FileState(Enum):
    MISSING = "missing"
    # What a killed 'gapcli init' of an older gapcli left: no data, no backup ever.
    UNFINISHED = "unfinished"
    CURRENT = "current"
    OUTDATED = "outdated"


UNFINISHED_HINT = (
    "it holds no data, as an unfinished 'gapcli init' leaves it (no backup of it was ever "
    "taken); run 'gapcli init' again, or 'gapcli db restore FILE' if you kept a copy"
)


class Probe(NamedTuple):
    state: FileState
    revision: str | None = None


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only, whatever characters its name holds.

    ``#``, ``?`` and ``%`` in a folder name would otherwise end the path early (and
    drop ``mode=ro``). A WAL database in a folder we cannot write, with no ``-wal``
    file, is opened ``immutable``: SQLite could not create its ``-shm`` there, and no
    writer can be active (a writer needs that ``-wal`` file).
    """
    from urllib.parse import quote

    resolved = path.resolve()
    params = "mode=ro"
    if _wal_in_read_only_folder(resolved):
        params += "&immutable=1"
    return f"file:{quote(resolved.as_posix(), safe='/')}?{params}"


def _wal_in_read_only_folder(path: Path) -> bool:
    import os

    try:
        if os.access(path.parent, os.W_OK) or Path(f"{path}-wal").exists():
            return False
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return header.startswith(SQLITE_MAGIC) and header[18:20] == b"\x02\x02"


def probe(path: Path) -> Probe:
    """Classify ``path``; raise :class:`DatabaseError` for anything gapcli must not touch.

    Pages SQLite has yet to apply (a ``-wal``) or undo (a hot ``-journal``) are
    part of the database: SQLite settles them first, so a crash in the middle of a
    checkpoint or of an old ``init`` is never taken for damage.
    """
    try:
        path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseError(f"{path} is a broken symbolic link") from None
        if side_file_holds_data(path, "-wal"):
            raise DatabaseError(
                f"the database file {path} is missing but its -wal holds data; put the "
                f"file back (it may have been moved or deleted by hand), or {RESTORE_HINT}"
            ) from None
        return Probe(FileState.MISSING)
    except OSError as exc:  # a folder on the way that the user may not enter, a loop...
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a gapcli database")
    pending_wal = side_file_holds_data(path, "-wal")
    if pending_wal or side_file_holds_data(path, "-journal"):
        let_sqlite_settle(path)
        pending_wal = side_file_holds_data(path, "-wal")
    try:
        header = read_regular(path, 100, whole=False)
        size = path.stat().st_size
    except SpecialFile as exc:  # a FIFO would block SQLite's open() forever
        raise DatabaseError(f"{path} is {exc.kind}, not a gapcli database") from None
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    if size == 0:
        if not has_backups(path) and not pending_wal:
            return Probe(FileState.UNFINISHED)
        raise DatabaseError(f"{path} is empty (0 bytes): the database was damaged; {RESTORE_HINT}")
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(f"{path} is not a gapcli database (not an SQLite file)")
    _check_length(path, header, size, pending_wal=pending_wal)
    revision = _stored_revision(path)
    if revision is None:
        return Probe(FileState.UNFINISHED)
    if revision == HEAD:
        return Probe(FileState.CURRENT, revision)
    if revision in REVISIONS:
        return Probe(FileState.OUTDATED, revision)
    raise DatabaseError(
        f"{path} was written by a newer gapcli (schema {revision}); upgrade gapcli to open it"
    )


def _disk_nearly_full(path: Path) -> bool:
    """SQLite says "disk I/O error" when it cannot even create its -shm file: no damage."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < FULL_DISK_BYTES
    except OSError:
        return False


def _check_length(path: Path, header: bytes, size: int, *, pending_wal: bool) -> None:
    """A file shorter than its header's page count lost its tail (SELECT would not notice).

    Unless the pages it lacks are in its ``-wal``: a checkpoint that could not finish
    (a full disk, a file another process holds open) leaves the file short and every
    commit whole in the ``-wal``. SQLite's own check, reading through it, decides.
    """
    truncated = DatabaseError(f"{path} is truncated: the database was damaged; {RESTORE_HINT}")
    if len(header) < 100:
        raise truncated
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    short = page_count and valid_for == change_counter and size < page_size * page_count
    if short and (not pending_wal or integrity_problems(path)):
        raise truncated


def _stored_revision(path: Path) -> str | None:
    """The schema revision stored in ``path``; None for an SQLite file with no table at all
    and no backup ever taken (an ``init`` that was killed before its first table)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from None
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables and not has_backups(path):
            return None
        if "alembic_version" not in tables or "profile" not in tables:
            raise DatabaseError(
                f"{path} is not a gapcli database (an SQLite file of another application?)"
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if is_busy(str(exc)):
            raise operational_error(path, str(exc)) from None
        if _disk_nearly_full(path):
            raise DatabaseError(
                f"cannot open {path} ({exc}): its disk is full; free some space and try again"
            ) from None
        raise DatabaseError(f"{path} is damaged ({exc}); {RESTORE_HINT}") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is damaged ({exc}); {RESTORE_HINT}") from None
    finally:
        conn.close()
    if row is None:
        raise DatabaseError(f"{path} has no schema revision; {RESTORE_HINT}")
    return str(row[0])


def integrity_problems(path: Path, *, full: bool = False) -> list[str]:
    """Run SQLite's quick (or full) check read-only; an empty list means the file is sound."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
