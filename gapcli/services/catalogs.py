"""Reading catalog files: safe YAML, a size cap, no aliases, errors with line numbers.

``safe_load`` still expands aliases (a few hundred bytes can stand for millions
of nodes), so any anchor or alias is refused before the data is walked. Deep
nesting is refused the same way: libyaml's composer recurses in C, so a few MB
of ``[[[[...`` crash the interpreter (a segfault, not an exception), and 40 kB of
it take seconds.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcli.errors import CatalogError

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog, Loc

MAX_CATALOG_BYTES = 5 * 1024 * 1024
MAX_NESTING = 32  # a catalog needs 6 levels (root, domains, domain, topics, topic, requires)
BUILTIN = "builtin"
_MAYBE_ALIAS = re.compile(rb"(?:^|[\s\[{,:\-?])[&*][^\s,\[\]{}]")


@dataclass(frozen=True)
class LoadedCatalog:
    catalog: Catalog
    source: str  # "builtin" or the file's path
    sha256: str


def resolve_catalog_path(option: Path | None) -> tuple[Path, str]:
    """--catalog beats GAPCLI_CATALOG beats the built-in AI catalog."""
    if option is not None:
        path = option.expanduser().absolute()
        return path, str(path)
    env = os.environ.get("GAPCLI_CATALOG")
    if env:
        path = Path(env).expanduser().absolute()
        return path, str(path)
    from gapcli.resources import builtin_catalog_path

    return builtin_catalog_path(), BUILTIN


_LOADED: dict[tuple[str, str], LoadedCatalog] = {}


def load_catalog(option: Path | None = None) -> LoadedCatalog:
    """Load and validate a catalog; the same bytes are parsed once per process."""
    path, source = resolve_catalog_path(option)
    raw = read_catalog_bytes(path, source)
    digest = hashlib.sha256(raw).hexdigest()
    key = (source, digest)
    if key not in _LOADED:
        catalog = parse_catalog_bytes(raw, source, trusted=source == BUILTIN)
        _LOADED[key] = LoadedCatalog(catalog, source, digest)
    return _LOADED[key]


def read_catalog_bytes(path: Path, label: str) -> bytes:
    try:
        if path.is_dir():
            raise CatalogError(label, ["is a directory, not a catalog file"])
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogError(
                label, [f"file is {size:,} bytes; catalogs are limited to {MAX_CATALOG_BYTES:,}"]
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(label, ["no such file"]) from None
    except OSError as exc:
        raise CatalogError(label, [f"cannot read: {exc.strerror}"]) from None


def parse_catalog_bytes(raw: bytes, label: str, *, trusted: bool = False) -> Catalog:
    """Validate ``raw`` YAML into a catalog, listing every problem with its line."""
    from gapcli.domain.catalog import CatalogInvalid, format_loc, parse_catalog

    data = load_yaml(raw, label, trusted=trusted)
    try:
        return parse_catalog(data)
    except CatalogInvalid as exc:
        lines = _line_finder(raw)
        raise CatalogError(
            label,
            [f"{_where(lines, loc)}{format_loc(loc)}: {msg}" for loc, msg in exc.problems],
        ) from None


def load_yaml(raw: bytes, label: str, *, trusted: bool = False) -> Any:
    """Safe-load ``raw`` (libyaml's C loader when present), refusing anchors, aliases
    and deep nesting.

    Every file is first walked as a stream of parse events (non-recursive, stopped at
    the first problem); only the catalog shipped with gapcli (``trusted``) skips that
    pass unless it looks like it holds an anchor.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if len(raw) > MAX_CATALOG_BYTES:
        raise CatalogError(label, [f"more than {MAX_CATALOG_BYTES:,} bytes"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(label, [f"not UTF-8 text (byte {exc.start})"]) from None
    try:
        if not trusted or _MAYBE_ALIAS.search(raw):
            _check_events(yaml.parse(text, Loader=loader), label)
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CatalogError(label, [f"{where}YAML syntax error: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise CatalogError(label, [f"YAML error: {exc}"]) from None
    except RecursionError:
        raise CatalogError(label, ["nesting is too deep"]) from None


def _check_events(events: Iterable[Any], label: str) -> None:
    import yaml

    depth = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else "?"
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise CatalogError(label, [f"line {line}: YAML anchors and aliases are not allowed"])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise CatalogError(
                    label, [f"line {line}: nested more than {MAX_NESTING} levels deep"]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _where(lines: Any, loc: Loc) -> str:
    line = lines(loc)
    return f"line {line}: " if line else ""


def _line_finder(raw: bytes) -> Any:
    """Map a key path to its line by walking the YAML node tree (only on errors)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=loader)
    except yaml.YAMLError:
        root = None

    def find(loc: Loc) -> int | None:
        node = root
        best = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == part), None)
                key = next((k for k, _ in node.value if k.value == part), None)
                if match is None:
                    return best
                best = (key or match).start_mark.line + 1
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return best
                node = node.value[part]
                best = node.start_mark.line + 1
            else:
                return best
        return best

    return find
