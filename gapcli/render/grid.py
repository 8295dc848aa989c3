"""The one table style of gaps, plan and history, laid out as rich lays it out.

rich's ``Table`` with a simple head rule, no outer edge and collapsed padding
(two spaces between columns, a rule under the header, a blank line after a
section) was a third of ``gapcli gaps``: importing its console, then measuring
every cell twice. The layout here is rich's for that one style, step by step
(column widths, the collapse of the widest wrapping columns, word wrap, the
title centred above), so the lines are the same; ``tests/test_grid.py``
compares both on random tables. A column is never squeezed below its longest
word (its widest cell when it does not wrap): :meth:`Grid.fits` says whether
the table fits at all, and the views drop columns or print lines otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import NamedTuple, TypeVar

from gapcli.render.styled import Styled, wrap

T = TypeVar("T")
RULE = "─"


class Justify(Enum):
    LEFT = "left"
    RIGHT = "right"


class Column(NamedTuple):
    header: str
    justify: Justify = Justify.LEFT
    wraps: bool = False  # wraps between words; otherwise it keeps its widest cell whole
    min_width: int = 0


class Grid:
    """Rows of cells under headers; ``add_row(..., end_section=True)`` leaves a blank line."""

    def __init__(self, title: Styled | None = None) -> None:
        self.title = title
        self.columns: list[Column] = []
        self.rows: list[tuple[list[Styled], bool]] = []

    def add_column(
        self,
        header: str,
        *,
        justify: Justify = Justify.LEFT,
        wraps: bool = False,
        min_width: int = 0,
    ) -> None:
        self.columns.append(Column(header, justify, wraps, min_width))

    def add_row(self, *cells: Styled | str, end_section: bool = False) -> None:
        self.rows.append(([c if isinstance(c, Styled) else Styled(c) for c in cells], end_section))

    def _cells(self, index: int) -> list[Styled]:
        """The column's header and cells: both count toward its width."""
        return [self._header()[index], *(r[0][index] for r in self.rows)]

    def _least(self) -> list[int]:
        """Each column's least width, padding included: its longest word when it wraps,
        else its widest cell; never under its ``min_width``."""
        from rich.cells import cell_len

        least: list[int] = []
        for i, column in enumerate(self.columns):
            plain = [c.plain for c in self._cells(i)]
            if column.wraps:
                size = max((cell_len(w) for p in plain for w in p.split()), default=0)
            else:
                size = max((cell_len(line) for p in plain for line in p.splitlines()), default=0)
            least.append(max(size, column.min_width) + self._pad(i))
        return least

    def _pad(self, index: int) -> int:
        return 0 if index == len(self.columns) - 1 else 1

    def fits(self, room: int) -> bool:
        """Whether every column gets its least width within ``room`` cells."""
        return sum(self._least()) + len(self.columns) - 1 <= room

    def lines(self, room: int) -> list[Styled]:
        """The title, header, rule and rows, each line as wide as the table."""
        widths = self._widths(room)
        total = sum(widths) + len(widths) - 1
        out: list[Styled] = []
        if self.title is not None and self.title.plain:  # an empty title: none, as rich
            out += [_centred(line, total) for line in wrap(self.title, total)]
        out += self._row(self._header(), widths, bottom=True)
        out.append(Styled(RULE * total))
        for n, (cells, end_section) in enumerate(self.rows):
            out += self._row(cells, widths)
            if end_section and n < len(self.rows) - 1:
                out.append(Styled(" " * total))
        return out

    def _header(self) -> list[Styled]:
        return [Styled(c.header, "bold") for c in self.columns]

    def _widths(self, room: int) -> list[int]:
        """rich's ``Table._calculate_column_widths`` for this style (padding included)."""
        from rich.cells import cell_len

        limit = room - (len(self.columns) - 1)
        least = self._least()
        natural: list[int] = []
        for i in range(len(self.columns)):
            pad = self._pad(i)
            widest = max(
                (cell_len(line) for c in self._cells(i) for line in c.plain.splitlines()),
                default=0,
            )
            natural.append(max(min(widest + pad, limit), least[i]))
        widths = natural
        if sum(widths) > limit:  # fits() holds: the wrapping columns can give it back
            widths = _collapse(widths, [c.wraps for c in self.columns], least, limit)
        return widths

    def _row(
        self, cells: list[Styled], widths: list[int], *, bottom: bool = False
    ) -> list[Styled]:
        """One row's lines; its cells top-aligned (a header's bottom-aligned, as rich's)."""
        blocks = [
            _cell(cell, width - self._pad(i), self.columns[i])
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        height = max(len(b) for b in blocks)
        for i, block in enumerate(blocks):
            blank = [Styled(" " * (widths[i] - self._pad(i)))] * (height - len(block))
            blocks[i] = blank + block if bottom else block + blank
        lines: list[Styled] = []
        for n in range(height):
            line = Styled()
            for i, block in enumerate(blocks):
                line.append(block[n])
                if i < len(blocks) - 1:
                    line.append(" " * self._pad(i) + " ")
            lines.append(line)
        return lines


def _cell(cell: Styled, width: int, column: Column) -> list[Styled]:
    """The cell's lines, each ``width`` cells wide, justified as its column says."""
    from rich.cells import cell_len

    lines = wrap(cell, width) if column.wraps else [cell]
    out: list[Styled] = []
    for line in lines:
        if column.justify is Justify.RIGHT:
            plain = line.plain
            line = line.slice(0, len(plain.rstrip()))
            out.append(Styled(" " * (width - cell_len(line.plain))).append(line))
        else:
            out.append(Styled().append(line).append(" " * (width - cell_len(line.plain))))
    return out


def _centred(line: Styled, width: int) -> Styled:
    from rich.cells import cell_len

    plain = line.plain
    line = line.slice(0, len(plain.rstrip()))
    size = cell_len(line.plain)
    left = (width - size) // 2
    return Styled(" " * left).append(line).append(" " * (width - size - left))


def _collapse(widths: list[int], wraps: list[bool], least: list[int], limit: int) -> list[int]:
    """rich's ``Table._collapse_widths``: shave the widest wrapping columns first.

    Unlike rich, never below a column's least width: rich shaved a column under its
    ``min_width``, measured it back up, and the table came out wider than the
    terminal (its lines then cut at the edge).
    """
    excess = sum(widths) - limit
    while excess > 0:
        can = [w > lo and ok for w, lo, ok in zip(widths, least, wraps, strict=True)]
        if not any(can):
            break
        widest = max(w for w, ok in zip(widths, can, strict=True) if ok)
        second = max(w if ok and w != widest else 0 for w, ok in zip(widths, can, strict=True))
        ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, can, strict=True)]
        most = [min(excess, widest - second, w - lo) for w, lo in zip(widths, least, strict=True)]
        widths = _ratio_reduce(excess, ratios, most, widths)
        excess = sum(widths) - limit
    return widths


def _ratio_reduce(
    total: int, ratios: Sequence[int], maximums: Sequence[int], values: Sequence[int]
) -> list[int]:
    """rich's ``ratio_reduce``: take ``total`` off ``values`` in proportion to ``ratios``."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return list(values)
    remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def fitting(build: Callable[[frozenset[T]], Grid], spare: Sequence[T], room: int) -> Grid | None:
    """``build(dropped)`` with the fewest of ``spare`` dropped (in order) that fits ``room``;
    None when even all of them dropped is too wide (the view prints lines instead)."""
    for n in range(len(spare) + 1):
        grid = build(frozenset(spare[:n]))
        if grid.fits(room):
            return grid
    return None
