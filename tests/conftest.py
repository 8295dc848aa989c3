"""Shared fixtures: every test gets its own real SQLite file in a tmp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from gapcli.cli import app

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point gapcli at a tmp database; never the developer's real one."""
    monkeypatch.setenv("GAPCLI_DB", str(tmp_path / "gapcli.db"))
    monkeypatch.delenv("GAPCLI_CATALOG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "gapcli.db"


class Cli:
    """Runs gapcli in-process and returns (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, list(args), input=input)


@pytest.fixture
def cli() -> Iterator[Cli]:
    yield Cli()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo learner's database, made once per module (init costs a catalog load)."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    result = CliRunner().invoke(
        app, ["--db", str(path), "init", "--demo"], env={"GAPCLI_CATALOG": None}
    )
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def demo(cli: Cli, db_path: Path) -> Path:
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.stderr
    return db_path
