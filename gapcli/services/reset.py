"""Starting over: ``gapcli reset``, and ``init`` replacing an untouched demo learner.

Both take an automatic backup first (``BackupReason.PRE_RESET``, restorable with
``gapcli db restore``), then empty the database in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gapcli.errors import GapError

if TYPE_CHECKING:
    from pathlib import Path

    from gapcli.services.server_backup import ExportToJson
    from gapcli.services.workspace import Workspace


@dataclass(frozen=True)
class ResetResult:
    path: str | Path
    backup: Path


def demo_assessments(ws: Workspace) -> dict[str, tuple[int, int]]:
    """The catalog's demo learner as domain -> (current, target); empty without one."""
    demo = ws.catalog(ws.recorded_catalog()).catalog.demo
    if demo is None:
        return {}
    return {d: (a.current, a.target) for d, a in demo.assessments.items()}


def holds_only_demo_learner(ws: Workspace) -> bool:
    """Whether the database holds the demo learner and nothing else (see ``holds_only_demo``).

    Any problem reading it answers no: ``init`` then reports the file as it always has.
    """
    from gapcli.services.workspace import Workspace

    if not ws.db_path.is_file():
        return False
    # A workspace of its own: the check reads the catalog the profile was made with,
    # which need not be the one ``init`` is about to use.
    own = Workspace(
        db_option=ws.db_path, catalog_option=ws.catalog_option, profile_option=ws.profile
    )
    from gapcli.store.wipe import holds_only_demo

    try:
        demo = demo_assessments(own)
        db = own.database()
    except GapError:
        return False
    try:
        with db.orm_read() as session:
            pid = session.info.get("profile_id")
            return pid is not None and holds_only_demo(session, demo, pid)
    except GapError:
        return False
    finally:
        db.dispose()


def reset_database(ws: Workspace, to_json: ExportToJson | None = None) -> ResetResult:
    """Back the database up, then delete every row of the chosen profile (and the
    profile) in one transaction; the store's other profiles stay as they are."""
    from gapcli.store.backup import BackupReason
    from gapcli.store.wipe import wipe_profile

    db = ws.database()  # refuses a missing or unfinished file, before any backup
    db.profile_id  # noqa: B018  (refuses an unknown or unchosen profile, before any backup)
    from gapcli.services.server_backup import backup_before

    backup = backup_before(ws, BackupReason.PRE_RESET, to_json)
    with db.write() as session:
        pid = session.info.get("profile_id")
        if pid is not None:
            wipe_profile(session, pid)
    return ResetResult(path=ws.db_label, backup=backup)
