"""Everything an export shows, gathered once: the report, the plan, the record.

The renderers (Markdown, JSON, CSV, iCalendar) only format what is gathered
here, so every format tells the same story for the same day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

from gapcli.domain.counting import gap_report
from gapcli.services.forecast import forecast
from gapcli.services.history import history
from gapcli.services.planning import PlanRequest, plan_for, track_advice
from gapcli.services.profile import read_profile
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.views.export import Export, Records


def gather(ws: Workspace, *, start: date, today: date, study_time: str | None) -> Export:
    snap = snapshot(ws)
    plan = plan_for(snap, PlanRequest(start=start, today=today))
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
        advice=track_advice(snap),
    )


def read_records(ws: Workspace) -> Records:
    with ws.database().read() as conn:
        profile = read_profile(conn)
        return Records(
            created_at=profile.created_at,
            profile_name=profile.name,
            assessments=queries.assessments(conn),
            math_levels=queries.math_levels(conn),
            topic_marks=queries.topic_marks(conn),
            sessions=queries.sessions(conn),
            away=queries.away_ranges(conn),
            notes=queries.notes(conn),
            papers_read=queries.papers_read(conn),
            reviews=queries.reviews(conn),
        )


@dataclass(frozen=True)
class CalendarZone:
    """The zone calendar times are written in, and a note when it is not the named one.

    ``zone`` None writes floating times (the same clock time in whatever zone the
    calendar is shown), used only when the system's zone has no IANA name.
    """

    zone: tzinfo | None
    note: str | None = None


def local_zone() -> CalendarZone:
    """The machine's zone by its IANA name, read by tzlocal from ``TZ`` (a name,
    ``:name`` or a path, as libc takes them) or else the system's configuration.

    zoneinfo alone took neither ``TZ=:/usr/share/zoneinfo/Europe/Paris`` nor a
    POSIX rule such as ``CET-1CEST,M3.5.0,M10.5.0/3``, which libc accepts, and fell
    back silently to UTC. A named zone (not a fixed offset) keeps 19:00 at 19:00
    across daylight saving changes; what cannot be named is said, not guessed.
    """
    import warnings
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    import tzlocal

    setting = os.environ.get("TZ")
    source = f"TZ={setting!r}" if setting else "the system's time zone"
    floating = "calendar times are floating (the same clock time in any zone)"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = tzlocal.reload_localzone()  # never a value cached for another TZ
        key = getattr(found, "key", None)
        zone = ZoneInfo(key) if key else None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = None
    if zone is None:
        return CalendarZone(None, f"{source} has no time zone name gapcli can read; {floating}")
    if caught:  # tzlocal's doubts: no configuration (UTC) or an offset libc disagrees with
        return CalendarZone(zone, f"calendar times are in {zone.key}, from {source}")
    return CalendarZone(zone)


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
