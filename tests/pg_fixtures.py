"""Fixtures for tests on a real PostgreSQL (loaded by conftest.py's ``pytest_plugins``).

``pg_server`` starts one throwaway server for the whole run (:mod:`pg_server`), the
first time a test asks for it; ``pg_url`` gives each test its own empty database on
it. Where no server can be started (no binaries, no psycopg), every test using them is
skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg_server import PgServer, Unavailable, start


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install 'gapcli[postgres]'")
    try:
        server = start()
    except Unavailable as why:
        pytest.skip(f"no PostgreSQL server for the tests: {why}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_dbname(pg_server: PgServer) -> str:
    """A new empty database on the test server, for this test alone."""
    return pg_server.create_database()


@pytest.fixture
def pg_url(pg_server: PgServer, pg_dbname: str) -> str:
    """``postgresql://postgres@/NAME?host=SOCKET``: this test's own database, as --db takes."""
    return pg_server.url(pg_dbname)
