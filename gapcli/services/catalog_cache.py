"""A validated catalog, kept as JSON in the user's cache folder.

Every command reads the catalog. Parsing its YAML and validating it with
pydantic costs far more than the rest of a read command, and both give the same
answer for the same bytes. So once a catalog file (the built-in one or the
user's own) has been validated, its data is written to
``<cache dir>/catalog-<sha256 of the file>.json`` with the key it was made
under (the file's sha256, gapcli's version, the cache's layout), and later
commands build the catalog from that JSON with :func:`catalog_from_data`:
no yaml, no pydantic.

The cache is a convenience, never a source of truth. A file that cannot be read,
is not JSON, was made by another gapcli version or for other bytes, or does not
build a consistent catalog is ignored (and rewritten by the caller); a folder
that cannot be written is skipped. Deleting the folder is always safe, and files
written more than 90 days before the latest one are removed. The folder is
``$GAPCLI_CACHE_DIR``, else the platform's user cache folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from gapcli import __version__
from gapcli.domain.catalog import Catalog, catalog_from_data, reference_problems

CACHE_VARIABLE = "GAPCLI_CACHE_DIR"
# The layout of a cache file: {"key": {...}, "data": <Catalog.to_data()>}. Part of the
# key with gapcli's version: raise it when the format's checks or the model's fields
# change between releases, so a checkout never reads what an older checkout validated.
LAYOUT = 1
# A cached catalog is its file's data as JSON: a little larger than the YAML it
# came from (5 MiB at most); anything far larger is not a file gapcli wrote.
MAX_CACHE_BYTES = 32 * 1024 * 1024
UNUSED_AFTER_S = 90 * 24 * 3600


def cache_dir() -> Path:
    env = os.environ.get(CACHE_VARIABLE)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("gapcli", appauthor=False)


def cache_path(sha256: str) -> Path:
    return cache_dir() / f"catalog-{sha256}.json"


def cache_key(sha256: str) -> dict[str, Any]:
    """What a cache file must have been made under to be used."""
    return {"layout": LAYOUT, "gapcli": __version__, "sha256": sha256}


def read_cached(sha256: str) -> Catalog | None:
    """The cached catalog for a file with this sha256, or None if there is no usable one."""
    from gapcli.files import read_regular

    try:
        cached = json.loads(read_regular(cache_path(sha256), MAX_CACHE_BYTES))
    except (OSError, ValueError, RecursionError):  # missing, unreadable, huge, not JSON
        return None
    if not isinstance(cached, dict) or cached.get("key") != cache_key(sha256):
        return None
    try:
        catalog = catalog_from_data(cached["data"])
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    # Cheap (pure Python over a few hundred entries), and what the planner relies on.
    if reference_problems(catalog):
        return None
    return catalog


def write_cached(sha256: str, catalog: Catalog) -> None:
    """Store ``catalog`` for later commands; best effort, silent when it cannot."""
    from gapcli.atomic import write_atomic
    from gapcli.errors import OutputError
    from gapcli.files import make_private_folders

    document = {"key": cache_key(sha256), "data": catalog.to_data()}
    try:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        raw = text.encode("utf-8")
    # Not expected from a validated catalog (libyaml refuses a lone surrogate such as
    # "\ud800"); were it to happen, the catalog is simply not cached.
    except (TypeError, ValueError):
        return
    with contextlib.suppress(OSError, OutputError):
        folder = cache_dir()
        make_private_folders(folder)
        written = write_atomic(cache_path(sha256), raw, force=True)
        _forget_old(written)


def _forget_old(fresh: Path) -> None:
    """Remove the cache files of catalogs not (re)validated for ``UNUSED_AFTER_S``.

    Every edit of a catalog leaves the file of its previous bytes behind. Age is
    measured from the file just written, by the file system's own clock. A file
    removed while still in use costs one validation, never a wrong catalog.
    """
    with contextlib.suppress(OSError):
        oldest_allowed = fresh.stat().st_mtime - UNUSED_AFTER_S
        for entry in fresh.parent.glob("catalog-*.json"):
            with contextlib.suppress(OSError):
                if entry != fresh and entry.stat().st_mtime < oldest_allowed:
                    entry.unlink()
