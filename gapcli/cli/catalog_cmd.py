"""``gapcli catalog``: look at the catalog, or check a catalog file."""

from pathlib import Path
from typing import Annotated

import typer

from gapcli.cli.common import HintCommand, HintGroup, JsonFlag, workspace
from gapcli.cli.completion import ANY_ID
from gapcli.views.catalog import CatalogKind

app = typer.Typer(
    cls=HintGroup,
    help="Browse the catalog of domains, topics, tracks, papers and resources.",
    epilog="\b\nExamples:\n  gapcli catalog list --kind tracks\n  gapcli catalog show rag\n"
    "  gapcli catalog validate my-catalog.yaml",
    no_args_is_help=True,
)


@app.command("list", cls=HintCommand)
def list_(
    ctx: typer.Context,
    kind: Annotated[
        CatalogKind, typer.Option("--kind", "-k", help="What to list.")
    ] = CatalogKind.DOMAINS,
    json_: JsonFlag = False,
) -> None:
    """List the catalog's domains (or topics, tracks, papers, resources, levels, sources).

    The roadmaps the catalog comes from are credited under the table.

    \b
    Examples:
      gapcli catalog list
      gapcli catalog list --kind tracks
      gapcli catalog list --kind topics --json | jq '.[0]'
    """
    from gapcli.services.catalog_browse import catalog_rows, source_rows

    ws = workspace(ctx)
    loaded = ws.catalog(ws.recorded_catalog())
    rows = catalog_rows(loaded.catalog, kind)
    if kind is CatalogKind.PAPERS:
        from gapcli.services.notes import with_read_days

        rows = with_read_days(ws, rows)
    if json_:
        from gapcli.render.json_data import emit_json

        emit_json(rows)
    else:
        from gapcli.render.catalog_view import print_rows, print_sources

        print_rows(loaded, kind, rows)
        if kind is not CatalogKind.SOURCES:
            print_sources(source_rows(loaded.catalog))


@app.command("show", cls=HintCommand)
def show(
    ctx: typer.Context,
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A domain, topic, track, paper, resource or math level id (or a name).",
            autocompletion=ANY_ID,
        ),
    ],
    json_: JsonFlag = False,
) -> None:
    """Show one catalog entry in full.

    \b
    Examples:
      gapcli catalog show rag
      gapcli catalog show "RAG Systems" --json
      gapcli catalog show ai-engineer
    """
    from gapcli.services.catalog_browse import describe

    ws = workspace(ctx)
    loaded = ws.catalog(ws.recorded_catalog())
    entry = describe(loaded.catalog, ident)
    if entry["type"] in ("topic", "paper"):
        from gapcli.services.notes import with_learner_data

        entry = with_learner_data(ws, entry)
    if json_:
        from gapcli.render.json_data import emit_json

        emit_json(entry)
    else:
        from gapcli.render.catalog_view import print_entry

        print_entry(entry)


@app.command("validate", cls=HintCommand)
def validate(
    file: Annotated[Path, typer.Argument(help="The catalog YAML file to check.")],
    json_: JsonFlag = False,
) -> None:
    """Check a catalog file; list every problem, one per line.

    Exit status 0 when the file is valid, 1 when it is not.

    \b
    Examples:
      gapcli catalog validate my-catalog.yaml
    """
    from gapcli.domain.words import plural
    from gapcli.services.catalog_browse import summary
    from gapcli.services.catalogs import load_catalog

    loaded = load_catalog(file)
    info = summary(loaded.catalog)
    if json_:
        from gapcli.render.json_data import emit_json

        emit_json({"file": str(file), "valid": True, **info})
    else:
        from gapcli.render.sanitize import clean

        # One line, whatever the terminal width: scripts grep it.
        typer.echo(
            clean(
                f"{file}: valid catalog '{info['id']}': {plural(info['domains'], 'domain')}, "
                f"{plural(info['topics'], 'topic')}, {info['hours']:g} h, "
                f"{plural(info['tracks'], 'track')}"
                + (f", {plural(info['sources'], 'source')}" if info["sources"] else ""),
                keep_newlines=False,
            )
        )


@app.command("switch", cls=HintCommand)
def switch(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The catalog YAML file to use from now on, or 'builtin'.",
            show_default=False,
        ),
    ],
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            help="The track to follow in the new catalog (default: yours if it has it, "
            "else its first).",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Switch; without it nothing changes.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Move this profile to another catalog; first shows what carries over.

    Assessments, finished topics and logged time carry over where the new catalog
    has the same ids; the rest is set aside, never deleted, and counts again if you
    switch back. Every logged session stays in history and in your pace.

    \b
    Examples:
      gapcli catalog switch my-catalog.yaml          shows what carries over
      gapcli catalog switch my-catalog.yaml --yes    switches
      gapcli catalog switch builtin --yes            back to the built-in catalog
      gapcli undo                                    takes the switch back
    """
    from gapcli import clock
    from gapcli.services.catalog_switch import switch_catalog

    result = switch_catalog(workspace(ctx), source, clock.today(), track=track, write=yes)
    if json_:
        from gapcli.render.json_data import emit_json
        from gapcli.render.switch_view import switch_json

        emit_json(switch_json(result))
    else:
        from gapcli.render.switch_view import print_switch

        print_switch(result)
