"""What gapcli knows about the learner, as plain values (no database).

Records here and across the read path are NamedTuples rather than frozen dataclasses:
as immutable, and much cheaper to define, which every command pays at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from gapcli.domain.echo import quoted
from gapcli.domain.numbers import parse_float
from gapcli.errors import InvalidValue


class Assessed(NamedTuple):
    current: int
    target: int


class LearnerState(NamedTuple):
    """The newest self-assessment per domain, finished topics, math level, logged time.

    ``todo`` holds the topics the learner says they have not done although their
    % (or math level) would count them as known: the % is spent on the domain's
    other topics instead, and a to-do topic counts only the time logged on it.
    A topic is in ``done`` or in ``todo`` (its newest mark decides), never both.
    """

    assessments: Mapping[str, Assessed] = MappingProxyType({})
    done: frozenset[str] = frozenset()
    math_level: str | None = None
    logged_minutes: Mapping[str, int] = MappingProxyType({})
    todo: frozenset[str] = frozenset()


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
