"""``gapcli config``: the settings as shown, and what ``config set`` changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcli.domain.settings import SettingKey
    from gapcli.store.queries import SettingRow
    from gapcli.views.settings import Settings


@dataclass(frozen=True)
class SettingLine:
    key: str
    value: str  # as stored and typed: '6', 'mon,wed,sat', 'mon=1,sat=4', 'even'
    changed_at: datetime | None  # None: the value init stored


@dataclass(frozen=True)
class ConfigView:
    lines: tuple[SettingLine, ...]
    settings: Settings
    catalog: str  # the catalog's id
    catalog_name: str
    history: tuple[SettingRow, ...]


@dataclass(frozen=True)
class SetResult:
    key: SettingKey
    before: str
    after: str
    finish_before: date | None
    finish_after: date | None
    changed: bool  # False: the value was already that; nothing written
