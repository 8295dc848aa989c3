"""``gapcli config``: show the learner's settings and change one, kept as history.

A change appends a ``setting_change`` row under a ``setting`` change (undo
deletes the rows carrying its id); the profile row keeps what ``init`` stored.
The plan's finish is computed before and after, so the learner sees what the
change buys.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from gapcli.domain.calendar import format_study_days
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.matching import resolve
from gapcli.domain.settings import (
    SettingKey,
    check_settings,
    format_day_hours,
    normalise,
    parse_key,
)
from gapcli.errors import InvalidValue
from gapcli.services.planning import PlanRequest, plan_for
from gapcli.services.profile import now
from gapcli.services.state import snapshot, with_changes
from gapcli.views.config import ConfigView, SetResult, SettingLine
from gapcli.views.settings import Settings
from gapcli.views.snapshot import Snapshot

if TYPE_CHECKING:
    from gapcli.services.workspace import Workspace


def shown_value(settings: Settings, key: SettingKey) -> str:
    """A setting in the form ``config set`` takes it."""
    match key:
        case SettingKey.WEEKLY_HOURS:
            return f"{settings.weekly_hours:g}"
        case SettingKey.STUDY_DAYS:
            return format_study_days(settings.study_days)
        case SettingKey.DAY_HOURS:
            return format_day_hours(settings.day_hours)
        case SettingKey.STUDY_TIME:
            return settings.study_time
        case SettingKey.MIN_SESSION:
            return str(settings.min_session)
        case SettingKey.TRACK:
            return settings.track
        case SettingKey.REVIEW_SHARE:
            return str(settings.review_share)


def show_config(ws: Workspace) -> ConfigView:
    from gapcli.store import queries

    snap = snapshot(ws)
    with ws.database().read() as conn:
        history = tuple(queries.setting_changes(conn))
    settings = snap.settings
    lines = tuple(
        SettingLine(key.value, shown_value(settings, key), settings.changed.get(key.value))
        for key in SettingKey
    )
    return ConfigView(lines, settings, snap.catalog.id, snap.catalog.name, history)


def _finish(snap: Snapshot, today: date) -> date | None:
    """The plan's finish from today; None when there is nothing to plan or no plan can be made."""
    try:
        return plan_for(snap, PlanRequest(start=today, today=today)).finish
    except InvalidValue:
        return None


def set_setting(ws: Workspace, key_text: str, value_text: str, today: date) -> SetResult:
    """Check the value as ``init`` would, append it, and say what it does to the finish."""
    from sqlalchemy import func
    from sqlmodel import select

    from gapcli.store.queries import SettingRow
    from gapcli.store.tables import Change, SettingChange

    key = parse_key(key_text)
    value = normalise(key, value_text)
    snap = snapshot(ws)
    if key is SettingKey.TRACK:
        names = {t.id: t.name for t in snap.catalog.tracks} | {"all": "All domains"}
        value = resolve(value, names, "track")
    current = snap.settings
    before = shown_value(current, key)
    stamp = now()
    row = SettingRow(current.last_row + 1, stamp, key.value, value, None)
    updated = with_changes(current, [row])
    check_settings(updated.weekly_hours, updated.study_days, updated.day_hours)
    if value == before:
        finish = _finish(snap, today)
        return SetResult(key, before, value, finish, finish, changed=False)
    finish_before = _finish(snap, today)
    finish_after = _finish(snap._replace(settings=updated), today)
    with ws.database().write() as session:
        newest = session.exec(select(func.max(SettingChange.id))).one()
        if (newest or 0) != current.last_row:
            raise InvalidValue("the settings changed meanwhile; run 'gapcli config set' again")
        change = Change(
            at=stamp,
            kind=ChangeKind.SETTING,
            summary=f"set {key.value} to {value} (was {before})",
            undo=record_to_json(AddedRows()),
        )
        session.add(change)
        session.flush()
        session.add(SettingChange(at=stamp, key=key.value, value=value, change_id=change.id))
    return SetResult(key, before, value, finish_before, finish_after, changed=True)
