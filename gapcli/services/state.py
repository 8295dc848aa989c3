"""Read the learner's current state out of the store, aggregated in SQL."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from gapcli.domain.away import AwayRange
from gapcli.domain.calendar import parse_clock, parse_study_days
from gapcli.domain.learner import Assessed, LearnerState, MarkReplay
from gapcli.domain.settings import (
    CatalogKey,
    SettingKey,
    parse_day_hours,
    parse_min_session,
    parse_review_share,
    parse_weekly_hours,
)
from gapcli.errors import DatabaseError, GapError, NotInitialised
from gapcli.services import steps_cache
from gapcli.services.cards import read_card_rows
from gapcli.store import queries
from gapcli.views.settings import Settings
from gapcli.views.snapshot import Snapshot

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog
    from gapcli.domain.reviews import CardRows
    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.services.workspace import Workspace
    from gapcli.store.queries import ProfileRow


def learner_state(conn: sqlite3.Connection) -> LearnerState:
    """The learner as of now: each domain's assessment and the math level *dated* last.

    Newest by ``at``, not by row id: ``assess --date`` appends a row about the
    past after newer ones, and that row is history, not where the learner stands.
    Equal moments fall back to the order they were saved in.
    """
    assessments: dict[str, Assessed] = {}
    for row in sorted(queries.assessments(conn), key=lambda r: (r.at, r.id)):
        assessments[row.domain_id] = Assessed(row.current, row.target, row.at)
    levels = sorted(queries.math_levels(conn), key=lambda r: (r.at, r.id))
    marks = MarkReplay()
    for mark in queries.topic_marks(conn):
        marks.apply(mark.topic_id, mark.done, mark.id, mark.at)
    return marks.state(
        assessments, levels[-1].level if levels else None, queries.logged_minutes(conn)
    )


class Stored(NamedTuple):
    """What the database holds about the learner, before a catalog gives it meaning."""

    settings: Settings
    state: LearnerState
    minutes_by_day: dict[date, int]
    away: tuple[AwayRange, ...]
    card_rows: CardRows


def read_profile(conn: sqlite3.Connection) -> ProfileRow:
    row = queries.profile(conn)
    if row is None:
        raise NotInitialised("no profile yet; run 'gapcli init' first")
    return row


def read_stored(ws: Workspace) -> Stored:
    """Profile, settings history and progress, read in one read-only transaction."""
    db = ws.database()
    with db.read() as conn:
        settings = read_settings(conn)
        state = learner_state(conn)
        by_day = queries.minutes_by_day(conn)
        away = tuple(queries.away_ranges(conn))
        card_rows = read_card_rows(conn)
    return Stored(settings, state, by_day, away, card_rows)


def read_settings(conn: sqlite3.Connection) -> Settings:
    """The profile's settings as of now: init's values with every ``config set`` over them.

    ``conn`` sees one profile (a scoped read); ``team`` calls it once per learner.
    """
    profile = read_profile(conn)
    return with_changes(
        Settings(
            track=profile.track,
            weekly_hours=profile.weekly_hours,
            study_days=parse_study_days(profile.study_days),
            start_date=profile.start_date,
            study_time=profile.study_time,
            catalog_id=profile.catalog_id,
            catalog_source=profile.catalog_source,
        ),
        queries.setting_changes(conn),
    )


def snapshot(ws: Workspace) -> Snapshot:
    """Profile, catalog and state, read in one read-only transaction."""
    stored = read_stored(ws)
    settings = stored.settings
    return snapshot_with(ws.profile_catalog(settings.catalog_id, settings.catalog_source), stored)


def snapshot_with(loaded: LoadedCatalog, stored: Stored) -> Snapshot:
    """The stored learner seen through ``loaded``: ids it lacks are set aside and named.

    Its cards and plans may start from FSRS's answers kept by earlier commands.
    """
    steps_cache.attach()
    settings, state, vanished = reconcile(loaded.catalog, stored.settings, stored.state)
    return Snapshot(
        loaded, settings, state, vanished, stored.minutes_by_day, stored.away, stored.card_rows
    )


def with_changes(base: Settings, history: list[queries.SettingRow]) -> Settings:
    """``base`` (the profile row) with each key's newest ``config set`` value over it.

    Nothing is overwritten in place: the profile keeps what ``init`` stored and
    the history every later value, so undoing a change shows the one before.
    A value this gapcli cannot read (edited by hand) is refused by name.
    """
    settings = base
    changed: dict[str, datetime] = {}
    for row in history:
        changed[row.key] = row.at
        if row.key == CatalogKey.SOURCE:
            settings = settings._replace(catalog_source=row.value)
            continue
        if row.key == CatalogKey.ID:
            settings = settings._replace(catalog_id=row.value)
            continue
        try:
            settings = _apply(settings, SettingKey(row.key), row.value)
        except (ValueError, GapError) as exc:
            raise DatabaseError(
                f"the settings history holds {row.key[:40]!r} = {row.value[:40]!r} "
                f"(row {row.id}), which this gapcli cannot use: {exc}"
            ) from None
    return settings._replace(changed=changed, last_row=history[-1].id if history else 0)


def _apply(settings: Settings, key: SettingKey, value: str) -> Settings:
    match key:
        case SettingKey.WEEKLY_HOURS:
            return settings._replace(weekly_hours=parse_weekly_hours(value))
        case SettingKey.STUDY_DAYS:
            return settings._replace(study_days=parse_study_days(value))
        case SettingKey.DAY_HOURS:
            return settings._replace(day_hours=parse_day_hours(value))
        case SettingKey.STUDY_TIME:
            return settings._replace(study_time=parse_clock(value, what="study-time"))
        case SettingKey.MIN_SESSION:
            return settings._replace(min_session=parse_min_session(value))
        case SettingKey.TRACK:
            return settings._replace(track=value)
        case SettingKey.REVIEW_SHARE:
            return settings._replace(review_share=parse_review_share(value))


def reconcile(
    catalog: Catalog, settings: Settings, state: LearnerState
) -> tuple[Settings, LearnerState, tuple[str, ...]]:
    """Set aside, for this computation only, ids the catalog no longer has; name them.

    Nothing is deleted: the rows stay in the database and count again if the
    ids come back.
    """
    vanished: set[str] = set()
    assessments: dict[str, Assessed] = {}
    for domain_id, value in state.assessments.items():
        if domain_id in catalog.domain_by_id:
            assessments[domain_id] = value
        else:
            vanished.add(domain_id)
    done = frozenset(t for t in state.done if t in catalog.topic_by_id)
    vanished |= state.done - done
    todo = frozenset(t for t in state.todo if t in catalog.topic_by_id)
    vanished |= state.todo - todo
    logged = {t: m for t, m in state.logged_minutes.items() if t in catalog.topic_by_id}
    vanished |= set(state.logged_minutes) - set(logged)
    level = state.math_level if state.math_level in catalog.level_by_id else None
    if state.math_level and level is None:
        vanished.add(state.math_level)
    if settings.track not in catalog.track_by_id and settings.track != "all":
        vanished.add(settings.track)
        settings = settings._replace(track="all")
    state = LearnerState(assessments, done, level, logged, todo, state.todo_ended)
    return settings, state, tuple(sorted(vanished))
