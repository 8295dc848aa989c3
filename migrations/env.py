"""Alembic environment for gapcli (SQLite or PostgreSQL, caller-supplied connection).

gapcli passes its own connection in ``config.attributes["connection"]``;
pytest-alembic's tests pass an engine there; ``alembic -x db=PATH ...`` (a SQLite
file) or ``alembic -x db=postgresql+psycopg://...`` works for developers.

``target_metadata`` carries gapcli's naming convention (gapcli.store.tables): every
``op.create_table`` builds its constraints on a MetaData with that convention, so a
table made by a migration has the same constraint names on SQLite and PostgreSQL,
and later migrations can drop them by name. ``render_as_batch`` makes autogenerate
write batch operations: on SQLite they "move and copy", on PostgreSQL they run as
plain ALTERs, so one migration serves both.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from gapcli.store.tables import NAMING_CONVENTION

config = context.config
target_metadata = SQLModel.metadata
assert target_metadata.naming_convention == NAMING_CONVENTION


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url(db: str) -> str:
    if "://" in db:  # postgresql+psycopg://user@host/dbname (plain postgresql:// too)
        scheme, rest = db.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return db
    return f"sqlite:///{db}"


connection = config.attributes.get("connection")
if isinstance(connection, Engine):  # pytest-alembic passes its engine here
    with connection.connect() as conn:
        run(conn)
        conn.commit()
elif connection is not None:
    run(connection)
else:
    db = context.get_x_argument(as_dictionary=True).get("db", "gapcli-dev.db")
    with create_engine(_url(db)).connect() as conn:
        run(conn)
        conn.commit()
