"""``gapcli plan``: the personalised, ordered, dated study plan."""

from typing import TYPE_CHECKING, Annotated

import typer

from gapcli.cli.common import JsonFlag, plain_float, positive_int, workspace
from gapcli.cli.completion import DOMAINS

if TYPE_CHECKING:
    pass


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
    from gapcli.cli.reads import PlanOptions, show_plan

    show_plan(
        workspace(ctx),
        PlanOptions(
            start=start,
            weekly_hours=weekly_hours,
            study_days=study_days,
            domains=tuple(domain or ()),
            weeks=weeks,
            days=days,
            by=by,
            as_json=json_,
        ),
    )
