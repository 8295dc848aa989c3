"""Output files written whole or not at all, and never through a symlink.

A crash, a full disk or Ctrl-C while writing leaves the destination as it was:
the bytes go to a temporary file in the same directory, are flushed to disk,
and only then renamed over the destination. The rename replaces a symlink
itself instead of following it, so an export never clobbers the link's target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from gapcli.errors import OutputError
from gapcli.files import PRIVATE_FILE_MODE, special_kind, stream_link
from gapcli.leftovers import LeftoverKind, sweep_leftovers


def check_destination(destination: Path, *, force: bool, special_hint: str = "") -> Path:
    """Refuse what cannot or should not be replaced; return the parent directory.

    A FIFO, a device or a socket (or a symlink to one, such as ``/dev/stdout``)
    is refused even with ``--force``: renaming a file over it would take
    ``/dev/null`` away from every other program, and opening a FIFO blocks.
    ``special_hint`` says what to do instead (for an export: ``-o -``).
    """
    parent = destination.parent if str(destination.parent) else Path()
    try:
        if destination.is_dir():
            raise OutputError(f"{destination} is a directory; give a file name")
        kind = special_kind(destination)
        if kind is None and stream_link(destination) is not None:
            kind = "a link to an open file of a process (such as /dev/stdout)"
        if kind is not None:
            raise OutputError(
                f"{destination} is {kind}, not a regular file; gapcli writes only regular "
                f"files{special_hint}"
            )
        if (destination.exists() or destination.is_symlink()) and not force:
            raise OutputError(f"{destination} already exists; use --force to replace it")
        if not parent.is_dir():
            raise OutputError(f"directory {parent} does not exist")
    except OSError as exc:  # e.g. a folder on the way the user may not enter
        raise OutputError(f"cannot write {destination}: {exc.strerror}") from None
    return parent


def _mode_for(destination: Path) -> int:
    """Keep a replaced regular file's mode (the learner chose it); a new file is private.

    A JSON export holds every note and is the documented backup format, so it is
    made 0600 like the database, whatever the umask.
    """
    with contextlib.suppress(OSError):
        if not destination.is_symlink() and destination.is_file():
            return destination.stat().st_mode & 0o777
    return PRIVATE_FILE_MODE


def write_atomic(
    destination: Path, data: bytes, *, force: bool = False, special_hint: str = ""
) -> Path:
    parent = check_destination(destination, force=force, special_hint=special_hint)
    mode = _mode_for(destination)
    existed = destination.exists() or destination.is_symlink()
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{destination.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write in {parent}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    sweep_leftovers(tmp, LeftoverKind.EXPORT, destination.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(mode)
        tmp.replace(destination)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        # Only a file that was there can be "left as it was"; say so only then.
        outcome = "it was left as it was" if existed else "no file was written"
        raise OutputError(f"cannot write {destination}: {exc.strerror}; {outcome}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_directory(parent)
    return destination


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
