"""What one learner action is, and what undoing it needs: typed here, stored as JSON.

Every command that changes the learner's data writes one ``change`` row with
its kind and an undo record. The record used to be free JSON read with
``data["session"]``, so a record of a shape gapcli did not expect (edited by
hand, damaged, or written by a newer gapcli) failed half-way into an undo with
a KeyError. Each kind now has one frozen record type with explicit functions to
and from JSON, and anything else is refused with a :class:`DatabaseError`
before undo touches a row.

The JSON is byte for byte what earlier versions stored, and the kinds are the
same strings, so existing databases read and undo without a migration:

- ``init``, ``log``, ``assess``, ``setting``, ``note``, ``read``: ``{}`` (undo deletes
  the rows carrying the change's id, but marks its study sessions removed, so that
  their ids are never handed out again)
- ``remove``: ``{"session": ID}``
- ``edit``: ``{"session": ID, "before": {"minutes": M, "day": "YYYY-MM-DD", "note": TEXT}}``
- ``away``: ``{"away": ID, "added": true}`` (undo marks the range removed) or
  ``{"away": ID, "added": false}`` (``away remove``; undo makes the range live again)

This module is pure (no database, no clock), so both the store (whose table
column reads kinds) and the services (which write and undo changes) import it.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from gapcli.errors import DatabaseError

# SQLite's INTEGER is 64-bit signed; a larger "id" names no row and the driver
# would overflow on it instead of answering.
_MAX_ID = 2**63 - 1


class ChangeKind(StrEnum):
    """The kinds of change, stored as their values."""

    INIT = "init"  # the profile was created or imported; undo never takes it back
    LOG = "log"  # study sessions and done marks were added
    ASSESS = "assess"  # self-assessments and a math level were added
    EDIT = "edit"  # a study session's minutes, day or note were changed
    REMOVE = "remove"  # a study session was marked removed
    SETTING = "setting"  # a setting's new value was appended (config set)
    AWAY = "away"  # an away range was added or marked removed
    NOTE = "note"  # a note on a topic was appended
    READ = "read"  # a paper was marked read
    REVIEW = "review"  # a finished topic was reviewed (its minutes are a study session)


class AddedRows(NamedTuple):
    """Undo takes back every row that carries the change's id; nothing else is needed.

    An empty tuple, so it is false: tell records apart by ``match`` or ``isinstance``.
    """


class RemovedSession(NamedTuple):
    """Undo makes the session live again."""

    session: int


class EditedSession(NamedTuple):
    """Undo puts back the session's values from before the edit."""

    session: int
    minutes: int
    day: date
    note: str | None


class AwayChange(NamedTuple):
    """Undo marks an added away range removed, or makes a removed one live again.

    Never a delete: an away range's id names one range for good, as a session's does.
    """

    away: int
    added: bool


UndoRecord = AddedRows | RemovedSession | EditedSession | AwayChange

RECORD_OF_KIND: dict[ChangeKind, type[UndoRecord]] = {
    ChangeKind.INIT: AddedRows,
    ChangeKind.LOG: AddedRows,
    ChangeKind.ASSESS: AddedRows,
    ChangeKind.EDIT: EditedSession,
    ChangeKind.REMOVE: RemovedSession,
    ChangeKind.SETTING: AddedRows,
    ChangeKind.AWAY: AwayChange,
    ChangeKind.NOTE: AddedRows,
    ChangeKind.READ: AddedRows,
    ChangeKind.REVIEW: AddedRows,
}


def parse_kind(text: str) -> ChangeKind:
    """The kind a ``change`` row holds; an unknown one was written by something else."""
    try:
        return ChangeKind(text)
    except ValueError:
        raise DatabaseError(
            f"the history holds a change of kind {text[:40]!r} that this gapcli does not know "
            "(written by a newer gapcli?); upgrade gapcli to undo it"
        ) from None


def record_to_json(record: UndoRecord) -> str:
    """The stored text; ``json.dumps`` defaults, as earlier versions wrote it."""
    data: dict[str, Any]
    match record:
        case AddedRows():
            data = {}
        case RemovedSession(session=session):
            data = {"session": session}
        case EditedSession(session=session, minutes=minutes, day=day, note=note):
            before = {"minutes": minutes, "day": day.isoformat(), "note": note}
            data = {"session": session, "before": before}
        case AwayChange(away=away, added=added):
            data = {"away": away, "added": added}
    return json.dumps(data)


class _Unknown(Exception):
    """A record does not have the shape its kind stores; says what is wrong."""


def record_from_json(kind: ChangeKind, text: str) -> UndoRecord:
    """Read the undo record of a ``kind`` change; refuse any other shape."""
    try:
        data = _loads(text)
        expected = RECORD_OF_KIND[kind]
        if expected is AddedRows:
            _object(data, ())
            return AddedRows()
        if expected is RemovedSession:
            return RemovedSession(_session_id(_object(data, ("session",))["session"]))
        if expected is AwayChange:
            fields = _object(data, ("away", "added"))
            if not isinstance(fields["added"], bool):
                raise _Unknown("added is not true or false")
            return AwayChange(_row_id(fields["away"], "away"), fields["added"])
        fields = _object(data, ("session", "before"))
        before = _object(fields["before"], ("minutes", "day", "note"))
        return EditedSession(
            session=_session_id(fields["session"]),
            minutes=_integer(before["minutes"], "minutes"),
            day=_day(before["day"]),
            note=_note(before["note"]),
        )
    except _Unknown as exc:
        raise DatabaseError(
            f"the undo record of this '{kind}' change is not one this gapcli knows ({exc})"
        ) from None


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise _Unknown("not JSON") from None


def _object(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """``value`` as a JSON object with exactly ``keys``: no key missing, none unexpected."""
    if not isinstance(value, dict):
        raise _Unknown(f"expected an object, found {type(value).__name__}")
    if set(value) != set(keys):
        raise _Unknown(f"expected exactly the keys {sorted(keys)}")
    return value


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Unknown(f"{name} is not a whole number")
    return value


def _session_id(value: Any) -> int:
    return _row_id(value, "session")


def _row_id(value: Any, name: str) -> int:
    ident = _integer(value, name)
    if not 0 < ident <= _MAX_ID:
        raise _Unknown(f"{name} is not a row id")
    return ident


def _day(value: Any) -> date:
    """Only the form that is written (YYYY-MM-DD), so a record reads back to the same text."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or day.isoformat() != value:
        raise _Unknown("day is not a YYYY-MM-DD date")
    return day


def _note(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _Unknown("note is neither text nor null")
    return value
