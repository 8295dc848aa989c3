"""``gapcli roadmap``: a domain's topics as a checklist, or a track's domains (read-only)."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, workspace


def roadmap(
    ctx: typer.Context,
    domain: Annotated[
        str | None,
        typer.Argument(help="Domain id or name (as assess takes it).", show_default=False),
    ] = None,
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            metavar="ID",
            help="A track's domains, one line each (default: your track).",
            show_default=False,
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Show a domain's topics in teaching order, each done, known, in progress or planned.

    Without a domain: each domain of your track (or --track's) with its % and a
    count of its topics by status.

    \b
    Examples:
      gapcli roadmap rag
      gapcli roadmap "Retrieval-augmented generation" --json
      gapcli roadmap --track all
    """
    from gapcli.cli import fail

    if domain is not None and track is not None:
        fail("give a domain or --track, not both")
    today = clock.today()
    if domain is not None:
        from gapcli.services.roadmap import domain_roadmap

        view = domain_roadmap(workspace(ctx), domain, today)
        if json_:
            from gapcli.render.json_data import emit_json, roadmap_domain_json

            emit_json(roadmap_domain_json(view))
        else:
            from gapcli.render.roadmap_view import print_domain

            print_domain(view)
        return
    from gapcli.services.roadmap import track_roadmap

    whole = track_roadmap(workspace(ctx), track, today)
    if json_:
        from gapcli.render.json_data import emit_json, roadmap_track_json

        emit_json(roadmap_track_json(whole))
    else:
        from gapcli.render.roadmap_view import print_track

        print_track(whole)
