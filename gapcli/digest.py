"""SHA-256 of a catalog file, without OpenSSL's start-up when the file is small.

Every read hashes the catalog file once, to find its validated copy in the cache
(:mod:`gapcli.services.catalog_cache`). ``import hashlib`` loads OpenSSL's
libcrypto, which costs a read more than hashing an ordinary catalog does.
CPython ships its own SHA-256 (the module hashlib itself falls back to when
OpenSSL is missing): it starts at once, but hashes each byte more slowly, so only
a file up to ``SMALL`` goes to it and a larger one (a user's own catalog) to
hashlib. Both give the same digest (``tests/test_catalog_cache.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

SMALL = 512 * 1024  # bytes: up to this size CPython's own SHA-256 finishes first


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits."""
    builtin = _builtin_sha256() if len(data) <= SMALL else None
    if builtin is not None:
        return str(builtin(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()


@cache
def _builtin_sha256() -> Callable[[bytes], Any] | None:
    """CPython's own SHA-256 constructor (``_sha2`` from 3.12, ``_sha256`` before), if any."""
    for name in ("_sha2", "_sha256"):
        try:
            constructor: Callable[[bytes], Any] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    return None
