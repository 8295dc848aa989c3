"""The team commands' view models, built from the members' plain values by the domain.

The service gathers each profile's :class:`~gapcli.domain.team.MemberStanding`
(and :class:`~gapcli.domain.team.MemberSeries` for the trend) and calls one
builder here; the terminal, JSON and HTML renderers only format the result.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from gapcli.domain.team import (
    BUS_FACTOR,
    MemberSeries,
    MemberStanding,
    TeamCoverage,
    TeamGap,
    TeamMatrix,
    TrendPoint,
    catalogs_of,
    team_coverage,
    team_gaps,
    team_matrix,
    team_trend,
)


@dataclass(frozen=True)
class TeamScope:
    """Who the view covers: how many members, on which catalogs, which track's domains."""

    members: int
    catalogs: tuple[str, ...] = ()  # distinct catalog ids; more than one: matched by id
    track: str | None = None  # the track whose domains are kept; None: every domain

    @property
    def mixed(self) -> bool:
        return len(self.catalogs) > 1


@dataclass(frozen=True)
class TeamGapsView:
    scope: TeamScope
    rows: tuple[TeamGap, ...]  # largest total gap first

    @property
    def total_hours(self) -> float:
        return sum(r.total_gap_hours for r in self.rows)


@dataclass(frozen=True)
class TeamMatrixView:
    scope: TeamScope
    matrix: TeamMatrix


@dataclass(frozen=True)
class TeamCoverageView:
    scope: TeamScope
    coverage: TeamCoverage


@dataclass(frozen=True)
class TeamTrendView:
    scope: TeamScope
    points: tuple[TrendPoint, ...]  # by day, the latest last


@dataclass(frozen=True)
class TeamReportView:
    """Everything ``export -f html --team`` draws."""

    today: date
    gaps: TeamGapsView
    matrix: TeamMatrixView
    coverage: TeamCoverageView
    trend: TeamTrendView


def scope_of(
    members: Sequence[MemberStanding], track: str | None = None, *, count: int | None = None
) -> TeamScope:
    return TeamScope(len(members) if count is None else count, catalogs_of(members), track)


def gaps_view(
    members: Sequence[MemberStanding],
    track: str | None = None,
    only: Collection[str] | None = None,
) -> TeamGapsView:
    """``team gaps``: ``only`` holds the domain ids of ``track`` (None: every domain)."""
    return TeamGapsView(scope_of(members, track), team_gaps(members, only))


def matrix_view(
    members: Sequence[MemberStanding],
    track: str | None = None,
    only: Collection[str] | None = None,
) -> TeamMatrixView:
    return TeamMatrixView(scope_of(members, track), team_matrix(members, only))


def coverage_view(
    members: Sequence[MemberStanding],
    track: str | None = None,
    only: Collection[str] | None = None,
    minimum: int = BUS_FACTOR,
) -> TeamCoverageView:
    return TeamCoverageView(scope_of(members, track), team_coverage(members, only, minimum))


def trend_view(
    series: Sequence[MemberSeries], members: Sequence[MemberStanding] = ()
) -> TeamTrendView:
    """``team trend``: ``members`` (optional) only names the catalogs in the scope."""
    return TeamTrendView(scope_of(members, count=len(series)), team_trend(series))


def report_view(
    members: Sequence[MemberStanding],
    series: Sequence[MemberSeries],
    today: date,
    track: str | None = None,
    only: Collection[str] | None = None,
) -> TeamReportView:
    """The team report: every view above over the same members."""
    return TeamReportView(
        today,
        gaps_view(members, track, only),
        matrix_view(members, track, only),
        coverage_view(members, track, only),
        trend_view(series, members),
    )
