"""``gapcli reset``: start over with an empty database (after an automatic backup)."""

import typer

from gapcli.cli.common import YesFlag, export_json, workspace


def reset(ctx: typer.Context, yes: YesFlag = False) -> None:
    """Start over: delete your profile and everything logged, after a backup.

    The backup goes beside the database (see 'gapcli db restore --help' to bring it
    back); then every row of your profile (--profile) is deleted in one transaction,
    the database's other learners left as they are, and 'gapcli init' starts afresh.

    \b
    Examples:
      gapcli reset
      gapcli --db ./demo.db reset --yes
    """
    from gapcli.cli import confirm
    from gapcli.render.terminal import line
    from gapcli.services.reset import reset_database

    ws = workspace(ctx)
    ws.database()  # a missing database is refused before the question
    named = ws.profile
    whose = f"profile {named}" if named else "your profile"
    if not yes:
        confirm(
            f"Delete {whose} and everything it logged in {ws.db_label} (a backup is taken first)?"
        )
    result = reset_database(ws, export_json)
    line(f"Emptied {result.path} of {whose}; backup: {result.backup}")  # paths never cut
    again = f"gapcli --profile {named} init" if named else "gapcli init"
    line(f"  start again with: {again}")
