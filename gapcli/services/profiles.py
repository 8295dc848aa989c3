"""Several learners in one store: listing, renaming and removing profiles.

Each profile's rows are its own (:mod:`gapcli.store.scope`); these commands are
the only ones that look at the store's profiles side by side. Removing one is
destructive, so it is backed up first, as ``reset`` is, and done in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.domain.profiles import check_profile_name
from gapcli.errors import GapError, InvalidValue, UnknownProfile
from gapcli.store.queries import moment

if TYPE_CHECKING:
    from gapcli.services.server_backup import ExportToJson
    from gapcli.services.workspace import Workspace
    from gapcli.store.scope import ProfileSummary


@dataclass(frozen=True)
class ProfileLine:
    name: str
    track: str
    catalog: str
    sessions: int
    last_study_day: date | None
    created: date
    chosen: bool  # the one --profile, $GAPCLI_PROFILE or "the only one" picks


def list_profiles(ws: Workspace) -> list[ProfileLine]:
    """Every profile of the store, by name, the chosen one marked (if one is)."""
    from gapcli.domain.profiles import choose_profile
    from gapcli.store.scope import profile_summaries

    db = ws.database()
    with db.read(scoped=False) as conn:
        found = profile_summaries(conn)
    names = [p.name for p in found]
    wanted = ws.profile
    try:
        chosen = choose_profile(names, wanted, ws.db_label)
    except UnknownProfile:
        if wanted is not None:
            raise
        chosen = None  # several and none picked: listed, none marked
    return [_line(p, p.name == chosen) for p in found]


def _line(p: ProfileSummary, chosen: bool) -> ProfileLine:
    return ProfileLine(
        name=p.name,
        track=p.track,
        catalog=p.catalog_id,
        sessions=p.sessions,
        last_study_day=date.fromisoformat(p.last_day) if p.last_day else None,
        created=moment(p.created_at).date(),
        chosen=chosen,
    )


def profile_names(ws: Workspace) -> list[str]:
    """The store's profile names (for completion); none when it cannot be read."""
    from gapcli.store.scope import profile_names as names

    try:
        with ws.database().read(scoped=False) as conn:
            return [p.name for p in names(conn)]
    except GapError:
        return []


def rename_profile(ws: Workspace, old: str, new: str) -> None:
    """Rename profile ``old`` to ``new`` (a name the store does not hold), in one write."""
    from sqlmodel import col, select

    from gapcli.store.tables import Profile

    check_profile_name(old)
    check_profile_name(new)
    db = ws.database()
    with db.write(scoped=False) as session:
        rows = {p.name: p for p in session.exec(select(Profile)).all()}
        if old not in rows:
            raise UnknownProfile(_missing(old, ws.db_label, list(rows)))
        if new == old:
            raise InvalidValue(f"the profile is already called '{new}'; nothing changed")
        if new in rows:
            raise InvalidValue(
                f"{ws.db_label} already holds a profile '{new}'; pick another name "
                f"(or remove that one first: gapcli profile remove {new} --yes)"
            )
        profile = session.exec(select(Profile).where(col(Profile.name) == old)).one()
        profile.name = new
        session.add(profile)


@dataclass(frozen=True)
class Removed:
    name: str
    backup: Path
    left: tuple[str, ...]  # the profiles the store still holds


def remove_profile(ws: Workspace, name: str, to_json: ExportToJson | None = None) -> Removed:
    """Back the store up, then delete profile ``name`` and all its rows in one transaction."""
    from sqlmodel import select

    from gapcli.store.backup import BackupReason
    from gapcli.store.tables import Profile
    from gapcli.store.wipe import wipe_profile

    check_profile_name(name)
    db = ws.database()  # a missing or unfinished file is refused before any backup
    if name not in profile_names(ws):
        with db.read(scoped=False) as conn:
            from gapcli.store.scope import profile_names as names

            raise UnknownProfile(_missing(name, ws.db_label, [p.name for p in names(conn)]))
    from gapcli.services.server_backup import backup_before

    backup = backup_before(ws, BackupReason.PRE_RESET, to_json)
    with db.write(scoped=False) as session:
        rows = {p.name: p.id for p in session.exec(select(Profile)).all()}
        pid = rows.get(name)
        if pid is None:  # removed by another gapcli meanwhile
            raise UnknownProfile(_missing(name, ws.db_label, list(rows)))
        wipe_profile(session, pid)
    return Removed(name, backup, tuple(sorted(n for n in rows if n != name)))


def _missing(name: str, path: str | Path, names: list[str]) -> str:
    have = ", ".join(sorted(names)) or "none yet"
    return f"no profile '{name}' in {path} (profiles: {have})"
