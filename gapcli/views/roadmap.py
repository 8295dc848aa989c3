"""``gapcli roadmap``: a domain's topics with a status each, or a track's domains."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.domain.counting import Standing


class TopicStatus(StrEnum):
    """Where the learner stands on one topic; the first that applies, in this order."""

    DONE = "done"  # marked done
    KNOWN = "known"  # wholly covered by the domain's % (or the math level)
    IN_PROGRESS = "in_progress"  # partly covered: hours logged, or the % ends inside it
    TODO = "todo"  # marked "not done yet" and not started
    PLANNED = "planned"  # the plan schedules it (its first day is on the row)
    TO_STUDY = "to_study"  # needed for the target, but the plan leaves it (off the track)
    NOT_NEEDED = "not_needed"  # beyond the target, and nothing else needs it


@dataclass(frozen=True)
class TopicRow:
    topic_id: str
    name: str
    hours: float
    covered: float  # hours covered (0 .. hours)
    status: TopicStatus
    planned: date | None  # the first planned session's day, when the plan has one


@dataclass(frozen=True)
class DomainRoadmap:
    domain_id: str
    name: str
    standing: Standing
    on_track: bool  # the learner's track holds it (else the plan never schedules it)
    topics: tuple[TopicRow, ...]

    @property
    def counts(self) -> dict[TopicStatus, int]:
        """How many topics have each status, every status present (0 when none)."""
        found = Counter(row.status for row in self.topics)
        return {status: found[status] for status in TopicStatus}


@dataclass(frozen=True)
class TrackRoadmap:
    track_id: str
    name: str
    domains: tuple[DomainRoadmap, ...]
