"""Restoring a backup into the live database, with what it replaces kept first.

A sound database is backed up and rewritten under one ``BEGIN IMMEDIATE``
transaction, held from before the safety backup until the restored content is
committed: a writer that committed in between would otherwise be in neither the
safety backup nor the restored file, acknowledged and then lost. SQLite's backup
API cannot write through a connection that holds a transaction, so the copy-in
is SQL: the database's tables are dropped and rebuilt from the backup's schema
and rows, in that same transaction (a crash rolls it all back).

A damaged database (it fails ``quick_check``, or cannot even be read as one) can
neither be backed up online nor rewritten in place: its bytes are copied aside
as they are, and a new file takes its place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from gapcli import clock
from gapcli.errors import DatabaseBusy, DatabaseError
from gapcli.files import make_private_folders, special_kind
from gapcli.store import backup as backups
from gapcli.store import sqlite_file
from gapcli.store.probe import FileState, integrity_problems, probe, read_only_uri
from gapcli.store.sqlite_file import (
    BACKUP_STAMP,
    create_private_file,
    database_files,
    is_busy,
    operational_error,
)


class Replaced(Enum):
    """What became of the content a restore replaced."""

    NOTHING = "nothing"  # there was no database
    BACKED_UP = "backed-up"  # an online backup, in the backups folder
    DAMAGED_KEPT = "damaged-kept"  # a damaged file, copied aside byte for byte


@dataclass(frozen=True)
class Restored:
    """What a restore did with the content it replaced, and where that is kept."""

    replaced: Replaced
    kept: Path | None

    @property
    def damaged(self) -> bool:
        return self.replaced is Replaced.DAMAGED_KEPT


def restore(target: Path, source: Path) -> Restored:
    """Replace ``target``'s content with the backup ``source``, keeping the old content."""
    kind = special_kind(target)
    if kind is not None:  # not a database to keep aside, nor a file to restore into
        raise DatabaseError(f"{target} is {kind}, not a gapcli database; nothing was restored")
    src_state = _checked_source(target, source)
    if _unfinished(target):  # holds no data, no backup was ever taken: nothing to keep
        for file in database_files(target):
            file.unlink(missing_ok=True)
    if _is_damaged(target):
        kept = _keep_damaged(target)
        _replace_damaged(target, source, kept)
        result = Restored(Replaced.DAMAGED_KEPT, kept)
    elif target.exists():
        safety = _copy_in(target, source, backed_up=True)
        result = Restored(Replaced.BACKED_UP, safety)
    else:
        _restore_into_new(target, source)
        result = Restored(Replaced.NOTHING, None)
    if src_state is FileState.OUTDATED:
        from gapcli.store.migrate import upgrade_existing

        upgrade_existing(target)
    return result


def _restore_into_new(target: Path, source: Path) -> None:
    create_private_file(target)
    try:
        _copy_in(target, source, backed_up=False)
    except BaseException:
        for file in database_files(target):
            file.unlink(missing_ok=True)
        raise


def _replace_damaged(target: Path, source: Path, kept: Path) -> None:
    """Build the restored database beside the damaged file, then rename it over.

    A failure on the way (a full disk) leaves the damaged file where it was, with
    its side files: never no database at all. Its old -wal goes just before the
    rename, or SQLite would replay it into the new file.
    """
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
    except OSError as exc:
        raise DatabaseError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(fd)
    fresh = Path(name)
    try:
        # Rollback journal, not WAL: committed means in the file itself (a WAL left
        # behind by a checkpoint that found no room would not follow the rename).
        _copy_in(fresh, source, backed_up=False, shown=target, wal=False)
        with fresh.open("rb+") as fh:
            os.fsync(fh.fileno())
        for side in database_files(target)[1:]:
            side.unlink(missing_ok=True)
        fresh.replace(target)
    except OSError as exc:
        raise DatabaseError(
            f"restore into {target} failed: {exc.strerror}; the damaged file is kept in {kept}"
        ) from None
    except DatabaseError as exc:
        raise DatabaseError(f"{exc}; the damaged file is kept in {kept}") from None
    finally:
        for file in database_files(fresh):
            file.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _checked_source(target: Path, source: Path) -> FileState:
    state = probe(source).state
    if state is FileState.MISSING:
        raise DatabaseError(f"no backup at {source}")
    if state is FileState.UNFINISHED:
        raise DatabaseError(f"{source} holds no gapcli data; not restored")
    if target.exists() and source.samefile(target):
        raise DatabaseError(f"{source} is the database itself; nothing to restore")
    problems = integrity_problems(source, full=True)
    if problems:
        raise DatabaseError(f"{source} fails its integrity check: {problems[0]}; not restored")
    return state


def _unfinished(target: Path) -> bool:
    try:
        return probe(target).state is FileState.UNFINISHED
    except DatabaseError:
        return False


def _is_damaged(target: Path) -> bool:
    """A file there that is not a sound gapcli database (restoring over it is the point).

    An orphan ``-wal`` (the main file gone, commits only in the ``-wal``) counts too:
    its bytes are kept aside before the backup takes its place.
    """
    try:
        if probe(target).state is FileState.MISSING:
            return False
    except DatabaseBusy:
        raise
    except DatabaseError:
        orphan_wal = not target.exists() and sqlite_file.side_file_holds_data(target, "-wal")
        if not target.is_file() and not orphan_wal:
            raise  # a directory, a broken link: nothing to keep, nothing to replace
        return True
    problems = integrity_problems(target)
    if any(is_busy(problem) for problem in problems):
        raise operational_error(target, problems[0])
    return bool(problems)


def _copy_in(
    target: Path, source: Path, *, backed_up: bool, shown: Path | None = None, wal: bool = True
) -> Path | None:
    """Back ``target`` up (if ``backed_up``) and copy ``source`` in, under one write lock.

    Errors name ``shown``: the database the user named, when ``target`` is a new file
    being built beside it.
    """
    shown = shown or target
    conn = _writer(target, shown, wal=wal)
    safety: Path | None = None
    try:
        conn.execute("ATTACH DATABASE ? AS restored", (read_only_uri(source),))
        conn.execute("BEGIN IMMEDIATE")
        if backed_up:
            safety = backups.automatic_backup(
                target, backups.BackupReason.PRE_RESTORE, keep=source
            )
        _replace_schema_and_rows(conn)
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise _failed(shown, exc, operational=True) from None
    except sqlite3.Error as exc:
        raise _failed(shown, exc, operational=False) from None
    finally:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        conn.close()
    return safety


def _writer(target: Path, shown: Path, *, wal: bool) -> sqlite3.Connection:
    """A connection as gapcli's writers open one (full sync), foreign keys off to copy."""
    from urllib.parse import quote

    uri = f"file:{quote(target.resolve().as_posix(), safe='/')}"
    timeout = sqlite_file.BUSY_TIMEOUT_S
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
        conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.OperationalError as exc:
        raise _failed(shown, exc, operational=True) from None
    except sqlite3.Error as exc:
        raise _failed(shown, exc, operational=False) from None
    return conn


def _failed(target: Path, exc: sqlite3.Error, *, operational: bool) -> DatabaseError:
    text = str(exc)
    if operational and (is_busy(text) or "readonly" in text or "disk" in text or "full" in text):
        return operational_error(target, text)
    return DatabaseError(f"restore into {target} failed: {text}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _replace_schema_and_rows(conn: sqlite3.Connection) -> None:
    """Drop what ``main`` holds, rebuild it from ``restored``'s schema, copy every row.

    Tables first, then their rows, then indexes and triggers (so none fires on the
    copy); SQLite's own objects (``sqlite_*``) come with the tables that need them.
    """
    own = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    old = conn.execute(
        f"SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'trigger', 'table') "
        f"AND {own} ORDER BY type = 'table'"
    ).fetchall()
    for kind, name in old:
        conn.execute(f"DROP {kind.upper()} IF EXISTS main.{_quoted(name)}")
    schema = conn.execute(
        f"SELECT type, name, sql FROM restored.sqlite_master WHERE sql IS NOT NULL AND {own} "
        "ORDER BY rowid"
    ).fetchall()
    tables = [(name, sql) for kind, name, sql in schema if kind == "table"]
    for _name, sql in tables:
        conn.execute(sql)
    for name, _sql in tables:
        conn.execute(f"INSERT INTO main.{_quoted(name)} SELECT * FROM restored.{_quoted(name)}")
    for kind, _name, sql in schema:
        if kind != "table":
            conn.execute(sql)
    version = int(conn.execute("PRAGMA restored.user_version").fetchone()[0])
    conn.execute(f"PRAGMA main.user_version = {version}")


def _keep_damaged(target: Path) -> Path:
    """Copy a file that is not a sound gapcli database aside, byte for byte, before restoring.

    The online backup API needs a sound database; a damaged (or foreign) file is
    copied as it is, with its -wal and -journal, so whatever it held can still be
    salvaged.
    """
    folder = backups.backups_dir(target)
    stamp = clock.real_now().strftime(BACKUP_STAMP)
    kept = folder / f"{target.stem}-{stamp}-unreadable.bin"
    try:
        make_private_folders(folder)
        for suffix in ("", "-wal", "-journal"):
            side = Path(f"{target}{suffix}")
            if side.is_file():
                fd = os.open(f"{kept}{suffix}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with side.open("rb") as src, os.fdopen(fd, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                    dst.flush()
                    os.fsync(dst.fileno())
    except OSError as exc:
        raise DatabaseError(
            f"cannot keep a copy of {target} before restoring ({exc.strerror}); not restored"
        ) from None
    return kept
