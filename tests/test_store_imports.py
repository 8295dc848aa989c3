"""The store's modules import each other as a DAG, lazily imported or not.

A cycle that works only because one side imports inside a function breaks the
day someone moves that import to the top, or calls it during import. Lazy
imports in the store are for cost (SQLAlchemy, alembic), never to dodge a cycle;
this test reads every import statement, wherever it sits, to keep it so.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import gapcli.store

STORE = Path(gapcli.store.__file__).parent
PACKAGE = "gapcli.store"
LEAF = f"{PACKAGE}.sqlite_file"


def _module_name(path: Path) -> str:
    return PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"


def _imported(node: ast.Import | ast.ImportFrom, importer: str, modules: set[str]) -> set[str]:
    """The store modules one import statement loads (``from pkg import mod`` loads mod)."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    else:
        base = node.module or ""
        if node.level:
            package = importer if importer == PACKAGE else importer.rsplit(".", 1)[0]
            parts = package.split(".")
            anchor = ".".join(parts[: len(parts) - (node.level - 1)])
            base = f"{anchor}.{base}" if base else anchor
        names = {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in names if name in modules and name != importer}


def store_import_graph() -> dict[str, set[str]]:
    """Each store module and the store modules it imports, at top level or in a function."""
    files = {_module_name(path): path for path in sorted(STORE.glob("*.py"))}
    modules = set(files)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name] |= _imported(node, name, modules)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        return list(exc.args[1])
    return None


def test_store_imports_form_a_dag() -> None:
    graph = store_import_graph()
    assert find_cycle(graph) is None, f"import cycle in the store: {find_cycle(graph)}"


def test_the_sqlite_facts_module_is_a_leaf() -> None:
    """Every store module may import it because it imports none of them."""
    graph = store_import_graph()
    assert graph[LEAF] == set()
    users = {name for name, imports in graph.items() if LEAF in imports}
    assert {f"{PACKAGE}.{m}" for m in ("database", "engine", "probe", "backup")} <= users


def test_imports_inside_functions_are_seen() -> None:
    """The graph holds the lazy imports too, so a cycle through one would be caught."""
    graph = store_import_graph()
    assert f"{PACKAGE}.engine" in graph[f"{PACKAGE}.database"]  # imported in a method
    assert f"{PACKAGE}.migrate" in graph[f"{PACKAGE}.database"]  # imported in a function
    cyclic = {**graph, f"{PACKAGE}.engine": graph[f"{PACKAGE}.engine"] | {f"{PACKAGE}.database"}}
    assert find_cycle(cyclic) is not None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import gapcli.store.probe", {"gapcli.store.probe"}),
        ("from gapcli.store import probe, schema", {"gapcli.store.probe", "gapcli.store.schema"}),
        ("from gapcli.store.probe import probe", {"gapcli.store.probe"}),
        ("from .probe import probe", {"gapcli.store.probe"}),
        ("from . import schema", {"gapcli.store.schema"}),
        ("from gapcli.errors import DatabaseError", set()),
    ],
)
def test_every_import_form_is_resolved(source: str, expected: set[str]) -> None:
    modules = set(store_import_graph())
    (node,) = ast.parse(source).body
    assert isinstance(node, ast.Import | ast.ImportFrom)
    assert _imported(node, "gapcli.store.backup", modules) - {PACKAGE} == expected
