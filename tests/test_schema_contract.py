"""The schema contract (gapcli/store/contract.py) against everything that describes the schema.

Three descriptions of one schema, held to one statement of it, as llm's
test_migrate.py does with its ``EXPECTED`` columns: the database the migrations
build (from empty, and upgraded from revision 0001 with rows), the SQLModel
tables, and the columns the plain-SQL reads read. Each check is a function that
returns the differences, and each is shown to report a column added to a table
but not to the contract.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData
from sqlalchemy import String as SAString
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import SQLModel
from test_migrations import _database_at

from gapcli.store import health, queries, scope
from gapcli.store.contract import TABLES, Column, SqlType, Table
from gapcli.store.migrate import upgrade_existing, upgrade_new
from gapcli.store.schema import REVISIONS

# The modules that read with plain SQL: every function of theirs taking a connection
# (and nothing else it must be given) is run below, and the columns it reads are
# collected.
READ_MODULES = (queries, health, scope)
# alembic's own bookkeeping, not gapcli's data.
NOT_OURS = {"alembic_version"}

Shape = tuple[str, str, bool, str | None]  # name, declared type, nullable, server default


def expected(tables: tuple[Table, ...]) -> dict[str, list[Shape]]:
    return {
        t.name: [(c.name, c.type.value, c.nullable, c.default) for c in t.columns] for t in tables
    }


def differences(found: dict[str, list[Shape]], tables: tuple[Table, ...], where: str) -> list[str]:
    """One line per table or column that is not as the contract states."""
    wanted = expected(tables)
    problems = [f"{where}: table {t} is not in the contract" for t in found.keys() - wanted]
    problems += [f"{where}: table {t} is missing" for t in wanted.keys() - found]
    for table in sorted(found.keys() & wanted.keys()):
        have, want = found[table], wanted[table]
        extra = [c for c in have if c[0] not in {w[0] for w in want}]
        problems += [f"{where}: {table}.{c[0]} is not in the contract" for c in extra]
        if have != want and not extra:
            problems.append(f"{where}: {table} is {have}, the contract says {want}")
    return problems


def database_differences(conn: sqlite3.Connection, tables: tuple[Table, ...]) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found: dict[str, list[Shape]] = {}
    for table in names:
        if table in NOT_OURS:
            continue
        found[table] = []
        for _cid, name, kind, notnull, default, _pk in conn.execute(
            f'PRAGMA table_info("{table}")'
        ):
            plain = None if default is None else str(default).strip("'")
            found[table].append((name, kind, not notnull, plain))
    return differences(found, tables, "database")


def model_differences(metadata: MetaData, tables: tuple[Table, ...]) -> list[str]:
    dialect = sqlite_dialect.dialect()
    found: dict[str, list[Shape]] = {
        table.name: [
            (
                c.name,
                c.type.compile(dialect=dialect),
                bool(c.nullable),
                None if c.server_default is None else str(c.server_default.arg),
            )
            for c in table.columns
        ]
        for table in metadata.sorted_tables
    }
    return differences(found, tables, "SQLModel")


def read_functions() -> Iterator[tuple[str, Callable[[sqlite3.Connection], Any]]]:
    """Every public function of the read modules whose first argument is a connection."""
    for module in READ_MODULES:
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or func.__module__ != module.__name__:
                continue
            params = list(inspect.signature(func).parameters.values())
            needs_more = any(
                p.default is inspect.Parameter.empty and p.kind is not p.VAR_POSITIONAL
                for p in params[1:]
            )
            if (
                params
                and params[0].annotation in ("sqlite3.Connection", sqlite3.Connection)
                and not needs_more
            ):
                yield f"{module.__name__}.{name}", func


def columns_read(conn: sqlite3.Connection) -> tuple[dict[str, set[str]], list[str]]:
    """Which columns of which tables the read functions read, as SQLite reports them.

    Unscoped: through :mod:`gapcli.store.scope`'s views SQLite reports every column
    of the table as read (the view selects them all)."""
    read: dict[str, set[str]] = {}

    def note(action: int, table: str | None, column: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_READ and table and column:
            read.setdefault(table, set()).add(column)
        return sqlite3.SQLITE_OK

    conn.set_authorizer(note)
    called = []
    for name, func in read_functions():
        func(conn)  # the other arguments only narrow a WHERE: the columns are the same
        called.append(name)
    conn.set_authorizer(None)
    return read, called


def read_differences(read: dict[str, set[str]], tables: tuple[Table, ...]) -> list[str]:
    """A column no read reads must say why in the contract, and one that says so must not
    be read (the reason would be stale)."""
    by_name = {t.name: t for t in tables}
    problems = [f"reads: table {t} is not in the contract" for t in read.keys() - by_name]
    for table in tables:
        got = read.get(table.name, set())
        for column in table.columns:
            unread = table.unread or column.unread
            if column.name not in got and unread is None:
                problems.append(
                    f"reads: {table.name}.{column.name} is never read; read it, or say in "
                    "the contract why not"
                )
            if column.name in got and unread is not None:
                problems.append(f"reads: {table.name}.{column.name} is read, but marked unread")
    return problems


def with_extra_column(table: str) -> tuple[Table, ...]:
    """The contract with a column added to ``table``: what a careless change would state."""
    extra = Column("mood", SqlType.TEXT, nullable=True)
    return tuple(replace(t, columns=(*t.columns, extra)) if t.name == table else t for t in TABLES)


@pytest.fixture(scope="module")
def head_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contract") / "head.db"
    path.touch(mode=0o600)
    upgrade_new(path)
    return path


def test_a_new_database_has_exactly_the_contract_s_tables_and_columns(head_db: Path) -> None:
    with closing(sqlite3.connect(head_db)) as conn:
        assert database_differences(conn, TABLES) == []


def test_a_database_upgraded_from_the_first_revision_has_them_too(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at(REVISIONS[0], path)
    upgrade_existing(path)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM study_session").fetchone()[0] == 1
        assert database_differences(conn, TABLES) == []


def test_the_sqlmodel_tables_declare_exactly_the_contract_s_columns() -> None:
    import gapcli.store.tables  # noqa: F401 (fills SQLModel.metadata)

    assert model_differences(SQLModel.metadata, TABLES) == []


def test_the_reads_read_every_column_or_the_contract_says_why_not(head_db: Path) -> None:
    with closing(sqlite3.connect(head_db)) as conn:
        read, called = columns_read(conn)
    assert "gapcli.store.queries.sessions" in called and "gapcli.store.health.findings" in called
    assert read_differences(read, TABLES) == []


def test_db_check_counts_every_table_but_the_profile() -> None:
    assert set(health.COUNTED) == {t.name for t in TABLES} - {"profile"}


# The guard bites: a column added to a table (model and migration) but not to the
# contract is reported by each check; so is one added to the contract and never read.


def test_a_column_the_database_has_and_the_contract_lacks_is_reported(
    head_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "changed.db"
    path.write_bytes(head_db.read_bytes())
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ALTER TABLE note ADD COLUMN mood VARCHAR")
        assert database_differences(conn, TABLES) == ["database: note.mood is not in the contract"]
        assert database_differences(conn, with_extra_column("note")) == []


def test_a_column_the_model_has_and_the_contract_lacks_is_reported() -> None:
    import sqlalchemy as sa

    import gapcli.store.tables  # noqa: F401

    metadata = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["note"].append_column(sa.Column("mood", SAString(), nullable=True))
    assert model_differences(metadata, TABLES) == ["SQLModel: note.mood is not in the contract"]
    assert model_differences(metadata, with_extra_column("note")) == []


def test_a_column_no_read_reads_is_reported(head_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "changed.db"
    path.write_bytes(head_db.read_bytes())
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ALTER TABLE note ADD COLUMN mood VARCHAR")
        read, _ = columns_read(conn)
    assert read_differences(read, with_extra_column("note")) == [
        "reads: note.mood is never read; read it, or say in the contract why not"
    ]


def test_every_table_with_a_profile_id_is_scoped_and_removed_with_its_profile() -> None:
    """The learner tables are listed three times for three jobs; the contract decides.

    ``scope.SCOPED`` (the views a read sees), ``scope.LEARNER_TABLES`` (what removing
    a profile deletes) and ``orm_scope.LEARNER_MODELS`` (what a write is scoped to)
    must name exactly the tables whose rows carry a ``profile_id`` (the read views
    all but ``change``, which only undo reads, through the ORM): a new learner table
    missing from one of them would leak another learner's rows or outlive its profile.
    """
    from gapcli.store.orm_scope import LEARNER_MODELS

    owned = {t.name for t in TABLES if "profile_id" in t.names and t.name != "profile"}
    assert set(scope.LEARNER_TABLES) == owned
    assert len(scope.LEARNER_TABLES) == len(owned)
    assert {m.__tablename__ for m in LEARNER_MODELS} == owned
    assert set(scope.SCOPED) == owned - {"change"}
