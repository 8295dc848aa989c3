"""``gapcli note``, ``notes`` and ``read``: notes and links per topic, and the reading list.

Both are append-only: each write is one transaction adding one row and one
``change`` row (kind ``note`` or ``read``) whose undo deletes the row it added,
as ``config set``'s does.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.matching import resolve
from gapcli.domain.notes import check_link, check_note_text
from gapcli.services.profile import now
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from gapcli.store import queries
from gapcli.store.queries import NoteRow
from gapcli.views.notes import NoteEntry
from gapcli.views.snapshot import Snapshot

if TYPE_CHECKING:  # sqlmodel only where a write needs it: plan and today read without it
    from sqlmodel import Session


def resolve_topic(snap: Snapshot, text: str) -> str:
    """A topic by id or name, as ``log-progress`` finds one (with "did you mean")."""
    names = {t.id: t.name for t in snap.catalog.topic_by_id.values()}
    return resolve(text, names, "topic")


def resolve_paper(snap: Snapshot, text: str) -> str:
    """A paper of the catalog by id or title."""
    names = {p.id: p.title for p in snap.catalog.papers}
    return resolve(text, names, "paper")


def _change(session: Session, kind: ChangeKind, summary: str) -> int:
    from gapcli.store.tables import Change

    change = Change(at=now(), kind=kind, summary=summary, undo=record_to_json(AddedRows()))
    session.add(change)
    session.flush()
    assert change.id is not None  # flushed
    return change.id


def add_note(ws: Workspace, topic: str, text: str, link: str | None) -> NoteEntry:
    from gapcli.store.tables import Note

    snap = snapshot(ws)
    topic_id = resolve_topic(snap, topic)
    body = check_note_text(text)
    url = check_link(link)
    with ws.database().write() as session:
        change_id = _change(session, ChangeKind.NOTE, f"note on {topic_id}")
        row = Note(at=now(), topic_id=topic_id, text=body, link=url, change_id=change_id)
        session.add(row)
        session.flush()
        assert row.id is not None  # flushed
        stored = NoteRow(row.id, row.at, topic_id, body, url)
    return NoteEntry(stored, snap.catalog.topic_by_id[topic_id].name)


def list_notes(ws: Workspace, topic: str | None) -> list[NoteEntry]:
    """Notes newest last, of one topic (by id or name) or of all."""
    snap = snapshot(ws)
    topic_id = resolve_topic(snap, topic) if topic is not None else None
    with ws.database().read() as conn:
        rows = queries.notes(conn, topic_id)
    by_id = snap.catalog.topic_by_id
    return [
        NoteEntry(r, by_id[r.topic_id].name if r.topic_id in by_id else r.topic_id) for r in rows
    ]


def mark_read(ws: Workspace, paper: str, day: date, today: date) -> tuple[str, str, date]:
    """Mark a paper read on ``day`` (never in the future): (id, title, day)."""
    from gapcli.services.progress import check_day
    from gapcli.store.tables import PaperRead

    snap = snapshot(ws)
    paper_id = resolve_paper(snap, paper)
    check_day(day, today)
    title = next(p.title for p in snap.catalog.papers if p.id == paper_id)
    with ws.database().write() as session:
        change_id = _change(session, ChangeKind.READ, f"read {paper_id} on {day:%Y-%m-%d}")
        session.add(PaperRead(at=now(), paper_id=paper_id, day=day, change_id=change_id))
    return paper_id, title, day


def read_papers(ws: Workspace) -> dict[str, date]:
    with ws.database().read() as conn:
        return queries.papers_read(conn)


def _has_profile(ws: Workspace) -> bool:
    """Browsing the catalog needs no profile; the learner's notes and reads need one."""
    return ws.recorded_catalog() is not None


def with_read_days(ws: Workspace, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Catalog rows of papers, each with ``read``: the day it was marked read, or None."""
    read = read_papers(ws) if _has_profile(ws) else {}
    return [
        {**row, "read": read[row["id"]].isoformat() if row["id"] in read else None} for row in rows
    ]


def with_learner_data(ws: Workspace, entry: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry with what the learner added: a topic's notes, a paper's read day."""
    if entry["type"] == "paper":
        return with_read_days(ws, [entry])[0]
    if not _has_profile(ws):
        return entry
    with ws.database().read() as conn:
        rows = queries.notes(conn, str(entry["id"]))
    found = [{"id": n.id, "at": n.at.isoformat(), "text": n.text, "link": n.link} for n in rows]
    return {**entry, "notes": found}
