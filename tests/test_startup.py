"""Start-up: ``--help`` stays light, every command documents an example, exit codes."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from gapcli import __version__
from gapcli.cli import app
from gapcli.cli.common import HintCommand, HintGroup

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
    """typer imports neither rich nor pydantic at import time (checked, not assumed)."""
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
    # pydantic and rich stay out too: typer does not import them for --help with
    # rich_markup_mode=None.
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


# -- the --json outputs stay light; typer checks the global options itself --------------------
#
# typer 0.29 built a pydantic adapter for every option it processed, the group's --db
# and --catalog included, so every sub-command loaded pydantic (about 45 ms, 10 MiB).
# pyproject.toml keeps typer below 0.29, which converts options itself; these tests
# say so if a typer release (or gapcli) brings pydantic back onto a command.


def heavy_after_each(
    commands: list[list[str]], heavy: tuple[str, ...] = (*HEAVY, "rich.table")
) -> list[tuple[int, list[str]]]:
    """Runs gapcli's main once per command in one fresh interpreter.

    Returns each command's exit code and the heavy modules loaded so far: a
    module first listed after command N was imported by command N.
    """
    probe = (
        "import json, sys\n"
        "from gapcli.cli import main\n"
        f"for args in {commands!r}:\n"
        "    sys.argv = ['gapcli', *args]\n"
        "    code = main()\n"
        f"    found = sorted(m for m in {heavy!r} if m in sys.modules)\n"
        "    sys.stderr.write('PROBE ' + json.dumps([code, found]) + '\\n')\n"
    )
    result = run("-c", probe)
    assert result.returncode == 0, result.stderr
    rows = [
        json.loads(line.removeprefix("PROBE "))
        for line in result.stderr.splitlines()
        if line.startswith("PROBE ")
    ]
    assert len(rows) == len(commands), result.stderr
    return [(code, found) for code, found in rows]


def test_no_help_touches_the_database_layer_pydantic_or_rich() -> None:
    """--help anywhere loads neither the database layer, the YAML reader, pydantic nor rich."""
    commands = [[*path, "--help"] for path in ALL]
    for args, (code, found) in zip(commands, heavy_after_each(commands), strict=True):
        assert code == 0, args
        assert found == [], f"gapcli {' '.join(args)} imported {found}"


def test_every_command_hints_where_global_options_go() -> None:
    """Commands and groups are registered with cls=HintCommand / HintGroup."""
    root = typer.main.get_command(app)
    for path in ALL:
        command: Any = root
        for name in path:
            command = command.commands[name]
        kind = HintGroup if hasattr(command, "commands") else HintCommand
        assert isinstance(command, kind), f"{' '.join(path) or 'gapcli'}: use cls={kind.__name__}"


def test_db_option_is_taken_as_given(cli: Any, tmp_path: Path) -> None:
    given = tmp_path / "sub" / "me.db"
    result = cli("--db", str(given), "db", "path")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{given}\n"


def test_an_unreadable_db_or_catalog_is_a_usage_error(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """typer's own readability check runs on --db and --catalog (the patch skipped it)."""
    existing = tmp_path / "there.db"
    existing.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    for option in ("--db", "--catalog"):
        result = cli(option, str(existing), "db", "path")
        assert result.exit_code == 2, result.stdout
        assert result.stdout == ""
        assert option in result.stderr
        assert str(existing) in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["gaps"], ["plan", "--json"], ["catalog", "list"], ["init", "--demo"]],
    ids=["gaps", "plan", "catalog list", "init"],
)
def test_a_missing_catalog_is_refused_in_one_line(
    cli: Any, tmp_path: Path, demo_template: Path, args: list[str]
) -> None:
    """A --catalog that does not exist: exit 1, one error line naming the file, nothing stored."""
    db = tmp_path / "me.db"
    if args[0] != "init":
        shutil.copyfile(demo_template, db)
    before = db.read_bytes() if db.exists() else None
    missing = tmp_path / "nope.yaml"
    result = cli("--db", str(db), "--catalog", str(missing), *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("gapcli: error: ")
    assert str(missing) in lines[0]
    assert (db.read_bytes() if db.exists() else None) == before


JSON_COMMANDS = [
    ["gaps", "--json"],
    ["gaps", "--all", "--json"],
    ["plan", "--json"],
    ["history", "--json"],
    ["today"],
    ["today", "--json"],
    ["roadmap", "--json"],
    ["roadmap", "rag", "--json"],
    ["catalog", "list", "--json"],
    ["catalog", "show", "rag", "--json"],
    ["db", "check", "--json"],
    ["export", "--format", "json"],
    ["export", "--format", "csv"],
    ["export"],
    ["log-progress", "rag", "--minutes", "30"],
    ["log-progress", "rag", "--minutes", "30", "--json"],
]


def test_json_and_plain_outputs_do_not_import_rich(demo: Path) -> None:
    """--json, the exports and log-progress print without rich (about 35 ms)."""
    assert os.environ["GAPCLI_DB"] == str(demo)  # the subprocess uses the demo profile
    results = heavy_after_each(JSON_COMMANDS, heavy=("rich",))
    for args, (code, found) in zip(JSON_COMMANDS, results, strict=True):
        assert code == 0, args
        assert found == [], f"gapcli {' '.join(args)} imported rich"


TABLES = [["gaps"], ["plan", "--weeks", "4"], ["plan", "--days"], ["history"]]


def test_the_busiest_tables_draw_without_rich_console(demo: Path) -> None:
    """gaps, plan and history draw with gapcli's grid (render/grid.py): rich's console
    and table, a third of their time, are not imported."""
    heavy = ("rich.console", "rich.table", "rich.text")
    for args, (code, found) in zip(TABLES, heavy_after_each(TABLES, heavy), strict=True):
        assert code == 0, args
        assert found == [], f"gapcli {' '.join(args)} imported {found}"


def test_the_probe_sees_rich_where_it_is_used(demo: Path) -> None:
    """The probes above can see rich: the roadmap's view still loads it."""
    assert heavy_after_each([["roadmap"]], heavy=("rich.console",)) == [(0, ["rich.console"])]


READS = [["gaps"], ["gaps", "--json"], ["plan"], ["plan", "--json"], ["history"]]
READS += [["history", "--json"], ["today"], ["today", "--json"]]


def test_the_reads_skip_the_write_path(demo: Path) -> None:
    """Reads load no note writing, name suggestions (difflib) or OS-user lookup; a
    mistyped name still gets its suggestion."""
    write_path = ("gapcli.services.notes", "gapcli.services.profile", "difflib", "getpass")
    for args, (code, found) in zip(READS, heavy_after_each(READS, write_path), strict=True):
        assert code == 0, args
        assert found == [], f"gapcli {' '.join(args)} imported {found}"
    assert heavy_after_each([["plan", "--domain", "rgg"]], heavy=("difflib",)) == [
        (1, ["difflib"])
    ]


@pytest.mark.parametrize(
    "args",
    [["export", "--db", "x.db"], ["history", "--catalog", "c.yaml"], ["db", "path", "--db", "x"]],
    ids=["command", "group", "sub-command"],
)
def test_a_global_option_after_the_command_gets_a_hint(cli: Any, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    option = next(arg for arg in args if arg.startswith("--"))
    assert f"global options go before the command: gapcli {option}" in result.stderr


def test_only_the_calendar_export_reads_the_local_zone(db_path: Path) -> None:
    """tzlocal (and the logging it imports) loads for ``export -f ics`` only."""
    commands = [
        ["init", "--demo"],
        ["gaps", "--json"],
        ["export", "-f", "markdown"],
        ["export", "-f", "json"],
        ["export", "-f", "ics"],
    ]
    found = heavy_after_each(commands, ("tzlocal",))
    assert [code for code, _ in found] == [0] * len(commands)
    assert [modules for _, modules in found] == [[], [], [], [], ["tzlocal"]]


def _gaps_json_in_a_fresh_process(heavy: tuple[str, ...]) -> list[str]:
    [(code, found)] = heavy_after_each([["gaps", "--json"]], heavy)
    assert code == 0
    return found


READ_PATH_FREE_OF = ("yaml", "sqlalchemy", "sqlmodel", "gapcli.domain.catalog_format", "pydantic")


def test_a_warm_catalog_cache_reads_without_yaml_or_the_catalog_format(demo: Path) -> None:
    """The first command validates the catalog and caches it; the next ones read the cache.

    (yaml is the probe's proof: the first command loads it.)
    """
    for cached in Path(os.environ["GAPCLI_CACHE_DIR"]).glob("catalog-*.json"):
        cached.unlink()  # the demo fixture's own init may have filled this test's cache
    assert _gaps_json_in_a_fresh_process(READ_PATH_FREE_OF) == [
        "gapcli.domain.catalog_format",
        "pydantic",
        "yaml",
    ]
    assert _gaps_json_in_a_fresh_process(READ_PATH_FREE_OF) == []


def test_a_warm_gaps_json_loads_no_pydantic(demo: Path) -> None:
    """Neither typer nor gapcli loads pydantic for a read once the catalog is cached
    (nor yaml, SQLAlchemy, SQLModel or the catalog format)."""
    _gaps_json_in_a_fresh_process(READ_PATH_FREE_OF)  # fills the cache
    assert _gaps_json_in_a_fresh_process(READ_PATH_FREE_OF) == []


def test_the_reads_define_no_dataclass_of_gapcli(demo: Path) -> None:
    """Importing ``dataclasses`` pulls in ``inspect``: the reads' own records are named
    tuples or plain classes. (``fsrs``, which a review replay may import, and rich's
    tables import it on their own.)"""
    probe = (
        "import builtins, sys\n"
        "importers = set()\n"
        "original = builtins.__import__\n"
        "def watch(name, globals=None, locals=None, fromlist=(), level=0):\n"
        "    if name == 'dataclasses' and level == 0:\n"
        "        importers.add((globals or {}).get('__name__', '?'))\n"
        "    return original(name, globals, locals, fromlist, level)\n"
        "builtins.__import__ = watch\n"
        "from gapcli.cli import main\n"
        f"for args in {READS!r}:\n"
        "    sys.argv = ['gapcli', *args]\n"
        "    assert main() == 0, args\n"
        "print('IMPORTERS', *sorted(m for m in importers if m.split('.')[0] == 'gapcli'))\n"
    )
    result = run("-c", probe)
    assert result.returncode == 0, result.stderr
    importers = result.stdout.strip().splitlines()[-1].split()
    assert importers[0] == "IMPORTERS"
    assert importers[1:] == []
