"""``gapcli reset``: start over with an empty database (after an automatic backup)."""

import typer

from gapcli.cli.common import YesFlag, workspace


def reset(ctx: typer.Context, yes: YesFlag = False) -> None:
    """Start over: delete your profile and everything logged, after a backup.

    The backup goes beside the database (see 'gapcli db restore --help' to bring it
    back); then every row is deleted in one transaction, and 'gapcli init' starts
    afresh.

    \b
    Examples:
      gapcli reset
      gapcli --db ./demo.db reset --yes
    """
    from gapcli.cli import confirm
    from gapcli.render.terminal import out, safe
    from gapcli.services.reset import reset_database

    ws = workspace(ctx)
    ws.database()  # a missing database is refused before the question
    if not yes:
        confirm(f"Delete your profile and everything in {ws.db_path} (a backup is taken first)?")
    result = reset_database(ws)
    console = out()
    console.print(safe(f"Emptied {result.path}; backup: {result.backup}"))
    console.print(safe("  start again with: gapcli init"))
