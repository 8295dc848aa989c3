"""Reading catalog files: safe YAML, a size cap, no aliases, errors with line numbers.

``safe_load`` still expands aliases (a few hundred bytes can stand for millions
of nodes), so any anchor or alias is refused before the data is walked. Deep
nesting is refused the same way: libyaml's composer recurses in C, so a few MB
of ``[[[[...`` crash the interpreter (a segfault, not an exception), and 40 kB of
it take seconds.

A catalog that was valid once is not parsed again: :func:`load_catalog` hashes
the file's bytes and reads the validated catalog from the cache
(:mod:`gapcli.services.catalog_cache`) when it holds one for those bytes, so a
read command imports neither yaml nor the catalog format's pydantic models. The
hash recorded in a profile is always that of the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gapcli.digest import sha256_hex
from gapcli.errors import CatalogError

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog, Loc

MAX_CATALOG_BYTES = 5 * 1024 * 1024
LINE_NUMBERED_PROBLEMS = 200  # the CLI prints at most 50 problems
MAX_NESTING = 32  # a catalog needs 6 levels (root, domains, domain, topics, topic, requires)
BUILTIN = "builtin"


class LoadedCatalog(NamedTuple):
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
    """Load and validate a catalog; the same bytes are parsed once per process, and
    once per gapcli version while the cache holds them."""
    return _load(*resolve_catalog_path(option))


def load_builtin_catalog() -> LoadedCatalog:
    """The catalog shipped with gapcli, whatever --catalog or $GAPCLI_CATALOG say."""
    from gapcli.resources import builtin_catalog_path

    return _load(builtin_catalog_path(), BUILTIN)


def _load(path: Path, source: str) -> LoadedCatalog:
    from gapcli.services.catalog_cache import read_cached, write_cached

    raw = read_catalog_bytes(path, source)
    digest = sha256_hex(raw)
    key = (source, digest)
    if key not in _LOADED:
        catalog = read_cached(digest)
        if catalog is None:
            catalog = parse_catalog_bytes(raw, source)
            write_cached(digest, catalog)
        _LOADED[key] = LoadedCatalog(catalog, source, digest)
    return _LOADED[key]


def read_catalog_bytes(path: Path, label: str) -> bytes:
    from gapcli.files import FileTooLarge, SpecialFile, read_regular

    try:
        return read_regular(path, MAX_CATALOG_BYTES)
    except FileNotFoundError:
        raise CatalogError(label, ["no such file"]) from None
    except IsADirectoryError:
        raise CatalogError(label, ["is a directory, not a catalog file"]) from None
    except SpecialFile:  # a device (/dev/zero never ends) or a FIFO (blocks forever)
        raise CatalogError(label, ["is not a regular file"]) from None
    except FileTooLarge as exc:
        size = (
            f"file is {exc.size:,} bytes" if exc.size else f"more than {MAX_CATALOG_BYTES:,} bytes"
        )
        raise CatalogError(
            label, [f"{size}; catalogs are limited to {MAX_CATALOG_BYTES:,}"]
        ) from None
    except OSError as exc:
        raise CatalogError(label, [f"cannot read: {exc.strerror}"]) from None


def parse_catalog_bytes(raw: bytes, label: str) -> Catalog:
    """Validate ``raw`` YAML into a catalog, listing every problem with its line."""
    from gapcli.domain.catalog import format_loc
    from gapcli.domain.catalog_format import CatalogInvalid, parse_catalog

    data = load_yaml(raw, label)
    try:
        return parse_catalog(data)
    except CatalogInvalid as exc:
        lines = _line_finder(raw)
        # Only the problems that will be shown get a line number: finding lines costs a
        # walk of the file each, and a file can hold tens of thousands of problems.
        shown = LINE_NUMBERED_PROBLEMS
        raise CatalogError(
            label,
            [
                f"{_where(lines, loc) if i < shown else ''}{format_loc(loc)}: {msg}"
                for i, (loc, msg) in enumerate(exc.problems)
            ],
        ) from None


def load_yaml(raw: bytes, label: str) -> Any:
    """Safe-load ``raw`` (libyaml's C loader when present), refusing anchors, aliases
    and deep nesting.

    Every file, the built-in catalog included, is first walked as a stream of parse
    events (non-recursive, stopped at the first problem); a catalog in the cache is
    not read again.
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
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise CatalogError(label, [f"a value cannot be read: {str(exc)[:120]}"]) from None


def _check_events(events: Iterable[Any], label: str) -> None:
    """Refuse anchors, aliases, deep nesting and keys given twice, with their line."""
    import yaml

    open_nodes: list[_OpenNode] = []
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise CatalogError(label, [f"line {line}: YAML anchors and aliases are not allowed"])
        if isinstance(event, yaml.ScalarEvent):
            _node_done(open_nodes, event, line, label)
        elif isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append(_OpenNode(isinstance(event, yaml.MappingStartEvent)))
            if len(open_nodes) > MAX_NESTING:
                raise CatalogError(
                    label, [f"line {line}: nested more than {MAX_NESTING} levels deep"]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            open_nodes.pop()
            _node_done(open_nodes, None, line, label)


class _OpenNode:
    """A mapping or sequence being read: for a mapping, whether a key comes next and
    the line of each key read so far.

    A key given twice (``hours: 1`` ... ``hours: 5000``) is no error to YAML
    loaders, which keep the last value without a word; gapcli refuses it.
    (A plain class: it changes as it is read, and a read that never parses YAML
    should not pay for defining a dataclass.)
    """

    __slots__ = ("key_lines", "key_next", "mapping")

    def __init__(self, mapping: bool) -> None:
        self.mapping = mapping
        self.key_next = True
        self.key_lines: dict[tuple[str, str], int] = {}


def _node_done(open_nodes: list[_OpenNode], scalar: Any, line: int, label: str) -> None:
    """A node ended inside ``open_nodes[-1]``; if it was a mapping's key, note it.

    ``scalar`` is None for a collection: used as a key (``? [a, b]``) it cannot
    repeat a plain key.
    """
    if not open_nodes or not open_nodes[-1].mapping:
        return
    node = open_nodes[-1]
    if node.key_next and scalar is not None:
        key = (_scalar_tag(scalar), scalar.value)
        if key in node.key_lines:
            raise CatalogError(
                label,
                [
                    f"line {line}: the key '{scalar.value[:60]}' is given twice (first on "
                    f"line {node.key_lines[key]}); keep one"
                ],
            )
        node.key_lines[key] = line
    node.key_next = not node.key_next


_RESOLVER: list[Any] = []  # one yaml Resolver, made when a file is first checked


def _scalar_tag(scalar: Any) -> str:
    """The type a key resolves to: ``1`` (an int) and ``"1"`` (a string) are two keys."""
    import yaml

    if scalar.tag not in (None, "!"):
        return str(scalar.tag)
    if not _RESOLVER:
        _RESOLVER.append(yaml.resolver.Resolver())
    return str(_RESOLVER[0].resolve(yaml.ScalarNode, scalar.value, scalar.implicit))


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

    keys: dict[int, dict[Any, tuple[Any, Any]]] = {}

    def entries(node: Any) -> dict[Any, tuple[Any, Any]]:
        """A mapping node's keys, indexed once (the first of duplicate keys wins)."""
        if id(node) not in keys:
            index: dict[Any, tuple[Any, Any]] = {}
            for k, v in node.value:
                if isinstance(k.value, str):  # a complex key (a mapping) names no path
                    index.setdefault(k.value, (k, v))
            keys[id(node)] = index
        return keys[id(node)]

    def find(loc: Loc) -> int | None:
        node = root
        best = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = entries(node).get(part)
                if found is None:
                    return best
                key, node = found
                best = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return best
                node = node.value[part]
                best = node.start_mark.line + 1
            else:
                return best
        return best

    return find
