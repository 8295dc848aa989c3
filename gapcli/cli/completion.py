"""Shell-completion callbacks: ids from the profile's catalog, or nothing.

typer calls these only while the shell asks for completions (``_GAPCLI_COMPLETE``
set), never for ``--help`` or a command, so everything heavy (the catalog's YAML,
pydantic, SQLite) is imported inside them. A completion must never print an
error into the user's prompt: any failure (no profile, a broken catalog, a
database another version wrote) means no suggestions.
"""

from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog


class IdKind(Enum):
    """Which of the catalog's ids a parameter takes."""

    DOMAIN = "domain"
    TOPIC = "topic"
    TRACK = "track"
    PAPER = "paper"
    RESOURCE = "resource"
    MATH_LEVEL = "math level"


def _catalog(ctx: typer.Context) -> "Catalog":
    """The catalog the command would use: ``--db``/``--catalog`` as typed so far.

    During completion the app's callback does not run, so the workspace is built
    here from the root context's parsed (resilient) parameters.
    """
    from gapcli.services.workspace import Workspace

    params = ctx.find_root().params
    db, catalog = params.get("db"), params.get("catalog")
    ws = Workspace(
        db_option=Path(db) if db else None, catalog_option=Path(catalog) if catalog else None
    )
    return ws.catalog(ws.recorded_catalog()).catalog


def _ids(catalog: "Catalog", kind: IdKind) -> Iterable[tuple[str, str]]:
    if kind is IdKind.DOMAIN:
        return ((d.id, d.name) for d in catalog.domains)
    if kind is IdKind.TOPIC:
        return ((t.id, t.name) for d in catalog.domains for t in d.topics)
    if kind is IdKind.TRACK:
        return ((t.id, t.name) for t in catalog.tracks)
    if kind is IdKind.PAPER:
        return ((p.id, p.title) for p in catalog.papers)
    if kind is IdKind.RESOURCE:
        return ((r.id, r.title) for r in catalog.resources)
    return ((m.id, m.name) for m in catalog.math_levels)


def suggest(
    ctx: typer.Context, incomplete: str, kinds: tuple[IdKind, ...]
) -> list[tuple[str, str]]:
    """The ids of ``kinds`` that start with ``incomplete``, each with its name as help."""
    try:
        catalog = _catalog(ctx)
        found: dict[str, str] = {}
        for kind in kinds:
            for id_, name in _ids(catalog, kind):
                if id_.startswith(incomplete) and id_ not in found:
                    found[id_] = name
        return sorted(found.items())
    except Exception:  # never an error in the user's prompt; see the module docstring
        return []


def ids_of(*kinds: IdKind) -> Callable[..., Any]:
    """An ``autocompletion=`` callback completing the ids of ``kinds``."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return suggest(ctx, incomplete, kinds)

    return complete


DOMAINS = ids_of(IdKind.DOMAIN)
TRACKS = ids_of(IdKind.TRACK)
TOPICS = ids_of(IdKind.TOPIC)
PAPERS = ids_of(IdKind.PAPER)
TOPICS_AND_DOMAINS = ids_of(IdKind.TOPIC, IdKind.DOMAIN)
ANY_ID = ids_of(*IdKind)


def _workspace(ctx: typer.Context) -> Any:
    from gapcli.services.workspace import Workspace

    params = ctx.find_root().params
    db, profile = params.get("db"), params.get("profile")
    return Workspace(db_option=Path(db) if db else None, profile_option=profile or None)


def profile_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """The database's profile names (``--profile``, ``profile rename/remove``)."""
    try:
        from gapcli.services.profiles import profile_names as names

        params = ctx.find_root().params
        db = params.get("db")
        from gapcli.services.workspace import Workspace

        found = names(Workspace(db_option=Path(db) if db else None))
        return [n for n in found if n.startswith(incomplete)]
    except Exception:  # never an error in the user's prompt
        return []


def team_tracks(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``team ... --track``: the tracks of every learner's catalog (not one profile's)."""
    try:
        from gapcli.services.team import team_tracks as tracks

        found = tracks(_workspace(ctx))
        return sorted((i, n) for i, n in found.items() if i.startswith(incomplete))
    except Exception:  # never an error in the user's prompt
        return []


def away_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``away remove``'s ids, each with its days and note as help."""
    try:
        from gapcli.store.queries import away_ranges

        with _workspace(ctx).database().read() as conn:
            ranges = away_ranges(conn)
        return [
            (str(r.id), f"{r.start} to {r.end}" + (f": {r.note[:40]}" if r.note else ""))
            for r in ranges
            if str(r.id).startswith(incomplete)
        ]
    except Exception:  # never an error in the user's prompt
        return []


RECENT_SESSIONS = 30  # sessions offered, newest first: an id is usually a recent one


def session_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``history edit/delete``'s ids, the newest sessions first, with day and topic."""
    try:
        from gapcli.store.queries import sessions

        with _workspace(ctx).database().read() as conn:
            rows = sessions(conn)
        recent = sorted(rows, key=lambda r: r.id, reverse=True)[:RECENT_SESSIONS]
        return [
            (str(r.id), f"{r.day} {r.minutes} min {r.topic_id or r.domain_id}")
            for r in recent
            if str(r.id).startswith(incomplete)
        ]
    except Exception:  # never an error in the user's prompt
        return []


def setting_keys(incomplete: str) -> list[str]:
    """``config set``'s keys (imported here: the settings module stays off ``--help``)."""
    try:
        from gapcli.domain.settings import SettingKey

        return [key.value for key in SettingKey if key.value.startswith(incomplete)]
    except Exception:  # never an error in the user's prompt
        return []


def setting_values(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The tracks after ``config set track``; other settings take free values."""
    from gapcli.domain.settings import SettingKey

    if ctx.params.get("key") != SettingKey.TRACK:
        return []
    return suggest(ctx, incomplete, (IdKind.TRACK,))
