"""``gapcli init``: create the learner's profile."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import plain_float, workspace
from gapcli.cli.completion import TRACKS


def init(
    ctx: typer.Context,
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            "-t",
            help="Track to follow (see "
            "'gapcli catalog list --kind tracks'; default: the catalog's first).",
            autocompletion=TRACKS,
        ),
    ] = None,
    weekly_hours: Annotated[
        float | None,
        typer.Option(
            "--weekly-hours",
            help="Hours you can study per week (default 6).",
            parser=plain_float,
        ),
    ] = None,
    study_days: Annotated[
        str | None,
        typer.Option("--study-days", help="Days you study, e.g. mon,wed,sat (the default)."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Time of day you study, HH:MM (default 19:00); calendar exports use it.",
            show_default=False,
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the catalog's example learner "
            "(the AI catalog's: nine domains from the 'Knowledge Gaps' roadmap).",
        ),
    ] = False,
) -> None:
    """Create your profile: track, weekly hours and study days.

    Refuses to touch a database that already holds a profile.

    \b
    Examples:
      gapcli init --track ai-engineer --weekly-hours 8 --study-days mon,wed,fri,sun --at 7:30
      gapcli init --demo
      gapcli --db ./demo.db init --demo
    """

    from gapcli.render.numbers import plural
    from gapcli.render.terminal import out, safe
    from gapcli.services.profile import init_profile

    result = init_profile(
        workspace(ctx),
        track=track,
        weekly_hours=weekly_hours,
        study_days=study_days,
        demo=demo,
        today=clock.today(),
        study_time=at,
    )
    console = out()
    console.print(safe(f"Created {result.path}"))
    console.print(
        safe(
            f"  catalog: {result.catalog}; track: {result.track_name} ({result.track}); "
            f"{result.weekly_hours:g} h/week on {result.study_days} at {result.study_time}"
        )
    )
    if result.assessed:
        todo = f", {plural(len(result.todo), 'topic')} marked not done yet" if result.todo else ""
        console.print(safe(f"  demo learner: {plural(result.assessed, 'domain')} assessed{todo}"))
