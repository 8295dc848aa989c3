"""The ``--json`` outputs: the reports as JSON data, and the one way they are written.

No rich here: ``gapcli gaps --json``, ``plan --json`` and ``history --json`` pay
for neither the terminal library nor its tables. The export's JSON document
(:mod:`gapcli.render.json_export`) reuses these shapes.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.reasons import Why
from gapcli.render.numbers import num
from gapcli.render.shared import by_day, plan_hours_by_why, reason_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gapcli.domain.catalog import Catalog
    from gapcli.domain.counting import GapReport, GapRow
    from gapcli.domain.pace import Forecast
    from gapcli.domain.planner import Plan, PlanItem
    from gapcli.views.history import History
    from gapcli.views.roadmap import DomainRoadmap, TrackRoadmap
    from gapcli.views.today import TodayView


# Characters JSON may carry raw but a terminal must not see: C1 controls (0x9b is an
# 8-bit CSI), bidi overrides and line separators. Escaped as \uXXXX they stay exact data.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any) -> str:
    """Readable UTF-8 JSON, with every character that could steer a terminal escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def emit_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def report_json(
    catalog: Catalog,
    report: GapReport,
    track: str,
    at_risk: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """The gap report (a pinned shape: see tests/test_gaps_cli.py).

    ``domains`` and ``total_hours`` cover the track, as the plan does; assessed
    domains off the track are listed apart in ``off_track`` and counted nowhere.
    """
    unblock = report.unblock
    risk = at_risk or {}
    return {
        "track": track,
        "math_level": report.math_level,
        "domains": [_gap_row(catalog, row, risk) for row in report.rows],
        "total_hours": num(report.total_hours),
        "unblock": None
        if unblock is None
        else {
            "math_level": unblock.level,
            "domains": list(unblock.domains),
            "gap": num(unblock.gap),
            "hours": num(unblock.hours),
        },
        "off_track": [_gap_row(catalog, row, risk) for row in report.off_track],
        # Finished topics likely forgotten (retrievability under 0.7): one review each.
        "at_risk": [topic for topics in risk.values() for topic in topics],
    }


def _gap_row(catalog: Catalog, row: GapRow, risk: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    return {
        "id": row.standing.domain_id,
        "name": catalog.domain_by_id[row.standing.domain_id].name,
        "current": num(row.standing.current),
        "target": row.standing.target,
        "gap": num(row.standing.gap),
        "assessed": row.standing.assessed,
        "math_required": row.math_required,
        "math_ok": row.math_ok,
        "hours_to_close": num(row.standing.hours_to_close),
        "closing_topics": list(row.standing.closing_topics),
        "at_risk": list(risk.get(row.standing.domain_id, ())),
    }


def plan_json(catalog: Catalog, plan: Plan, advice: Sequence[str]) -> dict[str, Any]:
    """The plan as JSON data (a pinned shape: see tests/test_plan_cli.py).

    Hours are rounded to 2 decimals along the whole plan's running total, so
    the rounded numbers still add up: a topic's sessions to its hours, the
    topics to the total, and a week to no more than the weekly hours.
    """
    track = set(catalog.track(plan.settings.track).domains)
    targets = set(plan.targets)
    items, _ = _rounded_items(plan)
    # New study and reviews apart: the plan's hours are what closes the gaps.
    total = round(sum(h for item, h, _ in items if item.why is not Why.REVIEW), 2)
    reviews = round(sum(h for item, h, _ in items if item.why is Why.REVIEW), 2)
    finish = plan.finish
    return {
        "start": plan.start.isoformat(),
        "weekly_hours": float(plan.settings.weekly_hours),
        "study_days": [DAY_NAMES[d] for d in plan.settings.study_days],
        "track": plan.settings.track,
        "advice": list(advice),  # the track's advice beyond topics, as the catalog words it
        "finish": finish.isoformat() if finish else None,
        "total_hours": total,
        "review_hours": reviews,
        "items": [
            {
                "topic": item.topic,
                "name": catalog.topic_by_id[item.topic].name,
                "domain": item.domain,
                "hours": hours,
                "why": item.why,
                "reason": reason_text(catalog, item, plan.settings.track),
                "sessions": [
                    {"date": b.day.isoformat(), "hours": h}
                    for b, h in zip(item.sessions, sessions, strict=True)
                ],
            }
            for item, hours, sessions in items
        ],
        "domains": [
            {
                "id": d,
                "finish": plan.domain_finish[d].isoformat(),
                "in_track": d in track,
                "reaches_target": d in targets,
            }
            for d in sorted(plan.domain_finish, key=lambda d: plan.domain_finish[d])
        ],
    }


def plan_days_json(plan: Plan) -> list[dict[str, Any]]:
    """``plan --days --json``: each study day with its sessions in whole minutes."""
    return [
        {
            "date": day.isoformat(),
            "weekday": DAY_NAMES[day.weekday()],
            "sessions": [
                {"topic": item.topic, "minutes": minutes, "why": item.why.value}
                for item, minutes in entries
            ],
        }
        for day, entries in by_day(plan).items()
    ]


def _rounded_items(
    plan: Plan,
) -> tuple[list[tuple[PlanItem, float | int, list[float | int]]], float | int]:
    """Each item with its hours and session hours rounded on the running total.

    New study and reviews run on totals of their own: the topics' sessions follow
    each other in date order, and so do the reviews (one session each), so each
    item's rounded hours add up to its own and a week's to its minutes.
    """
    marks = {False: 0.0, True: 0.0}  # the running totals, rounded to 2 decimals
    done = {False: 0.0, True: 0.0}  # exact hours so far
    rows: list[tuple[PlanItem, float | int, list[float | int]]] = []
    for item in plan.items:
        kind = item.why is Why.REVIEW
        first = marks[kind]
        sessions: list[float | int] = []
        for block in item.sessions:
            done[kind] += block.hours
            now = round(done[kind], 2)
            sessions.append(num(now - marks[kind], 2))
            marks[kind] = now
        rows.append((item, num(marks[kind] - first, 2), sessions))
    return rows, num(round(marks[False] + marks[True], 2), 2)


def plan_cost_json(plan: Plan) -> dict[str, Any]:
    """The plan's whole cost beside the gap report's: the parts add up to ``plan_hours``."""
    parts = plan_hours_by_why(plan, digits=2)
    return {"plan_hours": num(sum(parts.values()), 2), "plan_hours_by_why": parts}


def forecast_json(outlook: Forecast) -> dict[str, Any]:
    return {
        "pace": num(outlook.pace, 2),
        "planned_weekly_hours": num(outlook.planned, 2),
        "finish": outlook.finish.isoformat() if outlook.finish else None,
        "reason": outlook.reason,
        "behind": outlook.behind if outlook.finish else None,
    }


def history_json(view: History) -> dict[str, Any]:
    start, end = view.range
    return {
        "from": start.isoformat() if start else None,
        "to": end.isoformat(),
        "domain": view.domain,
        "sessions": [
            {
                "id": s.id,
                "date": s.day.isoformat(),
                "topic": s.topic,
                "domain": s.domain,
                "hours": num(s.hours, 2),
                "note": s.note,
            }
            for s in view.sessions
        ],
        "weekly_hours": [{"week": w.isoformat(), "hours": num(h, 2)} for w, h in view.weekly],
        "streak": view.streak,
        "pace": num(view.pace, 2),
        "pace_weeks": {
            "from": view.pace_weeks[0].isoformat(),
            "to": view.pace_weeks[1].isoformat(),
        },
        "progress": {
            d: [{"date": day.isoformat(), "current": num(c)} for day, c in points]
            for d, points in view.progress.items()
        },
    }


def today_json(view: TodayView) -> dict[str, Any]:
    """``gapcli today --json`` (a pinned shape: see tests/test_today_cli.py)."""
    return {
        "date": view.today.isoformat(),
        "sessions": [
            {
                "topic": s.item.topic,
                "domain": s.item.domain,
                "minutes": s.minutes,
                "why": s.item.why,
                "resource": None
                if s.resource is None
                else {"title": s.resource.title, "url": s.resource.url},
                "note": view.notes.get(s.item.topic),  # the topic's newest note
            }
            for s in view.sessions
        ],
        "logged_minutes": view.logged_minutes,
        "week": {
            "planned_hours": num(view.week_planned_hours, 2),
            "logged_hours": num(view.week_logged_hours, 2),
        },
        "next_study_day": view.next_day.isoformat() if view.next_day else None,
        "away": None
        if view.away is None
        else {
            "id": view.away.id,
            "start": view.away.start.isoformat(),
            "end": view.away.end.isoformat(),
            "note": view.away.note,
        },
    }


def roadmap_domain_json(view: DomainRoadmap) -> dict[str, Any]:
    """``gapcli roadmap DOMAIN --json`` (shape documented in the README)."""
    s = view.standing
    return {
        "domain": view.domain_id,
        "name": view.name,
        "current": num(s.current),
        "target": s.target,
        "gap": num(s.gap),
        "on_track": view.on_track,
        "counts": {str(k): n for k, n in view.counts.items()},
        "topics": [
            {
                "topic": row.topic_id,
                "name": row.name,
                "hours": num(row.hours, 2),
                "covered_hours": num(row.covered, 2),
                "status": str(row.status),
                "planned": row.planned.isoformat() if row.planned else None,
            }
            for row in view.topics
        ],
    }


def roadmap_track_json(view: TrackRoadmap) -> dict[str, Any]:
    """``gapcli roadmap --track ID --json``: each domain as above, without its topics."""
    domains = []
    for domain in view.domains:
        data = roadmap_domain_json(domain)
        del data["topics"]
        domains.append(data)
    return {"track": view.track_id, "name": view.name, "domains": domains}
