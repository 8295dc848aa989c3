"""The plan as an iCalendar file: one event per planned study session.

Each event's UID names the profile, the topic and the session's rank within
the topic, never its date: when the plan moves (you studied less, or more),
importing the new file moves the same events instead of adding copies.
SEQUENCE (seconds since 2026) grows with every export, so calendars accept the newer
version. A calendar that imports a file cannot learn that an event left the plan (a
topic finished early): those stay until deleted; a subscribed file is replaced whole.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from icalendar import Calendar, Event

from gapcli import __version__
from gapcli.domain.away import AwayRange
from gapcli.domain.catalog import Resource
from gapcli.domain.reasons import Why
from gapcli.render.sanitize import clean
from gapcli.render.shared import by_week, session_title, week_of
from gapcli.views.export import Export

_SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_LARGEST_SEQUENCE = 2**31 - 1  # RFC 5545's integers are 32-bit: reached in 2094


def _sequence(now: datetime) -> int:
    """The events' SEQUENCE: the seconds since 2026, so a later export replaces an
    earlier one in a calendar that imported both; held at RFC 5545's largest integer."""
    return max(0, min(_LARGEST_SEQUENCE, int((now - _SEQUENCE_EPOCH).total_seconds())))


def profile_key(created_at: datetime) -> str:
    """A short, stable id for the profile, so two learners' calendars never collide."""
    return hashlib.sha256(created_at.isoformat().encode()).hexdigest()[:12]


def render_ics(
    data: Export, *, zone: tzinfo | None, now: datetime, weeks: int | None = None
) -> bytes:
    """``zone`` None writes floating times: the clock time wherever the learner is."""
    catalog = data.snap.catalog
    hour, minute = (int(part) for part in data.study_time.split(":"))
    clock = time(hour, minute)
    last_week = _last_week(data, weeks)
    key = profile_key(data.records.created_at)

    calendar = Calendar()
    calendar.add("prodid", f"-//gapcli//gapcli {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    track = catalog.track(data.snap.settings.track)
    calendar.add("x-wr-calname", clean(f"gapcli: {track.name}", keep_newlines=False))
    day_ends: dict[date, datetime] = {}
    reviews_seen: dict[str, int] = {}
    for item in data.plan.items:
        topic = catalog.topic_by_id[item.topic]
        domain = catalog.domain_by_id[item.domain]
        resource = catalog.first_resource(item.topic)
        for rank, block in enumerate(item.sessions, start=1):
            if last_week is not None and week_of(block.day) > last_week:
                continue
            # A day's sessions follow each other from the study time, never overlap.
            start = day_ends.get(block.day) or _existing(
                datetime.combine(block.day, clock, tzinfo=zone)
            )
            end = _later(start, round(block.hours * 60))
            day_ends[block.day] = end
            event = Event()
            # A topic is studied once but reviewed again and again: its k-th planned
            # review keeps one UID while the plan moves it, as its k-th session does.
            if item.why is Why.REVIEW:
                reviews_seen[item.topic] = reviews_seen.get(item.topic, 0) + 1
                part = f"review-{reviews_seen[item.topic]}"
            else:
                part = str(rank)
            event.add("uid", f"{item.topic}-{part}.{key}@gapcli")
            event.add("dtstamp", now)
            event.add("sequence", _sequence(now))
            title = session_title(topic.name, item.why)
            event.add("summary", clean(title, keep_newlines=False))
            event.add("dtstart", _as_written(start))
            event.add("dtend", _as_written(end))
            note = data.newest_note(item.topic)
            event.add(
                "description",
                _description(domain.name, item.why, resource, note.text if note else None),
            )
            event.add("categories", ["gapcli", clean(domain.name, keep_newlines=False)])
            calendar.add_component(event)
    for away in data.records.away:
        calendar.add_component(_away_event(away, key, now))
    if zone is not None and data.plan.finish is not None:
        # Only the rules for the plan's own dates: 1970-2038 by default is ~70 lines.
        calendar.add_missing_timezones(data.plan.start, data.plan.finish + timedelta(days=1))
    data_bytes: bytes = calendar.to_ical()
    return data_bytes


def _away_event(away: AwayRange, key: str, now: datetime) -> Event:
    """An all-day event over an away range (DTEND is the day after, as all-day events end).

    Its UID names the range's id, which is never reused, so a new export moves it.
    """
    event = Event()
    event.add("uid", f"away-{away.id}.{key}@gapcli")
    event.add("dtstamp", now)
    event.add("sequence", _sequence(now))
    summary = f"Away: {' '.join(away.note.split())[:80]}" if away.note else "Away (no study)"
    event.add("summary", clean(summary, keep_newlines=False))
    event.add("dtstart", away.start)
    event.add("dtend", away.end + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["gapcli"])
    return event


def _existing(moment: datetime) -> datetime:
    """A clock time the zone skips (02:30 when clocks go from 02:00 to 03:00) moved forward.

    It is read with the offset from before the change, as RFC 5545 says calendars
    must, so 02:30 becomes 03:30: the same real time every calendar would pick.
    """
    if moment.tzinfo is None:
        return moment
    zone = moment.tzinfo
    return moment.astimezone(UTC).astimezone(zone)


def _later(moment: datetime, minutes: int) -> datetime:
    """``minutes`` of real time after ``moment``, as a clock time in its zone.

    Python adds to the clock time of an aware datetime: across a daylight saving
    change a block would then last an hour more or less than planned. Floating
    times (no zone) have no changes to cross.
    """
    if moment.tzinfo is None:
        return moment + timedelta(minutes=minutes)
    zone = moment.tzinfo
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)


def _as_written(moment: datetime) -> datetime:
    """The moment in a form a calendar reads back as the same instant.

    A clock time that occurs twice (when clocks go back) names its first occurrence
    in iCalendar; the second one is written in UTC instead.
    """
    if (
        moment.tzinfo is not None
        and moment.fold
        and moment.utcoffset() != (moment.replace(fold=0).utcoffset())
    ):
        return moment.astimezone(UTC)
    return moment


def _last_week(data: Export, weeks: int | None) -> date | None:
    """The Monday of the last week shown: the same weeks as the Markdown export."""
    planned = list(by_week(data.plan))
    if weeks is None or weeks >= len(planned):
        return None
    return planned[weeks - 1]


def _description(domain: str, why: Why, resource: Resource | None, note: str | None = None) -> str:
    lines = [f"Domain: {domain}", f"Why now: {why}"]
    if resource is not None:
        url = f" <{resource.url}>" if resource.url else ""
        lines.append(f"Start with: {resource.title}{url}")
    if note is not None:  # the newest note: where the learner left off
        lines.append(f"Your note: {note}")
    return clean("\n".join(lines))
