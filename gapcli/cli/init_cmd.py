"""``gapcli init``: create the learner's profile."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import NewProfile, YesFlag, plain_float, workspace
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
            "(the AI catalog's: nine domains from the 'Knowledge Gaps' roadmap). "
            "Without --db or $GAPCLI_DB it goes to its own file, demo.db beside the default "
            "database, never into yours.",
        ),
    ] = False,
    yes: YesFlag = False,
    profile: NewProfile = None,
) -> None:
    """Create your profile: track, weekly hours and study days.

    Refuses to touch a database that already holds a profile, except one holding only
    the untouched demo learner: that one it offers to replace (a backup is taken first).
    With --profile NAME it adds a learner named NAME to the database (refused only if
    that name is taken); without, the profile is named after your user name.

    \b
    Examples:
      gapcli init --track ai-engineer --weekly-hours 8 --study-days mon,wed,fri,sun --at 7:30
      gapcli init --demo                 (writes demo.db beside the default database)
      gapcli --db ./demo.db init --demo
      gapcli --db team.db init --profile ana --track ai-engineer
    """
    from shlex import quote

    from gapcli.cli import confirm
    from gapcli.domain.words import plural
    from gapcli.render.terminal import line
    from gapcli.services.profile import init_profile, use_demo_file
    from gapcli.services.reset import holds_only_demo_learner

    ws = workspace(ctx)
    if profile is not None:
        ws.profile_option = profile
    demo_file = use_demo_file(ws, demo)
    # The demo over the demo would change nothing: that init refuses, as before.
    replace = not demo and holds_only_demo_learner(ws)

    def ask_first() -> None:
        if not yes:
            confirm(
                f"{ws.db_path} holds only the demo learner; replace it with this new profile "
                "(a backup is taken first)?"
            )

    result = init_profile(
        ws,
        track=track,
        weekly_hours=weekly_hours,
        study_days=study_days,
        demo=demo,
        today=clock.today(),
        study_time=at,
        replace_demo=replace,
        before_replacing=ask_first,
    )
    # Plain lines, wrapped between words only: a path is never cut at a slash.
    line(f"Created {result.path} (profile {result.profile})")
    line(
        f"  catalog: {result.catalog}; track: {result.track_name} ({result.track}); "
        f"{result.weekly_hours:g} h/week on {result.study_days} at {result.study_time}"
    )
    if result.assessed:
        todo = f", {plural(len(result.todo), 'topic')} marked not done yet" if result.todo else ""
        line(f"  demo learner: {plural(result.assessed, 'domain')} assessed{todo}")
    if replace:
        line("  replaced the demo learner (backup: gapcli db restore --help)")
    if demo_file:
        line(
            f"  the demo has its own file; try it with: gapcli --db {quote(result.path)} gaps "
            "(plain 'gapcli' commands use your own database)"
        )
