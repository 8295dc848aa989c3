"""Looking after the database file: checks, backups, restores."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.domain.words import plural
from gapcli.errors import NotInitialised
from gapcli.services.workspace import Workspace

if TYPE_CHECKING:
    from gapcli.services.server_backup import ExportToJson
    from gapcli.store.restore import Restored


@dataclass
class CheckReport:
    path: str
    integrity: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.problems


def check_database(ws: Workspace) -> CheckReport:
    """SQLite's full integrity check plus gapcli's own rules, read-only."""
    from gapcli.store.probe import UNFINISHED_HINT, FileState, integrity_problems, probe
    from gapcli.store.sqlite_file import release_side_files

    if ws.on_server:
        return _check_server(ws)
    path = ws.db_path
    state = probe(path).state
    if state is FileState.MISSING:
        raise NotInitialised(f"no gapcli database at {path}; run 'gapcli init' first")
    if state is FileState.UNFINISHED:
        raise NotInitialised(f"{path}: {UNFINISHED_HINT}")
    try:
        return _check(ws, path, integrity_problems(path, full=True))
    finally:
        release_side_files(path)


def _check_server(ws: Workspace) -> CheckReport:
    """gapcli's own rules on a PostgreSQL store (the server keeps its own files sound,
    and enforces the foreign keys itself: no PRAGMA to run)."""
    from gapcli.store.pg_database import PgDatabase, open_pg_database

    open_pg_database(ws.location)  # refuses a missing or newer store

    @contextmanager
    def reading(profile_id: int | None) -> Iterator[sqlite3.Connection]:
        db = PgDatabase(ws.location)
        if profile_id is not None:
            db.use_profile(profile_id)
        with db.read(scoped=profile_id is not None) as conn:
            yield conn

    return _check(ws, ws.db_label, [], reading, foreign_keys=False)


def _check(
    ws: Workspace,
    path: Path | str,
    integrity: list[str],
    opener: Callable[[int | None], AbstractContextManager[sqlite3.Connection]] | None = None,
    *,
    foreign_keys: bool = True,
) -> CheckReport:
    from gapcli.store import health, queries

    def reading(profile_id: int | None) -> AbstractContextManager[sqlite3.Connection]:
        if opener is not None:
            return opener(profile_id)
        return health.reading(Path(path), profile_id)

    report = CheckReport(str(path), integrity=integrity)
    if report.integrity:
        from gapcli.store.backup import backups_dir
        from gapcli.store.sqlite_file import RESTORE_HINT

        report.problems.append(f"{RESTORE_HINT} (automatic backups: {backups_dir(Path(path))})")
        return report
    with reading(None) as conn:
        found = health.findings(conn, foreign_keys=foreign_keys)
        profiles = health.profiles(conn)
    report.counts = found.counts
    fk = found.broken_references
    if fk:
        report.problems.append(
            f"{plural(fk, 'row')} {'points' if fk == 1 else 'point'} to missing changes"
        )
    if not profiles:
        report.problems.append("expected a profile, found none (run 'gapcli init')")
    for profile_id, name in profiles:
        # Each learner's rules on their own rows and against their own catalog.
        said = f"profile {name}: " if len(profiles) > 1 else ""
        with reading(profile_id) as conn:
            warnings = _over_24_hours(conn)
            in_use = queries.catalog_in_use(conn)
            used = health.used_ids(conn)
        if in_use is not None:
            own = Workspace(db_option=ws.db_option, catalog_option=ws.catalog_option)
            warnings += vanished_warnings(own, in_use[1], in_use[0], used)
        report.warnings += [said + w for w in warnings]
    if bad_pct := found.bad_percentages:
        report.problems.append(
            f"{plural(bad_pct, 'assessment')} {'has' if bad_pct == 1 else 'have'} "
            "percentages outside 0-100"
        )
    if bad_min := found.bad_durations:
        report.problems.append(
            f"{plural(bad_min, 'study session')} {'has' if bad_min == 1 else 'have'} "
            "impossible durations"
        )
    if bad_away := found.backwards_away:
        verb = "ends before it starts" if bad_away == 1 else "end before they start"
        report.problems.append(f"{plural(bad_away, 'away range')} {verb}")
    return report


def _over_24_hours(conn: sqlite3.Connection) -> list[str]:
    """What was stored before gapcli held every day to 24 h, and how to mend it.

    log-progress and history edit refuse such days now, and import refuses an
    export holding one: the learner should hear of it before needing the export.
    """
    from gapcli.domain.calendar import DAY_MINUTES, check_week, parse_study_days, span
    from gapcli.errors import InvalidValue
    from gapcli.store import queries

    warnings: list[str] = []
    full = {day: m for day, m in queries.minutes_by_day(conn).items() if m > DAY_MINUTES}
    if full:
        first = min(full)
        days = "1 day holds" if len(full) == 1 else f"{len(full)} days hold"
        warnings.append(
            f"{days} more than 24 h of study (the first: {first:%Y-%m-%d}, "
            f"{span(full[first])}); fix them with 'gapcli history edit' (import refuses them)"
        )
    profile = queries.profile(conn)
    if profile is not None:
        try:
            check_week(profile.weekly_hours, parse_study_days(profile.study_days))
        except InvalidValue as exc:
            warnings.append(f"the profile's settings: {exc}")
    return warnings


def vanished_warnings(ws: Workspace, source: str, catalog_id: str, used: set[str]) -> list[str]:
    """Ids the learner has data for that the catalog no longer has (kept, not dropped).

    Against another catalog every id would look lost: that is said instead.
    """
    from gapcli.errors import CatalogError, CatalogMismatch

    try:
        catalog = ws.profile_catalog(catalog_id, source).catalog
    except CatalogError as exc:
        return [f"catalog cannot be loaded: {exc}"]
    except CatalogMismatch as exc:
        return [f"catalog: {exc}"]
    known = set(catalog.domain_by_id) | set(catalog.topic_by_id)
    gone = sorted(used - known)
    if not gone:
        return []
    return [f"data kept for ids no longer in the catalog: {', '.join(gone)}"]


def backup_database(
    ws: Workspace, destination: Path, force: bool, to_json: ExportToJson | None = None
) -> Path:
    """An online backup to ``destination``, which is never one of the live database's files.

    ``--force`` allows replacing an older backup, never the -wal (its commits would be
    lost) nor the -shm or -journal, existing or not: an export refuses them too.
    """
    from gapcli.errors import OutputError
    from gapcli.store.backup import backup_to
    from gapcli.store.probe import UNFINISHED_HINT, FileState, probe
    from gapcli.store.sqlite_file import side_file_named

    if ws.on_server:  # gapcli's JSON export of every profile (pg_dump for the server)
        from gapcli.services.server_backup import write_backup
        from gapcli.store.pg_database import open_pg_database

        open_pg_database(ws.location)
        if to_json is None:
            raise NotImplementedError("a server store's backup needs the JSON export")
        return write_backup(ws, destination, to_json, force=force)

    if side_file_named(ws.db_path, destination) is not None:
        raise OutputError(
            f"{destination} is a side file of your gapcli database; give another file name"
        )
    state = probe(ws.db_path).state
    if state is FileState.MISSING:
        raise NotInitialised(
            f"no gapcli database at {ws.db_label}; nothing to back up (run 'gapcli init' first)"
        )
    if state is FileState.UNFINISHED:
        raise NotInitialised(f"{ws.db_label}: {UNFINISHED_HINT}")
    return backup_to(ws.db_path, destination, force=force)


def restore_database(ws: Workspace, source: Path, to_json: ExportToJson | None = None) -> Restored:
    """Replace the database's content with ``source``; what it held is kept first.

    A sound database is backed up online under the restore's own write lock; a
    damaged or foreign file is copied aside byte for byte and then replaced.
    """
    from gapcli.store.restore import Replaced, Restored, restore

    if ws.on_server:
        from gapcli.services.server_backup import restore_server

        if to_json is None:
            raise NotImplementedError("a server store's backup needs the JSON export")
        kept = restore_server(ws, source, to_json)
        return Restored(Replaced.NOTHING if kept is None else Replaced.BACKED_UP, kept)
    return restore(ws.db_path, source)


def report_json(report: CheckReport) -> dict[str, object]:
    return {
        "path": report.path,
        "ok": report.ok,
        "integrity": report.integrity or ["ok"],
        "problems": report.problems,
        "warnings": report.warnings,
        "counts": report.counts,
    }
