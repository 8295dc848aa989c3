"""What every read command starts from: catalog, settings, state, vanished ids.

Built by ``services.state.snapshot``; the export carries it to its renderers.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from gapcli.domain.away import AwayRange, away_days
from gapcli.domain.reviews import CardRows, cards_for

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog
    from gapcli.domain.learner import LearnerState
    from gapcli.domain.reviews import CardView
    from gapcli.views.catalog import LoadedCatalogView
    from gapcli.views.settings import Settings


class Snapshot(NamedTuple):
    """Everything a read command needs: catalog, settings, state, vanished ids.

    A NamedTuple like the read path's other records (a dataclass would import
    ``dataclasses`` and ``inspect`` on every read); ``_replace`` makes the
    variants ``today`` and ``config set`` plan from.
    """

    loaded: LoadedCatalogView
    settings: Settings
    state: LearnerState
    vanished: tuple[str, ...]
    minutes_by_day: dict[date, int]
    away: tuple[AwayRange, ...]  # the live away ranges, by first day
    card_rows: CardRows  # what the cards replay

    @property
    def cards(self) -> dict[str, CardView]:
        """A review card for each finished topic (see gapcli.domain.reviews), on demand.

        Not cached here: the replay is cached on ``card_rows``, shared by every
        variant of the snapshot, and this only picks the finished topics' cards.
        """
        return cards_for(self.card_rows, self.state.done)

    @property
    def catalog(self) -> Catalog:
        return self.loaded.catalog

    @property
    def away_days(self) -> frozenset[date]:
        return away_days(self.away)
