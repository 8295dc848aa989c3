"""``gapcli today``: what to study today, from the plan."""

import typer

from gapcli import clock
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
    from gapcli.services.today import today_view

    view = today_view(workspace(ctx), clock.today())
    if json_:
        from gapcli.render.json_data import emit_json, today_json

        emit_json(today_json(view))
    else:
        from gapcli.render.today_view import print_today

        print_today(view)
