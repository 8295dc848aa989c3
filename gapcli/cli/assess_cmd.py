"""``gapcli assess`` and ``gapcli gaps``: say where you stand, see the gaps."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, workspace
from gapcli.cli.completion import DOMAINS

if TYPE_CHECKING:
    from datetime import datetime

    from gapcli.services.assess import DomainAnswer, Saved
    from gapcli.services.workspace import Workspace
    from gapcli.views.snapshot import Snapshot


def assess(
    ctx: typer.Context,
    domain: Annotated[
        str | None, typer.Argument(help="Domain id or name (any case).", autocompletion=DOMAINS)
    ] = None,
    current: Annotated[
        str | None,
        typer.Option("--current", "-c", help="What you know now, 0-100 %.", show_default=False),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", "-t", help="Where you want to be, 0-100 %.", show_default=False),
    ] = None,
    math_level: Annotated[
        str | None,
        typer.Option(
            "--math-level",
            "-m",
            help="The math level you have (see 'gapcli catalog list --kind levels').",
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="YAML mapping of domain to {current, target}; all or nothing."
        ),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Ask for every domain of your track even when stdin is not a terminal.",
        ),
    ] = False,
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Where you stood on this day: YYYY-MM-DD, yesterday, -2w, mon... (default: "
            "today; never in the future). With DOMAIN, --math-level or --file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Say where you stand: current and target % per domain, and your math level.

    With no arguments on a terminal, walks your track's domains and asks; the
    answers you changed are saved together at the end (Ctrl-C saves nothing). Without
    a terminal and without arguments it prints the gap report.

    \b
    Examples:
      gapcli assess                            ask, domain by domain
      gapcli assess rag --current 85 --target 95
      gapcli assess "Multimodal AI" -c 50
      gapcli assess --math-level light
      gapcli assess --file where-i-stand.yaml
      gapcli assess rag --current 20 --date 2026-10-19   where you stood then
    """
    from gapcli.domain.words import plural
    from gapcli.render.terminal import notice, out, safe
    from gapcli.services import assess as svc
    from gapcli.services.state import snapshot

    ws = workspace(ctx)
    snap = snapshot(ws)
    at = _stamp(date_, dates_something=domain is not None or math_level is not None or file)
    if file is not None:
        if domain is not None or current is not None or target is not None:
            from gapcli.errors import InvalidValue

            raise InvalidValue(
                "--file sets many domains at once; give no DOMAIN/--current/--target"
            )
        if math_level is not None:
            from gapcli.errors import InvalidValue

            raise InvalidValue("with --file, put 'math_level: LEVEL' in the file")
        answers, level = svc.changes_from_file(snap, file)
        saved = svc.save(ws, answers, level, at=at)
        out().print(
            safe(
                f"Saved {plural(len(saved.changes), 'assessment')} from {file}"
                + (f" and math level {level}" if level else "")
                + _as_of(at)
            )
        )
        _report_changes(snap, saved, at)
        return
    level_id = svc.resolve_level(snap.catalog, math_level) if math_level is not None else None
    if domain is not None and current is None and target is None and level_id is not None:
        # "assess rag --math-level none": the level is the learner's own, not rag's.
        from gapcli.domain.matching import resolve_domain

        domain_id = resolve_domain(snap.catalog, domain)  # a typo is still refused
        saved = svc.save(ws, [], level_id, at=at)
        out().print(safe(f"Math level set to {level_id}{_as_of(at)}"))
        _report_changes(snap, saved, at)
        notice(
            f"note: {domain_id} is unchanged: the math level is yours, for every domain; "
            f"give --current or --target to change {domain_id}"
        )
        return
    if domain is not None:
        answer = svc.plan_domain_change(snap, domain, current, target)
        saved = svc.save(ws, [answer], level_id, at=at)
        _report_changes(snap, saved, at)
        if level_id:
            notice(f"math level set to {level_id}{_as_of(at)}")
        return
    if current is not None or target is not None:
        from gapcli.errors import InvalidValue

        raise InvalidValue("--current/--target need a DOMAIN, e.g. gapcli assess rag --current 80")
    if level_id is not None:
        saved = svc.save(ws, [], level_id, at=at)
        out().print(safe(f"Math level set to {level_id}{_as_of(at)}"))
        _report_changes(snap, saved, at)
        return
    if interactive or sys.stdin.isatty():
        _walk(ws, snap)
        return
    from gapcli.cli.reads import print_gaps

    print_gaps(ws, snap, include_closed=False, as_json=False)


def _stamp(date_: str | None, *, dates_something: object) -> "datetime | None":
    """When ``--date`` says the answers were true; None for today (saved as now)."""
    if date_ is None:
        return None
    from gapcli.errors import InvalidValue
    from gapcli.services.assess import assessment_day, stamp_on

    today = clock.today()
    day = assessment_day(date_, today)
    if not dates_something:
        raise InvalidValue("--date dates an assessment; give DOMAIN, --math-level or --file too")
    return None if day == today else stamp_on(day, clock.now())


def _as_of(at: "datetime | None") -> str:
    return f" as of {at.astimezone():%Y-%m-%d}" if at is not None else ""


def _report_changes(snap: "Snapshot", saved: "Saved", at: "datetime | None") -> None:
    """Each domain before and after; a dated answer older than the current one says so."""
    from gapcli.render.terminal import notice, out, safe

    changes = saved.changes
    for c in changes:
        before = f"{c.before.current}%→{c.before.target}%" if c.before else "not assessed"
        after = f"{c.after.current}%→{c.after.target}%"
        if c.domain_id in saved.older_domains:
            out().print(safe(f"{c.domain_id}{_as_of(at)}: {after}"))
            notice(f"note: {c.domain_id}'s newer assessment, {before}, stays current")
            continue
        out().print(safe(f"{c.domain_id}: {before}  now {after}{_as_of(at)}"))
        if c.after.target < c.after.current:
            notice(f"note: {c.domain_id}'s target is below its current %: no gap there")
    if saved.older_math_level:
        notice(f"note: your newer math level, {snap.state.math_level}, stays current")
    track = snap.catalog.track(snap.settings.track)
    off = [c.domain_id for c in changes if c.domain_id not in track.domains]
    if off:
        from gapcli.cli.reads import off_track_note

        notice(off_track_note(off, track_name=track.name))


def _walk(ws: "Workspace", snap: "Snapshot") -> None:
    from gapcli.cli import ask as prompt
    from gapcli.domain.counting import DEFAULT_TARGET
    from gapcli.domain.learner import parse_percent
    from gapcli.domain.words import plural
    from gapcli.errors import GapError
    from gapcli.render.sanitize import clean
    from gapcli.render.terminal import err, out, safe
    from gapcli.services import assess as svc

    catalog = snap.catalog
    track = catalog.track(snap.settings.track)
    err().print(
        safe(
            f"Assessing track {track.name}: {plural(len(track.domains), 'domain')}. "
            "Enter keeps the value in brackets; Ctrl-C stops without saving."
        )
    )

    def ask(question: str, default: int) -> int:
        while True:
            answer = prompt(question, str(default))  # on stderr: stdout is data
            try:
                return parse_percent(answer, "value")
            except GapError as exc:
                err().print(safe(f"  {exc}"))

    answers: list[DomainAnswer] = []
    level: str | None = None
    try:
        for domain_id in track.domains:
            domain = catalog.domain_by_id[domain_id]
            before = snap.state.assessments.get(domain_id)
            name = clean(domain.name, keep_newlines=False)  # prompts bypass rich: clean here
            cur = ask(f"{name}: current %", before.current if before else 0)
            default_target = (
                before.target
                if before
                else (domain.target if domain.target is not None else DEFAULT_TARGET)
            )
            tgt = ask(f"{name}: target %", default_target)
            answers.append(svc.plan_domain_change(snap, domain_id, str(cur), str(tgt)))
        if catalog.math_levels:
            choices = ", ".join(m.id for m in catalog.math_levels)
            while level is None:
                answer = prompt(
                    f"Your math level ({choices})",
                    snap.state.math_level or catalog.math_levels[0].id,
                )
                try:
                    level = svc.resolve_level(catalog, answer)
                except GapError as exc:
                    err().print(safe(f"  {exc}"))
    except (typer.Abort, KeyboardInterrupt, EOFError):
        from gapcli.cli import fail

        err().print()  # end the unanswered prompt's line
        fail("assessment interrupted; nothing was saved", 130)
    shown = svc.Shown(
        snap.state.assessments, snap.state.math_level, frozenset(catalog.level_by_id)
    )
    saved = svc.save(ws, answers, level, shown=shown)
    if not saved.changes and saved.math_level is None:
        out().print("Nothing changed; nothing saved")
        return
    parts = [plural(len(saved.changes), "assessment")] if saved.changes else []
    if saved.math_level:
        parts.append(f"math level {saved.math_level}")
    out().print(safe("Saved " + " and ".join(parts)))


def gaps(
    ctx: typer.Context,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            "-a",
            help="Include domains without a gap, and assessed domains off your track "
            "(shown apart, not in the total).",
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Show the gap report: largest gap first, with the hours to close each.

    \b
    Examples:
      gapcli gaps
      gapcli gaps --all
      gapcli gaps --json | jq '.domains[0]'
    """
    from gapcli.cli.reads import show_gaps

    show_gaps(workspace(ctx), include_closed=all_, as_json=json_)
