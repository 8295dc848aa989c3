"""The schema contract: every table's columns at the newest revision, stated once.

gapcli writes through SQLModel (:mod:`gapcli.store.tables`), migrates through
alembic (``migrations/``) and reads with plain SQL (:mod:`gapcli.store.queries`,
:mod:`gapcli.store.health`). Three descriptions of one schema drift apart
silently: a column added to a table and its migration but never read back
would be stored and then ignored by every report. So the schema is stated here,
and ``tests/test_schema_contract.py`` holds all three to it: the database a
migration builds (from empty, and from revision 0001 with rows), the SQLModel
tables, and the columns the plain-SQL reads actually read (SQLite's authorizer
reports them), less those listed here as deliberately unread, with the reason.

Plain data: :mod:`gapcli.store.old_schema` derives from it what a read of an
older file must add.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SqlType(StrEnum):
    """A column's declared type, as SQLAlchemy writes it for SQLite (``PRAGMA table_info``)."""

    INTEGER = "INTEGER"
    TEXT = "VARCHAR"
    REAL = "FLOAT"
    DATE = "DATE"
    MOMENT = "DATETIME"  # naive UTC text, '2026-11-23 17:29:49.204216'
    BOOLEAN = "BOOLEAN"


@dataclass(frozen=True)
class Column:
    name: str
    type: SqlType
    nullable: bool = False
    default: str | None = None  # the server default: what rows of an older file get
    since: str | None = None  # the revision that added it to an existing table
    unread: str | None = None  # why no plain-SQL read reads it (None: some read must)
    # What a read of a file older than ``since`` shows, when not the server default:
    # the value the migration gives existing rows (OS_USER: the OS user's profile name).
    before: str | None = None

    @property
    def shown_before(self) -> str | None:
        """The value a read of a file not yet migrated shows for this column."""
        return self.before if self.before is not None else self.default


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    since: str = "0001"  # the revision that created it
    unread: str | None = None  # why no plain-SQL read reads any of its columns

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


OS_USER = "{os-user}"  # stands for :func:`gapcli.store.os_user.default_profile_name`
_UNDO = "which command wrote the row: only undo reads it, through the ORM"
ID = Column("id", SqlType.INTEGER)
CHANGE_ID = Column("change_id", SqlType.INTEGER, nullable=True, unread=_UNDO)
# Whose row it is (0008): every read is scoped to one profile's rows (store/scope.py);
# rows of a file older than 0008 are its one profile's, id 1.
PROFILE_ID = Column(
    "profile_id",
    SqlType.INTEGER,
    since="0008",
    before="1",
    unread="no query names it: every read connection sees one profile's rows through "
    "store/scope.py's views, which filter on it (tests/test_profiles.py)",
)
# The tables 'gapcli profiles' sums up per profile (its track setting, its sessions).
LISTED_PROFILE_ID = Column("profile_id", SqlType.INTEGER, since="0008", before="1")
_INT, _TEXT, _DATE, _MOMENT = SqlType.INTEGER, SqlType.TEXT, SqlType.DATE, SqlType.MOMENT

TABLES: tuple[Table, ...] = (
    Table(
        "change",
        (
            ID,
            Column("at", _MOMENT),
            Column("kind", _TEXT),
            Column("summary", _TEXT),
            Column("undo", _TEXT),
            Column("undone_at", _MOMENT, nullable=True),
            PROFILE_ID,
        ),
        unread="the undo log: undo and 'db check''s row count read it, nothing else",
    ),
    Table(
        "profile",
        (
            ID,
            Column("catalog_id", _TEXT),
            Column("catalog_source", _TEXT),
            Column("track", _TEXT),
            Column("weekly_hours", SqlType.REAL),
            Column("study_days", _TEXT),
            Column("start_date", _DATE),
            Column("created_at", _MOMENT),
            Column("study_time", _TEXT, default="19:00", since="0002"),
            Column("name", _TEXT, since="0008", before=OS_USER),  # unique
        ),
    ),
    Table(
        "assessment",
        (
            ID,
            Column("at", _MOMENT),
            Column("domain_id", _TEXT),
            Column("current", _INT),
            Column("target", _INT),
            CHANGE_ID,
            PROFILE_ID,
        ),
    ),
    Table(
        "math_assessment",
        (ID, Column("at", _MOMENT), Column("level", _TEXT), CHANGE_ID, PROFILE_ID),
    ),
    Table(
        "study_session",
        (
            ID,
            Column("day", _DATE),
            Column("minutes", _INT),
            Column("domain_id", _TEXT),
            Column("topic_id", _TEXT, nullable=True),
            Column("note", _TEXT, nullable=True),
            Column("logged_at", _MOMENT),
            Column("removed_at", _MOMENT, nullable=True),
            CHANGE_ID,
            LISTED_PROFILE_ID,
        ),
    ),
    Table(
        "topic_progress",
        (
            ID,
            Column("at", _MOMENT),
            Column("topic_id", _TEXT),
            Column("done", SqlType.BOOLEAN),
            CHANGE_ID,
            PROFILE_ID,
        ),
    ),
    Table(
        "setting_change",
        (
            ID,
            Column("at", _MOMENT),
            Column("key", _TEXT),
            Column("value", _TEXT),
            Column("change_id", _INT, nullable=True),  # config's history shows it
            LISTED_PROFILE_ID,
        ),
        since="0003",
    ),
    Table(
        "away",
        (
            ID,
            Column("start", _DATE),
            Column("end", _DATE),
            Column("note", _TEXT, nullable=True),
            Column(
                "created_at",
                _MOMENT,
                unread="when the range was entered: kept as history, no report shows it",
            ),
            Column("removed_at", _MOMENT, nullable=True),
            CHANGE_ID,
            PROFILE_ID,
        ),
        since="0004",
    ),
    Table(
        "note",
        (
            ID,
            Column("at", _MOMENT),
            Column("topic_id", _TEXT),
            Column("text", _TEXT),
            Column("link", _TEXT, nullable=True),
            CHANGE_ID,
            PROFILE_ID,
        ),
        since="0005",
    ),
    Table(
        "paper_read",
        (
            Column(
                "id",
                _INT,
                unread="reads ask each paper's newest day; single rows are never listed",
            ),
            Column(
                "at",
                _MOMENT,
                unread="when the paper was marked read; the day it was read is what counts",
            ),
            Column("paper_id", _TEXT),
            Column("day", _DATE),
            CHANGE_ID,
            PROFILE_ID,
        ),
        since="0005",
    ),
    Table(
        "review",
        (
            ID,
            Column("at", _MOMENT),
            Column("day", _DATE),
            Column("topic_id", _TEXT),
            Column("rating", _INT),
            Column("kind", _TEXT),
            Column("session_id", _INT, nullable=True),
            CHANGE_ID,
            PROFILE_ID,
        ),
        since="0006",
    ),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}
