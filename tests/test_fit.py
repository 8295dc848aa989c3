"""Fitting tables: the quick sum never says a table fits when rich's own measure says not.

``fitting`` first adds up each column's least width, its padding and the rules;
only when that sum is over the room does it ask rich to measure the whole table
again. The sum is a shortcut, so it must never choose a table rich would cut:
for every table it accepts, rich's measured minimum is within the room too, and
``fitting`` drops exactly the columns the plain measure-every-time version drops.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.table import Table

from gapcli.render import fit
from gapcli.render.terminal import out

WORD = st.text(alphabet="abcdefghij-_é界", min_size=1, max_size=14)
CELL = st.lists(WORD, min_size=0, max_size=4).map(" ".join)
Padding = tuple[int, int] | tuple[int, int, int, int]
PADDINGS: list[Padding] = [(0, 1), (0, 0), (0, 2), (1, 1, 0, 3)]


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """A table shaped like gapcli's views: some wrapping columns, some that never wrap."""
    columns = draw(st.integers(min_value=1, max_value=6))
    table = Table(
        box=draw(st.sampled_from([box.SIMPLE_HEAD, box.ROUNDED, None])),
        show_edge=draw(st.booleans()),
        pad_edge=draw(st.booleans()),
        collapse_padding=draw(st.booleans()),
        padding=draw(st.sampled_from(PADDINGS)),
    )
    for _ in range(columns):
        table.add_column(
            draw(WORD),
            no_wrap=draw(st.booleans()),
            min_width=draw(st.none() | st.integers(min_value=1, max_value=12)),
            overflow="fold",
        )
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        table.add_row(*(draw(CELL) for _ in range(columns)))
    return table


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    out.cache_clear()
    yield
    out.cache_clear()


def measured(table: Table) -> int:
    """The plain way: set the least widths, then let rich measure the whole table."""
    fit._set_least_widths(table)
    return fit._measured_minimum(table)


@settings(max_examples=300, deadline=None)
@given(table=tables(), room=st.integers(min_value=1, max_value=120))
def test_the_sum_only_accepts_what_rich_measures_within_the_room(table: Table, room: int) -> None:
    fit._set_least_widths(table)
    if fit.surely_fits(table, room):
        assert measured(table) <= room


@pytest.mark.parametrize("pad_edge", [True, False])
@pytest.mark.parametrize("collapse", [True, False])
def test_every_edge_and_collapse_setting_on_a_tight_room(pad_edge: bool, collapse: bool) -> None:
    """rich collapses the padding between columns but never the first column's own: at
    the room where the table just fits, the sum may say no, never yes a column too early."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=pad_edge, collapse_padding=collapse)
    for header in ("alpha", "beta gamma", "delta"):
        table.add_column(header, no_wrap=header == "delta")
    table.add_row("one two", "three", "four five")
    least = measured(table)
    assert not fit.surely_fits(table, least - 1)


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=6),
    room=st.integers(min_value=10, max_value=120),
)
def test_fitting_drops_what_measuring_every_time_drops(cells: list[list[str]], room: int) -> None:
    headers = ["name", "now", "bar", "hours"]

    def build(dropped: frozenset[str]) -> Table:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
        shown = [h for h in headers if h not in dropped]
        for h in shown:
            table.add_column(h, no_wrap=h != "name", overflow="fold")
        for row in cells:
            table.add_row(*(c for h, c in zip(headers, row, strict=True) if h in shown))
        return table

    spare = ["bar", "now"]
    plain = next(
        (n for n in range(len(spare) + 1) if measured(build(frozenset(spare[:n]))) <= room),
        None,
    )
    chosen = fit.fitting(build, spare, room)
    if plain is None:
        assert chosen is None
    else:
        assert isinstance(chosen, Table)
        assert [c.header for c in chosen.columns] == [h for h in headers if h not in spare[:plain]]
