"""The one garbage-collector pause (``gapcli.cli.main``) changes nothing but the time taken.

``main`` turns the cyclic collector off for the short-lived command process. These
tests run the console entry point both ways, each on its own copy of the same
database, and compare what a user can see: stdout, the exit code, and the files
left beside the database (a connection kept alive by an uncollected cycle would
leave its ``-wal`` behind).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import gapcli
from tests.conftest import copy_db

PAUSED = "import sys; from gapcli.cli import main; sys.argv = ['gapcli', *sys.argv[1:]]; "
# The same entry point with the pause made a no-op: the collector stays on.
COLLECTING = "import gc; gc.disable = lambda: None; " + PAUSED
END = "sys.exit(main())"

COMMANDS = [
    ["gaps", "--json"],
    ["plan", "--json"],
    ["history", "--json"],
    ["today", "--json"],
    ["gaps"],
    ["plan", "--weeks", "4"],
    ["history"],
    ["log-progress", "rag-why", "--minutes", "30", "--done", "--note", "n"],
    ["assess", "rag", "--current", "55"],
]


def run(prelude: str, db: Path, args: list[str]) -> tuple[int, str, list[str]]:
    # At exit, the collector's state as the command left it.
    probe = "import atexit, gc; atexit.register(lambda: print(gc.isenabled(), file=sys.stderr))\n"
    code = prelude + probe + END
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    left = sorted(p.name for p in db.parent.iterdir())
    return done.returncode, done.stdout, [*left, done.stderr.strip().splitlines()[-1]]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_the_pause_changes_no_output_and_no_file(
    args: list[str], demo: Path, tmp_path: Path
) -> None:
    paused, collecting = tmp_path / "paused" / "g.db", tmp_path / "collecting" / "g.db"
    for target in (paused, collecting):
        target.parent.mkdir()
        copy_db(demo, target)
    code_a, out_a, files_a = run(PAUSED, paused, args)
    code_b, out_b, files_b = run(COLLECTING, collecting, args)
    assert (code_a, code_b) == (0, 0)
    assert out_a == out_b
    assert files_a[:-1] == files_b[:-1] == ["g.db"]  # no -wal, no -shm left either way
    assert (files_a[-1], files_b[-1]) == ("False", "True")  # each ran as it says


def test_the_collector_is_paused_in_one_place_only() -> None:
    root = Path(gapcli.__file__).parent
    calls = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "gc"
                and node.attr in ("disable", "freeze", "set_threshold")
            ):
                calls.append(f"{path.relative_to(root)}:{node.attr}")
    assert calls == ["cli/__init__.py:disable"]
