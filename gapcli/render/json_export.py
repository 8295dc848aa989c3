"""The export as one JSON document: the stored record, and the reports computed from it.

``profile`` and ``records`` are what ``gapcli import`` rebuilds a database
from; ``gaps``, ``plan`` and ``history`` have the shapes of those commands'
``--json`` output, for whoever reads the file without gapcli.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcli import __version__
from gapcli.documents.export_doc import (
    SCHEMA,
    AssessmentDoc,
    AwayDoc,
    CatalogRef,
    ExportDoc,
    MathLevelDoc,
    NoteDoc,
    PaperReadDoc,
    ProfileDoc,
    RecordsDoc,
    ReviewDoc,
    SessionDoc,
    TopicMarkDoc,
)
from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.reviews import ReviewKind
from gapcli.domain.sessions import MIN_SESSION_MINUTES
from gapcli.render.json_data import (
    forecast_json,
    history_json,
    plan_cost_json,
    plan_json,
    report_json,
)

if TYPE_CHECKING:
    from gapcli.views.export import Export, Records
    from gapcli.views.settings import Settings


def _profile(data: Export) -> ProfileDoc:
    """The learner's settings; ``config set``'s min-session and day-hours only when
    not the defaults (the model leaves them out of the file then)."""
    settings, loaded = data.snap.settings, data.snap.loaded
    day_hours = {DAY_NAMES[d]: round(m / 60, 4) for d, m in settings.day_hours}
    return ProfileDoc.model_construct(
        name=data.records.profile_name,
        track=settings.track,
        weekly_hours=float(settings.weekly_hours),
        study_days=[DAY_NAMES[d] for d in settings.study_days],
        study_time=settings.study_time,
        start_date=settings.start_date,
        min_session=_own_min_session(settings),
        day_hours=day_hours or None,
        created_at=data.records.created_at,
        catalog=CatalogRef.model_construct(
            id=data.snap.catalog.id, source=loaded.source, sha256=loaded.sha256
        ),
    )


def _own_min_session(settings: Settings) -> int | None:
    return None if settings.min_session == MIN_SESSION_MINUTES else settings.min_session


def _records(records: Records) -> RecordsDoc:
    """The stored rows as they are: not validated, so an export never fails on them."""
    return RecordsDoc.model_construct(
        assessments=[
            AssessmentDoc.model_construct(
                at=a.at, domain=a.domain_id, current=a.current, target=a.target
            )
            for a in records.assessments
        ],
        math_levels=[
            MathLevelDoc.model_construct(at=m.at, level=m.level) for m in records.math_levels
        ],
        topic_marks=[
            TopicMarkDoc.model_construct(at=t.at, topic=t.topic_id, done=t.done)
            for t in records.topic_marks
        ],
        sessions=[
            SessionDoc.model_construct(
                id=s.id,
                date=s.day,
                minutes=s.minutes,
                domain=s.domain_id,
                topic=s.topic_id,
                note=s.note,
                logged_at=s.logged_at,
            )
            for s in records.sessions
        ],
        away=[
            AwayDoc.model_construct(id=r.id, start=r.start, end=r.end, note=r.note)
            for r in records.away
        ],
        notes=[
            NoteDoc.model_construct(id=n.id, at=n.at, topic=n.topic_id, text=n.text, link=n.link)
            for n in records.notes
        ],
        papers_read=[
            PaperReadDoc.model_construct(paper=paper, date=day)
            for paper, day in sorted(records.papers_read.items())
        ],
        reviews=[
            ReviewDoc.model_construct(
                at=r.at,
                date=r.day,
                topic=r.topic_id,
                rating=r.rating,
                kind=ReviewKind(r.kind),
                session=r.session_id,
            )
            for r in records.reviews
        ],
    )


def export_model(data: Export) -> ExportDoc:
    snap = data.snap
    forecast = forecast_json(data.outlook)
    finish = data.plan.finish.isoformat() if data.plan.finish else None
    return ExportDoc.model_construct(
        schema_=SCHEMA,
        generator=f"gapcli {__version__}",
        exported_on=data.today,
        profile=_profile(data),
        records=_records(data.records),
        gaps={
            **report_json(snap.catalog, data.report, snap.settings.track),
            **plan_cost_json(data.plan),
            "finish": finish,
            "forecast": forecast,
        },
        plan={**plan_json(snap.catalog, data.plan, data.advice), "forecast": forecast},
        history=history_json(data.history),
    )


def export_document(data: Export) -> dict[str, Any]:
    """The export as JSON data, through the model ``gapcli import`` reads it with."""
    return export_model(data).dump()
