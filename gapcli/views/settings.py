"""The learner's settings as they stand: built by ``services.state``, shown by ``config``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

from gapcli.domain.reviews import DEFAULT_REVIEW_SHARE
from gapcli.domain.sessions import MIN_SESSION_MINUTES
from gapcli.domain.settings import DayHours


class Settings(NamedTuple):
    """The learner's settings now: the profile's, overridden by ``config set``'s newest."""

    track: str
    weekly_hours: float
    study_days: tuple[int, ...]
    start_date: date
    study_time: str = "19:00"
    min_session: int = MIN_SESSION_MINUTES
    day_hours: DayHours = ()  # (weekday, minutes) the learner gave; () is the even split
    review_share: int = DEFAULT_REVIEW_SHARE  # % of a study day reviews may take
    # The catalog in use: init's, or the newest 'gapcli catalog switch'.
    catalog_id: str = ""
    catalog_source: str = ""
    # When each key was last set (``config set``); a key absent keeps init's value.
    changed: Mapping[str, datetime] = MappingProxyType({})
    last_row: int = 0  # the newest settings-history row read (0: none), to spot a race
