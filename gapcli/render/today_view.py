"""``gapcli today`` as plain lines: today's sessions, the week so far, the next study day.

No rich: a handful of lines read at a glance (and ``today`` stays as quick as
``log-progress``'s answer). Every line goes through :func:`line`, which cleans
catalog text of terminal controls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapcli.domain.calendar import DAY_NAMES, span
from gapcli.domain.reasons import Why
from gapcli.render.numbers import num
from gapcli.render.shared import reason_text
from gapcli.render.terminal import line

if TYPE_CHECKING:
    from datetime import date

    from gapcli.domain.catalog import Catalog
    from gapcli.views.today import DaySession, TodayView


def print_today(view: TodayView) -> None:
    catalog = view.catalog
    if view.empty_plan:
        line(f"{_day(view.today)}: no gaps to close on your track, nothing to study.")
    elif view.sessions:
        total = sum(s.minutes for s in view.sessions)
        line(f"Today, {_day(view.today)}: {span(total)} to study")
        for session in view.sessions:
            _session(catalog, view.track, session, view.notes.get(session.item.topic))
    elif view.away is not None:
        note = f": {' '.join(view.away.note.split())[:60]}" if view.away.note else ""
        line(
            f"Nothing planned today, {_day(view.today)}: you are away until "
            f"{view.away.end:%Y-%m-%d}{note} (away {view.away.id})."
        )
    else:
        done = " (today's sessions are done)" if view.logged_minutes else ""
        line(f"Nothing planned today, {_day(view.today)}{done}.")
    if view.logged_minutes:
        line(f"Already logged today: {span(view.logged_minutes)}.")
    line(f"This week: {num(view.week_logged_hours)} of {num(view.week_planned_hours)} h.")
    if view.next_day is None:
        if not view.empty_plan:
            line("Nothing planned after today: this is the plan's last day.")
        return
    if view.sessions:
        # A review says so, as the Markdown's "Day by day" does: a topic finished
        # today would otherwise read as studied again.
        names = ", ".join(
            f"{'Review: ' if s.item.why is Why.REVIEW else ''}"
            f"{catalog.topic_by_id[s.item.topic].name} ({span(s.minutes)})"
            for s in view.next_sessions
        )
        line(f"Next study day: {_day(view.next_day)}: {names}.")
        return
    line(f"Next study day: {_day(view.next_day)}")
    for session in view.next_sessions:
        _session(catalog, view.track, session, view.notes.get(session.item.topic))


def _session(catalog: Catalog, track: str, session: DaySession, note: str | None) -> None:
    item = session.item
    topic = catalog.topic_by_id[item.topic].name
    domain = catalog.domain_by_id[item.domain].name
    line(f"  - {topic} ({domain}): {span(session.minutes)}, {reason_text(catalog, item, track)}")
    resource = session.resource
    if resource is not None:
        link = f" <{resource.url}>" if resource.url else ""
        line(f"      start with: {resource.title}{link}")
    if note is not None:  # the topic's newest note, on one line: where you left off
        flat = " ".join(note.split())
        line(f"      your note: {flat[:120]}{'…' if len(flat) > 120 else ''}")


def _day(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()].capitalize()} {day:%Y-%m-%d}"
