"""Self-assessment: set where the learner stands, always as new history rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from gapcli.domain.catalog import Catalog
from gapcli.domain.changes import AddedRows, ChangeKind, record_to_json
from gapcli.domain.counting import DEFAULT_TARGET
from gapcli.domain.dates import parse_day
from gapcli.domain.learner import Assessed, parse_percent
from gapcli.domain.matching import resolve, resolve_domain
from gapcli.errors import GapError, InvalidValue, UnknownId
from gapcli.services.profile import now
from gapcli.services.workspace import Workspace
from gapcli.views.snapshot import Snapshot

MAX_ASSESS_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class AssessChange:
    domain_id: str
    before: Assessed | None
    after: Assessed


@dataclass(frozen=True)
class DomainAnswer:
    """One domain's values as the learner gave them; a value left out (None) keeps
    the stored one.

    What is stored is read only inside the write transaction that saves the
    answer: filled from a snapshot read earlier, a value another command saved
    meanwhile (``assess rag --target 99`` while ``assess rag --current 10`` waits
    for the lock) would be overwritten with the old one.
    """

    domain_id: str
    current: int | None
    target: int | None
    default_target: int  # for a domain never assessed

    def filled(self, stored: Assessed | None) -> Assessed:
        if stored is None:
            stored = Assessed(0, self.default_target)
        return Assessed(
            stored.current if self.current is None else self.current,
            stored.target if self.target is None else self.target,
        )


@dataclass(frozen=True)
class Shown:
    """What the interactive walk showed: its answers are saved only where they differ.

    The walk takes minutes. An answer the learner changed is saved only if the
    domain (or the math level) still stands as shown; otherwise the whole save is
    refused, since it would overwrite what another command saved meanwhile.
    """

    assessments: Mapping[str, Assessed]
    math_level: str | None
    known_levels: frozenset[str]


@dataclass(frozen=True)
class Saved:
    """What a save stored; a dated save may store history only (a newer one stays current)."""

    changes: tuple[AssessChange, ...] = ()
    math_level: str | None = None
    older_domains: frozenset[str] = frozenset()
    older_math_level: bool = False


class ChangedMeanwhile(InvalidValue):
    """A domain or the math level changed while the interactive walk was answered."""


def assessment_day(text: str, today: date) -> date:
    """``--date`` of an assessment: a day up to today (as log-progress --date)."""
    day = parse_day(text, today, what="--date")
    if day > today:
        raise InvalidValue(
            f"--date {day:%Y-%m-%d} is in the future; say where you stand today or stood before"
        )
    if day.year < 2000:
        raise InvalidValue(f"--date {day.isoformat()} is too far in the past")
    return day


def stamp_on(day: date, now: datetime) -> datetime:
    """The moment an assessment dated ``day`` is stored at (UTC), given the clock's ``now``.

    Today is now itself. Another day keeps now's local time of day, so that day
    is the stamp's local date, the date history shows it on.
    """
    if day == now.astimezone().date():
        return now
    return datetime.combine(day, now.astimezone().time()).astimezone(UTC)


def resolve_level(catalog: Catalog, text: str) -> str:
    if not catalog.math_levels:
        raise InvalidValue(f"catalog '{catalog.id}' defines no math levels")
    return resolve(text, {m.id: m.name for m in catalog.math_levels}, "math level")


def plan_domain_change(
    snap: Snapshot, domain_text: str, current: str | None, target: str | None
) -> DomainAnswer:
    """Validate one domain's new values; what is stored fills the rest when saving."""
    catalog = snap.catalog
    domain_id = resolve_domain(catalog, domain_text)
    if current is None and target is None:
        raise InvalidValue("nothing to set; give --current and/or --target")
    default_target = catalog.domain_by_id[domain_id].target
    return DomainAnswer(
        domain_id,
        None if current is None else parse_percent(current, "current"),
        None if target is None else parse_percent(target, "target"),
        default_target if default_target is not None else DEFAULT_TARGET,
    )


def save(
    ws: Workspace,
    answers: list[DomainAnswer],
    math_level: str | None = None,
    *,
    kind: ChangeKind = ChangeKind.ASSESS,
    at: datetime | None = None,
    shown: Shown | None = None,
) -> Saved:
    """All answers in one transaction, appended to the history.

    Each answer is completed from what is stored when the write lock is held
    (:class:`DomainAnswer`); with ``shown`` (the walk), only answers that differ
    from what was shown are saved, and none if one of those changed meanwhile.
    ``at`` dates the answers (``assess --date``; default now). The change itself
    is stamped now, when it was made, so undo takes back the latest change.
    """
    from sqlmodel import col, select

    from gapcli.store.tables import Assessment, Change, MathAssessment

    if not answers and math_level is None:
        return Saved()
    with ws.database().write() as session:
        # Stamped under the lock, so that the assessment dated last is the one written last.
        made = now()
        stamp = at or made
        ids = [a.domain_id for a in answers]
        stored: dict[str, Assessed] = {}
        for row in session.exec(
            select(Assessment)
            .where(col(Assessment.domain_id).in_(ids))
            .order_by(col(Assessment.at), col(Assessment.id))
        ):
            stored[row.domain_id] = Assessed(row.current, row.target)  # dated last wins
        last_level = session.exec(
            select(MathAssessment.level).order_by(
                col(MathAssessment.at).desc(), col(MathAssessment.id).desc()
            )
        ).first()
        changes = [
            AssessChange(a.domain_id, stored.get(a.domain_id), a.filled(stored.get(a.domain_id)))
            for a in answers
        ]
        if shown is not None:
            changes, math_level = _only_changed(shown, changes, math_level, last_level)
            if not changes and math_level is None:
                return Saved()
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
        change = Change(
            at=made,
            kind=kind,
            summary=_summary(changes, math_level, at),
            undo=record_to_json(AddedRows()),
        )
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
    return Saved(tuple(changes), math_level, newer, newer_level)


def _summary(changes: list[AssessChange], math_level: str | None, at: datetime | None) -> str:
    parts = [f"{c.domain_id} {c.after.current}%→{c.after.target}%" for c in changes]
    if math_level is not None:
        parts.append(f"math level {math_level}")
    summary = "assessed " + ", ".join(parts)
    if at is not None:
        summary += f" as of {at.astimezone():%Y-%m-%d}"
    return summary


def _percents(assessed: Assessed | None) -> tuple[int, int] | None:
    """What an assessment says, without when it was made (which the walk never shows)."""
    return None if assessed is None else (assessed.current, assessed.target)


def _only_changed(
    shown: Shown, changes: list[AssessChange], math_level: str | None, stored_level: str | None
) -> tuple[list[AssessChange], str | None]:
    """The walk's answers that change something; refused if what they change moved on."""
    kept: list[AssessChange] = []
    moved: list[str] = []
    for c in changes:
        was = shown.assessments.get(c.domain_id)
        if _percents(c.after) == _percents(was):
            continue  # kept as shown: whatever is stored now stays
        if _percents(c.before) != _percents(was):
            now_text = f"{c.before.current}%→{c.before.target}%" if c.before else "not assessed"
            moved.append(f"{c.domain_id} (now {now_text})")
        kept.append(c)
    if math_level == shown.math_level:
        math_level = None
    elif math_level is not None:
        level_now = stored_level if stored_level in shown.known_levels else None
        if level_now != shown.math_level:
            moved.append(f"the math level (now {level_now or 'not set'})")
    if moved:
        raise ChangedMeanwhile(
            "changed by another command while you answered: "
            + ", ".join(moved)
            + "; nothing was saved; run 'gapcli assess' again to see the new values"
        )
    return kept, math_level


def changes_from_file(snap: Snapshot, path: Path) -> tuple[list[DomainAnswer], str | None]:
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
    changes: list[DomainAnswer] = []
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
