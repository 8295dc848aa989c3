"""``gapcli catalog switch``: what a switch to another catalog keeps and sets aside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CatalogSwitch:
    """What a switch keeps and what it sets aside; ``switched`` once it is written."""

    old_id: str
    old_source: str
    new_id: str
    new_name: str
    new_source: str
    domains_kept: tuple[str, ...]  # assessed domains the new catalog has
    domains_set_aside: tuple[str, ...]  # assessed domains it lacks (rows kept)
    topics_kept: tuple[str, ...]  # topics with marks or logged time the new catalog has
    topics_set_aside: tuple[str, ...]
    math_level_kept: bool | None  # None: no math level assessed
    track_before: str
    track_after: str
    logged_hours: float  # every logged session stays in history and in the pace
    finish_before: date | None
    finish_after: date | None
    switched: bool
