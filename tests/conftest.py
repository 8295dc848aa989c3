"""Shared fixtures: every test gets its own real SQLite file in a tmp dir."""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from gapcli.cli import app
from gapcli.render import terminal

# pg_server, pg_dbname, pg_url: a throwaway PostgreSQL for the tests that need one.
pytest_plugins = ("pg_fixtures",)

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile("slow", max_examples=400, deadline=None)  # make test-slow
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


# Every test runs on one pinned day, never on the real date, so the suite passes on any
# day; GAPCLI_TEST_TODAY runs it all on another day (a leap day, a year's end...).
TODAY = date.fromisoformat(os.environ.get("GAPCLI_TEST_TODAY", "2026-11-30"))
# Pinned for the whole run too, so module-scoped fixtures and child processes see it.
os.environ["GAPCLI_TODAY"] = TODAY.isoformat()

# The built-in demo's "not done yet" marks (catalog/ai.yaml demo.todo): planned
# even when every target is met, so a test of "nothing to do" marks them done.
DEMO_TODO = ("ft-lora-mechanics", "mm-vision-prompting", "ops-observability-langsmith")


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A catalog cache for module-scoped fixtures too, never the developer's real one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GAPCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point gapcli at a tmp database and catalog cache (never the developer's real
    ones) and pin today."""
    monkeypatch.setenv("GAPCLI_TODAY", TODAY.isoformat())
    monkeypatch.setenv("GAPCLI_DB", str(tmp_path / "gapcli.db"))
    monkeypatch.setenv("GAPCLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GAPCLI_CATALOG", raising=False)
    monkeypatch.delenv("GAPCLI_PROFILE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    fresh_consoles()


def fresh_consoles() -> None:
    """Consoles made anew from the environment, as each gapcli process makes its own.

    gapcli makes one rich console per process and rich reads ``COLUMNS`` when it
    makes it: in one test process, a console made under another test's width
    would otherwise print this test's output at that width.
    """
    terminal.out.cache_clear()
    terminal.err.cache_clear()


@pytest.fixture
def today() -> date:
    """The day every gapcli command in this test believes it is."""
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "gapcli.db"


class Cli:
    """Runs gapcli in-process and returns (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Any:
        fresh_consoles()
        return self.runner.invoke(app, list(args), input=input, env=env)


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


def copy_db(source: Path, target: Path) -> None:
    """An online copy (SQLite's backup API), as a user's copy would be."""
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # private, as gapcli's
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def dump(db: Path) -> str:
    """The whole database as SQL: equal dumps mean nothing stored changed."""
    with closing(sqlite3.connect(db)) as conn:
        return "\n".join(conn.iterdump())


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def demo(demo_template: Path, db_path: Path) -> Path:
    """A fresh copy of the demo learner's database at this test's GAPCLI_DB."""
    copy_db(demo_template, db_path)
    return db_path


NOBODY = 65534


def _as_nobody() -> list[str] | None:
    """A command prefix that runs as an unprivileged user, or None when impossible."""
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import gapcli.cli"],
            capture_output=True,
            check=False,
            cwd="/",
        )
    except OSError:
        return None
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def unprivileged() -> list[str]:
    """Prefix that makes file modes bind: nothing for a normal user, setpriv for root.

    As root (as in CI), modes do not stop writes; such tests then run as ``nobody``,
    and are skipped with the reason where privileges cannot be dropped.
    """
    if os.geteuid() != 0:
        return []
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root and cannot drop privileges (setpriv) to test modes")
    return prefix


def wait_for(stream: Any, needle: bytes, seconds: float = 60) -> bytes:
    """What a child process wrote to ``stream`` until ``needle`` appears (or time runs out)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return seen


def meet_every_target(cli: Any, tmp_path: Path) -> None:
    """Assess every open domain of the demo at its target and finish its to-do topics."""
    gaps = json.loads(cli("gaps", "--json").stdout)
    answers = tmp_path / "met.yaml"
    answers.write_text(
        "".join(f"{d['id']}: {{current: {d['target']}}}\n" for d in gaps["domains"]),
        encoding="utf-8",
    )
    assert cli("assess", "--file", str(answers)).exit_code == 0
    for topic in DEMO_TODO:  # planned even at target, until done
        assert cli("log-progress", topic, "--done").exit_code == 0
