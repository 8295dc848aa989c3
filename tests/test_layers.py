"""The layers import downward only: cli -> services -> domain and store; render takes views.

``render`` formats view models (``gapcli.views``) and never imports services or
the CLI; ``views`` is a leaf both sides import (at run time only the domain and
itself); services word their messages without render; the store serves services
and knows none of them; the domain imports none of the layers above it. Every import statement
counts, in a function or under ``TYPE_CHECKING`` too (see test_store_imports.py
for why): a rule that holds only at run time is one refactor from breaking.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gapcli

PACKAGE = Path(gapcli.__file__).parent
LAYERS = ("cli", "services", "store", "render", "views", "domain")

# Each layer and the gapcli layers it must never import, anywhere in its modules.
FORBIDDEN: dict[str, set[str]] = {
    "services": {"render", "cli"},
    "store": {"services", "render", "cli", "views"},
    "render": {"services", "cli"},
    "views": {"services", "cli", "render"},
    "domain": {"services", "store", "render", "cli", "views"},
}
# Layers whose modules may import, outside ``if TYPE_CHECKING:``, only these gapcli layers.
RUNTIME_ONLY: dict[str, set[str]] = {"views": {"views", "domain"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> set[str]:
    """The module names one import statement names (``from pkg import mod`` names both)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = importer if is_package else importer.rsplit(".", 1)[0]
        parts = package.split(".")
        anchor = ".".join(parts[: len(parts) - (node.level - 1)])
        base = f"{anchor}.{base}" if base else anchor
    return {base} | {f"{base}.{alias.name}" for alias in node.names}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "gapcli" and parts[1] in LAYERS:
        return parts[1]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_layers(source: str, importer: str, *, is_package: bool = False) -> dict[str, bool]:
    """Each gapcli layer the source imports, and whether any such import runs at run time."""
    found: dict[str, bool] = {}

    def visit(node: ast.AST, typing_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, typing_only)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(node, importer, is_package):
                layer = _layer(target)
                if layer is not None:
                    found[layer] = found.get(layer, False) or not typing_only
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(ast.parse(source), False)
    return found


def layer_imports(layer: str) -> dict[str, dict[str, bool]]:
    """Each module of a layer and the layers it imports (True: at run time)."""
    result = {}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        name = _module_name(path)
        text = path.read_text(encoding="utf-8")
        result[name] = imported_layers(text, name, is_package=path.stem == "__init__")
    return result


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(layer: str) -> None:
    broken = {
        module: sorted(set(found) & FORBIDDEN[layer])
        for module, found in layer_imports(layer).items()
        if set(found) & FORBIDDEN[layer]
    }
    assert broken == {}, f"{layer} imports a layer it must not: {broken}"


def test_views_load_only_the_domain_at_run_time() -> None:
    """Store rows may name a field's type, under TYPE_CHECKING; nothing else is loaded."""
    allowed = RUNTIME_ONLY["views"]
    broken = {
        module: sorted(layer for layer, runtime in found.items() if runtime)
        for module, found in layer_imports("views").items()
        if {layer for layer, runtime in found.items() if runtime} - allowed
    }
    assert broken == {}


def test_every_render_module_is_checked() -> None:
    modules = layer_imports("render")
    assert "gapcli.render.json_data" in modules
    assert len(modules) == len(list((PACKAGE / "render").glob("*.py")))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from gapcli.services.export import gather", {"services": True}),
        ("import gapcli.cli.common", {"cli": True}),
        ("from gapcli import services", {"services": True}),
        ("from ..services import state", {"services": True}),
        ("from . import shared", {"render": True}),
        ("def f():\n    from gapcli.services import state", {"services": True}),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from gapcli.services.state import Snapshot",
            {"services": False},
        ),
        ("from gapcli.errors import GapError", {}),
        ("import json", {}),
    ],
)
def test_the_rule_sees_every_import_form(source: str, expected: dict[str, bool]) -> None:
    """Lazy, relative and typing-only imports are all seen, so the rules above bite."""
    assert imported_layers(source, "gapcli.render.plan_view") == expected
