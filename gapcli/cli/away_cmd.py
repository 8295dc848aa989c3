"""``gapcli away add|list|remove``: days the plan leaves empty."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import HintCommand, HintGroup, JsonFlag, plain_int, workspace
from gapcli.cli.completion import away_ids

app = typer.Typer(
    cls=HintGroup,
    no_args_is_help=True,
    help="Days you are away: the plan leaves them empty, the streak and the pace skip them.",
    epilog="\b\nExamples:\n  gapcli away add 2027-07-01 2027-07-14 --note holiday\n"
    "  gapcli away list\n  gapcli away remove 1",
)

DAY_FORMS = "YYYY-MM-DD (may be in the future), today, yesterday, -3d, -2w or a weekday"


# ``-3d`` reads as a date, not as an unknown option -3 (click would refuse it).
@app.command("add", cls=HintCommand, context_settings={"ignore_unknown_options": True})
def add(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(metavar="START", help=f"First day away: {DAY_FORMS}.")],
    end: Annotated[
        str | None,
        typer.Argument(metavar="END", help="Last day away, included (default: START)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why, e.g. 'holiday'.")] = None,
) -> None:
    """Add a range of days you are away (undo takes it back).

    \b
    Examples:
      gapcli away add 2027-07-01 2027-07-14 --note holiday
      gapcli away add 2026-12-24
    """
    from gapcli.render.terminal import line
    from gapcli.services.away import add_away

    added = add_away(workspace(ctx), start, end, note, clock.today())
    line(f"Added {added.describe()}; the plan leaves it empty.")


@app.command("list", cls=HintCommand)
def list_(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """List your away ranges: id, start, end, days, note.

    \b
    Examples:
      gapcli away list
      gapcli away list --json
    """
    from gapcli.render.away_view import away_json, print_away
    from gapcli.services.away import list_away

    ranges = list_away(workspace(ctx))
    if json_:
        from gapcli.render.json_data import emit_json

        emit_json(away_json(ranges))
    else:
        print_away(ranges)


@app.command("remove", cls=HintCommand)
def remove(
    ctx: typer.Context,
    away_id: Annotated[
        int,
        typer.Argument(
            metavar="ID",
            help="Away range id (see away list).",
            parser=plain_int,
            autocompletion=away_ids,
        ),
    ],
) -> None:
    """Remove an away range: it is marked removed, never deleted (undo brings it back).

    \b
    Examples:
      gapcli away remove 3
    """
    from gapcli.render.terminal import line
    from gapcli.services.away import remove_away

    removed = remove_away(workspace(ctx), away_id)
    line(f"Removed {removed.describe()}.")
