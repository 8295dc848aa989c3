"""Lines wrapped between words count wide characters as the two columns they take.

``terminal.fold`` (every plain line: ``today``, notes, the plan and history as lines)
counted characters, so a note in Chinese or a row of emoji ran to twice the width.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from gapcli.render.terminal import fold

WORD = st.text(
    st.sampled_from([*"abcdefxyz-.", "交", "叉", "熵", "🙂", "é"]), min_size=1, max_size=8
)


@given(words=st.lists(WORD, max_size=30), width=st.integers(20, 100), indent=st.integers(0, 6))
def test_no_line_is_wider_than_the_terminal(words: list[str], width: int, indent: int) -> None:
    text = " " * indent + " ".join(words)
    for line in fold(text, width).split("\n"):
        assert cell_len(line) <= width, (line, width)


@given(words=st.lists(WORD, max_size=30), width=st.integers(20, 100))
def test_nothing_is_lost_or_added(words: list[str], width: int) -> None:
    text = " ".join(words)
    assert "".join(fold(text, width).split()) == "".join(text.split())


def test_ascii_lines_wrap_as_before() -> None:
    text = "plain ascii text that is long enough to wrap twice at thirty columns ok"
    assert (
        fold(text, 30)
        == "plain ascii text that is long\n  enough to wrap twice at\n  thirty columns ok"
    )
