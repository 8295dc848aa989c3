"""The learner's newest note per topic, for the reads that mark or show it.

Kept apart from ``services.notes`` (which writes and resolves notes) so that
``today`` and ``plan`` load only the query, not the write path's imports.
"""

from __future__ import annotations

from gapcli.services.workspace import Workspace
from gapcli.store import queries


def newest_notes(ws: Workspace) -> dict[str, str]:
    """Each noted topic's newest note: ``plan`` marks those topics, ``today`` shows the text."""
    with ws.database().read() as conn:
        return queries.newest_notes(conn)
