"""The JSON export document: one model for ``gapcli export -f json`` and ``gapcli import``.

The writer (:mod:`gapcli.render.json_export`) builds an :class:`ExportDoc` and
dumps it; the reader (:mod:`gapcli.services.importing`) validates a file with
the same model, so the two cannot disagree on a field, its name or its form.

The constraints are what an import accepts: what ``log-progress``, ``away``,
``note`` and ``read`` would have stored. The writer does not validate against
them (it builds with ``model_construct``): an export must never fail on the
learner's own data, even data an older gapcli let in, so they can fix it
(``gapcli history edit``) and import it again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from gapcli.domain.away import MAX_AWAY_NOTE
from gapcli.domain.calendar import DAY_MINUTES
from gapcli.domain.notes import MAX_NOTE_TEXT, MAX_SESSION_NOTE
from gapcli.domain.reviews import ReviewKind

SCHEMA = 1  # the document's version: a newer one is refused by an older gapcli
MAX_ROW_ID = 2**63 - 1  # SQLite's INTEGER is 64-bit signed: a larger id cannot be stored


def stamp(moment: datetime) -> str:
    """Stored moments are UTC; say so, to the microsecond, so an import restores them."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# A moment with its time zone: read in any zone, written as UTC with a "Z".
Moment = Annotated[AwareDatetime, PlainSerializer(stamp, return_type=str, when_used="json")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CatalogRef(_Strict):
    id: str
    source: str
    sha256: str


class ProfileDoc(_Strict):
    # The learner's profile name (revision 0008); an older export has none, and
    # ``import`` then names the profile itself.
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,40}$")
    track: str = Field(min_length=1)
    weekly_hours: float
    study_days: list[str]
    study_time: str
    start_date: date
    # ``config set`` values other than the defaults; left out of the file otherwise, so
    # an export without them reads as before (and older gapcli versions import it).
    min_session: int | None = None
    day_hours: dict[str, float] | None = None
    created_at: Moment
    catalog: CatalogRef

    @model_serializer(mode="wrap")
    def _leave_out_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("name", "min_session", "day_hours"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class AssessmentDoc(_Strict):
    at: Moment
    domain: str = Field(min_length=1)
    current: int = Field(ge=0, le=100)
    target: int = Field(ge=0, le=100)


class MathLevelDoc(_Strict):
    at: Moment
    level: str = Field(min_length=1)


class TopicMarkDoc(_Strict):
    at: Moment
    topic: str = Field(min_length=1)
    done: bool


class SessionDoc(_Strict):
    id: int = Field(ge=1, le=MAX_ROW_ID)
    date: date
    minutes: int = Field(ge=1, le=DAY_MINUTES)
    domain: str = Field(min_length=1)
    topic: str | None
    note: str | None = Field(max_length=MAX_SESSION_NOTE)
    logged_at: Moment


class AwayDoc(_Strict):
    id: int = Field(ge=1, le=MAX_ROW_ID)
    start: date
    end: date
    note: str | None = Field(max_length=MAX_AWAY_NOTE)


class NoteDoc(_Strict):
    id: int = Field(ge=1, le=MAX_ROW_ID)
    at: Moment
    topic: str = Field(min_length=1)
    text: str = Field(min_length=1, max_length=MAX_NOTE_TEXT)
    link: str | None = None


class PaperReadDoc(_Strict):
    paper: str = Field(min_length=1)
    date: date


class ReviewDoc(_Strict):
    """A recall (``learned``, written with a done mark) or a review of a finished topic."""

    at: Moment
    date: date
    topic: str = Field(min_length=1)
    rating: int = Field(ge=1, le=4)  # 1 again, 2 hard, 3 good, 4 easy
    kind: ReviewKind
    session: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)  # its minutes, if any


class RecordsDoc(_Strict):
    assessments: list[AssessmentDoc]
    math_levels: list[MathLevelDoc]
    topic_marks: list[TopicMarkDoc]
    sessions: list[SessionDoc]
    away: list[AwayDoc] = []  # exports made before away days have none
    notes: list[NoteDoc] = []  # nor notes
    papers_read: list[PaperReadDoc] = []  # nor papers read
    reviews: list[ReviewDoc] = []  # nor reviews (revision 0006)


class ExportDoc(BaseModel):
    """The whole export: the stored record (``profile``, ``records``) an import rebuilds
    from, and the reports computed from it for whoever reads the file without gapcli.

    The reports have the shapes of ``gaps``, ``plan`` and ``history --json`` (pinned by
    their own tests); an import reads past them, and past keys a newer gapcli of the
    same schema may add.
    """

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)
    schema_: int = Field(alias="schema", ge=SCHEMA, le=SCHEMA)
    generator: str | None = None
    exported_on: date | None = None
    profile: ProfileDoc
    records: RecordsDoc
    gaps: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    history: dict[str, Any] | None = None

    def dump(self) -> dict[str, Any]:
        """The document as JSON data, keys in the model's order."""
        return self.model_dump(mode="json", by_alias=True)
