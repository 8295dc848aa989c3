"""Fixing and taking back what was logged: ``history remove``, ``history edit`` and ``undo``.

These go through SQLModel (:mod:`gapcli.store.tables`); logging itself, the
command people run most, is in :mod:`gapcli.services.progress` and does not load
it. Each command is one write transaction with one ``change`` row, so undo can
take back exactly what it did: rows it added are deleted, a removal is reversed,
an edit's previous values (kept in the change) are restored.
"""

from __future__ import annotations

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
from gapcli.errors import DatabaseError, InvalidValue, UnknownId
from gapcli.services.profile import now
from gapcli.services.progress import check_day, check_note, minutes_from
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


def _day_sessions(session: Session, day: date, *, besides: int | None = None) -> dict[int, int]:
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
            others = _day_sessions(session, new_day, besides=row.id)
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
