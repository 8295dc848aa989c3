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
review rows are. A file that cannot be read, is not JSON, was made by another
gapcli or another installed ``fsrs``, or holds a value no FSRS step can have is
ignored (and rewritten by the next command that asks ``fsrs``); a folder that
cannot be written is skipped; deleting the file is always safe.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from pathlib import Path
from typing import Any

from gapcli import __version__
from gapcli.domain.reviews import MAX_INTERVAL_DAYS, STEPS, Rating, Step, StepKey, Steps
from gapcli.services.catalog_cache import cache_dir

# Part of the key with gapcli's version: raise it when the file's layout, or how
# gapcli asks FSRS (the scheduler's options, a key's meaning), changes.
LAYOUT = 1
# A plan of the built-in catalog asks a few hundred distinct steps; the file keeps every
# step the latest command used and, up to this many in all, the ones before it, so
# reading it back stays around a millisecond.
MAX_STEPS = 1500
# About 90 bytes a step: room for a catalog of many thousand topics.
MAX_BYTES = 32 * 1024 * 1024
FILE_NAME = "fsrs-steps.json"
RATINGS = frozenset(int(r) for r in Rating)


def attach() -> None:
    """Let this process's steps start from the cache file, read at the first question."""
    if STEPS.source is None and not STEPS.known:
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


def cache_key() -> dict[str, Any]:
    return {
        "layout": LAYOUT,
        "gapcli": __version__,
        "max_interval": MAX_INTERVAL_DAYS,
        "fsrs": _fsrs_files(),
    }


def read() -> tuple[dict[StepKey, Step], float] | None:
    """The answers in the cache file, and FSRS's curve decay; None without a usable file."""
    from gapcli.files import read_regular

    try:
        document = json.loads(read_regular(cache_dir() / FILE_NAME, MAX_BYTES))
    except (OSError, ValueError, RecursionError):  # missing, unreadable, huge, not JSON
        return None
    if not isinstance(document, dict) or document.get("key") != cache_key():
        return None
    try:
        decay = document["decay"]
        known = dict(_entry(row) for row in document["steps"])
    except (KeyError, TypeError, ValueError):
        return None
    if type(decay) is not float or not -1.0 < decay < 0.0:
        return None
    return known, decay


def _entry(row: Any) -> tuple[StepKey, Step]:
    """One row of the file, ``[stability, difficulty, elapsed, rating, stability after,
    difficulty after, interval]``, checked to be what FSRS could have answered."""
    stability, difficulty, elapsed, rating, after_s, after_d, interval = row
    floats = (stability, difficulty, after_s, after_d)
    if not all(type(x) is float and 0.0 <= x < 1e6 for x in floats):
        raise ValueError(row)
    if not all(type(x) is int for x in (elapsed, rating, interval)):
        raise ValueError(row)
    if elapsed < 0 or rating not in RATINGS or not 1 <= interval <= MAX_INTERVAL_DAYS:
        raise ValueError(row)
    return (stability, difficulty, elapsed, rating), Step(after_s, after_d, interval)


def save(steps: Steps = STEPS) -> None:
    """Write the answers down if this process had to ask ``fsrs``; best effort, silent.

    Every step this process used is kept, then the file's others while there are
    fewer than ``MAX_STEPS``: the steps of commands long past fall off the end.
    """
    if not steps.learned:
        return
    decay, _ = steps.curve()
    from gapcli.atomic import write_atomic
    from gapcli.errors import OutputError
    from gapcli.files import make_private_folders

    older = (k for k in steps.known if k not in steps.used)
    keys = [*steps.used, *itertools.islice(older, max(0, MAX_STEPS - len(steps.used)))]
    rows = [[*key, *steps.known[key]] for key in keys]
    document = {"key": cache_key(), "decay": decay, "steps": rows}
    raw = json.dumps(document, allow_nan=False, separators=(",", ":")).encode("ascii")
    with contextlib.suppress(OSError, OutputError):
        folder = cache_dir()
        make_private_folders(folder)
        write_atomic(folder / FILE_NAME, raw, force=True)
    steps.learned.clear()
