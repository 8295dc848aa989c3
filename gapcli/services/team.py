"""The team: every learner of the store, read in one snapshot, seen through their own catalog.

Each profile's settings and state are built by the same code as a single
learner's (:func:`gapcli.services.state.read_settings`, ``learner_state``,
``reconcile``), over a connection scoped to that profile in turn
(:func:`gapcli.store.team_queries.each_profile`), all inside ONE read
transaction. Catalogs are loaded once per (id, source) and their topic lists
built once per catalog, so a team of thousands on the built-in catalog loads it
once. The pure domain (:mod:`gapcli.domain.team`) aggregates; the views come
from :mod:`gapcli.views.team`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gapcli.domain.team import (
    MemberSeries,
    MemberStanding,
    TopicRef,
    member_series,
    member_standing,
    topic_refs,
)
from gapcli.errors import CatalogError, CatalogMismatch, InvalidValue, NotInitialised
from gapcli.services.hours_left import hours_left_by_month, stored_rows
from gapcli.services.state import learner_state, read_settings, reconcile
from gapcli.store import queries
from gapcli.views.team import (
    TeamCoverageView,
    TeamGapsView,
    TeamMatrixView,
    TeamReportView,
    TeamTrendView,
    coverage_view,
    gaps_view,
    matrix_view,
    report_view,
    trend_view,
)
from gapcli.views.team_detail import RECENT, MemberDetail, NoteLine, SessionLine

if TYPE_CHECKING:
    from gapcli.services.catalogs import LoadedCatalog
    from gapcli.services.workspace import Workspace


@dataclass(frozen=True)
class Team:
    """Every member's standing (and, when asked, their trend line and recent record)."""

    members: tuple[MemberStanding, ...]
    track: str | None = None  # --track: only its domains are shown
    only: frozenset[str] | None = None  # the domain ids of ``track`` across the catalogs
    series: tuple[MemberSeries, ...] = ()
    details: tuple[MemberDetail, ...] = ()

    def gaps(self) -> TeamGapsView:
        return gaps_view(self.members, self.track, self.only)

    def matrix(self) -> TeamMatrixView:
        return matrix_view(self.members, self.track, self.only)

    def coverage(self) -> TeamCoverageView:
        return coverage_view(self.members, self.track, self.only)

    def trend(self) -> TeamTrendView:
        return trend_view(self.series, self.members)

    def report(self, today: date) -> TeamReportView:
        return report_view(self.members, self.series, today, self.track, self.only)


@dataclass
class _Catalogs:
    """Each member's catalog, loaded once per (id, source), with its topics built once."""

    ws: Workspace
    loaded: dict[tuple[str, str], LoadedCatalog] = field(default_factory=dict)
    refs: dict[str, Mapping[str, tuple[TopicRef, ...]]] = field(default_factory=dict)

    def of(self, member: str, catalog_id: str, source: str) -> LoadedCatalog:
        key = (catalog_id, source)
        if key not in self.loaded:
            self.loaded[key] = self._load(member, catalog_id, source)
        return self.loaded[key]

    def topics(self, loaded: LoadedCatalog) -> Mapping[str, tuple[TopicRef, ...]]:
        if loaded.sha256 not in self.refs:
            self.refs[loaded.sha256] = topic_refs(loaded.catalog)
        return self.refs[loaded.sha256]

    def _load(self, member: str, catalog_id: str, source: str) -> LoadedCatalog:
        """The recorded catalog; ``--catalog`` stands in for any with its id (a moved file)."""
        from gapcli.services.catalogs import BUILTIN, load_builtin_catalog, load_catalog

        explicit = self.ws.explicit_catalog()
        if explicit is not None:
            chosen = load_catalog(explicit)
            if chosen.catalog.id == catalog_id:
                return chosen
        try:
            loaded = load_builtin_catalog() if source == BUILTIN else load_catalog(Path(source))
        except CatalogError as exc:
            first = exc.problems[0] if exc.problems else "invalid catalog"
            raise CatalogError(
                exc.source,
                [f"{first} (learner {member}'s catalog; if it moved, give it with --catalog)"],
            ) from None
        if loaded.catalog.id != catalog_id:
            raise CatalogMismatch(
                f"learner {member} was made with the catalog '{catalog_id}', but "
                f"{source} is now the catalog '{loaded.catalog.id}'; give the right one "
                "with --catalog FILE"
            )
        return loaded


def read_team(
    ws: Workspace,
    *,
    today: date,
    track: str | None = None,
    trend: bool = False,
    detail: bool = False,
) -> Team:
    """Every profile of the store in one read transaction; refused when there is none.

    ``trend`` also replays each learner's record to month ends (``team trend``, the
    report); ``detail`` keeps their newest sessions and notes (``--detail`` only).
    """
    db = ws.database()
    catalogs = _Catalogs(ws)
    members: list[MemberStanding] = []
    series: list[MemberSeries] = []
    details: list[MemberDetail] = []
    tracks: dict[str, frozenset[str]] = {}  # each catalog's domains of ``track``
    from gapcli.store.team_queries import each_profile

    with db.read(scoped=False, each_member=True) as conn:
        for profile in each_profile(conn):
            settings = read_settings(conn)
            loaded = catalogs.of(profile.name, settings.catalog_id, settings.catalog_source)
            catalog = loaded.catalog
            settings, state, _ = reconcile(catalog, settings, learner_state(conn))
            refs = catalogs.topics(loaded)
            members.append(member_standing(profile.name, catalog, state, settings.track, refs))
            if track is not None and loaded.sha256 not in tracks:
                try:
                    tracks[loaded.sha256] = frozenset(catalog.track(track).domains)
                except KeyError:
                    tracks[loaded.sha256] = frozenset()
            if trend:
                rows = stored_rows(conn)
                points = hours_left_by_month(catalog, settings.track, rows, today)
                series.append(member_series(profile.name, points))
            if detail:
                details.append(_detail(conn, profile.name))
    if not members:
        raise NotInitialised(
            f"no learners in {ws.db_label} yet; add one with 'gapcli import FILE.json "
            "--profile NAME' (or 'gapcli --profile NAME init')"
        )
    only = None
    if track is not None:
        if not any(tracks.values()) and not _has_track(catalogs, track):
            known = sorted({t.id for c in catalogs.loaded.values() for t in c.catalog.tracks})
            raise InvalidValue(
                f"no catalog of this team has a track '{track}' (tracks: {', '.join(known)})"
            )
        only = frozenset().union(*tracks.values())
    return Team(
        tuple(members),
        track,
        only,
        tuple(series),
        tuple(details),
    )


def team_tracks(ws: Workspace) -> dict[str, str]:
    """Every track of the learners' catalogs, id: name (``--track``'s completion)."""
    from gapcli.store.team_queries import each_profile

    catalogs = _Catalogs(ws)
    with ws.database().read(scoped=False, each_member=True) as conn:
        used = {queries.catalog_in_use(conn) for _ in each_profile(conn)}
    found: dict[str, str] = {}
    for pair in sorted(p for p in used if p is not None):
        for t in catalogs.of("", *pair).catalog.tracks:
            found.setdefault(t.id, t.name)
    return found


def _has_track(catalogs: _Catalogs, track: str) -> bool:
    """A track with no domains is still a track (the view then shows none)."""
    return any(track in c.catalog.track_by_id for c in catalogs.loaded.values())


def _detail(conn: sqlite3.Connection, name: str) -> MemberDetail:
    sessions = queries.sessions(conn)[-RECENT:]
    notes = queries.notes(conn)[-RECENT:]
    return MemberDetail(
        name,
        tuple(SessionLine(s.day, s.minutes, s.domain_id, s.topic_id, s.note) for s in sessions),
        tuple(NoteLine(n.at, n.topic_id, n.text) for n in notes),
    )
