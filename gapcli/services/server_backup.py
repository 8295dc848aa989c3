"""Backups of a store on a PostgreSQL server: gapcli's JSON export of every profile.

SQLite's backups are online copies of the file (:mod:`gapcli.store.backup`); a server
database has no file to copy, and copying the server itself is ``pg_dump``'s job. What
gapcli can keep is what ``gapcli import`` reads back: one JSON export document per
profile, gathered in one file. ``db backup FILE`` writes it; ``reset`` and ``profile
remove`` write one before they delete anything (into the folder beside the default
database, ``server-backups/``), and a migration on the server runs in one transaction
(PostgreSQL's DDL is transactional: a failed migration leaves the schema as it was).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcli import clock
from gapcli.services.workspace import Workspace, default_db_path

if TYPE_CHECKING:
    from gapcli.store.backup import BackupReason

KIND = "gapcli-server-backup"
VERSION = 1
STAMP = "%Y%m%d-%H%M%S-%f"


def backup_document(ws: Workspace) -> dict[str, Any]:
    """Every profile of the store as its JSON export, in one document."""
    from gapcli.render.json_export import export_document
    from gapcli.services.export import gather
    from gapcli.store.scope import profile_names

    with ws.database().read(scoped=False) as conn:
        names = [p.name for p in profile_names(conn)]
    today = clock.today()
    documents = []
    for name in names:
        own = Workspace(db_option=ws.db_option, catalog_option=ws.catalog_option)
        own.profile_option = name
        data = gather(own, start=today, today=today, study_time=None)
        documents.append(export_document(data))
    return {"kind": KIND, "version": VERSION, "store": ws.db_label, "profiles": documents}


def write_backup(ws: Workspace, destination: Path, *, force: bool) -> Path:
    """``db backup FILE`` on a server: the document, written atomically (0600)."""
    from gapcli.atomic import write_atomic
    from gapcli.render.json_data import json_text

    text = json_text(backup_document(ws))
    return write_atomic(destination, text.encode("utf-8"), force=force)


def safety_backup(ws: Workspace, reason: str) -> Path:
    """The backup taken before a destructive command, in the server backups folder."""
    from gapcli.files import make_private_folders

    folder = server_backups_dir()
    make_private_folders(folder)
    name = f"server-{clock.real_now().strftime(STAMP)}-{reason}.json"
    return write_backup(ws, folder / name, force=False)


def server_backups_dir() -> Path:
    """Where automatic backups of server stores go: beside the default database."""
    return default_db_path().with_name("server-backups")


def backup_before(ws: Workspace, reason: BackupReason) -> Path:
    """The automatic backup before a destructive command, on either store."""
    if ws.on_server:
        return safety_backup(ws, reason.value)
    from gapcli.store.backup import automatic_backup

    return automatic_backup(ws.db_path, reason)
