"""``gapcli note`` and ``notes``: a note as shown, with its topic's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.store.queries import NoteRow


@dataclass(frozen=True)
class NoteEntry:
    """A note as shown: the topic's id and name with it."""

    note: NoteRow
    topic_name: str
