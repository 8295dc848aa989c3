"""What every read command starts from: catalog, settings, state, vanished ids.

Built by ``services.state.snapshot``; the export carries it to its renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from gapcli.domain.away import AwayRange, away_days
from gapcli.domain.reviews import CardRows, cards_for

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog
    from gapcli.domain.learner import LearnerState
    from gapcli.domain.reviews import CardView
    from gapcli.views.catalog import LoadedCatalogView
    from gapcli.views.settings import Settings


@dataclass(frozen=True)
class Snapshot:
    """Everything a read command needs: catalog, settings, state, vanished ids."""

    loaded: LoadedCatalogView
    settings: Settings
    state: LearnerState
    vanished: tuple[str, ...]
    minutes_by_day: dict[date, int]
    away: tuple[AwayRange, ...] = ()  # the live away ranges, by first day
    card_rows: CardRows = field(default_factory=CardRows)  # what the cards replay

    @cached_property
    def cards(self) -> dict[str, CardView]:
        """A review card for each finished topic (see gapcli.domain.reviews), on demand."""
        return cards_for(self.card_rows, self.state.done)

    @property
    def catalog(self) -> Catalog:
        return self.loaded.catalog

    @property
    def away_days(self) -> frozenset[date]:
        return away_days(self.away)
