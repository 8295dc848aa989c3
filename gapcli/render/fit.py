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
    from rich.table import Table

T = TypeVar("T")


def width() -> int:
    """The width rich renders at (``COLUMNS``, the terminal's, or 80 for a pipe)."""
    return out().width


def _measured_minimum(renderable: RenderableType) -> int:
    from rich.measure import Measurement

    console = out()
    return Measurement.get(console, console.options.update_width(10_000), renderable).minimum


def _set_least_widths(table: Table) -> None:
    """Give each column the least width that draws it whole, as its ``min_width``.

    rich measures a no_wrap cell by its longest word, then cuts it ("1 h" for
    "1 h 30 min") when the table is squeezed, and squeezes a wrapping column
    below its longest word ("distributio" / "ns"). So a no_wrap column gets its
    widest cell as its minimum, a wrapping one its longest word.
    """
    from rich.measure import Measurement

    console = out()
    options = console.options.update_width(10_000)
    for column in table.columns:
        cells = [column.header, *column.cells]
        sizes = [Measurement.get(console, options, c) for c in cells]
        least = max(m.maximum if column.no_wrap else m.minimum for m in sizes)
        column.min_width = max(column.min_width or 0, least)


def surely_fits(table: Table, room: int) -> bool:
    """True when ``table`` (its least widths set) certainly fits ``room``; False: measure it.

    Once every column's ``min_width`` is at least its cells' least width, rich's
    table minimum is those widths plus each column's padding and the rules
    between columns (and the edges). Padding is counted as the table's options
    say (none at an edge without ``pad_edge``; with ``collapse_padding``, the
    wider side, but both sides on the first column) and never less than rich
    draws, so a table within ``room`` by this sum fits, without rich measuring
    every cell again.
    """
    if table.width is not None or any(c.width is not None for c in table.columns):
        return False  # fixed widths are measured differently: leave them to rich
    _, right, _, left = table.padding
    last = len(table.columns) - 1
    total = 0
    for n, column in enumerate(table.columns):
        pad_left = 0 if n == 0 and not table.pad_edge else left
        pad_right = 0 if n == last and not table.pad_edge else right
        collapsed = table.collapse_padding and n > 0  # rich never collapses the first column
        padding = max(pad_left, pad_right) if collapsed else pad_left + pad_right
        total += (column.min_width or 0) + padding
    if table.box:
        total += last + (2 if table.show_edge else 0)
    return max(total, table.min_width or 0) <= room


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
        if _fits(table, room):
            return table
    return None


def _fits(renderable: RenderableType, room: int) -> bool:
    """Whether ``renderable`` fits ``room`` whole: by the sum when that settles it, else
    by rich's own measure (which counts every cell again)."""
    from rich.table import Table

    if isinstance(renderable, Table):
        _set_least_widths(renderable)
        if surely_fits(renderable, room):
            return True
    return _measured_minimum(renderable) <= room
