"""The quick route (``gapcli.cli.quick``) prints what typer's route prints, byte for byte.

Each case runs twice in a real process on real files: through ``gapcli``'s entry
point, which may answer without typer, and through the typer application alone.
Stdout, stderr and the exit code must match, for every form the quick route accepts
and for near-misses it must decline (typer then answers them, usage errors included).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.cli.quick import Command, parse

ENTRY = "import sys; from gapcli.cli import main; sys.argv[0] = 'gapcli'; raise SystemExit(main())"
TYPER = (
    "import sys; from gapcli.cli.typer_app import run; sys.argv[0] = 'gapcli'; "
    "raise SystemExit(run())"
)
TYPER_SEEN = (
    "import sys, atexit; atexit.register(lambda: print('typer' in sys.modules, file=sys.stderr)); "
)


def both(args: list[str], **env: str) -> tuple[subprocess.CompletedProcess[str], ...]:
    def one(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
        )

    return one(ENTRY), one(TYPER)


def assert_same(args: list[str], **env: str) -> None:
    quick, full = both(args, **env)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    ), args


ACCEPTED = [
    ["gaps"],
    ["gaps", "--json"],
    ["gaps", "-a"],
    ["gaps", "--all", "--json"],
    ["plan"],
    ["plan", "--json"],
    ["plan", "--weeks", "2"],
    ["plan", "-w", "1", "--days"],
    ["plan", "--weeks=3", "--json", "--days"],
    ["history"],
    ["history", "--json"],
    ["today"],
    ["today", "--json"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=" ".join)
def test_the_accepted_forms_print_what_typer_prints(demo: Path, args: list[str]) -> None:
    assert parse(args) is not None
    assert_same(["--db", str(demo), *args])


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "--json"],  # no profile yet: the same one-line error
        ["plan", "--weeks", "2"],
        ["history"],
        ["today", "--json"],
    ],
    ids=" ".join,
)
def test_errors_are_the_same_too(tmp_path: Path, args: list[str]) -> None:
    assert_same(["--db", str(tmp_path / "none.db"), *args])
    assert_same(["--db", str(tmp_path / "no" / "such" / "dir.db"), *args])
    (tmp_path / "junk.db").write_bytes(b"not a database" * 100)
    assert_same(["--db", str(tmp_path / "junk.db"), *args])


DECLINED = [
    [],
    ["--help"],
    ["gaps", "--help"],
    ["gaps", "--jsn"],
    ["gaps", "--json", "--json"],
    ["gaps", "-aj"],
    ["plan", "--weeks", "0"],
    ["plan", "-w", "x"],
    ["plan", "--weeks"],
    ["plan", "--weeks="],
    ["plan", "--weeks", "-1"],
    ["plan", "--start", "mon"],
    ["history", "remove", "1"],
    ["today", "extra"],
    ["gaps", "--db", "x.db"],
    ["--db"],
    ["--db", "a.db", "--db", "b.db", "gaps"],
    ["--version"],
    ["gap"],
    ["GAPS"],
]


@pytest.mark.parametrize("args", DECLINED, ids=lambda a: " ".join(a) or "(none)")
def test_near_misses_are_left_to_typer(demo: Path, args: list[str]) -> None:
    assert parse(args) is None
    assert_same(args, GAPCLI_DB=str(demo))


TOKENS = st.sampled_from(
    [c.value for c in Command]
    + ["--json", "--all", "-a", "--days", "--weeks", "-w", "--weeks=2", "2", "0", "x"]
    + ["--db", "--catalog", "--profile", "--help", "--", "-", "remove", "--db=", "plan"]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=st.lists(TOKENS, max_size=5))
def test_any_command_line_answers_the_same_both_ways(demo: Path, args: list[str]) -> None:
    assert_same(args, GAPCLI_DB=str(demo))


def test_a_quick_read_never_imports_typer(demo: Path) -> None:
    for args in (["gaps", "--json"], ["today"], ["plan", "-w", "1"]):
        result = subprocess.run(
            [sys.executable, "-c", TYPER_SEEN + ENTRY, "--db", str(demo), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[-1] == "False"


def test_completion_always_goes_to_typer(demo: Path) -> None:
    env = {"_GAPCLI_COMPLETE": "bash_complete", "COMP_WORDS": "gapcli gaps", "COMP_CWORD": "1"}
    assert_same(["gaps"], GAPCLI_DB=str(demo), **env)


def test_global_options_in_either_spelling(demo: Path, tmp_path: Path) -> None:
    assert parse([f"--db={demo}", "gaps"]) is not None
    assert_same([f"--db={demo}", "gaps", "--json"])
    assert_same(["--catalog", str(tmp_path / "missing.yaml"), "--db", str(demo), "gaps"])


def test_the_profile_is_chosen_the_same_way(demo: Path) -> None:
    for args in (["--profile", "nobody", "gaps"], ["--profile=bad name!", "today", "--json"]):
        assert parse(args) is not None
        assert_same(["--db", str(demo), *args])
    assert_same(["--db", str(demo), "history"], GAPCLI_PROFILE="nobody")
