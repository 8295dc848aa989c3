"""The catalog in use as views see it: the catalog, where it came from, its hash.

A protocol, not a class: the loader (``gapcli.services.catalogs``) builds its own
``LoadedCatalog`` with these attributes, and views and renderers need only read
them, without importing the loader (and what it loads).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog

BUILTIN_SOURCE = "builtin"  # ``source`` of the catalog shipped with gapcli


class LoadedCatalogView(Protocol):
    """A validated catalog with its origin: ``source`` is "builtin" or the file's path."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def source(self) -> str: ...

    @property
    def sha256(self) -> str: ...


class CatalogKind(StrEnum):
    """What ``catalog list --kind`` lists: one kind of the catalog's entries (plural)."""

    DOMAINS = "domains"
    TOPICS = "topics"
    TRACKS = "tracks"
    PAPERS = "papers"
    RESOURCES = "resources"
    LEVELS = "levels"
    SOURCES = "sources"
