"""Why a topic is in the plan: a tiny module, so renderers need not import the planner."""

from __future__ import annotations

from enum import StrEnum


class Why(StrEnum):
    """Why a topic is in the plan (written to JSON and calendars as its value)."""

    GAP = "gap"  # it closes a gap of a domain the plan works on
    MATH = "math"  # maths that a planned topic needs
    PREREQUISITE = "prerequisite"  # a topic or part of a domain a planned topic needs
    RECOMMENDED = "recommended"  # one of the roadmap's recommended steps, for itself
    REVIEW = "review"  # a finished topic comes back for review (not new study)
