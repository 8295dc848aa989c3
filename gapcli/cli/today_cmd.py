"""``gapcli today``: what to study today, from the plan."""

import typer

from gapcli.cli.common import JsonFlag, workspace


def today(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Show today's sessions (less what you logged today), the week so far, and what is next.

    On a day with nothing planned it names the next study day and its sessions.

    \b
    Examples:
      gapcli today
      gapcli today --json
      GAPCLI_TODAY=2026-12-02 gapcli today      as if it were that day
    """
    from gapcli.cli.reads import show_today

    show_today(workspace(ctx), as_json=json_)
