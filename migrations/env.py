"""Alembic environment for gapcli (SQLite, batch mode, caller-supplied connection).

gapcli passes its own connection in ``config.attributes["connection"]``;
pytest-alembic's tests pass an engine there; ``alembic -x db=PATH ...`` works for
developers.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import gapcli.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if isinstance(connection, Engine):  # pytest-alembic passes its engine here
    with connection.connect() as conn:
        run(conn)
        conn.commit()
elif connection is not None:
    run(connection)
else:
    db = context.get_x_argument(as_dictionary=True).get("db", "gapcli-dev.db")
    with create_engine(f"sqlite:///{db}").connect() as conn:
        run(conn)
        conn.commit()
