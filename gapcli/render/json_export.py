"""The export as one JSON document: the stored record, and the reports computed from it.

``profile`` and ``records`` are what ``gapcli import`` rebuilds a database
from; ``gaps``, ``plan`` and ``history`` have the shapes of those commands'
``--json`` output, for whoever reads the file without gapcli.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from gapcli import __version__
from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.planner import MIN_SESSION_MINUTES
from gapcli.render.json_data import (
    forecast_json,
    history_json,
    plan_cost_json,
    plan_json,
    report_json,
)
from gapcli.views.export import Export

if TYPE_CHECKING:
    from gapcli.views.settings import Settings

SCHEMA = 1


def stamp(moment: datetime) -> str:
    """Stored moments are UTC; say so, to the microsecond, so an import restores them."""
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _own_settings(settings: Settings) -> dict[str, Any]:
    """``config set``'s min-session and day-hours, only when not the defaults.

    Left out otherwise, so an export without them reads as before (and older
    gapcli versions import it).
    """
    own: dict[str, Any] = {}
    if settings.min_session != MIN_SESSION_MINUTES:
        own["min_session"] = settings.min_session
    if settings.day_hours:
        own["day_hours"] = {DAY_NAMES[d]: round(m / 60, 4) for d, m in settings.day_hours}
    return own


def export_document(data: Export) -> dict[str, Any]:
    snap = data.snap
    settings = snap.settings
    records = data.records
    forecast = forecast_json(data.outlook)
    finish = data.plan.finish.isoformat() if data.plan.finish else None
    return {
        "schema": SCHEMA,
        "generator": f"gapcli {__version__}",
        "exported_on": data.today.isoformat(),
        "profile": {
            "track": settings.track,
            "weekly_hours": float(settings.weekly_hours),
            "study_days": [DAY_NAMES[d] for d in settings.study_days],
            "study_time": settings.study_time,
            "start_date": settings.start_date.isoformat(),
            **_own_settings(settings),
            "created_at": stamp(records.created_at),
            "catalog": {
                "id": snap.catalog.id,
                "source": snap.loaded.source,
                "sha256": snap.loaded.sha256,
            },
        },
        "records": {
            "assessments": [
                {
                    "at": stamp(a.at),
                    "domain": a.domain_id,
                    "current": a.current,
                    "target": a.target,
                }
                for a in records.assessments
            ],
            "math_levels": [{"at": stamp(m.at), "level": m.level} for m in records.math_levels],
            "topic_marks": [
                {"at": stamp(t.at), "topic": t.topic_id, "done": t.done}
                for t in records.topic_marks
            ],
            "sessions": [
                {
                    "id": s.id,
                    "date": s.day.isoformat(),
                    "minutes": s.minutes,
                    "domain": s.domain_id,
                    "topic": s.topic_id,
                    "note": s.note,
                    "logged_at": stamp(s.logged_at),
                }
                for s in records.sessions
            ],
            "away": [
                {
                    "id": r.id,
                    "start": r.start.isoformat(),
                    "end": r.end.isoformat(),
                    "note": r.note,
                }
                for r in records.away
            ],
            "notes": [
                {
                    "id": n.id,
                    "at": stamp(n.at),
                    "topic": n.topic_id,
                    "text": n.text,
                    "link": n.link,
                }
                for n in records.notes
            ],
            "papers_read": [
                {"paper": paper, "date": day.isoformat()}
                for paper, day in sorted(records.papers_read.items())
            ],
        },
        "gaps": {
            **report_json(snap.catalog, data.report, settings.track),
            **plan_cost_json(data.plan),
            "finish": finish,
            "forecast": forecast,
        },
        "plan": {**plan_json(snap.catalog, data.plan, data.advice), "forecast": forecast},
        "history": history_json(data.history),
    }
