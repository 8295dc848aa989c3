"""gapcli's own table and wrap draw what rich drew, character for character.

``gapcli.render.grid`` and ``gapcli.render.styled`` replace rich's Table and
console in gaps, plan and history (rich's import and its measuring of every
cell were a third of ``gapcli gaps``). Here rich draws random tables and
sentences the way those views used to (simple head rule, no edge, collapsed
padding, the least widths ``render.fit`` set), and the text must be the same.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gapcli.render.fit import _set_least_widths
from gapcli.render.grid import Grid, Justify
from gapcli.render.styled import Styled, wrap

# Letters, digits, a few marks, wide characters (two cells) and spaces: no tabs or
# controls (the sanitiser has removed them before text reaches a table).
ALPHABET = st.sampled_from([*"abcdefgh ijklmn opq  XYZ-.,:%█░·✓✗", "漢", "字", "é"])
WORDS = st.text(ALPHABET, max_size=40)


def rich_lines(renderable: object, room: int) -> list[str]:
    """What rich printed at ``room`` columns (lines wider than that left whole)."""
    console = Console(
        file=io.StringIO(), width=room, color_system=None, highlight=False, markup=False
    )
    console.print(renderable, crop=False)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return text.split("\n")[:-1]


COLUMN = st.tuples(
    st.text(st.sampled_from(list("abcdef /")), min_size=1, max_size=10),  # header
    st.sampled_from(list(Justify)),
    st.booleans(),  # wraps
    st.integers(0, 14),  # min_width
)


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(COLUMN, min_size=1, max_size=6),
    data=st.data(),
    room=st.integers(20, 140),
    title=st.none() | WORDS,
)
def test_a_table_is_drawn_as_rich_drew_it(
    columns: list[tuple[str, Justify, bool, int]],
    data: st.DataObject,
    room: int,
    title: str | None,
) -> None:
    rows = data.draw(
        st.lists(
            st.tuples(
                st.lists(WORDS, min_size=len(columns), max_size=len(columns)), st.booleans()
            ),
            max_size=6,
        )
    )
    table = Table(
        title=Text(title) if title is not None else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    grid = Grid(Styled(title) if title is not None else None)
    for header, justify, wraps, least in columns:
        table.add_column(
            header,
            justify=justify.value,
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            min_width=least or None,
        )
        grid.add_column(header, justify=justify, wraps=wraps, min_width=least)
    for cells, end_section in rows:
        table.add_row(*(Text(c) for c in cells), end_section=end_section)
        grid.add_row(*cells, end_section=end_section)
    _set_least_widths(table)
    if not grid.fits(room):
        return  # the views never draw it: they drop columns, or print lines
    drawn = [line.plain for line in grid.lines(room)]
    assert max(cell_len(line) for line in drawn) <= room
    by_rich = rich_lines(table, room)
    if max(cell_len(line) for line in by_rich) <= room:  # else rich shaved a column
        assert drawn == by_rich  # under its least width and drew wider than the room


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.sampled_from(list("abc defghij  klm-/.漢é\n")), max_size=200),
    room=st.integers(2, 60),
)
def test_a_sentence_wraps_as_rich_wrapped_it(text: str, room: int) -> None:
    assert [line.plain for line in wrap(Styled(text), room)] == rich_lines(Text(text), room)


def test_styles_stay_on_their_words_when_sliced() -> None:
    line = Styled("gap ").append("███", "green").append("░░", "yellow")
    assert [(s.text, s.style) for s in line.slice(2, 6).spans] == [
        ("p ", ""),
        ("██", "green"),
    ]


def test_piped_without_columns_a_sentence_is_one_line(
    cli: Any, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``terminal.line`` does: ``gapcli gaps | grep finish`` finds the whole sentence
    (rich wrapped it at 80 columns)."""
    monkeypatch.delenv("COLUMNS")
    text = cli("gaps").stdout
    planned = next(line for line in text.splitlines() if line.startswith("At 6 h/week"))
    assert planned.rstrip().endswith(".") and "finish" in planned and len(planned) > 80
