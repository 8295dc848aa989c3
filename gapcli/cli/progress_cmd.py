"""``gapcli log-progress``, ``gapcli history`` and ``gapcli undo``."""

import sys
from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import (
    HintCommand,
    HintGroup,
    JsonFlag,
    YesFlag,
    plain_float,
    plain_int,
    workspace,
)
from gapcli.cli.completion import DOMAINS, TOPICS_AND_DOMAINS, session_ids

HoursOpt = Annotated[
    float | None, typer.Option("--hours", "-H", help="Hours studied.", parser=plain_float)
]
MinutesOpt = Annotated[
    float | None, typer.Option("--minutes", "-M", help="Minutes studied.", parser=plain_float)
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Day studied: YYYY-MM-DD, today, yesterday, -3d, -2w or a weekday like mon "
        "(default: today; never in the future).",
        show_default=False,
    ),
]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="A short note.")]
# history edit changes only what it is given: its defaults are "unchanged", not today.
EditHoursOpt = Annotated[
    float | None,
    typer.Option(
        "--hours",
        "-H",
        help="New duration in hours (default: unchanged).",
        parser=plain_float,
    ),
]
EditMinutesOpt = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        "-M",
        help="New duration in minutes (default: unchanged).",
        parser=plain_float,
    ),
]
EditDateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="New day: YYYY-MM-DD, yesterday, -3d, -2w or a weekday like mon "
        "(default: unchanged; never in the future).",
        show_default=False,
    ),
]
EditNoteOpt = Annotated[
    str | None,
    typer.Option("--note", "-n", help='New note; --note "" clears it (default: unchanged).'),
]


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        from gapcli.errors import InvalidValue

        raise InvalidValue(f"{question} - add --yes to confirm (stdin is not a terminal)")
    from gapcli.cli import confirm

    confirm(question)


def log_progress(
    ctx: typer.Context,
    what: Annotated[
        str,
        typer.Argument(
            metavar="TOPIC_OR_DOMAIN",
            help="Topic or domain, by id or name (any case).",
            autocompletion=TOPICS_AND_DOMAINS,
        ),
    ],
    hours: HoursOpt = None,
    minutes: MinutesOpt = None,
    date_: DateOpt = None,
    note: NoteOpt = None,
    done: Annotated[bool, typer.Option("--done", help="Mark the topic as known.")] = False,
    todo: Annotated[
        bool,
        typer.Option(
            "--todo",
            help="Mark the topic as not done yet: your % covers it but you have not "
            "studied it, so the plan schedules it (also takes back --done).",
        ),
    ] = False,
    recall: Annotated[
        str | None,
        typer.Option(
            "--recall",
            metavar="RATING",
            help="With --done: how well you can recall it now (again, hard, good or easy; "
            "default good). It sets when the topic first comes back for review.",
            show_default=False,
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Log time studied on a topic or domain, and mark topics done (or not done yet).

    \b
    Examples:
      gapcli log-progress la-visual --hours 1.5
      gapcli log-progress "Linear algebra, visually" --minutes 45 --done
      gapcli log-progress rag --hours 2 --date 2026-11-20 --note "built a toy retriever"
      gapcli log-progress ft-lora-mechanics --todo
    """

    from gapcli.domain.dates import parse_day
    from gapcli.render.json_data import emit_json
    from gapcli.render.numbers import num
    from gapcli.render.terminal import line
    from gapcli.services.progress import log_progress as log

    today = clock.today()
    day = parse_day(date_, today, what="--date") if date_ is not None else today
    rating = None
    if recall is not None:
        from gapcli.domain.reviews import parse_rating

        rating = parse_rating(recall)
    r = log(
        workspace(ctx),
        what,
        hours=hours,
        minutes=minutes,
        day=day,
        note=note,
        done=done,
        today=today,
        todo=todo,
        recall=rating,
    )
    if json_:
        emit_json(
            {
                "session": r.session_id,
                "target": r.target,
                "domain": r.domain,
                "hours": num(r.minutes / 60, 2),
                "date": r.day.isoformat(),
                "done": r.done,
                "todo": r.todo,
                "done_by_time": r.done_by_time,
                "current_before": num(r.before[0]),
                "current_after": num(r.after[0]),
                "gap_before": num(r.before[1]),
                "gap_after": num(r.after[1]),
            }
        )
        return
    parts = []
    if r.minutes:
        parts.append(
            f"{num(r.minutes / 60, 2)} h on {r.target} ({r.day:%Y-%m-%d}), session {r.session_id}"
        )
    if r.done_by_time:
        parts.append(f"{r.target} marked done: all its hours are logged (reviews start)")
    elif r.done:
        parts.append(f"{r.target} marked done")
    if r.todo:
        parts.append(f"{r.target} marked not done yet")
    line("Logged " + "; ".join(parts))  # plain lines: no rich needed
    line(
        f"{r.domain}: {num(r.before[0])}% -> {num(r.after[0])}%, "
        f"gap {num(r.before[1])} -> {num(r.after[1])}"
    )
    if not r.is_topic:
        line(
            "(time on a whole domain counts toward your pace and history, not its %: "
            "log a topic, or 'gapcli assess', to move it)"
        )


history_app = typer.Typer(cls=HintGroup, invoke_without_command=True)


@history_app.callback()
def history(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only sessions on or after this day: YYYY-MM-DD, -2w, mon, yesterday...",
        ),
    ] = None,
    domain: Annotated[
        str | None,
        typer.Option("--domain", "-d", help="Only this domain.", autocompletion=DOMAINS),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Show your sessions, hours per week, streak, pace and % over time.

    \b
    Examples:
      gapcli history
      gapcli history --since 2026-11-01 --domain rag
      gapcli history remove 12 --yes
      gapcli history edit 12 --minutes 30
    """
    if ctx.invoked_subcommand is not None:
        return

    from gapcli.cli.reads import show_history

    show_history(workspace(ctx), since=since, domain=domain, as_json=json_)


@history_app.command("remove", cls=HintCommand)
def remove(
    ctx: typer.Context,
    session_id: Annotated[
        int,
        typer.Argument(
            metavar="ID",
            help="Session id (see history).",
            parser=plain_int,
            autocompletion=session_ids,
        ),
    ],
    yes: YesFlag = False,
) -> None:
    """Delete one mistaken session (undo brings it back).

    \b
    Examples:
      gapcli history remove 12 --yes
    """
    from gapcli.render.terminal import out, safe
    from gapcli.services.corrections import get_session, remove_session

    ws = workspace(ctx)
    _confirm(f"Remove {get_session(ws, session_id)}?", yes)
    out().print(safe(f"Removed {remove_session(ws, session_id)}"))


@history_app.command("edit", cls=HintCommand)
def edit(
    ctx: typer.Context,
    session_id: Annotated[
        int,
        typer.Argument(
            metavar="ID",
            help="Session id (see history).",
            parser=plain_int,
            autocompletion=session_ids,
        ),
    ],
    hours: EditHoursOpt = None,
    minutes: EditMinutesOpt = None,
    date_: EditDateOpt = None,
    note: EditNoteOpt = None,
) -> None:
    """Fix one session's duration, day or note; what you leave out stays as it is.

    \b
    Examples:
      gapcli history edit 12 --minutes 30
      gapcli history edit 12 --date 2026-11-20 --note "chapter 3"
      gapcli history edit 12 --note ""          clear the note
    """

    from gapcli.domain.dates import parse_day
    from gapcli.render.terminal import out, safe
    from gapcli.services.corrections import edit_session

    today = clock.today()
    before, after = edit_session(
        workspace(ctx),
        session_id,
        hours=hours,
        minutes=minutes,
        day=parse_day(date_, today, what="--date") if date_ is not None else None,
        note=note,
        today=today,
    )
    out().print(safe(f"Changed {before}  ->  {after}"))


def undo(ctx: typer.Context, yes: YesFlag = False) -> None:
    """Take back your last change (a log, a done mark, an assessment, an edit, a removal
    or a setting).

    Run it again to go further back.

    \b
    Examples:
      gapcli undo
      gapcli undo --yes
    """
    from gapcli.render.terminal import notice, out, safe
    from gapcli.services.corrections import last_change
    from gapcli.services.corrections import undo as take_back

    ws = workspace(ctx)
    change = last_change(ws)
    if change is None or change.id is None:
        notice("nothing to undo")
        return
    from datetime import UTC

    # Stored moments are naive UTC: ask with the learner's local time, and keep the
    # summary's own parentheses from sitting next to ours.
    made = change.at.replace(tzinfo=change.at.tzinfo or UTC).astimezone()
    _confirm(f"Undo your change of {made:%Y-%m-%d %H:%M}: {change.summary}?", yes)
    out().print(safe(f"Undone: {take_back(ws, change.id)}"))
