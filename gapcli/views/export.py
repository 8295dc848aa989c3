"""Everything an export shows, gathered once by ``services.export``.

The renderers (Markdown, JSON, CSV, iCalendar) only format this, so every
format tells the same story for the same day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.domain.away import AwayRange
    from gapcli.domain.catalog import Paper
    from gapcli.domain.counting import GapReport
    from gapcli.domain.pace import Forecast
    from gapcli.domain.planner import Plan
    from gapcli.store import queries
    from gapcli.views.history import History
    from gapcli.views.snapshot import Snapshot

PRIORITY_ORDER = {"essential": 0, "important": 1, "optional": 2}


@dataclass(frozen=True)
class Records:
    """The learner's own entries, as stored: what an import needs to rebuild them."""

    created_at: datetime
    assessments: list[queries.AssessmentRow]
    math_levels: list[queries.MathRow]
    topic_marks: list[queries.MarkRow]
    sessions: list[queries.SessionRow]
    away: list[AwayRange]  # the live away ranges, by first day
    notes: list[queries.NoteRow] = field(default_factory=list)  # newest last
    papers_read: dict[str, date] = field(default_factory=dict)  # paper id: day read
    reviews: list[queries.ReviewRow] = field(default_factory=list)  # in the order recorded
    profile_name: str | None = None  # which learner of the store (revision 0008)


@dataclass(frozen=True)
class Export:
    today: date
    snap: Snapshot
    report: GapReport
    plan: Plan
    outlook: Forecast
    history: History
    records: Records
    study_time: str
    advice: tuple[str, ...] = ()  # the track's advice beyond topics, shown with the plan

    @property
    def papers(self) -> list[Paper]:
        """The track's reading list: papers on its domains or on no domain in particular."""
        domains = set(self.snap.catalog.track(self.snap.settings.track).domains)
        chosen = [p for p in self.snap.catalog.papers if not p.domains or domains & set(p.domains)]
        return sorted(chosen, key=lambda p: (PRIORITY_ORDER[p.priority], p.year, p.title))

    def newest_note(self, topic_id: str) -> queries.NoteRow | None:
        """The topic's newest note: where the learner left off."""
        found = [n for n in self.records.notes if n.topic_id == topic_id]
        return found[-1] if found else None

    @property
    def done_topics(self) -> list[str]:
        """Finished topics, in catalog order (on any domain: maths counts too)."""
        done = self.snap.state.done
        return [t for t in self.snap.catalog.topic_by_id if t in done]

    @property
    def todo_topics(self) -> list[str]:
        """Topics marked not done yet, in catalog order (never also in ``done_topics``)."""
        todo = self.snap.state.todo
        return [t for t in self.snap.catalog.topic_by_id if t in todo]
