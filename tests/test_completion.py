"""Shell completion: typer's own mechanism, ids from the profile's catalog, never an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The installed console script: shells complete a program by its name, "gapcli".
GAPCLI = str(Path(sys.executable).parent / "gapcli")


def complete(
    words: str, cword: int, db: Path, shell: str = "bash"
) -> subprocess.CompletedProcess[str]:
    """Ask gapcli for completions as bash's completion script does."""
    env = {
        **os.environ,
        "GAPCLI_DB": str(db),
        "_GAPCLI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    return subprocess.run([GAPCLI], capture_output=True, text=True, env=env, check=False)


def lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.split()


def test_topic_ids_are_completed(demo: Path) -> None:
    found = lines(complete("gapcli log-progress la-", 2, demo))
    assert "la-svd" in found
    assert all(word.startswith("la-") for word in found)


def test_commands_are_completed(demo: Path) -> None:
    assert "log-progress" in lines(complete("gapcli lo", 1, demo))


def test_domain_and_track_ids(demo: Path) -> None:
    assert "linear-algebra" in lines(complete("gapcli assess line", 2, demo))
    assert "linear-algebra" in lines(complete("gapcli plan --domain line", 3, demo))
    assert "ai-engineer" in lines(complete("gapcli init --track ai-e", 3, demo))


def test_paper_ids_in_catalog_show(demo: Path) -> None:
    found = lines(complete("gapcli catalog show ", 3, demo))
    assert "linear-algebra" in found
    assert "la-svd" in found
    assert "vaswani-2017" in found


def test_config_set_completes_keys_then_tracks(demo: Path) -> None:
    assert lines(complete("gapcli config set weekly", 3, demo)) == ["weekly-hours"]
    assert "ai-engineer" in lines(complete("gapcli config set track ai-", 4, demo))
    assert lines(complete("gapcli config set weekly-hours ", 4, demo)) == []


def test_fish_gets_ids_too(demo: Path) -> None:
    result = complete("gapcli log-progress la-s", 2, demo, shell="fish")
    assert result.returncode == 0, result.stderr
    assert "la-svd" in result.stdout


def test_options_are_completed(demo: Path) -> None:
    assert "--json" in lines(complete("gapcli gaps --", 2, demo))


def test_zsh_gets_ids_too(demo: Path) -> None:
    result = complete("gapcli log-progress la-s", 2, demo, shell="zsh")
    assert result.returncode == 0, result.stderr
    assert "la-svd" in result.stdout


@pytest.mark.parametrize("problem", ["missing", "garbage"])
def test_no_profile_or_a_broken_file_means_no_suggestions(tmp_path: Path, problem: str) -> None:
    db = tmp_path / "x.db"
    if problem == "garbage":
        db.write_bytes(b"not a database" * 100)
    result = complete("gapcli log-progress la-", 2, db)
    assert result.returncode == 0
    assert result.stderr == ""
    # Without a profile the built-in catalog still answers; with a broken file, no error.
    assert "Traceback" not in result.stdout
    assert db.exists() == (problem == "garbage")  # a Tab never creates a database
    if problem == "missing":
        assert "la-svd" in result.stdout.split()


def test_broken_catalog_means_no_suggestions(tmp_path: Path, demo: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("domains: [")
    result = complete(f"gapcli --catalog {bad} log-progress la-", 4, demo)
    assert result.returncode == 0
    assert result.stdout.strip() == ""
    assert result.stderr == ""


def test_show_completion_prints_a_script() -> None:
    # Run from bash, as a user would: typer finds the shell among the parent
    # processes, and a test runner's own process tree may hold none. (A second
    # command keeps bash from exec-ing gapcli in its own place.)
    result = subprocess.run(
        ["bash", "-c", f"{GAPCLI} --show-completion; exit $?"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "_GAPCLI_COMPLETE" in result.stdout


def test_help_lists_the_completion_options_and_stays_light() -> None:
    probe = (
        "import sys\nfrom gapcli.cli import main\nsys.argv = ['gapcli', '--help']\n"
        "main()\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'yaml', 'pydantic', 'rich') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert "--install-completion" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_away_and_session_ids_are_completed(cli: object, demo: Path) -> None:
    from typing import Any

    run: Any = cli
    assert run("away", "add", "2026-12-20", "2026-12-24", "--note", "holiday").exit_code == 0
    away = lines(complete("gapcli away remove ", 3, demo))
    assert away == ["1"]
    assert run("log-progress", "la-svd", "--minutes", "40").exit_code == 0
    found = lines(complete("gapcli history edit ", 3, demo))
    assert found and all(word.isdigit() for word in found)
    assert lines(complete("gapcli history remove 99999", 3, demo)) == []
