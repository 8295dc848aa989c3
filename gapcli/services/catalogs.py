"""Reading catalog files: safe YAML, a size cap, no aliases, errors with line numbers.

``safe_load`` still expands aliases (a few hundred bytes can stand for millions
of nodes), so any anchor or alias is refused before the data is walked. Deep
nesting is refused the same way: libyaml's composer recurses in C, so a few MB
of ``[[[[...`` crash the interpreter (a segfault, not an exception), and 40 kB of
it take seconds.

The catalog shipped with gapcli is read on every command, and ``import yaml``
plus parsing its YAML cost about 40 ms of a ~200 ms command. So each shipped
catalog has a compiled copy beside it (``ai.yaml`` -> ``ai.json``, made by
``make catalog-json``, i.e. ``python -m gapcli.services.catalogs --compile
catalog/ai.yaml``) that records the sha256 of the YAML bytes it was made from.
:func:`load_catalog` reads the YAML bytes (cheap), hashes them, and when the
compiled copy records that hash builds the catalog from the JSON, through the
same validation (``parse_catalog``), without importing yaml. Any mismatch (an
edited ``ai.yaml`` in a checkout, a missing or damaged JSON) falls back to the
YAML. The hash recorded in a profile is always that of the YAML. Catalogs given
by the user are always read from their YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcli.errors import CatalogError

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog, Loc

MAX_CATALOG_BYTES = 5 * 1024 * 1024
LINE_NUMBERED_PROBLEMS = 200  # the CLI prints at most 50 problems
MAX_NESTING = 32  # a catalog needs 6 levels (root, domains, domain, topics, topic, requires)
BUILTIN = "builtin"
_MAYBE_ALIAS = re.compile(rb"(?:^|[\s\[{,:\-?])[&*][^\s,\[\]{}]")
COMPILED_FORMAT = 1  # the layout of a compiled catalog: {format, yaml_sha256, note, data}


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
    """Load and validate a catalog; the same bytes are parsed once per process.

    The built-in catalog comes from its compiled JSON copy when that copy was
    made from these very YAML bytes (see the module's docstring).
    """
    path, source = resolve_catalog_path(option)
    raw = read_catalog_bytes(path, source)
    digest = hashlib.sha256(raw).hexdigest()
    key = (source, digest)
    if key not in _LOADED:
        catalog = _load_compiled(compiled_path(path), digest) if source == BUILTIN else None
        if catalog is None:
            catalog = parse_catalog_bytes(raw, source, trusted=source == BUILTIN)
        _LOADED[key] = LoadedCatalog(catalog, source, digest)
    return _LOADED[key]


def load_builtin_catalog() -> LoadedCatalog:
    """The catalog shipped with gapcli, whatever --catalog or $GAPCLI_CATALOG say."""
    from gapcli.resources import builtin_catalog_path

    path = builtin_catalog_path()
    raw = read_catalog_bytes(path, BUILTIN)
    key = (BUILTIN, hashlib.sha256(raw).hexdigest())
    if key not in _LOADED:
        _LOADED[key] = LoadedCatalog(parse_catalog_bytes(raw, BUILTIN, trusted=True), *key)
    return _LOADED[key]


def compiled_path(yaml_path: Path) -> Path:
    """Where the compiled (JSON) copy of a shipped catalog lives: beside it, ``.json``."""
    return yaml_path.with_suffix(".json")


def _load_compiled(path: Path, yaml_sha256: str) -> Catalog | None:
    """The catalog from its compiled copy, or None if that copy is missing, stale or bad.

    None sends the caller to the YAML, which then gives the real error with
    line numbers if the catalog itself is invalid.
    """
    from gapcli.domain.catalog import CatalogInvalid, parse_catalog

    try:
        compiled = json.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, unreadable, not JSON (or not UTF-8)
        return None
    if (
        not isinstance(compiled, dict)
        or compiled.get("format") != COMPILED_FORMAT
        or compiled.get("yaml_sha256") != yaml_sha256
        or "data" not in compiled
    ):
        return None
    try:
        return parse_catalog(compiled["data"])
    except CatalogInvalid:
        return None


def compile_catalog(yaml_path: Path) -> Path:
    """Write the compiled copy of the catalog at ``yaml_path``; return its path.

    The YAML is loaded with the same checks as a user's catalog and must be
    valid; its data must survive JSON unchanged (no dates, no non-string keys).
    """
    label = str(yaml_path)
    raw = read_catalog_bytes(yaml_path, label)
    data = load_yaml(raw, label)
    parse_catalog_bytes(raw, label)  # refuse to compile an invalid catalog
    unchanged = "holds values JSON cannot represent (dates? non-string keys?)"
    try:
        text = json.dumps(
            {
                "format": COMPILED_FORMAT,
                "yaml_sha256": hashlib.sha256(raw).hexdigest(),
                "note": f"generated from {yaml_path.name} by `make catalog-json`; do not edit",
                "data": data,
            },
            ensure_ascii=False,
            allow_nan=False,
            indent=1,
        )
    except (TypeError, ValueError):
        raise CatalogError(label, [unchanged]) from None
    if json.loads(text)["data"] != data:
        raise CatalogError(label, [unchanged])
    out = compiled_path(yaml_path)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out)
    return out


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


def parse_catalog_bytes(raw: bytes, label: str, *, trusted: bool = False) -> Catalog:
    """Validate ``raw`` YAML into a catalog, listing every problem with its line."""
    from gapcli.domain.catalog import CatalogInvalid, format_loc, parse_catalog

    data = load_yaml(raw, label, trusted=trusted)
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


@dataclass
class _OpenNode:
    """A mapping or sequence being read: for a mapping, whether a key comes next and
    the line of each key read so far.

    A key given twice (``hours: 1`` ... ``hours: 5000``) is no error to YAML
    loaders, which keep the last value without a word; gapcli refuses it.
    """

    mapping: bool
    key_next: bool = True
    key_lines: dict[tuple[str, str], int] = field(default_factory=dict)


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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m gapcli.services.catalogs --compile catalog/ai.yaml [...]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "--compile":
        print(
            "usage: python -m gapcli.services.catalogs --compile CATALOG.yaml ...", file=sys.stderr
        )
        return 2
    for name in args[1:]:
        try:
            out = compile_catalog(Path(name))
        except CatalogError as exc:
            for problem in exc.problems:
                print(f"error: {exc.source}: {problem}", file=sys.stderr)
            return 1
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
