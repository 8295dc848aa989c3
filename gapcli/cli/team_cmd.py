"""``gapcli team gaps|matrix|coverage|trend``: every learner of the store, aggregated.

Read-only: one read transaction over every profile (:mod:`gapcli.services.team`).
The aggregates name learners (who is at target, who could mentor) but show no
one's sessions or notes; ``--detail`` adds each learner's newest ones, on purpose.
"""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gapcli import clock
from gapcli.cli.common import HintCommand, HintGroup, JsonFlag, workspace
from gapcli.cli.completion import team_tracks

if TYPE_CHECKING:
    from gapcli.services.team import Team

PRIVACY = (
    "Team views are aggregates: no one's sessions or notes are shown unless you add "
    "--detail. Recording people's study time can be subject to workplace rules."
)

app = typer.Typer(
    cls=HintGroup,
    no_args_is_help=True,
    help="Every learner of this database at once: gaps by domain, learners x domains, "
    "skills fewer than two hold, the team's hours over time. " + PRIVACY,
    epilog="\b\nExamples:\n  gapcli --db team.db import ana.json --profile ana\n"
    "  gapcli --db team.db team gaps\n  gapcli --db team.db team coverage --json",
)

TrackOption = Annotated[
    str | None,
    typer.Option(
        "--track",
        "-t",
        help="Only this track's domains (a track id of the learners' catalogs).",
        show_default=False,
        autocompletion=team_tracks,
    ),
]
DetailFlag = Annotated[
    bool,
    typer.Option(
        "--detail",
        help="Also show each learner's newest sessions and notes (off by default: "
        "people's study record is theirs).",
    ),
]


def _team(ctx: typer.Context, track: str | None, *, trend: bool, detail: bool) -> "Team":
    from gapcli.render.terminal import notice
    from gapcli.services.team import read_team

    team = read_team(workspace(ctx), today=clock.today(), track=track, trend=trend, detail=detail)
    if len(team.members) == 1:
        notice(
            "note: this database holds one learner, a team of one; add others with "
            "'gapcli import FILE.json --profile NAME'"
        )
    return team


def _emit(data: dict[str, Any], team: "Team", detail: bool) -> None:
    from gapcli.render.json_data import emit_json

    if detail:
        from gapcli.render.team_detail import team_detail_json

        data = {**data, "detail": team_detail_json(team.details)}
    emit_json(data)


def _details(team: "Team", detail: bool) -> None:
    if detail:
        from gapcli.render.team_detail import print_team_detail

        print_team_detail(team.details)


@app.command("gaps", cls=HintCommand)
def gaps(
    ctx: typer.Context,
    track: TrackOption = None,
    json_: JsonFlag = False,
    detail: DetailFlag = False,
) -> None:
    """Per domain, largest total gap first: learners at target, mean and median current %,
    the whole team's hours to close.

    \b
    Examples:
      gapcli --db team.db team gaps
      gapcli --db team.db team gaps --track ai-engineer --json
    """
    team = _team(ctx, track, trend=False, detail=detail)
    if json_:
        from gapcli.render.team_json import team_gaps_json

        _emit(team_gaps_json(team.gaps()), team, detail)
        return
    from gapcli.render.team_view import print_team_gaps

    print_team_gaps(team.gaps())
    _details(team, detail)


@app.command("matrix", cls=HintCommand)
def matrix(
    ctx: typer.Context,
    track: TrackOption = None,
    json_: JsonFlag = False,
    detail: DetailFlag = False,
) -> None:
    """Learners x domains: each cell current/target %, marked when at target.

    \b
    Examples:
      gapcli --db team.db team matrix
      gapcli --db team.db team matrix --json
    """
    team = _team(ctx, track, trend=False, detail=detail)
    if json_:
        from gapcli.render.team_json import team_matrix_json

        _emit(team_matrix_json(team.matrix()), team, detail)
        return
    from gapcli.render.team_view import print_team_matrix

    print_team_matrix(team.matrix())
    _details(team, detail)


@app.command("coverage", cls=HintCommand)
def coverage(
    ctx: typer.Context,
    track: TrackOption = None,
    json_: JsonFlag = False,
    detail: DetailFlag = False,
) -> None:
    """The bus factor: domains fewer than two learners have at target, topics fewer than
    two know, and who does (the mentors).

    \b
    Examples:
      gapcli --db team.db team coverage
      gapcli --db team.db team coverage --track ai-engineer --json
    """
    team = _team(ctx, track, trend=False, detail=detail)
    if json_:
        from gapcli.render.team_json import team_coverage_json

        _emit(team_coverage_json(team.coverage()), team, detail)
        return
    from gapcli.render.team_view import print_team_coverage

    print_team_coverage(team.coverage())
    _details(team, detail)


@app.command("trend", cls=HintCommand)
def trend(ctx: typer.Context, json_: JsonFlag = False, detail: DetailFlag = False) -> None:
    """The team's hours left to close every gap at each month's end, then today.

    \b
    Examples:
      gapcli --db team.db team trend
      gapcli --db team.db team trend --json
    """
    team = _team(ctx, None, trend=True, detail=detail)
    if json_:
        from gapcli.render.team_json import team_trend_json

        _emit(team_trend_json(team.trend()), team, detail)
        return
    from gapcli.render.team_view import print_team_trend

    print_team_trend(team.trend())
    _details(team, detail)
