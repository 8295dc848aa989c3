"""What gapcli knows about the learner, as plain values (no database).

Records here and across the read path are NamedTuples rather than frozen dataclasses:
as immutable, and much cheaper to define, which every command pays at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

from gapcli.domain.echo import quoted
from gapcli.domain.numbers import parse_float
from gapcli.errors import InvalidValue


class Assessed(NamedTuple):
    current: int
    target: int
    at: datetime | None = None  # when it was made (None: before every mark)


class LearnerState(NamedTuple):
    """The newest self-assessment per domain, finished topics, math level, logged time.

    ``todo`` holds the topics the learner says they have not done although their
    % (or math level) would count them as known: the % is spent on the domain's
    other topics instead, and a to-do topic counts only the time logged on it.
    A topic is in ``done`` or in ``todo`` (its newest mark decides), never both.

    ``todo_ended`` holds finished topics that were marked not done yet until
    then, with the moment the done mark was saved. One finished after its
    domain's newest assessment stays set aside from that assessment's %:
    the learner gave the % without it, so finishing it adds its whole hours
    (counted as done, it would fall inside the % and add nothing).
    """

    assessments: Mapping[str, Assessed] = MappingProxyType({})
    done: frozenset[str] = frozenset()
    math_level: str | None = None
    logged_minutes: Mapping[str, int] = MappingProxyType({})
    todo: frozenset[str] = frozenset()
    todo_ended: Mapping[str, datetime] = MappingProxyType({})


class MarkReplay:
    """Done and to-do marks applied in the order they were saved, as the store reads them.

    The snapshot, ``history`` and the weekly replay all read marks through this,
    so they agree on each topic's standing mark and on ``todo_ended``.
    """

    def __init__(self) -> None:
        self.done: set[str] = set()
        self.todo: set[str] = set()
        self.todo_ended: dict[str, datetime] = {}
        self._seq: dict[str, int] = {}

    @classmethod
    def of(cls, state: LearnerState) -> MarkReplay:
        """The marks ``state`` holds, to apply a new one on top (it stands: no seq)."""
        replay = cls()
        replay.done, replay.todo = set(state.done), set(state.todo)
        replay.todo_ended = dict(state.todo_ended)
        return replay

    def apply(self, topic_id: str, done: bool, seq: int, at: datetime) -> bool:
        """Apply one mark; False (and nothing changes) if a mark saved later already stands.

        ``seq`` is the mark's place in the store (its row id): a mark dated back
        does not undo one saved after it.
        """
        if seq < self._seq.get(topic_id, seq):
            return False
        self._seq[topic_id] = seq
        if done:
            if topic_id in self.todo:
                self.todo_ended[topic_id] = at
            self.todo.discard(topic_id)
            self.done.add(topic_id)
        else:
            self.todo_ended.pop(topic_id, None)
            self.done.discard(topic_id)
            self.todo.add(topic_id)
        return True

    def state(
        self,
        assessments: Mapping[str, Assessed],
        math_level: str | None,
        logged_minutes: Mapping[str, int],
    ) -> LearnerState:
        return LearnerState(
            assessments,
            frozenset(self.done),
            math_level,
            logged_minutes,
            frozenset(self.todo),
            dict(self.todo_ended),
        )


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
