"""``gapcli review`` and ``gapcli reviews``: spaced review of finished topics."""

from typing import Annotated

import typer

from gapcli import clock
from gapcli.cli.common import JsonFlag, workspace
from gapcli.cli.completion import TOPICS


def review(
    ctx: typer.Context,
    topic: Annotated[
        str,
        typer.Argument(
            metavar="TOPIC", help="A finished topic, by id or name.", autocompletion=TOPICS
        ),
    ],
    rating: Annotated[
        str,
        typer.Option(
            "--rating",
            "-r",
            metavar="RATING",
            help="How well you recalled it: again (forgot), hard, good or easy.",
            show_default=False,
        ),
    ],
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes",
            "-m",
            help="Minutes spent (default: the review's planned length).",
            show_default=False,
        ),
    ] = None,
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Day of the review: YYYY-MM-DD, today, yesterday, -3d, -2w or a weekday "
            "(default: today; never in the future).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the session.")] = None,
) -> None:
    """Record a review of a finished topic: a retrieval exercise, not a re-read.

    Explain the topic from memory (out loud or on paper), then solve a few problems
    from its first resource, and rate how it went. The rating sets when it comes
    back: again soon, easy much later. Its minutes count toward the day and your
    pace like any session; undo takes it back.

    \b
    Examples:
      gapcli review ps-bayes --rating good
      gapcli review la-visual -r hard --minutes 25 --date yesterday
    """
    from gapcli.domain.dates import parse_day
    from gapcli.domain.reviews import parse_rating
    from gapcli.render.review_view import print_review
    from gapcli.services.reviews import record_review

    today = clock.today()
    day = parse_day(date_, today, what="--date") if date_ is not None else today
    result = record_review(
        workspace(ctx),
        topic,
        parse_rating(rating),
        minutes=minutes,
        day=day,
        note=note,
        today=today,
    )
    print_review(result)


def reviews(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Every finished topic, not only those due.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """List the finished topics due for review, the most forgotten first.

    \b
    Examples:
      gapcli reviews
      gapcli reviews --all --json
    """
    from gapcli.services.reviews import reviews_view

    view = reviews_view(workspace(ctx), clock.today(), everything=everything)
    if json_:
        from gapcli.render.json_data import emit_json
        from gapcli.render.review_view import reviews_json

        emit_json(reviews_json(view))
    else:
        from gapcli.render.review_view import print_reviews

        print_reviews(view)
