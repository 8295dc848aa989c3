"""Creating the learner's profile and reading it back."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from gapcli import clock
from gapcli.domain.calendar import (
    check_week,
    check_weekly_hours,
    format_study_days,
    parse_clock,
    parse_study_days,
)
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.matching import resolve
from gapcli.errors import AlreadyInitialised, InvalidValue
from gapcli.services.state import read_profile as read_profile  # where export finds it
from gapcli.store.os_user import default_profile_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.services.workspace import Workspace
    from gapcli.store.database import Database
    from gapcli.store.tables import Change, Profile

DEFAULT_WEEKLY_HOURS = 6.0
DEFAULT_STUDY_DAYS = "mon,wed,sat"
DEFAULT_STUDY_TIME = "19:00"


class InitResult(NamedTuple):
    profile: str
    path: str
    track: str
    track_name: str
    weekly_hours: float
    study_days: str
    assessed: int
    catalog: str
    study_time: str
    todo: tuple[str, ...] = ()  # the demo's topics marked not done yet


def now() -> datetime:
    """When a change is stamped: the one clock's now (``GAPCLI_TODAY`` moves it too)."""
    return clock.now()


def use_demo_file(ws: Workspace, demo: bool) -> bool:
    """Point ``init --demo`` at its own file when no database was named; True if so.

    The example learner used to go into the learner's real database, and their own
    ``init`` then refused to run.
    """
    if not demo or not ws.db_is_default():
        return False
    from gapcli.services.workspace import demo_db_path

    ws.db_option = demo_db_path()
    return True


def init_profile(
    ws: Workspace,
    *,
    track: str | None,
    weekly_hours: float | None,
    study_days: str | None,
    demo: bool,
    today: date,
    study_time: str | None = None,
    replace_demo: bool = False,
    before_replacing: Callable[[], None] | None = None,
) -> InitResult:
    """Validate everything first, then create the database and profile in one go.

    ``replace_demo``: the database holds only the demo learner (the caller asked);
    it is backed up, then emptied and refilled in the same transaction.
    ``before_replacing`` runs once everything given is valid, before the backup: the
    CLI asks its question there, so a typo is reported before the learner answers.
    """
    from gapcli.store.database import create_database
    from gapcli.store.probe import FileState, probe
    from gapcli.store.tables import Assessment, MathAssessment, TopicProgress
    from gapcli.store.wipe import holds_only_demo, wipe_profile

    loaded = ws.catalog()
    catalog = loaded.catalog
    demo_data = catalog.demo if demo else None
    if demo and demo_data is None:
        raise InvalidValue(f"catalog '{catalog.id}' has no demo learner")
    names = {t.id: t.name for t in catalog.tracks} | {"all": "All domains"}
    if track is not None:
        track_id = resolve(track, names, "track")
    elif demo_data is not None and demo_data.track:
        track_id = demo_data.track
    else:
        track_id = catalog.default_track().id
    hours = check_weekly_hours(
        weekly_hours
        if weekly_hours is not None
        else (
            demo_data.weekly_hours
            if demo_data and demo_data.weekly_hours
            else DEFAULT_WEEKLY_HOURS
        )
    )
    days_text = (
        study_days
        if study_days is not None
        else (
            ",".join(demo_data.study_days)
            if demo_data and demo_data.study_days
            else DEFAULT_STUDY_DAYS
        )
    )
    days = parse_study_days(days_text)
    check_week(hours, days)
    clock = parse_clock(study_time) if study_time is not None else DEFAULT_STUDY_TIME

    path = ws.db_path
    stamp = now()
    assessed = 0

    name_made = ""

    def write_profile(db: Database) -> None:
        nonlocal assessed, name_made
        with db.write(scoped=False) as session:
            existing = _profile_to_init(session, ws.db_label, ws.profile)
            if (
                existing is not None
                and existing.id is not None
                and replace_demo
                and holds_only_demo(session, replaced, existing.id)
            ):
                wipe_profile(session, existing.id)
                session.expunge(existing)
                name = existing.name
                existing = None
            else:
                name = ws.profile or default_profile_name()
            if existing is not None:
                named = f"profile '{existing.name}'" if ws.profile else "a profile"
                raise AlreadyInitialised(
                    f"{ws.db_label} already holds {named} (track {existing.track}, created "
                    f"{existing.created_at:%Y-%m-%d}); nothing changed. Add another learner "
                    "with 'gapcli init --profile NAME', or use --db for another file"
                )
            change = add_profile(
                session,
                loaded,
                summary=f"created the profile {name} ({track_id})",
                name=name,
                track=track_id,
                weekly_hours=hours,
                study_days=days,
                start_date=today,
                created_at=stamp,
                study_time=clock,
            )
            name_made = name
            if demo_data is not None:
                for domain_id, value in demo_data.assessments.items():
                    session.add(
                        Assessment(
                            at=stamp,
                            domain_id=domain_id,
                            current=value.current,
                            target=value.target,
                            change_id=change.id,
                        )
                    )
                    assessed += 1
                if demo_data.math_level:
                    session.add(
                        MathAssessment(at=stamp, level=demo_data.math_level, change_id=change.id)
                    )
                # Topics the demo learner has not done although their % covers them
                # (the roadmap's next steps for this very learner): "not done yet" marks.
                for topic_id in demo_data.todo:
                    session.add(
                        TopicProgress(at=stamp, topic_id=topic_id, done=False, change_id=change.id)
                    )

    replaced: dict[str, tuple[int, int]] = {}
    if replace_demo and not ws.on_server and path.is_file():
        from gapcli.services.reset import demo_assessments
        from gapcli.services.workspace import Workspace
        from gapcli.store.backup import BackupReason, automatic_backup

        if before_replacing is not None:
            before_replacing()
        replaced = demo_assessments(
            Workspace(db_option=path, catalog_option=ws.catalog_option, profile_option=ws.profile)
        )
        automatic_backup(path, BackupReason.PRE_RESET)
    if ws.on_server:  # made (or migrated) on the server, filled in its own transaction
        from gapcli.store.pg_database import create_pg_database

        create_pg_database(ws.location, write_profile, ws.profile)
    else:
        state = probe(path).state
        if state in (FileState.MISSING, FileState.UNFINISHED):
            create_database(path, write_profile, replace_unfinished=state is FileState.UNFINISHED)
        else:
            write_profile(ws.database())
    return InitResult(
        profile=name_made,
        path=ws.db_label,
        track=track_id,
        track_name=names.get(track_id, track_id),
        weekly_hours=hours,
        study_days=format_study_days(days),
        assessed=assessed,
        catalog=catalog.name,
        study_time=clock,
        todo=demo_data.todo if demo_data is not None else (),
    )


def _profile_to_init(session: Session, label: str, wanted: str | None) -> Profile | None:
    """The profile ``init`` would replace or refuse for: the one named, else the store's
    only one; None when there is none to refuse (a new name, or an empty store)."""
    from sqlmodel import col, select

    from gapcli.store.tables import Profile

    if wanted is not None:
        return session.exec(select(Profile).where(col(Profile.name) == wanted)).first()
    existing = session.exec(select(Profile).order_by(col(Profile.id))).all()
    if len(existing) > 1:
        names = ", ".join(sorted(p.name for p in existing))
        raise AlreadyInitialised(
            f"{label} already holds the profiles {names}; nothing changed. Add another "
            "learner with 'gapcli init --profile NAME'"
        )
    return existing[0] if existing else None


def add_profile(
    session: Session,
    loaded: LoadedCatalog,
    *,
    name: str,
    summary: str,
    track: str,
    weekly_hours: float,
    study_days: tuple[int, ...],
    start_date: date,
    created_at: datetime,
    study_time: str,
) -> Change:
    """The profile row and the ``init`` change that every row of its command hangs on.

    The session is about this new profile from here on (its rows are given its id).
    ``undo`` stops at an ``init`` change: the profile is never undone.
    """
    from gapcli.store.tables import Change, Profile

    profile = Profile(
        name=name,
        catalog_id=loaded.catalog.id,
        catalog_source=loaded.source,
        track=track,
        weekly_hours=weekly_hours,
        study_days=format_study_days(study_days),
        start_date=start_date,
        created_at=created_at,
        study_time=study_time,
    )
    session.add(profile)
    session.flush()
    session.info["profile_id"] = profile.id
    change = Change(
        at=created_at, kind=ChangeKind.INIT, summary=summary, undo=record_to_json(AddedRows())
    )
    session.add(change)
    session.flush()
    return change
