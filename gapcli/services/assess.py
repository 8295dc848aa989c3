"""Self-assessment: set where the learner stands, always as new history rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from gapcli.domain.calendar import parse_date
from gapcli.domain.catalog import Catalog
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.counting import DEFAULT_TARGET
from gapcli.domain.learner import Assessed, parse_percent
from gapcli.domain.matching import resolve
from gapcli.errors import GapError, InvalidValue, UnknownId
from gapcli.services.profile import now
from gapcli.services.state import Snapshot, snapshot
from gapcli.services.workspace import Workspace

MAX_ASSESS_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class AssessChange:
    domain_id: str
    before: Assessed | None
    after: Assessed


@dataclass(frozen=True)
class Saved:
    """What a dated save stored as history only: a newer assessment stays current."""

    older_domains: frozenset[str] = frozenset()
    older_math_level: bool = False


def assessment_day(text: str, today: date) -> date:
    """``--date`` of an assessment: YYYY-MM-DD, not after today (as log-progress --date)."""
    day = parse_date(text, what="--date")
    if day > today:
        raise InvalidValue(
            f"--date {day:%Y-%m-%d} is in the future; say where you stand today or stood before"
        )
    if day.year < 2000:
        raise InvalidValue(f"--date {day:%Y-%m-%d} is too far in the past")
    return day


def stamp_on(day: date, now: datetime) -> datetime:
    """The moment an assessment dated ``day`` is stored at (UTC), given the clock's ``now``.

    Today is now itself. Another day keeps now's local time of day, so that day
    is the stamp's local date, the date history shows it on.
    """
    if day == now.astimezone().date():
        return now
    return datetime.combine(day, now.astimezone().time()).astimezone(UTC)


def resolve_domain(catalog: Catalog, text: str) -> str:
    return resolve(text, {d.id: d.name for d in catalog.domains}, "domain")


def resolve_level(catalog: Catalog, text: str) -> str:
    if not catalog.math_levels:
        raise InvalidValue(f"catalog '{catalog.id}' defines no math levels")
    return resolve(text, {m.id: m.name for m in catalog.math_levels}, "math level")


def plan_domain_change(
    snap: Snapshot, domain_text: str, current: str | None, target: str | None
) -> AssessChange:
    """Validate one domain's new values against what is stored; nothing is written."""
    catalog = snap.catalog
    domain_id = resolve_domain(catalog, domain_text)
    before = snap.state.assessments.get(domain_id)
    if current is None and target is None:
        raise InvalidValue("nothing to set; give --current and/or --target")
    new_current = (
        parse_percent(current, "current")
        if current is not None
        else (before.current if before else 0)
    )
    default_target = catalog.domain_by_id[domain_id].target
    new_target = (
        parse_percent(target, "target")
        if target is not None
        else (
            before.target
            if before
            else (default_target if default_target is not None else DEFAULT_TARGET)
        )
    )
    return AssessChange(domain_id, before, Assessed(new_current, new_target))


def save(
    ws: Workspace,
    changes: list[AssessChange],
    math_level: str | None = None,
    *,
    kind: ChangeKind = ChangeKind.ASSESS,
    at: datetime | None = None,
) -> Saved:
    """All answers in one transaction, appended to the history.

    ``at`` dates the answers (``assess --date``; default now). The change itself
    is stamped now, when it was made, so undo takes back the latest change.
    """
    from sqlmodel import col, select

    from gapcli.store.tables import Assessment, Change, MathAssessment

    if not changes and math_level is None:
        return Saved()
    parts = [f"{c.domain_id} {c.after.current}%→{c.after.target}%" for c in changes]
    if math_level is not None:
        parts.append(f"math level {math_level}")
    made = now()
    stamp = at or made
    summary = "assessed " + ", ".join(parts)
    if at is not None:
        summary += f" as of {at.astimezone():%Y-%m-%d}"
    with ws.database().write() as session:
        ids = [c.domain_id for c in changes]
        newer = frozenset(
            session.exec(
                select(Assessment.domain_id).where(
                    Assessment.at > stamp, col(Assessment.domain_id).in_(ids)
                )
            )
        )
        newer_level = math_level is not None and (
            session.exec(select(MathAssessment.id).where(MathAssessment.at > stamp)).first()
            is not None
        )
        change = Change(at=made, kind=kind, summary=summary, undo=record_to_json(AddedRows()))
        session.add(change)
        session.flush()
        for c in changes:
            session.add(
                Assessment(
                    at=stamp,
                    domain_id=c.domain_id,
                    current=c.after.current,
                    target=c.after.target,
                    change_id=change.id,
                )
            )
        if math_level is not None:
            session.add(MathAssessment(at=stamp, level=math_level, change_id=change.id))
    return Saved(newer, newer_level)


def changes_from_file(snap: Snapshot, path: Path) -> tuple[list[AssessChange], str | None]:
    """Read ``domain: {current, target}`` pairs (and optional ``math_level``); all or nothing."""
    from gapcli.services.catalogs import load_yaml, read_catalog_bytes

    label = str(path)
    raw = read_catalog_bytes(path, label)
    if len(raw) > MAX_ASSESS_FILE_BYTES:
        raise InvalidValue(
            f"{label}: assessment files are limited to {MAX_ASSESS_FILE_BYTES:,} bytes"
        )
    data = load_yaml(raw, label)
    if not isinstance(data, Mapping) or not data:
        raise InvalidValue(f"{label}: expected a mapping of domain to {{current, target}}")
    problems: list[str] = []
    changes: list[AssessChange] = []
    seen: dict[str, str] = {}
    level: str | None = None
    for key, value in data.items():
        try:
            if key == "math_level":
                level = resolve_level(snap.catalog, str(value))
                continue
            current, target = _pair(key, value)
            if current is None and target is None:
                raise InvalidValue("give current and/or target")
            change = plan_domain_change(snap, str(key), current, target)
        except UnknownId as exc:
            problems.append(str(exc))
            continue
        except GapError as exc:
            problems.append(f"{key}: {exc}")
            continue
        if change.domain_id in seen:
            problems.append(
                f"{key}: sets domain '{change.domain_id}' again (see {seen[change.domain_id]})"
            )
            continue
        seen[change.domain_id] = str(key)
        changes.append(change)
    if problems:
        raise InvalidValue(f"{label}: nothing saved; " + "; ".join(problems))
    return changes, level


def _pair(key: Any, value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return str(value), None
    if not isinstance(value, Mapping):
        raise InvalidValue(f"expected {{current: N, target: N}} for '{key}'")
    unknown = set(value) - {"current", "target"}
    if unknown:
        raise InvalidValue(f"unknown keys {sorted(map(str, unknown))} (use current, target)")
    get = value.get
    return (
        None if get("current") is None else str(get("current")),
        None if get("target") is None else str(get("target")),
    )


def load(ws: Workspace) -> Snapshot:
    return snapshot(ws)
