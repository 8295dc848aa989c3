"""``gapcli plan``: the personalised, ordered, dated study plan."""

from typing import TYPE_CHECKING, Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, plain_float, positive_int, workspace

if TYPE_CHECKING:
    from gapcli.services.state import Snapshot


def plan(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="First day, YYYY-MM-DD (default: today).", show_default=False
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
    json_: JsonFlag = False,
) -> None:
    """Show what to study, in which order, on which days, and when each target is reached.

    \b
    Examples:
      gapcli plan
      gapcli plan --weeks 4
      gapcli plan --weekly-hours 10 --study-days mon,tue,thu,sat
      gapcli plan --domain rag --start 2027-01-04 --json
    """

    from gapcli.domain.calendar import parse_date
    from gapcli.render.terminal import notice
    from gapcli.services.forecast import forecast
    from gapcli.services.planning import PlanRequest, build_plan, track_advice

    today = clock.today()
    request = PlanRequest(
        start=parse_date(start, what="--start") if start else today,
        weekly_hours=weekly_hours,
        study_days=study_days,
        domains=tuple(domain or ()),
        today=today,
    )
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
        from gapcli.render.json_data import emit_json, forecast_json, plan_json

        emit_json({**plan_json(snap.catalog, result, advice), "forecast": forecast_json(outlook)})
    elif result.items:  # an empty plan: the notice above said so, stdout stays empty
        from gapcli.render.plan_view import print_forecast, print_plan

        print_plan(snap.catalog, result, weeks, advice)
        print_forecast(outlook)


def _note_off_track(snap: "Snapshot") -> None:
    """An empty plan beside gaps off the track: say where they are and how to plan one."""
    from gapcli.cli.assess_cmd import off_track_note
    from gapcli.domain.counting import gap_report
    from gapcli.render.terminal import notice

    report = gap_report(snap.catalog, snap.state, snap.settings.track)
    if report.off_track:
        notice(off_track_note([row.standing.domain_id for row in report.off_track]))
