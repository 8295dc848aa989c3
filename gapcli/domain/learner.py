"""What gapcli knows about the learner, as plain values (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gapcli.domain.echo import quoted
from gapcli.domain.numbers import parse_float
from gapcli.errors import InvalidValue


@dataclass(frozen=True)
class Assessed:
    current: int
    target: int


@dataclass(frozen=True)
class LearnerState:
    """The newest self-assessment per domain, finished topics, math level, logged time."""

    assessments: Mapping[str, Assessed] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    math_level: str | None = None
    logged_minutes: Mapping[str, int] = field(default_factory=dict)


def parse_percent(text: str | int | float, what: str) -> int:
    """'80', '80%' or 80 -> 80; anything else, or outside 0-100, is refused."""
    raw = str(text).strip().removesuffix("%").strip()
    try:
        value = parse_float(raw)
    except ValueError:
        raise InvalidValue(
            f"{what} must be a number from 0 to 100 (got {quoted(str(text))})"
        ) from None
    if value != value or not 0 <= value <= 100:
        raise InvalidValue(f"{what} must be from 0 to 100 (got {quoted(raw)})")
    if value != int(value):
        raise InvalidValue(f"{what} must be a whole percentage (got {quoted(raw)})")
    return int(value)
