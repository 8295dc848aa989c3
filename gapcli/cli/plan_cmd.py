"""``gapcli plan``: the personalised, ordered, dated study plan."""

from typing import TYPE_CHECKING, Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, plain_float, positive_int, workspace
from gapcli.cli.completion import DOMAINS

if TYPE_CHECKING:
    from gapcli.views.snapshot import Snapshot


def plan(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="First day: YYYY-MM-DD (may be ahead), today, mon, -1w... (default: today).",
            show_default=False,
        ),
    ] = None,
    weekly_hours: Annotated[
        float | None,
        typer.Option(
            "--weekly-hours",
            help="Hours per week for this run (default: your profile's).",
            show_default=False,
            parser=plain_float,
        ),
    ] = None,
    study_days: Annotated[
        str | None,
        typer.Option(
            "--study-days", help="Days for this run, e.g. mon,tue,thu.", show_default=False
        ),
    ] = None,
    domain: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            "-d",
            help="Only close the gaps of this domain (repeatable); prerequisites still come.",
            autocompletion=DOMAINS,
        ),
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(
            "--weeks",
            "-w",
            parser=positive_int,
            help="Show only the first N weeks (the finish date still covers the whole plan).",
        ),
    ] = None,
    days: Annotated[
        bool,
        typer.Option("--days", help="List each study day with its sessions instead of weeks."),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="DATE",
            help="Finish by this day: works out the weekly hours needed and plans at them.",
            show_default=False,
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Show what to study, in which order, on which days, and when each target is reached.

    \b
    Examples:
      gapcli plan
      gapcli plan --weeks 4
      gapcli plan --days --weeks 1              this week, day by day
      gapcli plan --weekly-hours 10 --study-days mon,tue,thu,sat
      gapcli plan --domain rag --start 2027-01-04 --json
      gapcli plan --by 2027-06-30               the weekly hours to finish by then
    """

    from gapcli.domain.dates import parse_day
    from gapcli.render.terminal import notice
    from gapcli.services.forecast import forecast
    from gapcli.services.planning import PlanRequest, build_plan, track_advice

    today = clock.today()
    request = PlanRequest(
        start=parse_day(start, today, what="--start") if start else today,
        weekly_hours=weekly_hours,
        study_days=study_days,
        domains=tuple(domain or ()),
        today=today,
    )
    needed = None
    if by is not None:
        from gapcli.services.plan_by import plan_by
        from gapcli.services.state import snapshot

        snap = snapshot(workspace(ctx))
        needed = plan_by(snap, request, parse_day(by, today, what="--by"), today)
        result = needed.plan
    else:
        snap, result = build_plan(workspace(ctx), request)
    if snap.vanished:
        notice(
            "note: kept data for ids no longer in the catalog (not planned): "
            + ", ".join(snap.vanished)
        )
    if not result.items:
        where = "in the chosen domains" if request.domains else "on your track"
        notice(f"no gaps to close {where}: the plan is empty")
        if not request.domains:
            _note_off_track(snap)
    outlook = forecast(snap, result, today)
    advice = track_advice(snap)
    if json_:
        from gapcli.render.json_data import emit_json, forecast_json, plan_days_json, plan_json

        data = {**plan_json(snap.catalog, result, advice), "forecast": forecast_json(outlook)}
        if needed is not None:
            data["weekly_hours_needed"] = needed.weekly_hours
        if days:
            data["days"] = plan_days_json(result)
        emit_json(data)
    elif result.items:  # an empty plan: the notice above said so, stdout stays empty
        from gapcli.render.plan_view import print_by_date, print_forecast, print_plan

        if needed is not None:
            print_by_date(needed)
        from gapcli.services.notes import newest_notes

        noted = frozenset(newest_notes(workspace(ctx)))
        print_plan(snap.catalog, result, weeks, advice, days=days, noted=noted)
        print_forecast(outlook)


def _note_off_track(snap: "Snapshot") -> None:
    """An empty plan beside gaps off the track: say where they are and how to plan one."""
    from gapcli.cli.assess_cmd import off_track_note
    from gapcli.domain.counting import gap_report
    from gapcli.render.terminal import notice

    report = gap_report(snap.catalog, snap.state, snap.settings.track)
    if report.off_track:
        notice(off_track_note([row.standing.domain_id for row in report.off_track]))
