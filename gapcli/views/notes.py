"""``gapcli note`` and ``notes``: a note as shown, with its topic's name."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gapcli.store.queries import NoteRow


class NoteEntry(NamedTuple):
    """A note as shown: the topic's id and name with it."""

    note: NoteRow
    topic_name: str
