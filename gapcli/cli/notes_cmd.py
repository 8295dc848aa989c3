"""``gapcli note``, ``gapcli notes`` and ``gapcli read``: notes per topic, the reading list."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, workspace


def note(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(metavar="TOPIC", help="Topic, by id or name.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note (at most 10,000 chars).")],
    link: Annotated[
        str | None, typer.Option("--link", "-l", help="A link of your own (http or https).")
    ] = None,
) -> None:
    """Keep a note (and a link) on a topic: where you left off, what helped (undo takes it back).

    \b
    Examples:
      gapcli note la-visual "stopped at episode 4" --link https://example.org/ep4
      gapcli note "Linear algebra, visually" "redo the exercises on bases"
    """
    from gapcli.render.terminal import line
    from gapcli.services.notes import add_note

    added = add_note(workspace(ctx), topic, text, link)
    line(f"Added note #{added.note.id} on {added.topic_name} ({added.note.topic_id}).")


def notes(
    ctx: typer.Context,
    topic: Annotated[
        str | None, typer.Argument(metavar="[TOPIC]", help="Only this topic's notes.")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """List your notes, newest last (of one topic, or of all).

    \b
    Examples:
      gapcli notes
      gapcli notes la-visual --json
    """
    from gapcli.render.notes_view import notes_json, print_notes
    from gapcli.services.notes import list_notes

    entries = list_notes(workspace(ctx), topic)
    if json_:
        from gapcli.render.json_data import emit_json

        emit_json(notes_json(entries))
    else:
        print_notes(entries)


def read(
    ctx: typer.Context,
    paper: Annotated[
        str, typer.Argument(metavar="PAPER", help="Paper id (see catalog list --kind papers).")
    ],
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Day read: YYYY-MM-DD, today, yesterday, -3d, -2w or a weekday like mon "
            "(default: today; never in the future).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Mark a paper of the reading list read (undo takes it back).

    \b
    Examples:
      gapcli read vaswani-2017
      gapcli read lewis-2020 --date yesterday
    """
    from gapcli.domain.dates import parse_day
    from gapcli.render.terminal import line
    from gapcli.services.notes import mark_read

    today = clock.today()
    day = parse_day(date_, today, what="--date") if date_ is not None else today
    paper_id, title, when = mark_read(workspace(ctx), paper, day, today)
    line(f"Marked {title} ({paper_id}) read on {when:%Y-%m-%d}.")
