"""``gapcli profiles`` and ``gapcli profile rename|remove``: the learners of one store."""

from typing import Annotated

import typer

from gapcli.cli.common import HintCommand, HintGroup, JsonFlag, YesFlag, export_json, workspace
from gapcli.cli.completion import profile_names

app = typer.Typer(
    cls=HintGroup,
    no_args_is_help=True,
    help="Rename or remove a learner of this database (list them with 'gapcli profiles').",
    epilog="\b\nExamples:\n  gapcli profile rename me ana\n  gapcli profile remove bob --yes",
)


def profiles(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """List the learners of this database: name, track, catalog, sessions, last study day.

    The one commands use (--profile, $GAPCLI_PROFILE, or the only one) is marked '*'.

    \b
    Examples:
      gapcli profiles
      gapcli --db team.db profiles --json
    """
    import json

    from gapcli.render.terminal import line, out, safe
    from gapcli.services.profiles import list_profiles

    rows = list_profiles(workspace(ctx))
    if json_:
        doc = [
            {
                "name": r.name,
                "track": r.track,
                "catalog": r.catalog,
                "sessions": r.sessions,
                "last_study_day": r.last_study_day.isoformat() if r.last_study_day else None,
                "created": r.created.isoformat(),
                "chosen": r.chosen,
            }
            for r in rows
        ]
        line(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if not rows:
        line("No profiles yet; create one with: gapcli init")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for heading in ("", "profile", "track", "catalog", "sessions", "last study", "created"):
        table.add_column(heading, justify="right" if heading == "sessions" else "left")
    for r in rows:
        table.add_row(
            "*" if r.chosen else "",
            safe(r.name),
            safe(r.track),
            safe(r.catalog),
            str(r.sessions),
            r.last_study_day.isoformat() if r.last_study_day else "-",
            r.created.isoformat(),
        )
    out().print(table)


@app.command("rename", cls=HintCommand)
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The profile's name.", autocompletion=profile_names)],
    new: Annotated[str, typer.Argument(help="Its new name (1-40 letters, digits, - _ .).")],
) -> None:
    """Rename a profile; its rows stay its own.

    \b
    Examples:
      gapcli profile rename me ana
    """
    from gapcli.render.terminal import line
    from gapcli.services.profiles import rename_profile

    rename_profile(workspace(ctx), old, new)
    line(f"Renamed profile {old} to {new}.")


@app.command("remove", cls=HintCommand)
def remove(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The profile to delete.", autocompletion=profile_names)
    ],
    yes: YesFlag = False,
) -> None:
    """Delete a profile and everything it logged, after a backup (needs --yes).

    The backup goes beside the database (see 'gapcli db restore --help'); then every
    row of that profile is deleted in one transaction. The other profiles stay.

    \b
    Examples:
      gapcli profile remove bob --yes
    """
    from gapcli.cli import fail
    from gapcli.render.terminal import line
    from gapcli.services.profiles import remove_profile

    if not yes:
        fail(f"removing profile {name} deletes everything it logged; add --yes to do it")
    removed = remove_profile(workspace(ctx), name, export_json)
    left = ", ".join(removed.left) or "none"
    line(f"Removed profile {removed.name}; backup: {removed.backup}; profiles left: {left}")
