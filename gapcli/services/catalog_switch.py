"""``gapcli catalog switch``: move an existing profile to another catalog, knowingly.

A catalog gives the learner's rows their meaning: a domain's % or a finished
topic counts only where the new catalog has the same id. Nothing is deleted or
rewritten: the switch appends the new catalog (and, when the old track is not
in it, a track) to the settings history under one change, so ``undo`` takes it
back and every row the new catalog cannot use counts again after a switch back.
Without ``--yes`` nothing is written; the learner first sees what carries over.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.matching import resolve
from gapcli.domain.settings import CatalogKey, SettingKey
from gapcli.errors import GapError, InvalidValue
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.services.profile import now
from gapcli.services.state import Stored, read_stored, snapshot_with
from gapcli.views.catalog_switch import CatalogSwitch
from gapcli.views.snapshot import Snapshot

if TYPE_CHECKING:
    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.services.workspace import Workspace

BUILTIN_WORD = "builtin"  # what the learner types for the catalog shipped with gapcli


def _load(text: str) -> LoadedCatalog:
    from gapcli.services.catalogs import load_builtin_catalog, load_catalog

    if text.strip().lower() == BUILTIN_WORD:
        return load_builtin_catalog()
    return load_catalog(Path(text))


def _finish(snap: Snapshot, today: date) -> date | None:
    try:
        return plan_for(snap, PlanRequest(start=today, today=today)).finish
    except GapError:
        return None


def _old_finish(ws: Workspace, stored: Stored, today: date) -> date | None:
    """The finish with the catalog in use, when it still loads (a moved file does not)."""
    settings = stored.settings
    try:
        loaded = ws.profile_catalog(settings.catalog_id, settings.catalog_source)
    except GapError:
        return None
    return _finish(snapshot_with(loaded, stored), today)


def _track_after(loaded: LoadedCatalog, track: str, wanted: str | None) -> str:
    catalog = loaded.catalog
    names = {t.id: t.name for t in catalog.tracks} | {"all": "All domains"}
    if wanted is not None:
        return resolve(wanted, names, "track")
    if track in names:
        return track
    return catalog.default_track().id if catalog.tracks else "all"


def switch_catalog(
    ws: Workspace, source_text: str, today: date, *, track: str | None, write: bool
) -> CatalogSwitch:
    """What moving to the catalog at ``source_text`` keeps; written only when ``write``."""
    loaded = _load(source_text)
    stored = read_stored(ws)
    settings = stored.settings
    track_after = _track_after(loaded, settings.track, track)
    if loaded.catalog.id == settings.catalog_id and loaded.source == settings.catalog_source:
        raise InvalidValue(
            f"this profile already uses the catalog '{loaded.catalog.id}' "
            f"({_shown(loaded.source)}); nothing to switch (a track: 'gapcli config set track ID')"
        )
    catalog = loaded.catalog
    state = stored.state
    assessed = sorted(state.assessments)
    topics = sorted(state.done | state.todo | set(state.logged_minutes))
    moved = stored._replace(
        settings=settings._replace(
            catalog_id=catalog.id,
            catalog_source=loaded.source,
            track=track_after,
        ),
    )
    result = CatalogSwitch(
        old_id=settings.catalog_id,
        old_source=settings.catalog_source,
        new_id=catalog.id,
        new_name=catalog.name,
        new_source=loaded.source,
        domains_kept=tuple(d for d in assessed if d in catalog.domain_by_id),
        domains_set_aside=tuple(d for d in assessed if d not in catalog.domain_by_id),
        topics_kept=tuple(t for t in topics if t in catalog.topic_by_id),
        topics_set_aside=tuple(t for t in topics if t not in catalog.topic_by_id),
        math_level_kept=(
            None if state.math_level is None else state.math_level in catalog.level_by_id
        ),
        track_before=settings.track,
        track_after=track_after,
        logged_hours=round(sum(stored.minutes_by_day.values()) / 60, 1),
        finish_before=_old_finish(ws, stored, today),
        finish_after=_finish(snapshot_with(loaded, moved), today),
        switched=False,
    )
    if not write:
        return result
    _write(ws, settings.last_row, result)
    return replace(result, switched=True)


def _write(ws: Workspace, last_row: int, switch: CatalogSwitch) -> None:
    """One change: the catalog's source and id (and the track when it moves)."""
    from sqlalchemy import func
    from sqlmodel import select

    from gapcli.store.tables import Change, SettingChange

    stamp = now()
    values = [(CatalogKey.SOURCE.value, switch.new_source), (CatalogKey.ID.value, switch.new_id)]
    if switch.track_after != switch.track_before:
        values.append((SettingKey.TRACK.value, switch.track_after))
    with ws.database().write() as session:
        newest = session.exec(select(func.max(SettingChange.id))).one()
        if (newest or 0) != last_row:
            raise InvalidValue("the settings changed meanwhile; run 'gapcli catalog switch' again")
        change = Change(
            at=stamp,
            kind=ChangeKind.SETTING,
            summary=(
                f"switched the catalog from '{switch.old_id}' to '{switch.new_id}' "
                f"({_shown(switch.new_source)})"
            ),
            undo=record_to_json(AddedRows()),
        )
        session.add(change)
        session.flush()
        for key, value in values:
            session.add(SettingChange(at=stamp, key=key, value=value, change_id=change.id))


def _shown(source: str) -> str:
    from gapcli.services.catalogs import BUILTIN

    return "the built-in catalog" if source == BUILTIN else source
