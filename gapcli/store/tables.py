"""SQLModel tables: everything the learner entered, kept as history.

No ``from __future__ import annotations`` here: SQLModel reads the real
annotations at class creation (sqlmodel#196).

Assessments, topic marks and math levels are append-only: the current state is
the newest row. Every row a command writes carries the id of its ``change``, so
``undo`` can take back exactly what one command did.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel

from gapcli.domain.changes import ChangeKind, parse_kind

# Every constraint and index gets a name gapcli chooses, the same on SQLite and
# PostgreSQL (the set SQLAlchemy's docs recommend). Unnamed, PostgreSQL would name them
# itself (``assessment_change_id_fkey``), and a later migration could not drop or alter
# them by a name it knows. Set before the tables below are declared: a name is given
# when a constraint joins its table. alembic's ``op.create_table`` takes the convention
# from this metadata (migrations/env.py's target_metadata), so migrations name them too.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


class KindText(TypeDecorator[ChangeKind]):
    """A change's kind: stored as its plain string (as before the enum), read as the enum.

    Reading checks it, so a kind this gapcli does not know is refused with a
    clear error instead of being undone as if it were another.
    """

    impl = AutoString
    cache_ok = True

    def process_bind_param(self, value: ChangeKind | None, dialect: Dialect) -> str | None:
        return None if value is None else parse_kind(value).value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> ChangeKind | None:
        return None if value is None else parse_kind(str(value))


class Change(SQLModel, table=True):
    """One user action, with what is needed to undo it (:mod:`gapcli.domain.changes`)."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    kind: ChangeKind = Field(sa_type=KindText)
    summary: str
    undo: str = "{}"
    undone_at: datetime | None = None
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class Profile(SQLModel, table=True):
    """The learner's settings; one row."""

    __tablename__ = "profile"

    id: int | None = Field(default=None, primary_key=True)
    catalog_id: str
    catalog_source: str
    track: str
    weekly_hours: float
    study_days: str
    start_date: date
    created_at: datetime
    # When calendar exports put study sessions (local time, HH:MM); revision 0002.
    study_time: str = Field(default="19:00", sa_column_kwargs={"server_default": "19:00"})
    # What --profile names (revision 0008): unique in the store.
    name: str = Field(unique=True, index=True)


class Assessment(SQLModel, table=True):
    """A self-assessment of one domain at one moment."""

    __tablename__ = "assessment"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    domain_id: str = Field(index=True)
    current: int
    target: int
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class MathAssessment(SQLModel, table=True):
    """The math level the learner says they have, at one moment."""

    __tablename__ = "math_assessment"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    level: str
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class TopicProgress(SQLModel, table=True):
    """A topic marked done (or not done again) at one moment."""

    __tablename__ = "topic_progress"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    topic_id: str = Field(index=True)
    done: bool = True
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class StudySession(SQLModel, table=True):
    """Time studied on one day, on a topic or on a whole domain."""

    __tablename__ = "study_session"
    __table_args__ = (Index("ix_study_session_profile_id_day", "profile_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    minutes: int
    domain_id: str = Field(index=True)
    topic_id: str | None = Field(default=None, index=True)
    note: str | None = None
    logged_at: datetime
    removed_at: datetime | None = None
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(default=None, foreign_key="profile.id", nullable=False)


class SettingChange(SQLModel, table=True):
    """One ``config set``: a setting's new value, as typed and checked (revision 0003).

    Append-only: the learner's current setting is the profile's value overridden
    by the newest row of its key, so every earlier value stays readable.
    """

    __tablename__ = "setting_change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    key: str = Field(index=True)
    value: str
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class Away(SQLModel, table=True):
    """Days the learner is away, ``start`` to ``end`` included (revision 0004).

    ``away remove`` marks a range removed instead of deleting it, so an id names
    one range for good and undo can make it live again.
    """

    __tablename__ = "away"

    id: int | None = Field(default=None, primary_key=True)
    start: date = Field(index=True)
    end: date
    note: str | None = None
    created_at: datetime
    removed_at: datetime | None = None
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class Note(SQLModel, table=True):
    """A learner's note on one topic, with an optional link (revision 0005).

    Append-only: a note is never edited; undo deletes the row its change added,
    as it does a setting's.
    """

    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    topic_id: str = Field(index=True)
    text: str
    link: str | None = None
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class PaperRead(SQLModel, table=True):
    """A paper of the catalog marked read on ``day`` (revision 0005); append-only."""

    __tablename__ = "paper_read"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    paper_id: str = Field(index=True)
    day: date
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(
        default=None, foreign_key="profile.id", nullable=False, index=True
    )


class Review(SQLModel, table=True):
    """A finished topic recalled on ``day`` with a rating (revision 0006); append-only.

    ``kind`` is "learned" for the first recall, written with the done mark, and
    "review" for each ``gapcli review``. A review's minutes are a study session
    (``session_id``), so they count toward the day and the pace like any other.
    """

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_profile_id_day", "profile_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    day: date = Field(index=True)
    topic_id: str = Field(index=True)
    rating: int
    kind: str
    session_id: int | None = Field(default=None, foreign_key="study_session.id")
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    # Whose row it is (revision 0008): every read and write is scoped to one profile.
    profile_id: int | None = Field(default=None, foreign_key="profile.id", nullable=False)
