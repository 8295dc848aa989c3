"""Looking after the database file: checks, backups, restores."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from gapcli.errors import DatabaseError, NotInitialised
from gapcli.render.numbers import plural
from gapcli.services.workspace import Workspace


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


_COUNTS = ("assessment", "math_assessment", "topic_progress", "study_session", "change")


def check_database(ws: Workspace) -> CheckReport:
    """SQLite's full integrity check plus gapcli's own rules, read-only."""
    from gapcli.store.probe import FileState, integrity_problems, probe, read_only_uri

    path = ws.db_path
    if probe(path).state is FileState.MISSING:
        raise NotInitialised(f"no gapcli database at {path}; run 'gapcli init' first")
    report = CheckReport(str(path), integrity=integrity_problems(path, full=True))
    if report.integrity:
        from gapcli.store.backup import backups_dir
        from gapcli.store.sqlite_file import RESTORE_HINT

        report.problems.append(f"{RESTORE_HINT} (automatic backups: {backups_dir(path)})")
        return report
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        q = conn.execute
        for table in _COUNTS:
            report.counts[table] = int(q(f"SELECT count(*) FROM {table}").fetchone()[0])
        fk = q("PRAGMA foreign_key_check").fetchall()
        if fk:
            report.problems.append(
                f"{plural(len(fk), 'row')} {'points' if len(fk) == 1 else 'point'} "
                "to missing changes"
            )
        profiles = q("SELECT count(*) FROM profile").fetchone()[0]
        if profiles != 1:
            report.problems.append(f"expected one profile, found {profiles}")
        bad_pct = q(
            "SELECT count(*) FROM assessment WHERE current NOT BETWEEN 0 AND 100 "
            "OR target NOT BETWEEN 0 AND 100"
        ).fetchone()[0]
        if bad_pct:
            report.problems.append(
                f"{plural(bad_pct, 'assessment')} {'has' if bad_pct == 1 else 'have'} "
                "percentages outside 0-100"
            )
        bad_min = q(
            "SELECT count(*) FROM study_session WHERE minutes <= 0 OR minutes > 1440"
        ).fetchone()[0]
        if bad_min:
            report.problems.append(
                f"{plural(bad_min, 'study session')} {'has' if bad_min == 1 else 'have'} "
                "impossible durations"
            )
        report.warnings += _over_24_hours(conn)
        row = q("SELECT catalog_source, catalog_id FROM profile WHERE id = 1").fetchone()
    finally:
        conn.close()
    if row is not None:
        report.warnings += vanished_warnings(ws, str(row[0]), str(row[1]), path)
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


def vanished_warnings(ws: Workspace, source: str, catalog_id: str, path: Path) -> list[str]:
    """Ids the learner has data for that the catalog no longer has (kept, not dropped).

    Against another catalog every id would look lost: that is said instead.
    """
    from gapcli.errors import CatalogError, CatalogMismatch
    from gapcli.store.probe import read_only_uri

    try:
        catalog = ws.profile_catalog(catalog_id, source).catalog
    except CatalogError as exc:
        return [f"catalog cannot be loaded: {exc}"]
    except CatalogMismatch as exc:
        return [f"catalog: {exc}"]
    known = set(catalog.domain_by_id) | set(catalog.topic_by_id)
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        used = {
            r[0]
            for r in conn.execute(
                "SELECT domain_id FROM assessment UNION SELECT topic_id FROM topic_progress "
                "UNION SELECT domain_id FROM study_session "
                "UNION SELECT topic_id FROM study_session"
            )
            if r[0]
        }
    finally:
        conn.close()
    gone = sorted(used - known)
    if not gone:
        return []
    return [f"data kept for ids no longer in the catalog: {', '.join(gone)}"]


def backup_database(ws: Workspace, destination: Path, force: bool) -> Path:
    from gapcli.store.backup import backup_to
    from gapcli.store.probe import FileState, probe

    if probe(ws.db_path).state is FileState.MISSING:
        raise NotInitialised(
            f"no gapcli database at {ws.db_path}; nothing to back up (run 'gapcli init' first)"
        )
    return backup_to(ws.db_path, destination, force=force)


def restore_database(ws: Workspace, source: Path) -> Path | None:
    """Replace the database's content with ``source``; the current one is kept first.

    A sound current database is backed up with the online backup API; a file that
    is not one (damaged, foreign, too new) is copied aside byte for byte and then
    replaced. Returns where the previous content is kept, if there was any.
    """
    from gapcli.errors import DatabaseBusy
    from gapcli.files import special_kind
    from gapcli.store.backup import automatic_backup
    from gapcli.store.probe import FileState, integrity_problems, probe, read_only_uri
    from gapcli.store.sqlite_file import BUSY_TIMEOUT_S, create_private_file, database_files

    src_state = probe(source)
    if src_state.state is FileState.MISSING:
        raise DatabaseError(f"no backup at {source}")
    target = ws.db_path
    kind = special_kind(target)
    if kind is not None:  # not a database to keep aside, nor a file to restore into
        raise DatabaseError(f"{target} is {kind}, not a gapcli database; nothing was restored")
    if target.exists() and source.samefile(target):
        raise DatabaseError(f"{source} is the database itself; nothing to restore")
    problems = integrity_problems(source, full=True)
    if problems:
        raise DatabaseError(f"{source} fails its integrity check: {problems[0]}; not restored")
    safety: Path | None = None
    try:
        current: FileState | None = probe(target).state
    except DatabaseBusy:
        raise
    except DatabaseError:
        current = None  # damaged or foreign: restoring over it is the point, but keep it
        safety = _keep_unreadable(target)
        if target.is_file():
            for file in database_files(target):
                file.unlink(missing_ok=True)
            current = FileState.MISSING
    if current is not None and current is not FileState.MISSING:
        safety = automatic_backup(target, "pre-restore", keep=source)
    created = current is FileState.MISSING
    if created:
        create_private_file(target)
    src = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        src.close()
        raise DatabaseError(f"restore into {target} failed: {exc}") from None
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        dst.close()
        if created:
            for file in database_files(target):
                file.unlink(missing_ok=True)
        raise DatabaseError(f"restore into {target} failed: {exc}") from None
    finally:
        dst.close()
        src.close()
    if src_state.state is FileState.OUTDATED:
        from gapcli.store.migrate import upgrade_existing

        upgrade_existing(target)
    return safety


def _keep_unreadable(target: Path) -> Path | None:
    """Copy a file that is not a sound gapcli database aside, byte for byte, before restoring.

    The online backup API needs a sound database; a damaged (or foreign) file is
    copied as it is, so whatever it held can still be salvaged.
    """
    import os
    import shutil

    from gapcli import clock
    from gapcli.files import make_private_folders
    from gapcli.store.backup import backups_dir
    from gapcli.store.sqlite_file import BACKUP_STAMP

    if not target.is_file():
        return None
    folder = backups_dir(target)
    stamp = clock.real_now().strftime(BACKUP_STAMP)
    kept = folder / f"{target.stem}-{stamp}-unreadable.bin"
    try:
        make_private_folders(folder)
        for suffix in ("", "-wal", "-journal"):
            side = Path(f"{target}{suffix}")
            if side.is_file():
                fd = os.open(f"{kept}{suffix}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with side.open("rb") as src, os.fdopen(fd, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                    dst.flush()
                    os.fsync(dst.fileno())
    except OSError as exc:
        raise DatabaseError(
            f"cannot keep a copy of {target} before restoring ({exc.strerror}); not restored"
        ) from None
    return kept


def report_json(report: CheckReport) -> dict[str, object]:
    return {
        "path": report.path,
        "ok": report.ok,
        "integrity": report.integrity or ["ok"],
        "problems": report.problems,
        "warnings": report.warnings,
        "counts": report.counts,
    }
