"""Every command on both stores: a scripted history through the CLI on SQLite and on a
real PostgreSQL (tests/pg_fixtures.py), the same answers byte for byte, and the errors
a server can give as one line with the password masked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pg_server import PgServer

from gapcli import clock

STORES = ("sqlite", "postgresql")
PROFILES = ("ann", "bob")

# The scripted learner history: two profiles, every kind of write the core commands make.
SCRIPT: tuple[tuple[str, ...], ...] = (
    ("--profile", "ann", "init", "--track", "ai-engineer"),
    ("--profile", "bob", "init", "--weekly-hours", "9"),
    ("--profile", "ann", "assess", "rag", "--current", "20", "--target", "90"),
    ("--profile", "ann", "assess", "--math-level", "light"),
    ("--profile", "ann", "log-progress", "la-visual", "--hours", "1.5", "--date", "2026-11-20"),
    ("--profile", "ann", "log-progress", "la-visual", "--done"),
    ("--profile", "ann", "log-progress", "rag", "--minutes", "45", "--date", "-2d", "-n", "50%?"),
    ("--profile", "ann", "log-progress", "rag-chunking-loaders", "--todo"),
    ("--profile", "ann", "note", "la-visual", "stopped at episode 4"),
    ("--profile", "ann", "config", "set", "weekly-hours", "8"),
    ("--profile", "bob", "assess", "rag", "-c", "50", "-t", "80"),
    ("--profile", "bob", "log-progress", "rag", "--hours", "2", "--date", "2026-11-25"),
    ("--profile", "bob", "log-progress", "la-visual", "--minutes", "30"),
    ("--profile", "bob", "undo", "--yes"),
    ("--profile", "bob", "log-progress", "rag", "--minutes", "20", "--date", "-1w"),
    ("--profile", "ann", "review", "la-visual", "-r", "hard", "--minutes", "25"),
    ("--profile", "ann", "away", "add", "2026-12-24", "2026-12-31", "--note", "holiday"),
    ("--profile", "ann", "read", "vaswani-2017"),
    ("--profile", "bob", "history", "edit", "5", "--minutes", "35"),
    ("--profile", "bob", "config", "set", "day-hours", "mon=2,sat=4"),
)
READS: tuple[tuple[str, ...], ...] = (
    ("gaps", "--json"),
    ("gaps", "--all"),
    ("plan", "--json"),
    ("history", "--json"),
    ("history",),
    ("today", "--json"),
    ("notes",),
    ("reviews",),
    ("away", "list"),
    ("config", "--json"),
    ("roadmap", "rag"),
    ("export", "-f", "json"),
    ("export", "-f", "csv"),
)
TEAM_READS: tuple[tuple[str, ...], ...] = (
    ("team", "gaps", "--json"),
    ("team", "matrix", "--json"),
    ("team", "coverage", "--json"),
    ("team", "trend", "--json"),
    ("team", "gaps", "--detail"),
)


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups of a server store go to the user's data dir: this test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def stepping_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clock.now() a second after the last (with odd microseconds, and none at
    first): the two stores get the same stamps, so their answers can be compared."""
    base = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    ticks = iter(range(10_000))

    def now() -> datetime:
        n = next(ticks)
        return base + timedelta(seconds=n, microseconds=(n * 37_013) % 1_000_000)

    monkeypatch.setattr(clock, "now", now)


def _db(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "sqlite":
        return str(tmp_path / f"{kind}.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url(server.create_database())


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A --db value: a new SQLite file, or a new empty database on the test server."""
    return _db(str(request.param), request, tmp_path)


def _run(cli: Any, db: str, *args: str, code: int = 0) -> str:
    result = cli("--db", db, *args)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return str(result.stdout)


def _play(cli: Any, db: str) -> None:
    for line in SCRIPT:
        _run(cli, db, *line)


def _answers(cli: Any, db: str) -> dict[str, str]:
    answers = {"profiles": _run(cli, db, "profiles", "--json")}
    for args in TEAM_READS:  # every learner, one at a time, in one read
        answers[" ".join(args)] = _run(cli, db, *args)
    for name in PROFILES:
        for args in READS:
            answers[f"{name}: {' '.join(args)}"] = _run(cli, db, "--profile", name, *args)
    return answers


def _sessions(cli: Any, db: str, profile: str) -> list[dict[str, Any]]:
    doc = json.loads(_run(cli, db, "--profile", profile, "export", "-f", "json"))
    return list(doc["records"]["sessions"])


def _drop_id(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if k != "id"}


def test_the_scripted_history_on_either_store(
    cli: Any, store: str, stepping_clock: None, tmp_path: Path
) -> None:
    _play(cli, store)
    profiles = json.loads(_run(cli, store, "profiles", "--json"))
    assert sorted(p["name"] for p in profiles) == ["ann", "bob"]
    ann = _sessions(cli, store, "ann")
    assert [s["minutes"] for s in ann] == [90, 45, 25]  # the review's 25 min count
    assert [s["minutes"] for s in _sessions(cli, store, "bob")] == [35, 120]  # 30 undone
    # export, then import as a third learner: the same history
    exported = tmp_path / "ann.json"
    _run(cli, store, "--profile", "ann", "export", "-o", str(exported))
    _run(cli, store, "--profile", "cy", "import", str(exported))
    assert [_drop_id(s) for s in _sessions(cli, store, "cy")] == [_drop_id(s) for s in ann]
    # undo stays per profile: bob's undo takes back bob's last log, never ann's
    _run(cli, store, "--profile", "bob", "undo", "--yes")  # the day-hours
    _run(cli, store, "--profile", "bob", "undo", "--yes")  # the edit: 35 min back to 20
    assert [s["minutes"] for s in _sessions(cli, store, "bob")] == [20, 120]
    assert _sessions(cli, store, "ann") == ann
    # a profile rename and remove on this store
    _run(cli, store, "profile", "rename", "cy", "dee")
    _run(cli, store, "--profile", "dee", "gaps", "--json")
    _run(cli, store, "profile", "remove", "dee", "--yes")
    assert "dee" not in _run(cli, store, "profiles", "--json")


def test_sqlite_and_postgresql_answer_byte_for_byte_the_same(
    cli: Any,
    stepping_clock: None,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = []
    for kind in STORES:
        db = _db(kind, request, tmp_path)

        def fresh_clock() -> Iterator[datetime]:
            base = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
            for n in range(10_000):
                yield base + timedelta(seconds=n, microseconds=(n * 37_013) % 1_000_000)

        ticks = fresh_clock()
        monkeypatch.setattr(clock, "now", lambda ticks=ticks: next(ticks))
        _play(cli, db)
        answers.append(_answers(cli, db))
    on_sqlite, on_postgresql = answers
    assert on_sqlite.keys() == on_postgresql.keys()
    for key in on_sqlite:
        assert on_postgresql[key] == on_sqlite[key], key
    assert "50%?" in on_sqlite["ann: export -f json"]  # the script did run


def _one_line_error(result: Any, secret: str) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    err = str(result.stderr)
    assert "Traceback" not in err and secret not in err and secret not in str(result.stdout)
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("command", [("gaps",), ("log-progress", "rag", "-M", "5"), ("init",)])
def test_a_missing_database_is_one_line_with_the_password_masked(
    cli: Any, pg_server: PgServer, command: tuple[str, ...]
) -> None:
    url = pg_server.url("no_such_db").replace("postgres@", "postgres:s3cr%40t@")
    result = cli("--db", url, *command)
    err = _one_line_error(result, "s3cr")
    assert "postgres:***@" in err


def test_a_server_that_is_down_is_one_line(cli: Any, tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://ann:hunter2@/gapcli?host={tmp_path}"  # no server listens there
    for command in (("gaps",), ("history", "--json"), ("log-progress", "rag", "-M", "5")):
        err = _one_line_error(cli("--db", url, *command), "hunter2")
        assert "cannot connect to postgresql://ann:***@/gapcli" in err


def test_pgpassword_never_shows(cli: Any, pg_server: PgServer) -> None:
    url = pg_server.url("nope")
    result = cli("--db", url, "gaps", env={"PGPASSWORD": "pa55word"})
    _one_line_error(result, "pa55word")


def test_gapcli_db_names_a_server_too(cli: Any, pg_url: str) -> None:
    assert cli("init", env={"GAPCLI_DB": pg_url}).exit_code == 0
    result = cli("log-progress", "rag", "-M", "30", env={"GAPCLI_DB": pg_url})
    assert result.exit_code == 0, result.stderr
    history = json.loads(cli("history", "--json", env={"GAPCLI_DB": pg_url}).stdout)
    assert [s["hours"] for s in history["sessions"]] == [0.5]


def test_init_on_a_server_database_that_already_has_a_profile(cli: Any, pg_url: str) -> None:
    assert cli("--db", pg_url, "--profile", "ann", "init").exit_code == 0
    again = cli("--db", pg_url, "--profile", "ann", "init")
    assert again.exit_code != 0 and "already holds" in again.stderr
    assert "postgresql://postgres@/" in again.stderr


def test_import_into_an_empty_server_store_then_keep_logging(
    cli: Any, pg_url: str, tmp_path: Path
) -> None:
    """import keeps an export's ids in an empty store; new rows must not collide."""
    sqlite = str(tmp_path / "me.db")
    _run(cli, sqlite, "init")
    _run(cli, sqlite, "log-progress", "rag", "-M", "30", "--date", "-1d")
    _run(cli, sqlite, "note", "la-visual", "a note")
    exported = tmp_path / "me.json"
    _run(cli, sqlite, "export", "-o", str(exported))
    _run(cli, pg_url, "import", str(exported))
    _run(cli, pg_url, "log-progress", "rag", "-M", "20")
    _run(cli, pg_url, "note", "la-visual", "another")
    assert [s["minutes"] for s in _sessions(cli, pg_url, _only_profile(cli, pg_url))] == [30, 20]


def _only_profile(cli: Any, db: str) -> str:
    (profile,) = json.loads(_run(cli, db, "profiles", "--json"))
    return str(profile["name"])


def test_db_check_backup_and_restore_on_a_server(
    cli: Any, pg_server: PgServer, stepping_clock: None, tmp_path: Path
) -> None:
    url = pg_server.url(pg_server.create_database())
    _play(cli, url)
    check = json.loads(_run(cli, url, "db", "check", "--json"))
    assert check["ok"] is True, check
    assert _run(cli, url, "db", "path").strip() == url
    before = _answers(cli, url)
    backup = tmp_path / "team.json"
    assert "Backed up" in _run(cli, url, "db", "backup", str(backup))
    assert backup.stat().st_mode & 0o077 == 0
    assert [p["profile"]["name"] for p in json.loads(backup.read_text())["profiles"]] == [
        "ann",
        "bob",
    ]
    _run(cli, url, "--profile", "ann", "reset", "--yes")
    _run(cli, url, "--profile", "bob", "log-progress", "rag", "-M", "5")
    restored = _run(cli, url, "db", "restore", str(backup), "--yes")
    assert "Restored" in restored and "kept in" in restored
    kept = sorted((tmp_path / "data" / "gapcli" / "server-backups").iterdir())
    assert [p.name.rsplit("-", 1)[-1] for p in kept] == ["reset.json", "restore.json"]
    after = _answers(cli, url)
    for key in ("profiles", "ann: gaps --json", "bob: history --json", "bob: export -f csv"):
        assert after[key] == before[key], key
    # the store takes new rows after a restore (its sequences follow the kept ids)
    _run(cli, url, "--profile", "ann", "log-progress", "rag", "-M", "5")
    # the same file restores into an empty server database (a move to another server)
    other = pg_server.url(pg_server.create_database())
    _run(cli, other, "db", "restore", str(backup), "--yes")
    assert _answers(cli, other)["ann: export -f json"] == before["ann: export -f json"]


def test_db_restore_refuses_what_is_not_a_server_backup(
    cli: Any, pg_url: str, tmp_path: Path
) -> None:
    _run(cli, pg_url, "init")
    one = tmp_path / "one.json"
    _run(cli, pg_url, "export", "-o", str(one))
    result = cli("--db", pg_url, "db", "restore", str(one), "--yes")
    assert result.exit_code == 1 and "gapcli import" in result.stderr
    assert _only_profile(cli, pg_url)


def test_an_older_server_store_is_migrated_by_the_first_write(
    cli: Any, pg_server: PgServer, pg_dbname: str
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from gapcli.store.migrate import alembic_config

    engine = create_engine(pg_server.url(pg_dbname, driver="postgresql+psycopg"))
    with engine.connect() as conn, conn.begin():
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")
    engine.dispose()
    url = pg_server.url(pg_dbname)
    read = cli("--db", url, "gaps")
    assert read.exit_code == 1 and "older" in read.stderr
    _run(cli, url, "init")  # a write: migrates, then adds the profile
    _run(cli, url, "log-progress", "rag", "-M", "15")
    assert _run(cli, url, "gaps", "--json")


def test_the_quick_route_answers_a_server_as_typer_does(cli: Any, pg_url: str) -> None:
    import subprocess
    import sys

    _run(cli, pg_url, "init")
    _run(cli, pg_url, "log-progress", "rag", "-M", "25")
    for args in (("gaps", "--json"), ("plan", "--json"), ("history", "--json")):
        quick = subprocess.run(
            [sys.executable, "-m", "gapcli", "--db", pg_url, *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert quick.returncode == 0, quick.stderr
        assert quick.stdout == _run(cli, pg_url, *args)


def test_a_write_waits_for_a_held_lock_then_says_busy(cli: Any, pg_url: str) -> None:
    """Another writer holding the learner's lock for longer than 5 s: one line, busy,
    nothing saved (SQLite's busy timeout, on the server)."""
    import time

    import psycopg

    from gapcli.store.location import parse_location

    _run(cli, pg_url, "--profile", "ann", "init")
    _run(cli, pg_url, "--profile", "bob", "init")
    with psycopg.connect(parse_location(pg_url).conninfo()) as holder:
        holder.execute("SELECT id FROM profile WHERE name = 'ann' FOR UPDATE")
        started = time.monotonic()
        result = cli("--db", pg_url, "--profile", "ann", "log-progress", "rag", "-M", "5")
        waited = time.monotonic() - started
        assert result.exit_code == 1 and "busy" in result.stderr and "try again" in result.stderr
        assert 4.5 < waited < 30
        # another learner is not held up by it
        _run(cli, pg_url, "--profile", "bob", "log-progress", "rag", "-M", "5")
    assert _sessions(cli, pg_url, "ann") == []


def test_a_store_from_a_newer_gapcli_is_refused(cli: Any, pg_url: str) -> None:
    import psycopg

    from gapcli.store.location import parse_location

    _run(cli, pg_url, "init")
    with psycopg.connect(parse_location(pg_url).conninfo(), autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    for command in (("gaps",), ("init", "--profile", "new"), ("log-progress", "rag", "-M", "5")):
        result = cli("--db", pg_url, *command)
        assert result.exit_code == 1 and "newer gapcli" in result.stderr, command
        assert "Traceback" not in result.stderr


@pytest.fixture
def password_role(pg_server: PgServer, pg_dbname: str) -> Iterator[str]:
    """A role that must give its password (scram-sha-256) on this test's database; the
    server's pg_hba.conf is put back as it was afterwards."""
    import psycopg

    hba = pg_server.data / "pg_hba.conf"
    before = hba.read_text()
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE ROLE pw_user LOGIN PASSWORD 'right-pw-1'")
        conn.execute(f'GRANT ALL ON DATABASE "{pg_dbname}" TO pw_user')
        conn.execute(f'ALTER DATABASE "{pg_dbname}" OWNER TO pw_user')
        hba.write_text(f"local {pg_dbname} pw_user scram-sha-256\n" + before)
        conn.execute("SELECT pg_reload_conf()")
    try:
        yield pg_dbname
    finally:
        hba.write_text(before)
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")


def test_a_wrong_password_is_one_line_and_pgpassfile_is_read(
    cli: Any, pg_server: PgServer, password_role: str, tmp_path: Path
) -> None:
    socket = pg_server.socket_dir
    with_password = f"postgresql://pw_user:wrong-pw-9@/{password_role}?host={socket}"
    err = _one_line_error(cli("--db", with_password, "gaps"), "wrong-pw-9")
    assert "pw_user:***@" in err
    plain = f"postgresql://pw_user@/{password_role}?host={socket}"
    _one_line_error(cli("--db", plain, "init", env={"PGPASSWORD": "wrong-pw-9"}), "wrong-pw-9")
    # the right password from a password file (libpq's format, mode 0600), never the URL
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:{password_role}:pw_user:right-pw-1\n")
    passfile.chmod(0o600)
    env = {"PGPASSFILE": str(passfile)}
    result = cli("--db", plain, "init", env=env)
    assert result.exit_code == 0, result.stderr
    assert "right-pw-1" not in result.stdout + result.stderr
    assert cli("--db", plain, "gaps", "--json", env=env).exit_code == 0
