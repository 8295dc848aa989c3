"""Migrations: pytest-alembic's standard tests, and the no-alembic fast path."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from gapcli.store.migrate import alembic_config as gapcli_alembic_config
from gapcli.store.schema import HEAD, REVISIONS

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


@pytest.fixture
def alembic_config() -> Config:
    return gapcli_alembic_config()


@pytest.fixture
def alembic_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'alembic.db'}")
    yield engine
    engine.dispose()


def test_schema_revisions_match_alembic_history() -> None:
    script = ScriptDirectory.from_config(gapcli_alembic_config())
    history = [rev.revision for rev in script.walk_revisions("base", "heads")]
    assert tuple(reversed(history)) == REVISIONS
    assert script.get_current_head() == HEAD


def test_migrations_ship_with_the_package() -> None:
    from gapcli.resources import data_dir

    folder = data_dir("migrations")
    assert (folder / "env.py").is_file()
    assert sorted(p.name for p in (folder / "versions").glob("*.py"))


def test_opening_a_current_database_does_not_import_alembic(cli: Any, demo: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from sqlmodel import select\n"
        "from gapcli.store.database import open_database\n"
        "from gapcli.store.tables import Profile\n"
        "db = open_database(Path(sys.argv[1]))\n"
        "with db.read() as session:\n"
        "    assert session.exec(select(Profile)).one().id == 1\n"
        "db.dispose()\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(demo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_read_command_does_not_import_alembic(demo: Path) -> None:
    script = (
        "import sys\n"
        "from gapcli.cli import main\n"
        "sys.argv = ['gapcli', '--db', sys.argv[1], 'gaps', '--json']\n"
        "code = main()\n"
        "print('alembic' in sys.modules, code, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(demo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "False 0", result.stderr


def test_migration_leaves_foreign_keys_consistent(alembic_engine: Engine) -> None:
    from gapcli.store.migrate import upgrade_new

    path = Path(str(alembic_engine.url.database))
    path.touch(mode=0o600)
    upgrade_new(path)
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "profile",
        "assessment",
        "math_assessment",
        "topic_progress",
        "study_session",
        "change",
    } <= tables
    assert not [t for t in tables if t.startswith("_alembic_tmp")]
