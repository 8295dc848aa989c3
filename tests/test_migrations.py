"""Migrations: pytest-alembic's standard tests, and the no-alembic fast path."""

from __future__ import annotations

import json
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
from gapcli.store.os_user import default_profile_name
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
        "from gapcli.store.database import open_database\n"
        "db = open_database(Path(sys.argv[1]))\n"
        "with db.read() as conn:\n"
        "    assert conn.execute('SELECT id FROM profile').fetchone() == (1,)\n"
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
        "setting_change",
        "away",
        "note",
        "paper_read",
    } <= tables
    assert not [t for t in tables if t.startswith("_alembic_tmp")]


# Rows a learner could have at revision 0001, in the columns that revision has.
OLD_ROWS = {
    "change": "INSERT INTO change (id, at, kind, summary, undo) VALUES "
    "(1, '2025-01-02 10:00:00', 'init', 'created the profile', '{}'), "
    "(2, '2025-01-03 10:00:00', 'log', 'logged', '{}')",
    "profile": "INSERT INTO profile (id, catalog_id, catalog_source, catalog_hash, catalog_ids, "
    "track, weekly_hours, study_days, start_date, created_at) VALUES "
    "(1, 'ai', 'builtin', 'x', '[]', 'ai-engineer', 7.5, 'mon,thu', '2025-01-02', "
    "'2025-01-02 10:00:00')",
    "assessment": "INSERT INTO assessment (at, domain_id, current, target, change_id) VALUES "
    "('2025-01-02 10:00:00', 'rag', 20, 80, 1), ('2025-01-02 10:00:00', 'agents', 5, 60, 1)",
    "math_assessment": "INSERT INTO math_assessment (at, level, change_id) VALUES "
    "('2025-01-02 10:00:00', 'light', 1)",
    "topic_progress": "INSERT INTO topic_progress (at, topic_id, done, change_id) VALUES "
    "('2025-01-03 10:00:00', 'la-visual', 1, 2)",
    "study_session": "INSERT INTO study_session (day, minutes, domain_id, topic_id, note, "
    "logged_at, change_id) VALUES ('2025-01-03', 90, 'linear-algebra', 'la-visual', "
    "'chapters 1-4 | ''quoted''', '2025-01-03 10:00:00', 2)",
}


def _database_at(revision: str, path: Path) -> None:
    """A database at ``revision`` holding OLD_ROWS: made and filled at 0001, then
    upgraded by a gapcli whose newest revision was ``revision``."""
    import sqlite3
    from contextlib import closing

    path.touch(mode=0o600)
    _migrate(path, REVISIONS[0])
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in OLD_ROWS.values():
            conn.execute(statement)
    _migrate(path, revision)


# Columns of revision 0001 that 0007 dropped (written at init, never read).
DROPPED = ("catalog_hash", "catalog_ids")
# Columns added since 0001 to OLD_ROWS' tables: 0002's study_time, 0008's profile name
# and every learner row's profile_id.
ADDED = ("study_time", "name", "profile_id")


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of OLD_ROWS' tables, in the columns of revision 0001 that the newest
    schema keeps (0002's and 0008's are added, 0007's drops are gone)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        rows = {}
        for table in OLD_ROWS:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            old = [c for c in columns if c not in ADDED and c not in DROPPED]
            rows[table] = conn.execute(
                f"SELECT {', '.join(old)} FROM {table} ORDER BY id"
            ).fetchall()
    return rows


@pytest.mark.parametrize(
    ("revision", "kept"), [("0004", "setting_change"), ("0005", "away"), ("0006", "note")]
)
def test_a_revision_adds_its_tables_and_takes_them_back(
    revision: str, kept: str, tmp_path: Path
) -> None:
    """Up to ``revision`` adds its empty tables, with the columns the schema contract
    states; one step down removes only them."""
    import sqlite3
    from contextlib import closing

    from alembic import command

    from gapcli.store.contract import TABLES

    added = {
        t.name: [c.name for c in t.columns if c.since is None or c.since <= revision]
        for t in TABLES
        if t.since == revision
    }
    assert added

    path = tmp_path / "new.db"
    _database_at(revision, path)
    with closing(sqlite3.connect(path)) as conn:
        for table, columns in added.items():
            assert [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] == columns
    before = _rows(path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn, conn.begin():
            config = gapcli_alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, REVISIONS[REVISIONS.index(revision) - 1])
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not set(added) & tables and kept in tables
    assert _rows(path) == before


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_every_row_survives_the_upgrade_from(revision: str, cli: Any, tmp_path: Path) -> None:
    """A write on an old database migrates it, keeps every row, backs it up first.

    A read shows it as it is (test_faults_leftovers.py: a read never migrates)."""
    path = tmp_path / "old.db"
    _database_at(revision, path)
    before = _rows(path)

    result = cli("--db", str(path), "history", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["sessions"][0]["note"] == "chapters 1-4 | 'quoted'"
    # A table added since (away, 0004) reads as empty, without migrating the file.
    listed = cli("--db", str(path), "away", "list", "--json")
    assert (listed.exit_code, listed.stdout.strip()) == (0, "[]"), listed.stderr
    assert cli("--db", str(path), "plan", "--json").exit_code == 0
    # So do the notes and papers read (0005).
    noted = cli("--db", str(path), "notes", "--json")
    assert (noted.exit_code, noted.stdout.strip()) == (0, "[]"), noted.stderr
    assert cli("--db", str(path), "catalog", "list", "--kind", "papers").exit_code == 0
    assert not (tmp_path / "old.db.backups").exists()
    assert _rows(path) == before

    written = cli("--db", str(path), "assess", "--math-level", "light")
    assert written.exit_code == 0, written.stderr
    assert _rows(path)["assessment"] == before["assessment"]
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert conn.execute("SELECT study_time FROM profile").fetchone()[0] == "19:00"
        assert conn.execute("SELECT count(*) FROM setting_change").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM away").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM paper_read").fetchone()[0] == 0
        # 0008: the one learner is named after the user, and every row is theirs.
        assert conn.execute("SELECT id, name FROM profile").fetchall() == [
            (1, default_profile_name())
        ]
        for table in OLD_ROWS:
            if table != "profile":
                owners = conn.execute(f"SELECT DISTINCT profile_id FROM {table}").fetchall()
                assert owners == [(1,)], table
    # The new table takes rows once migrated, and undo takes them back.
    added = cli("--db", str(path), "away", "add", "2026-12-24", "2026-12-26")
    assert added.exit_code == 0, added.stderr
    assert "added away 1" in cli("--db", str(path), "undo", "--yes").stdout
    noted = cli("--db", str(path), "note", "la-visual", "where I left off")
    assert noted.exit_code == 0, noted.stderr
    assert "note on la-visual" in cli("--db", str(path), "undo", "--yes").stdout
    backups = sorted((tmp_path / "old.db.backups").glob("*pre-migration.db"))
    assert len(backups) == 1

    # The backup taken before migrating is the old database, and restores.
    assert _rows(backups[0]) == before
    restored = cli("--db", str(path), "db", "restore", str(backups[0]), "--yes")
    assert restored.exit_code == 0, restored.stderr
    assert _rows(path) == before
    again = cli("--db", str(path), "gaps", "--json")
    assert again.exit_code == 0, again.stderr


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_config_set_on_an_older_database_migrates_it_and_undo_takes_it_back(
    revision: str, cli: Any, tmp_path: Path
) -> None:
    """Revision 0003's settings history: a read shows none, the first write adds the table."""
    import sqlite3
    from contextlib import closing

    path = tmp_path / "old.db"
    _database_at(revision, path)
    before = _rows(path)
    shown = cli("--db", str(path), "config", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["weekly-hours"] == 7.5
    assert json.loads(shown.stdout)["history"] == []

    changed = cli("--db", str(path), "config", "set", "weekly-hours", "9")
    assert changed.exit_code == 0, changed.stderr
    assert json.loads(cli("--db", str(path), "config", "--json").stdout)["weekly-hours"] == 9
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert conn.execute("SELECT key, value FROM setting_change").fetchall() == [
            ("weekly-hours", "9")
        ]
    undone = cli("--db", str(path), "undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert json.loads(cli("--db", str(path), "config", "--json").stdout)["weekly-hours"] == 7.5
    after = _rows(path)
    assert after["profile"] == before["profile"]


def _migrate(path: Path, revision: str, *, down: bool = False) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn, conn.begin():
            config = gapcli_alembic_config()
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def _profile(path: Path) -> dict[str, Any]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM profile").fetchone())


@pytest.mark.parametrize("revision", REVISIONS[: REVISIONS.index("0007")])
def test_0007_drops_the_profile_catalog_copies_and_keeps_the_rest(
    revision: str, tmp_path: Path
) -> None:
    """From every earlier revision: the profile loses catalog_hash and catalog_ids (no
    command read them), keeps every other value, and has the contract's columns; one
    step down puts the two back where 0001 had them, empty."""
    from gapcli.store.contract import TABLE_BY_NAME

    path = tmp_path / "old.db"
    _database_at(revision, path)
    before = _profile(path)
    assert (before["catalog_hash"], before["catalog_ids"]) == ("x", "[]")
    _migrate(path, HEAD)
    after = _profile(path)
    assert list(after) == list(TABLE_BY_NAME["profile"].names)
    assert after == {k: v for k, v in before.items() if k not in DROPPED} | {
        "study_time": "19:00",
        "name": default_profile_name(),
    }

    _migrate(path, "0006", down=True)
    restored = _profile(path)
    names = list(restored)
    assert names[names.index("catalog_source") + 1 : names.index("track")] == list(DROPPED)
    assert (restored["catalog_hash"], restored["catalog_ids"]) == ("", "[]")
    assert {k: v for k, v in restored.items() if k not in DROPPED} == {
        k: v for k, v in after.items() if k != "name"
    }
