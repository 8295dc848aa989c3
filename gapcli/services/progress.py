"""Logging study time and finished topics; fixing and undoing what was logged.

Every command here is one write transaction with one ``change`` row, so undo
can take back exactly what it did: rows it added are deleted, a removal is
reversed, an edit's previous values (kept in the change) are restored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, select

from gapcli.domain.calendar import check_day_total, span
from gapcli.domain.changes import (
    AddedRows,
    AwayChange,
    ChangeKind,
    EditedSession,
    RemovedSession,
    record_from_json,
    record_to_json,
)
from gapcli.domain.counting import covered_hours, domain_standing
from gapcli.domain.learner import LearnerState
from gapcli.domain.matching import resolve
from gapcli.domain.reviews import Rating, ReviewKind
from gapcli.errors import DatabaseError, InvalidValue, UnknownId
from gapcli.services.profile import now
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store.tables import (
    Assessment,
    Change,
    MathAssessment,
    Note,
    PaperRead,
    Review,
    SettingChange,
    StudySession,
    TopicProgress,
)
from gapcli.views.snapshot import Snapshot

MAX_NOTE = 1000
MAX_MINUTES = 24 * 60


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
    whole = round(value)
    if whole < 1:
        raise InvalidValue("log at least one minute")
    return whole


def check_day(day: date, today: date) -> date:
    if day > today:
        raise InvalidValue(f"{day:%Y-%m-%d} is in the future; log what you have studied")
    if day.year < 2000:
        raise InvalidValue(f"{day:%Y-%m-%d} is too far in the past")
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
    after_state = _after(state, ident if is_topic else None, amount, done=done, todo=todo)
    stamp = now()
    parts = []
    if amount:
        parts.append(f"{amount} min on {ident} ({day:%Y-%m-%d})")
    if done:
        parts.append(f"marked {ident} done")
    if todo:
        parts.append(f"marked {ident} not done yet")
    session_id: int | None = None
    with ws.database().write() as session:
        if amount:
            check_day_total(day, day_sessions(session, day), amount)
        change = Change(
            at=stamp,
            kind=ChangeKind.LOG,
            summary="logged " + ", ".join(parts),
            undo=record_to_json(AddedRows()),
        )
        session.add(change)
        session.flush()
        if amount:
            row = StudySession(
                day=day,
                minutes=amount,
                domain_id=domain_id,
                topic_id=ident if is_topic else None,
                note=note,
                logged_at=stamp,
                change_id=change.id,
            )
            session.add(row)
            session.flush()
            session_id = row.id
        if done or todo:  # the newest mark of a topic decides: done, or not done yet
            session.add(TopicProgress(at=stamp, topic_id=ident, done=done, change_id=change.id))
        if done:  # the topic's first recall: its review card starts on this day
            session.add(
                Review(
                    at=stamp,
                    day=day,
                    topic_id=ident,
                    rating=int(recall or Rating.GOOD),
                    kind=ReviewKind.LEARNED,
                    session_id=session_id,
                    change_id=change.id,
                )
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
    )


def _after(
    state: LearnerState, topic: str | None, amount: int, *, done: bool, todo: bool
) -> LearnerState:
    """The learner once this log is saved: its time counted, its mark the newest."""
    if topic is None:  # time on a whole domain moves no topic's coverage
        return state
    logged = dict(state.logged_minutes)
    if amount:
        logged[topic] = logged.get(topic, 0) + amount
    marks = {topic} if done or todo else set()
    return replace(
        state,
        done=(state.done - marks) | ({topic} if done else set()),
        todo=(state.todo - marks) | ({topic} if todo else set()),
        logged_minutes=logged,
    )


def day_sessions(session: Session, day: date, *, besides: int | None = None) -> dict[int, int]:
    """The minutes of each live session on ``day`` (but ``besides``), by id.

    Read inside the write transaction that adds or moves time: two processes
    logging at once are serialised by it, so they cannot both fit under 24 h.
    """
    query = select(StudySession.id, StudySession.minutes).where(
        StudySession.day == day, col(StudySession.removed_at).is_(None)
    )
    if besides is not None:
        query = query.where(StudySession.id != besides)
    return {int(i): int(m) for i, m in session.exec(query) if i is not None}


def _live_session(session: Session, session_id: int) -> StudySession:
    # SQLite ids are 64-bit; anything beyond cannot name a session (nor reach the driver).
    row = session.get(StudySession, session_id) if 0 < session_id < 2**63 else None
    if row is None or row.removed_at is not None:
        raise UnknownId(f"no study session with id {session_id} (see 'gapcli history')")
    return row


def describe_session(row: StudySession) -> str:
    """Minutes are stored whole: shown as '10 min' or '1 h 30 min', never '0.166667 h'."""
    what = row.topic_id or row.domain_id
    return f"session {row.id}: {row.day:%Y-%m-%d} {what} {span(row.minutes)}"


def _with_note(row: StudySession, *, always: bool) -> str:
    """The session as ``describe_session`` says it, and its note (shortened, one line).

    ``always``: say "no note" too, when the note is what an edit changed.
    """
    text = describe_session(row)
    if row.note:
        note = " ".join(row.note.split())
        return f'{text}, note "{note[:60]}{"…" if len(note) > 60 else ""}"'
    return f"{text}, no note" if always else text


def get_session(ws: Workspace, session_id: int) -> str:
    with ws.database().orm_read() as session:
        return describe_session(_live_session(session, session_id))


def remove_session(ws: Workspace, session_id: int) -> str:
    with ws.database().write() as session:
        row = _live_session(session, session_id)
        text = describe_session(row)
        change = Change(
            at=now(),
            kind=ChangeKind.REMOVE,
            summary=f"removed {text}",
            undo=record_to_json(RemovedSession(session_id)),
        )
        session.add(change)
        row.removed_at = change.at
        session.add(row)
    return text


def edit_session(
    ws: Workspace,
    session_id: int,
    *,
    hours: float | None,
    minutes: float | None,
    day: date | None,
    note: str | None,
    today: date,
) -> tuple[str, str]:
    amount = minutes_from(hours, minutes)
    if day is not None:
        check_day(day, today)
    new_note = check_note(note)  # --note "" (or only spaces) clears the note
    if not amount and day is None and note is None:
        raise InvalidValue("nothing to change; give --hours, --minutes, --date or --note")
    with ws.database().write() as session:
        row = _live_session(session, session_id)
        before_text = _with_note(row, always=note is not None)
        before = EditedSession(session_id, row.minutes, row.day, row.note)
        new_day, new_minutes = day or row.day, amount or row.minutes
        if new_day != row.day or new_minutes > row.minutes:  # the edit adds time to a day
            others = day_sessions(session, new_day, besides=row.id)
            check_day_total(new_day, others, new_minutes, edited=row.id)
        if amount:
            row.minutes = amount
        if day is not None:
            row.day = day
        if note is not None:
            row.note = new_note
        after_text = _with_note(row, always=note is not None)
        session.add(
            Change(
                at=now(),
                kind=ChangeKind.EDIT,
                summary=f"edited {before_text} -> {after_text}",
                undo=record_to_json(before),
            )
        )
        session.add(row)
    return before_text, after_text


def last_change(ws: Workspace) -> Change | None:
    """The newest change that undo can take back."""
    with ws.database().orm_read() as session:
        return _last_change(session)


def _last_change(session: Session) -> Change | None:
    return session.exec(
        select(Change)
        .where(col(Change.undone_at).is_(None), col(Change.kind) != ChangeKind.INIT)
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()


def undo(ws: Workspace, expected_id: int) -> str:
    """Take back change ``expected_id`` (what the user was shown), in one transaction."""
    with ws.database().write() as session:
        change = _last_change(session)
        if change is None or change.id != expected_id:
            raise InvalidValue("the history changed meanwhile; run 'gapcli undo' again")
        try:
            record = record_from_json(change.kind, change.undo)
        except DatabaseError as exc:
            raise DatabaseError(
                f"cannot undo change {change.id}: {exc}; nothing was undone"
            ) from None
        match record:
            case RemovedSession(session=session_id):
                row = session.get(StudySession, session_id)
                if row is not None:
                    row.removed_at = None
                    session.add(row)
            case EditedSession(session=session_id):
                row = session.get(StudySession, session_id)
                if row is not None:
                    row.minutes = record.minutes
                    row.day = record.day
                    row.note = record.note
                    session.add(row)
            case AwayChange():
                from gapcli.services.away import undo_away

                undo_away(session, record)
            case AddedRows():
                for table in (
                    TopicProgress,
                    Assessment,
                    MathAssessment,
                    SettingChange,
                    Note,
                    PaperRead,
                    Review,
                ):
                    for added in session.exec(select(table).where(table.change_id == change.id)):
                        session.delete(added)
                _retire_sessions(session, change)
        change.undone_at = now()
        session.add(change)
        return change.summary


def _retire_sessions(session: Session, change: Change) -> None:
    """Mark the sessions ``change`` logged removed, as ``history remove`` does.

    Deleted, their ids went back to SQLite, which hands out the highest id plus
    one: the next log took the id of the session just undone, and a
    ``history edit ID`` typed from earlier output changed another session.
    Kept, an id names one session for good.
    """
    for row in session.exec(
        select(StudySession).where(
            StudySession.change_id == change.id, col(StudySession.removed_at).is_(None)
        )
    ):
        row.removed_at = now()
        session.add(row)
