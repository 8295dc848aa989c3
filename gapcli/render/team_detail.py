"""``--detail`` of the team commands: each learner's newest sessions and notes.

Printed after the aggregate, and only when asked: a team lead reads people's
study record on purpose, never by default. Notes and session notes are user
text: through :func:`gapcli.render.terminal.line`, which removes control
characters, never as rich markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gapcli.render.numbers import num
from gapcli.render.terminal import line
from gapcli.views.team_detail import RECENT, MemberDetail, SessionLine


def _session(s: SessionLine) -> str:
    what = s.topic_id or s.domain_id
    text = f"  {s.day:%Y-%m-%d}  {num(s.minutes / 60)} h  {what}"
    return text + (f"  ({s.note})" if s.note else "")


def print_team_detail(details: Sequence[MemberDetail]) -> None:
    """Per learner, by name: their newest sessions, then their newest notes."""
    line("")
    line(f"Each learner's {RECENT} newest sessions and notes (--detail):")
    for member in details:
        line(f"{member.name}:")
        if not member.sessions and not member.notes:
            line("  nothing logged yet")
        for s in member.sessions:
            line(_session(s))
        for n in member.notes:
            line(f"  note {n.at:%Y-%m-%d} {n.topic_id}: {n.text}")


def team_detail_json(details: Sequence[MemberDetail]) -> dict[str, Any]:
    return {
        m.name: {
            "sessions": [
                {
                    "date": s.day.isoformat(),
                    "minutes": s.minutes,
                    "domain": s.domain_id,
                    "topic": s.topic_id,
                    "note": s.note,
                }
                for s in m.sessions
            ],
            "notes": [
                {"at": n.at.isoformat(), "topic": n.topic_id, "text": n.text} for n in m.notes
            ],
        }
        for m in details
    }
