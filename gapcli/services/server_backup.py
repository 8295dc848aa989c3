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

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcli import clock
from gapcli.services.workspace import Workspace, default_db_path

if TYPE_CHECKING:
    from gapcli.store.backup import BackupReason
    from gapcli.store.database import Database
    from gapcli.views.export import Export

# The export as JSON data (gapcli.render.json_export.export_document): given by the cli,
# as services do not import render.
ExportToJson = Callable[["Export"], dict[str, Any]]

KIND = "gapcli-server-backup"
VERSION = 1
STAMP = "%Y%m%d-%H%M%S-%f"


def backup_document(ws: Workspace, to_json: ExportToJson) -> dict[str, Any]:
    """Every profile of the store as its JSON export, in one document."""
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
        documents.append(to_json(data))
    return {"kind": KIND, "version": VERSION, "store": ws.db_label, "profiles": documents}


def write_backup(ws: Workspace, destination: Path, to_json: ExportToJson, *, force: bool) -> Path:
    """``db backup FILE`` on a server: the document, written atomically (0600)."""
    import json

    from gapcli.atomic import write_atomic

    text = json.dumps(backup_document(ws, to_json), indent=2, ensure_ascii=False) + "\n"
    return write_atomic(destination, text.encode("utf-8"), force=force)


def safety_backup(ws: Workspace, reason: str, to_json: ExportToJson) -> Path:
    """The backup taken before a destructive command, in the server backups folder."""
    from gapcli.files import make_private_folders

    folder = server_backups_dir()
    make_private_folders(folder)
    name = f"server-{clock.real_now().strftime(STAMP)}-{reason}.json"
    return write_backup(ws, folder / name, to_json, force=False)


def server_backups_dir() -> Path:
    """Where automatic backups of server stores go: beside the default database."""
    return default_db_path().with_name("server-backups")


def backup_before(ws: Workspace, reason: BackupReason, to_json: ExportToJson | None) -> Path:
    """The automatic backup before a destructive command, on either store."""
    if ws.on_server:
        if to_json is None:  # a caller that cannot back a server store up must not delete
            raise NotImplementedError("a server store's backup needs the JSON export")
        return safety_backup(ws, reason.value, to_json)
    from gapcli.store.backup import automatic_backup

    return automatic_backup(ws.db_path, reason)


def restore_server(ws: Workspace, source: Path, to_json: ExportToJson) -> Path | None:
    """Rebuild the server store from a backup document, in one transaction: every
    profile of the store is deleted and every profile of ``source`` written back (each
    checked as ``import`` checks an export, all before anything changes). What the
    store held is backed up first; returns that backup (None: the store was empty)."""
    import json

    from gapcli.errors import InvalidValue
    from gapcli.files import read_regular
    from gapcli.services.importing import MAX_IMPORT_BYTES, parse_export, write_document
    from gapcli.store.pg_database import create_pg_database, follow_sequences, stored_revision

    try:
        raw = read_regular(source, MAX_IMPORT_BYTES)
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise InvalidValue(f"cannot read {source} as a gapcli server backup: {exc}") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise InvalidValue(
            f"{source} is not a gapcli server backup (from 'gapcli db backup' on PostgreSQL); "
            "a single learner's export goes in with 'gapcli import'"
        )
    if data.get("version") != VERSION or not isinstance(data.get("profiles"), list):
        raise InvalidValue(f"{source}: unknown server backup version {data.get('version')!r}")
    parsed = []
    for doc in data["profiles"]:
        export = parse_export(source, json.dumps(doc).encode("utf-8"))
        own = Workspace(db_option=ws.db_option, catalog_option=ws.catalog_option)
        parsed.append((export, own.catalog(export.profile.catalog.source)))
    kept = None
    if stored_revision(ws.location) is not None:
        kept = safety_backup(ws, "pre-restore", to_json)

    def rebuild(db: Database) -> None:
        from sqlmodel import select

        from gapcli.store.os_user import default_profile_name
        from gapcli.store.tables import Profile
        from gapcli.store.wipe import wipe_profile

        with db.write(scoped=False) as session:
            for pid in session.exec(select(Profile.id)).all():
                if pid is not None:
                    wipe_profile(session, pid)
            session.flush()
            for export, loaded in parsed:
                name = export.profile.name or default_profile_name()
                write_document(session, source, export, loaded, ws.db_label, name, keep_ids=True)
                session.flush()
                follow_sequences(session)

    create_pg_database(ws.location, rebuild)
    return kept
