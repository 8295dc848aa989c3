"""Everything an export shows, gathered once: the report, the plan, the record.

The renderers (Markdown, JSON, CSV, iCalendar) only format what is gathered
here, so every format tells the same story for the same day.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from gapcli.domain.catalog import Paper
from gapcli.domain.counting import GapReport, gap_report
from gapcli.domain.pace import Forecast
from gapcli.domain.planner import Plan
from gapcli.services.forecast import forecast
from gapcli.services.history import History, history
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.services.profile import read_profile
from gapcli.services.state import Snapshot, snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import queries

PRIORITY_ORDER = {"essential": 0, "important": 1, "optional": 2}


@dataclass(frozen=True)
class Records:
    """The learner's own entries, as stored: what an import needs to rebuild them."""

    created_at: datetime
    assessments: list[queries.AssessmentRow]
    math_levels: list[queries.MathRow]
    topic_marks: list[queries.MarkRow]
    sessions: list[queries.SessionRow]


@dataclass(frozen=True)
class Export:
    today: date
    snap: Snapshot
    report: GapReport
    plan: Plan
    outlook: Forecast
    history: History
    records: Records
    study_time: str

    @property
    def papers(self) -> list[Paper]:
        """The track's reading list: papers on its domains or on no domain in particular."""
        domains = set(self.snap.catalog.track(self.snap.settings.track).domains)
        chosen = [p for p in self.snap.catalog.papers if not p.domains or domains & set(p.domains)]
        return sorted(chosen, key=lambda p: (PRIORITY_ORDER[p.priority], p.year, p.title))

    @property
    def done_topics(self) -> list[str]:
        """Finished topics, in catalog order (on any domain: maths counts too)."""
        done = self.snap.state.done
        return [t for t in self.snap.catalog.topic_by_id if t in done]


def gather(ws: Workspace, *, start: date, today: date, study_time: str | None) -> Export:
    snap = snapshot(ws)
    plan = plan_for(snap, PlanRequest(start=start))
    records = read_records(ws)
    return Export(
        today=today,
        snap=snap,
        report=gap_report(snap.catalog, snap.state, snap.settings.track),
        plan=plan,
        outlook=forecast(snap, plan, today),
        history=history(ws, since=None, domain=None, today=today, snap=snap),
        records=records,
        study_time=study_time or snap.settings.study_time,
    )


def read_records(ws: Workspace) -> Records:
    with ws.database().read() as conn:
        return Records(
            created_at=read_profile(conn).created_at,
            assessments=queries.assessments(conn),
            math_levels=queries.math_levels(conn),
            topic_marks=queries.topic_marks(conn),
            sessions=queries.sessions(conn),
        )


def local_zone() -> tzinfo | None:
    """The machine's IANA time zone ($TZ, else /etc/localtime), or None if unknown.

    A named zone (not a fixed offset) keeps 19:00 at 19:00 across daylight
    saving changes; with None, calendar events are written in floating time.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        link = str(Path("/etc/localtime").resolve())
        if "/zoneinfo/" in link:
            candidates.append(link.split("/zoneinfo/", 1)[1])
    for key in candidates:
        if not key:
            continue
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError, OSError):
            return ZoneInfo(key)
    return None


def refuse_database_files(ws: Workspace, destination: Path) -> None:
    """An export never replaces the database, its side files or its backups folder."""
    from gapcli.errors import OutputError
    from gapcli.files import SpecialFile, read_regular
    from gapcli.store.sqlite_file import SQLITE_MAGIC, database_files

    db = ws.db_path
    protected = database_files(db)
    protected.append(db.parent / f"{db.name}.backups")
    target = destination.resolve()
    try:
        if read_regular(target, len(SQLITE_MAGIC), whole=False) == SQLITE_MAGIC:
            raise OutputError(f"{destination} is an SQLite database; an export never replaces one")
    except (FileNotFoundError, IsADirectoryError, PermissionError, SpecialFile):
        pass
    for path in protected:
        if target == path.resolve() or target.parent == path.resolve():
            raise OutputError(
                f"{destination} is part of your gapcli database; give another file name"
            )
