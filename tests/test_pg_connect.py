"""A gapcli connection to a real PostgreSQL: one line when the server is not there, and
UTC whatever the server's time zone (moments are stored and compared in UTC)."""

from __future__ import annotations

import pytest
from pg_server import PgServer

from gapcli.errors import BadLocation, DatabaseError
from gapcli.store.location import parse_location

pytest.importorskip("psycopg")


def test_a_server_that_is_not_there_is_one_line_without_the_password(
    pg_server: PgServer,
) -> None:
    from gapcli.store.pg_database import connect

    location = parse_location(
        f"postgresql://ann:s3cr3t-pw@/nowhere?host={pg_server.socket_dir}&port=1"
    )
    with pytest.raises(DatabaseError) as refused:
        connect(location)
    message = str(refused.value)
    assert "s3cr3t-pw" not in message and "\n" not in message
    assert message.startswith("cannot connect to postgresql://ann:***@/nowhere")


def test_a_connection_works_in_utc_whatever_the_server_s_time_zone(
    pg_server: PgServer, pg_dbname: str
) -> None:
    import psycopg

    from gapcli.store.pg_database import connect

    with psycopg.connect(pg_server.conninfo(pg_dbname), autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE \"{pg_dbname}\" SET TimeZone = 'Asia/Kathmandu'")
    with connect(parse_location(pg_server.url(pg_dbname))) as conn:
        zone = conn.execute("SELECT current_setting('TimeZone')").fetchone()
    assert zone == ("UTC",)


def test_a_url_sqlalchemy_cannot_read_is_one_line_not_a_traceback() -> None:
    """libpq takes several hosts in one URL; SQLAlchemy's writer cannot."""
    from gapcli.store.pg_database import make_engine

    location = parse_location("postgresql://ann:s3cr3t@h1:5432,h2:5433/gapcli")
    with pytest.raises(BadLocation) as refused:
        make_engine(location)
    message = str(refused.value)
    assert "s3cr3t" not in message and "\n" not in message
