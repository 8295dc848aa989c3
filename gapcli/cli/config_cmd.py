"""``gapcli config``: show the settings; ``gapcli config set KEY VALUE`` changes one."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import HintCommand, HintGroup, JsonFlag, workspace
from gapcli.cli.completion import setting_keys, setting_values

app = typer.Typer(
    cls=HintGroup,
    help="Show your settings, or change one (kept as history; undo takes it back).",
    epilog="\b\nExamples:\n  gapcli config\n  gapcli config set weekly-hours 8\n"
    "  gapcli config set day-hours mon=1,sat=4\n  gapcli config set day-hours even",
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def show(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Show your settings: weekly-hours, study-days, day-hours, study-time, min-session,
    track, and the catalog.

    \b
    Examples:
      gapcli config
      gapcli config --json
      gapcli config set weekly-hours 8
    """
    if ctx.invoked_subcommand is not None:
        return
    from gapcli.services.settings import show_config

    view = show_config(workspace(ctx))
    if json_:
        from gapcli.render.config_view import config_json
        from gapcli.render.json_data import emit_json

        emit_json(config_json(view))
    else:
        from gapcli.render.config_view import print_config

        print_config(view)


# A value such as -1 is a value to refuse with a reason, not an unknown option.
@app.command("set", cls=HintCommand, context_settings={"ignore_unknown_options": True})
def set_(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="weekly-hours, study-days, day-hours, study-time, min-session, track or "
            "review-share.",
            show_default=False,
            autocompletion=setting_keys,
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The new value, e.g. 8, mon,wed,sat, mon=1,sat=4 (or even), 19:30, 45, "
            "ai-engineer.",
            show_default=False,
            autocompletion=setting_values,
        ),
    ],
) -> None:
    """Change one setting; prints what changed and the plan's finish before and after.

    \b
    weekly-hours  hours a week (0.5 to 168, at most 24 h a study day)
    study-days    e.g. mon,wed,sat
    day-hours     hours per weekday, e.g. mon=1,sat=4 (the others share the weekly
                  hours evenly; the weekly hours still cap each week); 'even' clears
    study-time    when calendar exports put sessions, HH:MM
    min-session   the plan's shortest session, 15 to 240 minutes
    track         a track id of your catalog (gapcli catalog list --kind tracks)
    review-share  % of a study day reviews of finished topics may take (0 to 50;
                  default 25; 0 plans no reviews)

    \b
    Examples:
      gapcli config set weekly-hours 8
      gapcli config set day-hours mon=1,sat=4
      gapcli undo                                takes the change back
    """
    from gapcli.render.config_view import print_set
    from gapcli.services.settings import set_setting

    print_set(set_setting(workspace(ctx), key, value, clock.today()))
