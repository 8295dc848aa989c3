"""Fitting tables to the terminal: drop the least important columns, never cut a word.

rich squeezes a table that is too wide by cutting its cells: dates became
"2026-1" / "1-30" and hours "0…". Each view instead lists its columns with the
ones it can spare first; :func:`fitting` drops them one by one until the rest
fits whole, and the view falls back to plain lines when even that is too wide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from gapcli.render.terminal import out

if TYPE_CHECKING:
    from rich.console import RenderableType

T = TypeVar("T")


def width() -> int:
    """The width rich renders at (``COLUMNS``, the terminal's, or 80 for a pipe)."""
    return out().width


def min_width(renderable: RenderableType) -> int:
    """The narrowest ``renderable`` can be drawn without cutting a word or a no_wrap cell.

    rich measures a no_wrap cell by its longest word, then cuts it ("1 h" for
    "1 h 30 min") when the table is squeezed, and squeezes a wrapping column
    below its longest word ("distributio" / "ns"). So a table's columns are
    first given their least whole width as their minimum: a no_wrap column its
    widest cell, a wrapping one its longest word.
    """
    from rich.measure import Measurement
    from rich.table import Table

    console = out()
    options = console.options.update_width(10_000)
    if isinstance(renderable, Table):
        for column in renderable.columns:
            cells = [column.header, *column.cells]
            sizes = [Measurement.get(console, options, c) for c in cells]
            least = max(m.maximum if column.no_wrap else m.minimum for m in sizes)
            column.min_width = max(column.min_width or 0, least)
    return Measurement.get(console, options, renderable).minimum


def fitting(
    build: Callable[[frozenset[T]], RenderableType],
    spare: Sequence[T],
    room: int | None = None,
) -> RenderableType | None:
    """``build(dropped)`` with the fewest of ``spare`` dropped (in order) that fits ``room``.

    None when it does not fit even with all of them dropped: the caller then
    prints its rows as lines, which wrap between words.
    """
    room = width() if room is None else room
    for n in range(len(spare) + 1):
        table = build(frozenset(spare[:n]))
        if min_width(table) <= room:
            return table
    return None
