"""``gapcli export`` and ``gapcli import``: the plan and the record, out and back in."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcli import clock
from gapcli.cli.common import ForceFlag, NewProfile, positive_int, workspace

if TYPE_CHECKING:
    from datetime import date, tzinfo

    from gapcli.views.export import Export


class Format(StrEnum):
    markdown = "markdown"
    json = "json"
    csv = "csv"
    ics = "ics"
    html = "html"


SUFFIXES = {".md": Format.markdown, ".markdown": Format.markdown, ".json": Format.json}
SUFFIXES |= {".csv": Format.csv, ".ics": Format.ics, ".html": Format.html, ".htm": Format.html}
STDOUT_HINT = " ('-o -' writes to standard output)"


def export(
    ctx: typer.Context,
    format_: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="markdown (default), json, csv (your sessions), ics (the plan as events) or "
            "html (a report with charts, to open in a browser or print); "
            "guessed from the --output suffix when not given.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write (atomically); '-' or none for stdout.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATE",
            help="First day of the plan: YYYY-MM-DD, today, mon, -1w... (default: today).",
            show_default=False,
        ),
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(
            "--weeks",
            "-w",
            parser=positive_int,
            help="Markdown, html and ics: only the first N weeks of the plan.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="ics: the time study sessions start, HH:MM in your local time zone "
            "(default: your profile's, 19:00 unless set with 'init --at').",
            show_default=False,
        ),
    ] = None,
    force: ForceFlag = False,
    team: Annotated[
        bool,
        typer.Option(
            "--team",
            help="html: the team report of every learner in the database (aggregates "
            "only, no one's sessions or notes) instead of one learner's.",
        ),
    ] = False,
) -> None:
    """Export your plan and progress: Markdown, JSON, CSV, iCalendar or an HTML report.

    \b
    Examples:
      gapcli export -o plan.md
      gapcli export --weeks 4 | less
      gapcli export -o backup.json            then later:  gapcli --db new.db import backup.json
      gapcli export -o sessions.csv
      gapcli export -o study.ics --at 07:30 --weeks 8
      gapcli export -o report.html            charts, plan and notes on one page
      gapcli --db team.db export -f html --team -o team.html
    """
    import sys

    from gapcli.errors import InvalidValue
    from gapcli.render.terminal import notice

    if output is not None and not output.strip():
        raise InvalidValue("--output needs a file name (or '-' for stdout)")
    to_stdout = output in (None, "-")
    destination = None if to_stdout else Path(str(output)).expanduser()
    if destination is not None:  # refuse a bad destination before any work
        from gapcli.atomic import check_destination
        from gapcli.services.export import refuse_database_files

        check_destination(destination, force=force, special_hint=STDOUT_HINT)
        refuse_database_files(workspace(ctx), destination)
    chosen = format_ or (Format.html if team and destination is None else _guess(destination))
    today = clock.today()
    if team:
        payload = _team_report(ctx, chosen, today, weeks=weeks, at=at, start=start)
    else:
        payload = _learner_export(ctx, chosen, today, weeks=weeks, at=at, start=start)
    if destination is None:
        try:
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            from gapcli.errors import OutputError

            raise OutputError(f"cannot write to standard output: {exc.strerror}") from None
        return
    from gapcli.atomic import write_atomic

    write_atomic(destination, payload, force=force, special_hint=STDOUT_HINT)
    notice(f"Wrote {'team report' if team else chosen.value + ' export'} to {destination}")


def _team_report(
    ctx: typer.Context,
    chosen: Format,
    today: "date",
    *,
    weeks: int | None,
    at: str | None,
    start: str | None,
) -> bytes:
    """``--team``: the HTML team report, read in one transaction over every learner."""
    from gapcli.errors import InvalidValue

    if chosen is not Format.html:
        raise InvalidValue(f"--team writes an html report, not {chosen.value}; use -f html")
    for given, name in ((weeks, "--weeks"), (at, "--at"), (start, "--start")):
        if given is not None:
            raise InvalidValue(f"{name} is for one learner's export; the team report has none")
    from gapcli.render.html_team import render_team_html
    from gapcli.services.team import read_team

    team = read_team(workspace(ctx), today=today, trend=True)
    return render_team_html(team.report(today)).encode()


def _learner_export(
    ctx: typer.Context,
    chosen: Format,
    today: "date",
    *,
    weeks: int | None,
    at: str | None,
    start: str | None,
) -> bytes:
    """One learner's export in ``chosen``, its options checked against the format."""
    from gapcli.domain.calendar import parse_clock
    from gapcli.domain.dates import parse_day
    from gapcli.errors import InvalidValue
    from gapcli.render.terminal import notice
    from gapcli.services.export import gather, local_zone

    if at is not None and chosen is not Format.ics:
        raise InvalidValue("--at is for --format ics (calendar events)")
    if weeks is not None and chosen in (Format.json, Format.csv):
        raise InvalidValue(
            f"--weeks is for markdown, html and ics; a {chosen.value} export is whole"
        )
    if start is not None and chosen is Format.csv:
        raise InvalidValue("--start plans from another day; a csv export holds your sessions")
    data = gather(
        workspace(ctx),
        start=parse_day(start, today, what="--start") if start is not None else today,
        today=today,
        study_time=parse_clock(at) if at is not None else None,
    )
    if chosen is Format.ics and not data.plan.items:
        # Still a calendar: a subscribed calendar must empty when the plan does.
        notice("the plan is empty: the calendar has no study sessions")
    zone = None
    if chosen is Format.ics:
        calendar_zone = local_zone()
        if calendar_zone.note:
            notice(f"note: {calendar_zone.note}")
        zone = calendar_zone.zone
    return _render(chosen, data, weeks, zone)


def _guess(destination: Path | None) -> Format:
    """The format a file name asks for; an unknown suffix is refused, not guessed."""
    if destination is None:
        return Format.markdown
    suffix = destination.suffix.lower()
    if suffix not in SUFFIXES:
        from gapcli.errors import InvalidValue

        known = ", ".join(SUFFIXES)
        raise InvalidValue(
            f"cannot tell the format of '{destination.name}' (known suffixes: {known}); "
            "give --format"
        )
    return SUFFIXES[suffix]


def _render(chosen: Format, data: "Export", weeks: int | None, zone: "tzinfo | None") -> bytes:
    if chosen is Format.ics:
        from gapcli.render.ics_export import render_ics

        return render_ics(data, zone=zone, now=clock.now(), weeks=weeks)
    if chosen is Format.json:
        from gapcli.render.json_data import json_text
        from gapcli.render.json_export import export_document

        text = json_text(export_document(data))
    elif chosen is Format.html:
        from gapcli.render.html_report import render_html
        from gapcli.services.report import report_view

        text = render_html(report_view(data), weeks)
    elif chosen is Format.csv:
        from gapcli.render.csv_export import render_csv

        text = render_csv(data)
    else:
        from gapcli.render.markdown_export import render_markdown

        text = render_markdown(data, weeks)
    return text.encode()


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A JSON file written by 'gapcli export'.")],
    profile: NewProfile = None,
) -> None:
    """Restore a JSON export into an empty database, or add it as a new learner.

    Everything is checked first and written in one transaction. Without --profile a
    database that already holds a profile is refused and left as it was; with
    --profile NAME the export becomes the learner NAME beside the others (refused if
    that name is taken).

    \b
    Examples:
      gapcli --db ~/gapcli-restored.db import backup.json
      GAPCLI_DB=./new.db gapcli import backup.json
      gapcli --db team.db import ana.json --profile ana
    """
    from gapcli.domain.words import plural
    from gapcli.render.terminal import line, notice
    from gapcli.services.importing import import_export

    ws = workspace(ctx)
    if profile is not None:
        ws.profile_option = profile
    result = import_export(ws, file, clock.now())
    line(  # wrapped between words only: the path is never cut at a slash
        f"Imported {plural(result.sessions, 'session')}, "
        f"{plural(result.assessments, 'assessment')}, "
        f"{plural(result.marks, 'done mark')}, "
        f"{plural(result.todo_marks, 'not-done-yet mark')} and "
        f"{plural(result.away, 'away range')} "
        f"(track {result.track}) into {result.path}"
    )
    if result.unknown:
        notice(
            "note: kept data for ids the catalog does not have (not counted): "
            + ", ".join(result.unknown)
        )
