"""Only regular files are read or replaced: never a FIFO, a device or a socket.

A FIFO blocks ``open()`` until a writer comes (forever, as a ``--db`` or an
import); ``/dev/zero`` never ends, so reading it whole fills the memory; and
replacing ``/dev/null`` or the ``/dev/stdout`` symlink with a regular file (as
root, with ``--force``) breaks every other program that writes there. So
files are opened with ``O_NONBLOCK`` (a FIFO then opens at once), checked with
``fstat`` on the very descriptor that is read, and read up to a cap.

It also makes folders private (``make_private_folders``). It imports only the
standard library: every layer may use it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# What gapcli creates holds the learner's notes: private, like the database.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class SpecialFile(OSError):
    """The path names a FIFO, a device or a socket, which gapcli never reads nor replaces."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.path = path
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more bytes than the caller's cap."""

    def __init__(self, path: Path, limit: int, size: int | None = None) -> None:
        super().__init__(f"{path} holds more than {limit:,} bytes")
        self.path = path
        self.limit = limit
        self.size = size  # what stat() said, when it said too much


def kind_of_mode(mode: int) -> str | None:
    """What a non-regular, non-directory file is, in words; None for a file or folder."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None


def special_kind(path: Path) -> str | None:
    """What ``path`` (or the file a symlink there points to) is, if it is a special file.

    None when it is missing, a broken symlink, a regular file or a directory.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return kind_of_mode(mode)


def stream_link(path: Path) -> str | None:
    """Where a symlink chain at ``path`` reaches a process's open files, if it does.

    ``/dev/stdout`` is a symlink to ``/proc/self/fd/1``, which leads on to whatever
    standard output is, a regular file too (``> out.md``): replacing such a link
    with a file breaks ``/dev/stdout`` for everyone, whatever it points at.
    """
    current = path
    for _ in range(40):  # the kernel's own limit on symlink hops
        try:
            target = current.readlink()
        except OSError:  # not a symlink (or gone): the chain ends here
            return None
        current = Path(os.path.normpath(current.parent / target))  # "/" keeps an absolute one
        if str(current).startswith(("/proc/", "/dev/fd/")):
            return str(target)
    return None


def read_regular(path: Path, limit: int, *, whole: bool = True) -> bytes:
    """The bytes of the regular file ``path``, never more than ``limit`` of them.

    With ``whole``, a file longer than ``limit`` raises :class:`FileTooLarge`
    (whatever ``stat`` said: a file can grow); without, the first ``limit``
    bytes are returned. Raises :class:`SpecialFile` for a FIFO, device or
    socket, ``IsADirectoryError`` for a folder, and any other ``OSError`` as is.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        kind = kind_of_mode(mode)
        if kind is not None or not stat.S_ISREG(mode):
            raise SpecialFile(path, kind or "a special file")
        size = os.fstat(fd).st_size
        if whole and size > limit:  # refused without reading it
            raise FileTooLarge(path, limit, size)
        chunks: list[bytes] = []
        left = limit + 1 if whole else limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if whole and len(data) > limit:
        raise FileTooLarge(path, limit)
    return data


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and every missing folder above it 0700, whatever the umask.

    ``mkdir(parents=True)`` gives only the last folder the mode it is asked for;
    the ones above it got the umask's (0777 under umask 000). Raises ``OSError``
    (its ``filename`` the folder that could not be made).
    """
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    for created in reversed(missing):
        try:
            created.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:  # another gapcli made it meanwhile
            continue
        created.chmod(PRIVATE_FOLDER_MODE)  # mkdir's mode is filtered by the umask
