"""The throwaway PostgreSQL server itself: reachable on its socket only, and private."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_server import PgServer


def test_the_server_answers_on_its_socket_and_listens_on_no_port(
    pg_server: PgServer, pg_dbname: str
) -> None:
    import psycopg

    with psycopg.connect(pg_server.conninfo(pg_dbname)) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('listen_addresses', 'fsync', 'server_version_num')"
            ).fetchall()
        )
    assert settings["listen_addresses"] == ""
    assert settings["fsync"] == "off"
    assert int(settings["server_version_num"]) >= 120000
    assert (Path(pg_server.socket_dir) / ".s.PGSQL.5432").is_socket()


def test_each_test_gets_its_own_empty_database(pg_server: PgServer, pg_dbname: str) -> None:
    import psycopg

    other = pg_server.create_database()
    assert other != pg_dbname
    with psycopg.connect(pg_server.conninfo(other)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_without_server_binaries_the_reason_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import pg_server

    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_server, "_SEARCH", (tmp_path,))
    with pytest.raises(pg_server.Unavailable, match="apt-get install postgresql"):
        pg_server.find_bindir()


def test_the_newest_installed_version_is_chosen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import pg_server

    for version in ("9.6", "15", "13"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        (bindir / "initdb").touch()
        (bindir / "pg_ctl").touch()
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_server, "_SEARCH", (tmp_path,))
    assert pg_server.find_bindir() == tmp_path / "15" / "bin"
