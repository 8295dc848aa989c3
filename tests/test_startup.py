"""Start-up: ``--help`` stays light, every command documents an example, exit codes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from gapcli import __version__
from gapcli.cli import app

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "yaml", "pydantic", "rich")


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = run("-c", probe)
    assert result.returncode == 0, result.stderr
    found: list[str] = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    return found


def test_typer_alone_imports_none_of_them() -> None:
    """typer 0.29 imports neither rich nor pydantic at import time (checked, not assumed)."""
    assert loaded_after("import typer") == []


def test_importing_the_cli_is_light() -> None:
    assert loaded_after("import gapcli.cli") == []


def test_help_is_light() -> None:
    code = (
        "import sys\n"
        "from gapcli.cli import main\n"
        "sys.argv = ['gapcli', '--help']\n"
        "assert main() == 0\n"
    )
    # pydantic and rich stay out too: typer 0.29 does not import them for --help
    # with rich_markup_mode=None.
    assert loaded_after(code) == []


def test_python_m_gapcli_help() -> None:
    result = run("-X", "importtime", "-m", "gapcli", "--help")
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "typer" in imported, "the import log was read"
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
    assert "Usage:" in result.stdout
    for command in ("init", "catalog", "db"):
        assert command in result.stdout


def test_version() -> None:
    result = run("-m", "gapcli", "--version")
    assert result.returncode == 0
    assert result.stdout == f"gapcli {__version__}\n"


def test_unknown_command_is_a_usage_error() -> None:
    result = run("-m", "gapcli", "frobnicate")
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_no_arguments_shows_help() -> None:
    result = run("-m", "gapcli")
    assert result.returncode in (0, 2)
    assert "Usage:" in result.stdout + result.stderr


def commands() -> Iterator[list[str]]:
    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


ALL = list(commands())


def test_the_command_tree_is_complete() -> None:
    names = {" ".join(p) for p in ALL}
    assert {
        "init",
        "catalog",
        "catalog list",
        "catalog show",
        "catalog validate",
        "db",
        "db path",
        "db check",
        "db backup",
        "db restore",
    } <= names


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "gapcli" for p in ALL])
def test_every_help_has_an_example(cli: Any, path: list[str]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    if path:
        assert "Example" in result.stdout, result.stdout
    else:
        # The top-level help shows its example as an epilog ("Start with: ...");
        # see the report: gapcli/cli/__init__.py sets help= and hides the
        # callback docstring's "Examples:" block.
        assert "gapcli init --demo" in result.stdout
    assert "gapcli" in result.stdout


def test_top_level_help_lists_every_command_with_a_summary(cli: Any) -> None:
    out = cli("--help").stdout
    top = {p[0] for p in ALL if len(p) == 1}
    for name in top:
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(name + " ")), "")
        assert line.strip() != name, f"{name} has no summary"
        assert line, f"{name} missing from --help"


def test_short_help_option(cli: Any) -> None:
    assert cli("-h").exit_code == 0
    assert cli("db", "-h").exit_code == 0


@pytest.mark.parametrize("path", [p for p in ALL if p], ids=[" ".join(p) for p in ALL if p])
def test_every_command_is_in_the_readme(path: list[str]) -> None:
    """The README's command table names every command and sub-command (sqlite-utils' test_docs)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = [line for line in readme.splitlines() if line.startswith("| `gapcli ")]
    name = " ".join(path)
    short = path[-1] if len(path) > 1 else name  # "db check" may appear as "`db check`"
    assert any(f"gapcli {name}" in row or f"`{path[0]} {short}" in row for row in table), name
