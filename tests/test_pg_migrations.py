"""Migrations on a real PostgreSQL: every revision from empty, the contract's columns,
and constraint names chosen by gapcli's naming convention, never by the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from pg_server import PgServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from test_schema_contract import Shape, differences

from gapcli.store.contract import TABLES, SqlType
from gapcli.store.migrate import alembic_config

# The contract states types as SQLAlchemy writes them for SQLite; PostgreSQL names the
# same SQLAlchemy types differently (information_schema.columns.data_type). A moment is
# an aware UTC datetime (sqlmodel's UTCDateTime): on PostgreSQL a timestamp WITH time
# zone; a naive "timestamp without time zone" column would be read back shifted by the
# server's TimeZone, so it is not mapped and shows as a difference.
PG_TYPES = {
    "integer": SqlType.INTEGER,
    "character varying": SqlType.TEXT,
    "double precision": SqlType.REAL,
    "date": SqlType.DATE,
    "timestamp with time zone": SqlType.MOMENT,
    "boolean": SqlType.BOOLEAN,
}
PREFIXES = {"p": "pk_", "f": "fk_", "u": "uq_", "c": "ck_"}  # pg_constraint.contype


@pytest.fixture
def pg_engine(pg_server: PgServer, pg_dbname: str) -> Iterator[Engine]:
    engine = create_engine(pg_server.url(pg_dbname, driver="postgresql+psycopg"))
    yield engine
    engine.dispose()


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.connect() as conn, conn.begin():
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def _default(value: str | None) -> str | None:
    """A server default as the contract states it: '19:00'::character varying -> 19:00;
    an id's sequence is the serial primary key, no stated default."""
    if value is None or value.startswith("nextval("):
        return None
    return value.split("::", 1)[0].strip("'")


def pg_columns(conn: Connection) -> dict[str, list[Shape]]:
    found: dict[str, list[Shape]] = {}
    rows = conn.execute(
        text(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name <> 'alembic_version' ORDER BY table_name, ordinal_position"
        )
    )
    for table, column, kind, nullable, default in rows:
        mapped = PG_TYPES.get(kind)
        found.setdefault(table, []).append(
            (column, mapped.value if mapped else kind, nullable == "YES", _default(default))
        )
    return found


def test_every_revision_upgrades_an_empty_database_to_the_contract(pg_engine: Engine) -> None:
    revisions = _revisions()
    for revision in revisions:  # one at a time: each step must run on PostgreSQL
        _migrate(pg_engine, revision)
    with pg_engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == (revisions[-1])
        )
        assert differences(pg_columns(conn), TABLES, "PostgreSQL") == []


def test_every_constraint_and_index_has_a_name_gapcli_chose(pg_engine: Engine) -> None:
    _migrate(pg_engine, "head")
    with pg_engine.connect() as conn:
        constraints = conn.execute(
            text(
                "SELECT c.conname, c.contype, t.relname FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n "
                "ON n.oid = t.relnamespace WHERE n.nspname = 'public' "
                "AND t.relname <> 'alembic_version'"
            )
        ).fetchall()
        indexes = conn.execute(
            text(
                "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).fetchall()
    assert {table for *_, table in constraints} == {t.name for t in TABLES}
    unnamed = [
        (name, table)
        for name, kind, table in constraints
        if not name.startswith(f"{PREFIXES[kind]}{table}")
    ]
    assert unnamed == []
    assert [(i, t) for i, t in indexes if not i.startswith((f"ix_{t}", f"pk_{t}"))] == []


def test_down_to_nothing_and_up_again(pg_engine: Engine) -> None:
    _migrate(pg_engine, "head")
    _migrate(pg_engine, "base", down=True)
    with pg_engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_name <> 'alembic_version'"
            )
        ).fetchall()
    assert left == []
    _migrate(pg_engine, "head")
    with pg_engine.connect() as conn:
        assert differences(pg_columns(conn), TABLES, "PostgreSQL") == []


def test_a_column_the_contract_lacks_is_reported(pg_engine: Engine) -> None:
    """The comparison above can fail: a column added behind the contract's back shows."""
    _migrate(pg_engine, "head")
    with pg_engine.begin() as conn:
        conn.execute(text("ALTER TABLE note ADD COLUMN mood varchar"))
    with pg_engine.connect() as conn:
        found: Any = differences(pg_columns(conn), TABLES, "PostgreSQL")
    assert found == ["PostgreSQL: note.mood is not in the contract"]
