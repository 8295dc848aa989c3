"""Onboarding: the demo in its own file, replacing an untouched demo, and ``reset``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Cli


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def track(db: Path) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT track FROM profile").fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


def backups(db: Path) -> list[Path]:
    folder = db.with_name(db.name + ".backups")
    return sorted(folder.glob("*-pre-reset.db")) if folder.is_dir() else []


@pytest.fixture
def default_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No --db and no GAPCLI_DB: the platform's user data dir, here under tmp."""
    monkeypatch.delenv("GAPCLI_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "gapcli"


def test_demo_goes_to_its_own_file(cli: Cli, default_dir: Path) -> None:
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.stderr
    assert (default_dir / "demo.db").is_file()
    assert not (default_dir / "gapcli.db").exists()
    assert str(default_dir / "demo.db") in result.stdout.replace("\n", "")
    # The learner's own init is not blocked by the demo.
    result = cli("init", "--track", "ai-engineer")
    assert result.exit_code == 0, result.stderr
    assert track(default_dir / "gapcli.db") == "ai-engineer"


def test_demo_with_db_goes_where_told(cli: Cli, db_path: Path) -> None:
    assert cli("init", "--demo").exit_code == 0
    assert count(db_path, "assessment") > 0


def test_help_does_not_send_the_demo_into_the_real_database(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "Start with: gapcli init --demo" not in result.stdout
    assert "reset" in result.stdout


def test_init_on_the_demo_asks_and_no_changes_nothing(cli: Cli, demo: Path) -> None:
    before = track(demo)
    result = cli("init", "--track", "ai-engineer", input="n\n")
    assert result.exit_code == 1
    assert "demo" in result.stderr
    assert track(demo) == before
    assert backups(demo) == []


def test_a_bad_option_is_refused_before_the_question(cli: Cli, demo: Path) -> None:
    result = cli("init", "--track", "astrology", input="y\n")
    assert result.exit_code == 1
    assert "[y/N]" not in result.stderr
    assert "astrology" in result.stderr
    assert backups(demo) == []


def test_init_on_the_demo_replaces_it_after_a_backup(cli: Cli, demo: Path) -> None:
    result = cli("init", "--track", "ai-engineer", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert track(demo) == "ai-engineer"
    assert count(demo, "assessment") == 0
    assert count(demo, "change") == 1
    [backup] = backups(demo)
    assert count(backup, "assessment") > 0


def test_init_yes_replaces_the_demo_without_asking(cli: Cli, demo: Path) -> None:
    result = cli("init", "--track", "ai-engineer", "--yes")
    assert result.exit_code == 0, result.stderr
    assert track(demo) == "ai-engineer"


def test_the_demo_over_the_demo_is_refused_without_a_question(cli: Cli, demo: Path) -> None:
    result = cli("init", "--demo")
    assert result.exit_code == 1
    assert "[y/N]" not in result.stderr
    assert "already holds a profile" in result.stderr
    assert backups(demo) == []


def test_a_used_demo_is_the_learners_own(cli: Cli, demo: Path) -> None:
    assert cli("log-progress", "la-svd", "--minutes", "30").exit_code == 0
    result = cli("init", "--track", "ai-engineer", "--yes")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert track(demo) != "ai-engineer"
    assert backups(demo) == []


def test_a_real_profile_is_never_offered_for_replacement(cli: Cli, db_path: Path) -> None:
    assert cli("init", "--track", "ai-engineer").exit_code == 0
    result = cli("init", "--track", "ai-researcher", "--yes")
    assert result.exit_code == 1
    assert track(db_path) == "ai-engineer"


def test_reset_yes_backs_up_then_starts_over(cli: Cli, demo: Path) -> None:
    assert cli("log-progress", "la-svd", "--minutes", "30").exit_code == 0
    result = cli("reset", "--yes")
    assert result.exit_code == 0, result.stderr
    assert track(demo) is None
    assert count(demo, "study_session") == 0
    [backup] = backups(demo)
    assert count(backup, "study_session") == 1
    assert cli("gaps").exit_code == 1
    assert cli("init", "--track", "ai-engineer").exit_code == 0
    assert track(demo) == "ai-engineer"


def test_reset_asks_and_no_keeps_everything(cli: Cli, demo: Path) -> None:
    result = cli("reset", input="n\n")
    assert result.exit_code == 1
    assert track(demo) is not None
    assert backups(demo) == []


def test_reset_of_a_missing_database_is_one_line(cli: Cli, db_path: Path) -> None:
    result = cli("reset", "--yes")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db_path.exists()
