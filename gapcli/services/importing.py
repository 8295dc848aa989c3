"""Rebuild a learner's database from a JSON export, into an empty database only.

Everything is checked before the database is even created, and the writing is
one transaction: an import either restores the whole record or leaves no trace
(a database it created is removed again if the write fails all the same).
Whatever a gapcli export cannot hold is refused with the file and the field:
a key given twice, a row id SQLite cannot store, a moment without a time zone,
a date before 2000 or after today, a note that is not stored as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from gapcli.documents.export_doc import (
    SCHEMA,
    AwayDoc,
    ExportDoc,
    NoteDoc,
    ProfileDoc,
    SessionDoc,
)
from gapcli.domain.away import AwayRange, check_away_note, check_range
from gapcli.domain.calendar import (
    DAY_MINUTES,
    check_week,
    check_weekly_hours,
    latest_date_anywhere,
    parse_clock,
    parse_study_days,
    span,
)
from gapcli.domain.catalog import Catalog
from gapcli.domain.notes import check_link, check_note_text
from gapcli.domain.settings import SettingKey, check_settings, normalise, parse_day_hours
from gapcli.errors import AlreadyInitialised, InvalidValue
from gapcli.files import FileTooLarge, SpecialFile, read_regular
from gapcli.services.profile import add_profile
from gapcli.services.progress import check_note
from gapcli.services.workspace import Workspace
from gapcli.store.os_user import default_profile_name

if TYPE_CHECKING:
    from sqlmodel import Session

    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.store.database import Database

MAX_IMPORT_BYTES = 100 * 1024 * 1024
FIRST_YEAR = 2000  # as log-progress --date: anything earlier is a typo, not a record


def own_settings(profile: ProfileDoc) -> list[tuple[SettingKey, str]]:
    """The settings-history rows the import writes: checked, in their stored form."""
    own: list[tuple[SettingKey, str]] = []
    if profile.min_session is not None:
        text = normalise(SettingKey.MIN_SESSION, str(profile.min_session))
        own.append((SettingKey.MIN_SESSION, text))
    if profile.day_hours:
        text = ",".join(f"{day}={hours!r}" for day, hours in profile.day_hours.items())
        own.append((SettingKey.DAY_HOURS, normalise(SettingKey.DAY_HOURS, text)))
    return own


@dataclass(frozen=True)
class ImportResult:
    path: Path
    track: str
    sessions: int
    assessments: int
    marks: int
    unknown: tuple[str, ...]
    todo_marks: int = 0  # "not done yet" marks (done: false)
    away: int = 0  # away ranges


def read_export(path: Path) -> ExportDoc:
    """Parse and check the file, naming the first problem with where it is."""
    cap = f"{MAX_IMPORT_BYTES // 2**20} MiB"
    try:
        raw = read_regular(path, MAX_IMPORT_BYTES)
    except FileNotFoundError:
        raise InvalidValue(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidValue(f"{path} is a directory, not an export file") from None
    except SpecialFile as exc:  # a FIFO blocks, /dev/zero never ends
        raise InvalidValue(f"{path} is {exc.kind}, not an export file") from None
    except FileTooLarge:
        raise InvalidValue(f"{path} is larger than {cap}, too large for a gapcli export") from None
    except OSError as exc:
        raise InvalidValue(f"cannot read {path}: {exc.strerror}") from None
    return parse_export(path, raw)


def parse_export(path: Path, raw: bytes) -> ExportDoc:
    """An export's bytes, parsed and checked (``path`` names it in messages)."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM, as some editors save UTF-8
    twice: list[tuple[dict[str, Any], str]] = []
    try:
        data = json.loads(raw, object_pairs_hook=_noting_keys_given_twice(twice))
    except json.JSONDecodeError as exc:
        # Not str(exc): its "(char 0)" would nest inside our own parentheses.
        raise InvalidValue(
            f"{path} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; "
            "import takes a file from 'gapcli export -f json'"
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidValue(
            f"{path} is not JSON: {exc}; import takes a file from 'gapcli export -f json'"
        ) from None
    except RecursionError:
        raise InvalidValue(f"{path} is nested too deeply to be a gapcli export") from None
    if twice:
        where, key = _path_to(data, twice[0][0]), twice[0][1]
        raise InvalidValue(
            f"{path}: {where or 'the top level'}: the key '{key}' is given twice "
            "(a gapcli export never repeats a key)"
        )
    if not isinstance(data, dict) or "schema" not in data:
        raise InvalidValue(f"{path} is not a gapcli export (it has no 'schema')")
    if isinstance(data["schema"], int) and data["schema"] > SCHEMA:
        raise InvalidValue(
            f"{path} was written by a newer gapcli (schema {data['schema']}); upgrade gapcli"
        )
    try:
        doc = ExportDoc.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        field = f"{where}: " if where else ""
        raise InvalidValue(f"{path}: {field}{first['msg']}{more}") from None
    profile = doc.profile
    check_weekly_hours(profile.weekly_hours)
    try:
        check_week(profile.weekly_hours, parse_study_days(profile.study_days))
    except InvalidValue as exc:
        raise InvalidValue(f"{path}: profile: {exc}") from None
    parse_clock(profile.study_time, what="profile.study_time")
    try:
        own = dict(own_settings(profile))
        day_hours = parse_day_hours(own.get(SettingKey.DAY_HOURS, "even"))
        check_settings(profile.weekly_hours, parse_study_days(profile.study_days), day_hours)
    except InvalidValue as exc:
        raise InvalidValue(f"{path}: profile: {exc}") from None
    ids = [s.id for s in doc.records.sessions]
    if len(set(ids)) != len(ids):
        raise InvalidValue(f"{path}: two sessions share an id")
    _check_days(path, doc.records.sessions)
    _check_notes(path, doc.records.sessions)
    return doc


def _noting_keys_given_twice(twice: list[tuple[dict[str, Any], str]]) -> Any:
    """A ``json.loads`` hook that keeps the last value, as json does, and notes repeats.

    json (and pydantic) silently keep the last of two equal keys, so a file with
    ``"minutes": 1, "minutes": 30`` would import whichever came last.
    """

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj and not twice:
                twice.append((obj, key))
            obj[key] = value
        return obj

    return pairs


def _path_to(root: Any, wanted: object) -> str:
    """The dotted path (as pydantic names fields) of the object ``wanted`` inside ``root``."""
    for where, node in _walk(root):
        if node is wanted:
            return where
    return ""


def _walk(root: Any) -> Iterator[tuple[str, Any]]:
    """Every value in a JSON document with its dotted path, depth first, without recursion
    (json reads deeper documents than Python can recurse into)."""
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        where, node = stack.pop()
        yield where, node
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        prefix = f"{where}." if where else ""
        stack.extend(reversed([(f"{prefix}{key}", child) for key, child in items]))


def _check_notes(path: Path, sessions: list[SessionDoc]) -> None:
    """A note is imported only as ``log-progress`` would have stored it: trimmed, not empty.

    An export never holds another; a note like ``" =HYPERLINK(...)"`` would slip
    past the formula guard of a CSV export and run in a spreadsheet that trims it.
    """
    for i, s in enumerate(sessions):
        if s.note is not None and check_note(s.note) != s.note:
            raise InvalidValue(
                f"{path}: records.sessions.{i}.note: starts or ends with white space, or is "
                "empty; gapcli stores notes trimmed (and no note as null)"
            )


def _check_dates(path: Path, doc: ExportDoc, today: date) -> None:
    """Every date and moment lies between 2000 and today, as gapcli writes them.

    Year 1 or 9999 parse as dates, but no record can be dated so, and date
    arithmetic on them (plans, weeks, time zones) overflows. A moment is
    stored in UTC, which can be a day ahead of the local today.
    """
    profile, records = doc.profile, doc.records
    days: list[tuple[str, date]] = [("profile.start_date", profile.start_date)]
    days += [(f"records.sessions.{i}.date", s.date) for i, s in enumerate(records.sessions)]
    days += [(f"records.papers_read.{i}.date", r.date) for i, r in enumerate(records.papers_read)]
    days += [(f"records.reviews.{i}.date", r.date) for i, r in enumerate(records.reviews)]
    moments: list[tuple[str, datetime]] = [("profile.created_at", profile.created_at)]
    moments += [(f"records.assessments.{i}.at", a.at) for i, a in enumerate(records.assessments)]
    moments += [(f"records.math_levels.{i}.at", m.at) for i, m in enumerate(records.math_levels)]
    moments += [(f"records.topic_marks.{i}.at", t.at) for i, t in enumerate(records.topic_marks)]
    moments += [
        (f"records.sessions.{i}.logged_at", s.logged_at) for i, s in enumerate(records.sessions)
    ]
    moments += [(f"records.notes.{i}.at", n.at) for i, n in enumerate(records.notes)]
    moments += [(f"records.reviews.{i}.at", r.at) for i, r in enumerate(records.reviews)]
    latest_utc = today + timedelta(days=1)
    for field, day in days:
        _check_year(path, field, day, today)
        if day > today:
            raise InvalidValue(f"{path}: {field}: {day} is in the future")
    for field, moment in moments:
        _check_year(path, field, moment, today)
        if moment.astimezone(UTC).date() > latest_utc:
            raise InvalidValue(f"{path}: {field}: {moment.isoformat()} is in the future")


def _check_year(path: Path, field: str, value: date, today: date) -> None:
    """Checked before any arithmetic: converting year 9999 or year 1 can overflow."""
    if value.year < FIRST_YEAR:
        raise InvalidValue(f"{path}: {field}: {value.isoformat()} is before {FIRST_YEAR}")
    if value.year > today.year + 1:
        raise InvalidValue(f"{path}: {field}: {value.isoformat()} is in the future")


def _check_days(path: Path, sessions: list[SessionDoc]) -> None:
    """No day holds more than 24 h of study, as ``log-progress`` ensures.

    An export from before that rule may hold such a day: fix it at the source
    (``gapcli history edit``) and export again.
    """
    totals: dict[date, int] = {}
    for s in sessions:
        totals[s.date] = totals.get(s.date, 0) + s.minutes
    over = sorted(day for day, minutes in totals.items() if minutes > DAY_MINUTES)
    if over:
        day = over[0]
        more = f" (and {len(over) - 1} more days)" if len(over) > 1 else ""
        raise InvalidValue(
            f"{path}: records.sessions: {day:%Y-%m-%d} holds {span(totals[day])} of study, "
            f"more than the 24 h of a day{more}; fix it with 'gapcli history edit' where it "
            "was exported, and export again"
        )


def _check_away(path: Path, ranges: list[AwayDoc], today: date) -> None:
    """Away ranges as ``away add`` would have stored them: same rules, same note form."""
    if len({r.id for r in ranges}) != len(ranges):
        raise InvalidValue(f"{path}: two away ranges share an id")
    kept: list[AwayRange] = []
    for i, r in enumerate(ranges):
        try:
            check_range(r.start, r.end, kept, today)
            if r.note is not None and check_away_note(r.note) != r.note:
                raise InvalidValue("the note starts or ends with white space, or is empty")
        except InvalidValue as exc:
            raise InvalidValue(f"{path}: records.away.{i}: {exc}") from None
        kept.append(AwayRange(r.id, r.start, r.end, r.note))


def _check_own_notes(path: Path, notes: list[NoteDoc]) -> None:
    """Notes as ``note`` would have stored them: same text form, http(s) links only."""
    if len({n.id for n in notes}) != len(notes):
        raise InvalidValue(f"{path}: two notes share an id")
    for i, n in enumerate(notes):
        try:
            if check_note_text(n.text) != n.text or check_link(n.link) != n.link:
                raise InvalidValue("not in the form 'gapcli note' stores")
        except InvalidValue as exc:
            raise InvalidValue(f"{path}: records.notes.{i}: {exc}") from None


def _check_against(path: Path, doc: ExportDoc, catalog: Catalog, now: datetime) -> None:
    """What only the catalog can tell: that the export belongs to it, and is coherent.

    A session is in the future only when its date has not begun anywhere on Earth:
    the export may come from a zone a day ahead of this machine's.
    """
    wanted = doc.profile.catalog.id
    if catalog.id != wanted:
        raise InvalidValue(
            f"{path} was exported with the catalog '{wanted}'; the catalog in use is "
            f"'{catalog.id}' (give the right one with --catalog FILE)"
        )
    track = doc.profile.track
    if track != "all" and track not in catalog.track_by_id:
        raise InvalidValue(f"{path}: the catalog '{catalog.id}' has no track '{track}'")
    _check_dates(path, doc, latest_date_anywhere(now))
    _check_away(path, doc.records.away, now.date())
    _check_own_notes(path, doc.records.notes)
    for i, s in enumerate(doc.records.sessions):
        owner = catalog.domain_of_topic.get(s.topic) if s.topic else None
        if owner is not None and owner != s.domain:
            raise InvalidValue(
                f"{path}: records.sessions.{i}: topic '{s.topic}' belongs to '{owner}', "
                f"not '{s.domain}'"
            )


def import_export(ws: Workspace, path: Path, now: datetime) -> ImportResult:
    from gapcli.store.database import create_database
    from gapcli.store.probe import FileState, probe

    doc = read_export(path)
    profile, records = doc.profile, doc.records
    source = profile.catalog.source
    if ws.explicit_catalog() is None and source != "builtin" and not Path(source).is_file():
        raise InvalidValue(
            f"{path} was exported with the catalog {source}, which is not there; "
            "give it with --catalog FILE"
        )
    loaded = ws.catalog(source)
    catalog = loaded.catalog
    _check_against(path, doc, catalog, now)
    target = ws.db_path
    wanted = ws.profile

    def write_records(db: Database) -> None:
        _write(db, path, doc, loaded, ws.db_label, wanted)

    # A new database is built under a temporary name and renamed into place only
    # when whole: a failed import leaves no trace, not even an empty database.
    if ws.on_server:
        from gapcli.store.pg_database import create_pg_database

        create_pg_database(ws.location, write_records, wanted)
    else:
        state = probe(target).state
        if state in (FileState.MISSING, FileState.UNFINISHED):
            create_database(
                target, write_records, replace_unfinished=state is FileState.UNFINISHED
            )
        else:
            write_records(ws.database())
    known = {*catalog.all_ids, *catalog.track_by_id, *catalog.level_by_id, "all"}
    mentioned = (
        {profile.track}
        | {a.domain for a in records.assessments}
        | {m.level for m in records.math_levels}
        | {t.topic for t in records.topic_marks}
        | {s.domain for s in records.sessions}
        | {s.topic for s in records.sessions if s.topic}
    )
    return ImportResult(
        path=target,
        track=profile.track,
        sessions=len(records.sessions),
        assessments=len(records.assessments),
        marks=sum(1 for t in records.topic_marks if t.done),
        unknown=tuple(sorted(mentioned - known)),
        todo_marks=sum(1 for t in records.topic_marks if not t.done),
        away=len(records.away),
    )


def _write(
    db: Database,
    path: Path,
    doc: ExportDoc,
    loaded: LoadedCatalog,
    target: Path | str,
    wanted: str | None,
) -> None:
    """The whole record in one transaction (:func:`write_document`)."""
    with db.write(scoped=False) as session:
        write_document(session, path, doc, loaded, target, wanted)


def write_document(
    session: Session,
    path: Path,
    doc: ExportDoc,
    loaded: LoadedCatalog,
    target: Path | str,
    wanted: str | None,
    *,
    keep_ids: bool | None = None,
) -> None:
    """The whole record in one transaction, as a new profile: into a database without
    one, or (``wanted``, a name the store does not hold yet) beside the others.

    Into an empty database every id is kept, so export -> import -> export gives the
    same file; beside other learners, whose rows hold those ids already, the rows are
    numbered anew (a review keeps pointing at its session).
    """
    from sqlmodel import select

    from gapcli.store.tables import (
        Assessment,
        Away,
        MathAssessment,
        Note,
        PaperRead,
        Profile,
        Review,
        SettingChange,
        StudySession,
        TopicProgress,
    )

    profile, records = doc.profile, doc.records
    names = set(session.exec(select(Profile.name)).all())
    if wanted is None and names:
        raise AlreadyInitialised(
            f"{target} already holds a profile; import restores into an empty database "
            "(give another with --db), or adds a learner with --profile NAME"
        )
    if wanted in names:
        raise AlreadyInitialised(
            f"{target} already holds a profile '{wanted}'; nothing changed (pick a new "
            "name with --profile NAME)"
        )
    # The ids of an export are free in an empty database only (or when a restore
    # writes back every profile of one store: ``keep_ids``).
    keep = not names if keep_ids is None else keep_ids
    change = add_profile(
        session,
        loaded,
        name=wanted or profile.name or default_profile_name(),
        summary=f"imported {path.name}",
        track=profile.track,
        weekly_hours=profile.weekly_hours,
        study_days=parse_study_days(profile.study_days),
        start_date=profile.start_date,
        created_at=profile.created_at,
        study_time=parse_clock(profile.study_time),
    )
    for key, value in own_settings(profile):
        session.add(
            SettingChange(at=profile.created_at, key=key.value, value=value, change_id=change.id)
        )
    for a in records.assessments:
        session.add(
            Assessment(
                at=a.at,
                domain_id=a.domain,
                current=a.current,
                target=a.target,
                change_id=change.id,
            )
        )
    for m in records.math_levels:
        session.add(MathAssessment(at=m.at, level=m.level, change_id=change.id))
    for t in records.topic_marks:
        session.add(TopicProgress(at=t.at, topic_id=t.topic, done=t.done, change_id=change.id))
    sessions: dict[int, StudySession] = {}
    for s in records.sessions:
        sessions[s.id] = StudySession(
            id=s.id if keep else None,
            day=s.date,
            minutes=s.minutes,
            domain_id=s.domain,
            topic_id=s.topic,
            note=s.note,
            logged_at=s.logged_at,
            change_id=change.id,
        )
        session.add(sessions[s.id])
    for r in records.away:
        session.add(
            Away(
                id=r.id if keep else None,
                start=r.start,
                end=r.end,
                note=r.note,
                created_at=change.at,
                change_id=change.id,
            )
        )
    for n in records.notes:
        session.add(
            Note(
                id=n.id if keep else None,
                at=n.at,
                topic_id=n.topic,
                text=n.text,
                link=n.link,
                change_id=change.id,
            )
        )
    for read in records.papers_read:
        session.add(
            PaperRead(at=change.at, paper_id=read.paper, day=read.date, change_id=change.id)
        )
    session.flush()  # the sessions' ids exist before a review points to one
    # A review's session may have been removed since (history remove): an export
    # holds live sessions only, so the review keeps its rating without minutes.
    for rv in records.reviews:
        session.add(
            Review(
                at=rv.at,
                day=rv.date,
                topic_id=rv.topic,
                rating=rv.rating,
                kind=rv.kind,
                session_id=sessions[rv.session].id if rv.session in sessions else None,
                change_id=change.id,
            )
        )
