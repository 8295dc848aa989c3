"""Logging study time and finished topics (``log-progress``), and the checks its input passes.

A log is one write transaction with one ``change`` row, so undo can take back
exactly what it did (:mod:`gapcli.services.corrections`, which also fixes and
removes sessions). It is the command a learner runs most, so its rows go in
through :mod:`gapcli.store.log_rows` and the standard library, never SQLAlchemy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from gapcli.domain.calendar import DAY_MINUTES, check_day_total
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.counting import covered_hours, domain_standing
from gapcli.domain.learner import LearnerState, MarkReplay
from gapcli.domain.matching import resolve
from gapcli.domain.notes import MAX_SESSION_NOTE
from gapcli.domain.reviews import Rating, ReviewKind
from gapcli.errors import InvalidValue
from gapcli.services.profile import now
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import log_rows
from gapcli.views.snapshot import Snapshot

MAX_NOTE = MAX_SESSION_NOTE
MAX_MINUTES = DAY_MINUTES


@dataclass(frozen=True)
class LogResult:
    session_id: int | None
    target: str  # topic or domain id
    is_topic: bool
    domain: str
    minutes: int
    day: date
    done: bool
    before: tuple[float, float]  # domain current %, gap
    after: tuple[float, float]
    todo: bool = False  # marked "not done yet"
    done_by_time: bool = False  # marked done because this log completed the topic's hours


def minutes_from(hours: float | None, minutes: float | None) -> int:
    """Exactly one of --hours / --minutes, as whole minutes in 1..1440."""
    if hours is not None and minutes is not None:
        raise InvalidValue("give --hours or --minutes, not both")
    if hours is None and minutes is None:
        return 0
    value = hours * 60 if hours is not None else float(minutes or 0)
    unit = "hours" if hours is not None else "minutes"
    given = hours if hours is not None else minutes
    if value != value or value <= 0:
        raise InvalidValue(f"{unit} must be more than 0 (got {given:g})")
    if value > MAX_MINUTES:
        raise InvalidValue(f"at most 24 hours in one log (got {given:g} {unit})")
    if minutes is not None and value != int(value):  # 1.5 min would be stored as 2
        raise InvalidValue(f"minutes must be whole (got {minutes:g}); gapcli counts whole minutes")
    whole = math.floor(value + 0.5)  # hours to the nearest minute, a half up (not to even)
    if whole < 1:
        raise InvalidValue("log at least one minute")
    return whole


def check_day(day: date, today: date) -> date:
    if day > today:
        raise InvalidValue(f"{day:%Y-%m-%d} is in the future; log what you have studied")
    if day.year < 2000:
        raise InvalidValue(f"{day.isoformat()} is too far in the past")
    return day


def check_note(note: str | None) -> str | None:
    """The note as stored: bytes that were not UTF-8 in the shell become U+FFFD.

    Python hands such argv bytes over as lone surrogates, which SQLite cannot store.
    """
    if note is None:
        return None
    note = note.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if len(note) > MAX_NOTE:
        raise InvalidValue(f"note is {len(note)} characters; at most {MAX_NOTE}")
    return note.strip() or None


def resolve_target(snap: Snapshot, text: str) -> tuple[str, bool]:
    """A topic or a domain, by id or name: (id, is_topic)."""
    catalog = snap.catalog
    names = {t.id: t.name for t in catalog.topic_by_id.values()}
    names |= {d.id: d.name for d in catalog.domains}
    ident = resolve(text, names, "topic or domain")
    return ident, ident in catalog.topic_by_id


def _standing(snap: Snapshot, state: LearnerState, domain_id: str) -> tuple[float, float]:
    covered = covered_hours(snap.catalog, state)
    s = domain_standing(snap.catalog, state, covered, snap.catalog.domain_by_id[domain_id])
    return s.current, s.gap


def log_progress(
    ws: Workspace,
    what: str,
    *,
    hours: float | None,
    minutes: float | None,
    day: date,
    note: str | None,
    done: bool,
    today: date,
    todo: bool = False,
    recall: Rating | None = None,
) -> LogResult:
    if done and todo:
        raise InvalidValue("give --done or --todo, not both")
    if recall is not None and not done:
        raise InvalidValue("--recall says how well you recalled a topic you mark --done")
    snap = snapshot(ws)
    ident, is_topic = resolve_target(snap, what)
    amount = minutes_from(hours, minutes)
    check_day(day, today)
    note = check_note(note)
    for flag, given in (("--done", done), ("--todo", todo)):
        if given and not is_topic:
            raise InvalidValue(f"{flag} marks a topic; '{ident}' is a domain")
    if not amount and not done and not todo:
        raise InvalidValue("nothing to log; give --hours, --minutes, --done or --todo")
    catalog = snap.catalog
    domain_id = catalog.domain_of_topic[ident] if is_topic else ident
    state = snap.state
    stamp = now()
    after_state = _after(state, ident if is_topic else None, amount, stamp, done=done, todo=todo)
    marked = done or todo
    done_by_time = is_topic and not marked and _completes(snap, state, after_state, ident)
    if done_by_time:  # as the plan has it: a topic whose hours are studied is finished
        done = True
        after_state = _after(state, ident, amount, stamp, done=True, todo=False)
    parts = []
    if amount:
        parts.append(f"logged {amount} min on {ident} ({day:%Y-%m-%d})")
    if done:
        parts.append(f"marked {ident} done" + (" (all its hours logged)" if done_by_time else ""))
    if todo:
        parts.append(f"marked {ident} not done yet")
    session_id: int | None = None
    db = ws.database()
    with db.write_sql() as conn:
        pid = db.chosen_profile_id()
        if amount:  # read inside the write: two logs at once cannot both fit under 24 h
            check_day_total(day, log_rows.day_minutes(conn, day, profile_id=pid), amount)
        change_id = log_rows.add_change(
            conn,
            at=stamp,
            kind=ChangeKind.LOG,
            summary=", ".join(parts),
            undo=record_to_json(AddedRows()),
            profile_id=pid,
        )
        if amount:
            session_id = log_rows.add_session(
                conn,
                day=day,
                minutes=amount,
                domain_id=domain_id,
                topic_id=ident if is_topic else None,
                note=note,
                logged_at=stamp,
                change_id=change_id,
                profile_id=pid,
            )
        if done or todo:  # the newest mark of a topic decides: done, or not done yet
            log_rows.add_mark(
                conn, at=stamp, topic_id=ident, done=done, change_id=change_id, profile_id=pid
            )
        if done:  # the topic's first recall: its review card starts on this day
            log_rows.add_review(
                conn,
                at=stamp,
                day=day,
                topic_id=ident,
                rating=int(recall or Rating.GOOD),
                kind=ReviewKind.LEARNED.value,
                session_id=session_id,
                change_id=change_id,
                profile_id=pid,
            )
    return LogResult(
        session_id,
        ident,
        is_topic,
        domain_id,
        amount,
        day,
        done,
        _standing(snap, state, domain_id),
        _standing(snap, after_state, domain_id),
        todo,
        done_by_time,
    )


def _completes(snap: Snapshot, before: LearnerState, after: LearnerState, topic: str) -> bool:
    """This log brings the topic to all its hours (it lacked some before, and is not done).

    The plan counts a topic finished once its hours are studied and brings it back
    for review; without a done mark it would get no review card.
    """
    if topic in before.done:
        return False
    catalog = snap.catalog
    domain = [catalog.domain_by_id[catalog.domain_of_topic[topic]]]
    hours = catalog.topic_by_id[topic].hours
    was = covered_hours(catalog, before, domain)[topic]
    return was < hours and covered_hours(catalog, after, domain)[topic] >= hours


def _after(
    state: LearnerState,
    topic: str | None,
    amount: int,
    stamp: datetime,
    *,
    done: bool,
    todo: bool,
) -> LearnerState:
    """The learner once this log is saved: its time counted, its mark the newest."""
    if topic is None:  # time on a whole domain moves no topic's coverage
        return state
    logged = dict(state.logged_minutes)
    if amount:
        logged[topic] = logged.get(topic, 0) + amount
    if not done and not todo:
        return state._replace(logged_minutes=logged)
    marks = MarkReplay.of(state)
    marks.apply(topic, done, 0, stamp)
    return marks.state(state.assessments, state.math_level, logged)
