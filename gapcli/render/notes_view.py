"""``gapcli notes``: a learner's notes as lines or JSON, newest last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gapcli.domain.words import plural
from gapcli.render.terminal import line

if TYPE_CHECKING:
    from gapcli.views.notes import NoteEntry


def notes_json(entries: Sequence[NoteEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.note.id,
            "at": e.note.at.isoformat(),
            "topic": e.note.topic_id,
            "text": e.note.text,
            "link": e.note.link,
        }
        for e in entries
    ]


def print_notes(entries: Sequence[NoteEntry]) -> None:
    if not entries:
        line("No notes yet. Add one with: gapcli note TOPIC TEXT [--link URL]")
        return
    for e in entries:
        n = e.note
        line(f"#{n.id}  {n.at:%Y-%m-%d}  {e.topic_name} ({n.topic_id})")
        for text_line in n.text.splitlines() or [""]:
            line(f"    {text_line}")
        if n.link:
            line(f"    {n.link}")
    line(plural(len(entries), "note") + ".")
