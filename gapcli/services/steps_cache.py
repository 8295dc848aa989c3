"""FSRS's answers, kept in the user's cache folder from one command to the next.

Every plan, ``gaps`` and ``today`` replays the finished topics' cards and projects
their reviews, one FSRS step at a time (:class:`gapcli.domain.reviews.Steps`).
Importing ``fsrs`` (and the ``dataclasses``, ``inspect`` and ``typing_extensions``
it loads) costs a read command more than the steps themselves, and a step's answer
depends only on its four numbers. So the answers a command had to ask ``fsrs`` are
written to ``<cache dir>/fsrs-steps.json``, with the ones it used first, and the
next command reads them back: it imports ``fsrs`` only for a question none of the
earlier ones asked (after a review is logged, or when an overdue card waits
another day, some always are).

Like the catalog cache this is a convenience, never a source of truth: the store's
review rows are. The file is two lines: a header (the key and a CRC-32 of the
second line), then FSRS's curve decay and the steps. A file that cannot be read, is not
JSON, was made by another gapcli, another installed ``fsrs`` or other scheduler
options, fails its CRC, or holds a value no FSRS step can have is ignored (and
rewritten by the next command that asks ``fsrs``); a folder that cannot be
written is skipped; deleting the file is always safe.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import zlib
from pathlib import Path
from typing import Any

from gapcli import __version__
from gapcli.domain.reviews import (
    MAX_INTERVAL_DAYS,
    NEW_CARD,
    SCHEDULER_OPTIONS,
    STEPS,
    Rating,
    Step,
    StepKey,
    Steps,
)
from gapcli.services.catalog_cache import cache_dir

# Part of the key with gapcli's version: raise it when the file's layout, or the
# meaning of a question or an answer, changes.
LAYOUT = 3
# A plan of the built-in catalog asks a few hundred distinct steps; the file keeps every
# step the latest command used and, up to this many in all, the ones before it.
MAX_STEPS = 1500
# About 90 bytes a step: room for a catalog of many thousand topics.
MAX_BYTES = 32 * 1024 * 1024
FILE_NAME = "fsrs-steps.json"
RATINGS = frozenset(int(r) for r in Rating)
# The values FSRS keeps a card's memory within (fsrs's STABILITY_MIN, MIN_DIFFICULTY and
# MAX_DIFFICULTY): a row outside them was not written by FSRS.
STABILITY = (0.001, 1e6)
DIFFICULTY = (1.0, 10.0)
# The exponent of FSRS's forgetting curve, minus its parameter w20 (within 0.1 and 0.8).
DECAY = (-0.8, -0.1)

_attached: Path | None = None  # the cache folder this process's steps were last read from


def attach() -> None:
    """Let this process's steps start from the cache file, read at the first question.

    Once per cache folder: a command reads the file once however many snapshots
    it takes (and a test that runs commands with another folder reads that one).
    """
    global _attached
    folder = cache_dir()
    if folder != _attached:
        _attached = folder
        STEPS.source = read


def _fsrs_files() -> list[Any] | None:
    """What identifies the installed ``fsrs`` without importing it: where it is, and
    the size and time of the files that hold its parameters and formulas."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("fsrs")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0])
    found: list[Any] = [str(folder)]
    for name in ("scheduler.py", "card.py"):
        try:
            stat = (folder / name).stat()
        except OSError:
            return None
        found += [stat.st_size, stat.st_mtime_ns]
    return found


def cache_key() -> dict[str, Any] | None:
    """What the answers depend on besides their questions; None: ``fsrs`` cannot be
    identified, so nothing is kept."""
    fsrs = _fsrs_files()
    if fsrs is None:
        return None
    return {"layout": LAYOUT, "gapcli": __version__, "scheduler": SCHEDULER_OPTIONS, "fsrs": fsrs}


def read() -> tuple[dict[StepKey, Step], float] | None:
    """The answers in the cache file, and FSRS's curve decay; None without a usable file."""
    from gapcli.files import read_regular

    try:
        head, _, body = read_regular(cache_dir() / FILE_NAME, MAX_BYTES).partition(b"\n")
        header = json.loads(head)
        key = cache_key()
        if not isinstance(header, dict) or key is None or header.get("key") != key:
            return None
        if header.get("crc32") != zlib.crc32(body):
            return None
        kept = json.loads(body)
        decay = kept["decay"]
        known = dict(_entry(row) for row in kept["steps"])
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None  # missing, unreadable, huge, not JSON, not rows
    if type(decay) is not float or not DECAY[0] <= decay <= DECAY[1]:
        return None
    return known, decay


def _entry(row: Any) -> tuple[StepKey, Step]:
    """One row of the file, ``[stability, difficulty, elapsed, rating, stability after,
    difficulty after, interval]``, checked to be what FSRS could have answered."""
    stability, difficulty, elapsed, rating, after_s, after_d, interval = row
    if not all(type(x) is float for x in (stability, difficulty, after_s, after_d)):
        raise ValueError(row)
    if not all(type(x) is int for x in (elapsed, rating, interval)):
        raise ValueError(row)
    if (stability, difficulty) != NEW_CARD and not _memory(stability, difficulty):
        raise ValueError(row)
    if not _memory(after_s, after_d):
        raise ValueError(row)
    if elapsed < 0 or rating not in RATINGS or not 1 <= interval <= MAX_INTERVAL_DAYS:
        raise ValueError(row)
    return (stability, difficulty, elapsed, rating), Step(after_s, after_d, interval)


def _memory(stability: float, difficulty: float) -> bool:
    """Whether a card's memory is within the limits FSRS keeps it in."""
    return (
        STABILITY[0] <= stability < STABILITY[1] and DIFFICULTY[0] <= difficulty <= DIFFICULTY[1]
    )


def save(steps: Steps = STEPS) -> None:
    """Write the answers down if this process had to ask ``fsrs``; best effort, silent.

    Every step this process used is kept, then the file's others while there are
    fewer than ``MAX_STEPS``: the steps of commands long past fall off the end.
    """
    if not steps.learned:
        steps.used.clear()  # a later command in this process starts its own list
        return
    key = cache_key()
    decay, _ = steps.curve()
    from gapcli.atomic import write_atomic
    from gapcli.errors import OutputError
    from gapcli.files import make_private_folders

    older = (k for k in steps.known if k not in steps.used)
    keys = [*steps.used, *itertools.islice(older, max(0, MAX_STEPS - len(steps.used)))]
    rows = [[*question, *steps.known[question]] for question in keys]
    steps.learned.clear()
    steps.used.clear()
    kept = {"decay": decay, "steps": rows}
    body = json.dumps(kept, allow_nan=False, separators=(",", ":")).encode("ascii")
    header = {"key": key, "crc32": zlib.crc32(body)}
    raw = json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + body
    if key is None or len(raw) > MAX_BYTES:
        return  # nothing a later read could trust, or could read
    with contextlib.suppress(OSError, OutputError):
        folder = cache_dir()
        make_private_folders(folder)
        write_atomic(folder / FILE_NAME, raw, force=True)
