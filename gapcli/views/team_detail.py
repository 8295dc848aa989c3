"""What ``team ... --detail`` adds: each learner's recent sessions and notes.

Team views are aggregates; a learner's own record (when they studied, what they
wrote) is shown only when the team lead asks for it with ``--detail``, and never
in the HTML team report. Plain values, built by :mod:`gapcli.services.team`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

RECENT = 5  # sessions and notes shown per learner


@dataclass(frozen=True)
class SessionLine:
    day: date
    minutes: int
    domain_id: str
    topic_id: str | None
    note: str | None


@dataclass(frozen=True)
class NoteLine:
    at: datetime
    topic_id: str
    text: str


@dataclass(frozen=True)
class MemberDetail:
    """One learner's newest sessions and notes (at most :data:`RECENT` of each), oldest first."""

    name: str
    sessions: tuple[SessionLine, ...]
    notes: tuple[NoteLine, ...]
