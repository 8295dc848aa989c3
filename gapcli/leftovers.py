"""Temporary files gapcli itself left behind when it was killed, and their removal.

Exports, backups and new databases are written under a temporary name and
renamed into place when whole; a process killed (or a machine that lost power)
in between leaves the temporary file, which nothing else would ever remove. The
next command that writes the same kind of file in the same folder sweeps them:
only names that match gapcli's own patterns exactly, and only once they are old
enough that no live gapcli can still be writing them.
"""

from __future__ import annotations

import contextlib
import re
from enum import Enum
from pathlib import Path

# No export, backup or init runs this long: an older temporary file is an orphan.
STALE_AFTER_S = 3600

# The random part tempfile.mkstemp and secrets.token_hex(4) put in a name.
_RANDOM = r"[a-z0-9_]{8}"
_SIDES = r"(?:-wal|-shm|-journal)?"


class LeftoverKind(Enum):
    """What was being written; each names its temporary files its own way."""

    EXPORT = "export"  # .NAME.XXXXXXXX.tmp beside the export NAME
    BACKUP = "backup"  # .gapcli-backup-XXXXXXXX.tmp (a database, with its side files)
    NEW_DATABASE = "new-database"  # .NAME.XXXXXXXX.new beside the database NAME


def leftover_pattern(kind: LeftoverKind, name: str) -> re.Pattern[str]:
    """The exact names of ``kind``'s temporary files for the file called ``name``."""
    if kind is LeftoverKind.EXPORT:
        return re.compile(rf"\.{re.escape(name)}\.{_RANDOM}\.tmp")
    if kind is LeftoverKind.BACKUP:
        return re.compile(rf"\.gapcli-backup-{_RANDOM}\.tmp{_SIDES}")
    return re.compile(rf"\.{re.escape(name)}\.{_RANDOM}\.new{_SIDES}")


def sweep_leftovers(fresh: Path, kind: LeftoverKind, name: str = "") -> list[Path]:
    """Remove ``kind``'s stale temporary files beside ``fresh``; return what was removed.

    ``fresh`` is the temporary file this command just created: its modification
    time is "now" by the file system's own clock, which is what the leftovers'
    times were stamped with (a network folder's clock may not be ours). Best
    effort: a folder we cannot list or a file we cannot remove is left as it is.
    """
    pattern = leftover_pattern(kind, name)
    folder = fresh.parent
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        oldest_allowed = fresh.stat().st_mtime - STALE_AFTER_S
        for entry in folder.iterdir():
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_symlink() or not entry.is_file():
                    continue
                if entry.stat().st_mtime < oldest_allowed:
                    entry.unlink()
                    removed.append(entry)
    return removed
