"""``gapcli away``: add, list and remove the ranges of days the learner is away.

Each write is one transaction with one ``change`` row of kind ``away``, so
``undo`` takes it back: an added range is marked removed, a removed one is made
live again. Nothing is ever deleted. The overlap check reads the live ranges
inside the write transaction, so two processes adding at once cannot both slip
in an overlapping range.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from gapcli.domain.away import AwayRange, check_away_note, check_range
from gapcli.domain.changes import AwayChange, ChangeKind, record_to_json
from gapcli.domain.dates import parse_day
from gapcli.errors import UnknownId
from gapcli.services.profile import now
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.store.tables import Away, Change


def _range(row: Away) -> AwayRange:
    assert row.id is not None  # a stored row
    return AwayRange(row.id, row.start, row.end, row.note)


def _live(session: Session) -> list[AwayRange]:
    rows = session.exec(select(Away).where(col(Away.removed_at).is_(None)))
    return [_range(r) for r in rows]


def parse_range(start: str, end: str | None, today: date) -> tuple[date, date]:
    """START and END as ``parse_day`` reads them (future ISO dates allowed); END is START."""
    first = parse_day(start, today, what="START")
    last = parse_day(end, today, what="END") if end is not None else first
    return first, last


def add_away(
    ws: Workspace, start: str, end: str | None, note: str | None, today: date
) -> AwayRange:
    first, last = parse_range(start, end, today)
    text = check_away_note(note)
    with ws.database().write() as session:
        check_range(first, last, _live(session), today)
        stamp = now()
        row = Away(start=first, end=last, note=text, created_at=stamp)
        session.add(row)
        session.flush()
        added = _range(row)
        change = Change(
            at=stamp,
            kind=ChangeKind.AWAY,
            summary=f"added {added.describe()}",
            undo=record_to_json(AwayChange(added.id, added=True)),
        )
        session.add(change)
        session.flush()
        row.change_id = change.id
        session.add(row)
    return added


def list_away(ws: Workspace) -> list[AwayRange]:
    with ws.database().read() as conn:
        return queries.away_ranges(conn)


def remove_away(ws: Workspace, away_id: int) -> AwayRange:
    with ws.database().write() as session:
        row = session.get(Away, away_id) if 0 < away_id < 2**63 else None
        if row is None or row.removed_at is not None:
            raise UnknownId(f"no away range with id {away_id} (see 'gapcli away list')")
        removed = _range(row)
        change = Change(
            at=now(),
            kind=ChangeKind.AWAY,
            summary=f"removed {removed.describe()}",
            undo=record_to_json(AwayChange(away_id, added=False)),
        )
        session.add(change)
        row.removed_at = change.at
        session.add(row)
    return removed


def undo_away(session: Session, record: AwayChange) -> None:
    """Inside ``undo``'s transaction: retire an added range, or bring a removed one back.

    Undo takes back only the newest change, so a range brought back cannot
    overlap one added after its removal: that addition would have been undone first.
    """
    row = session.get(Away, record.away)
    if row is None:
        return
    row.removed_at = now() if record.added else None
    session.add(row)
