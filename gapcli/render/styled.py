"""Styled text for the busiest views (gaps, plan, history), printed without rich.

rich's console costs more to import than the rest of ``gapcli gaps`` takes to
read and count (``bench/`` measures it), for what these views need of it:
words wrapped at the terminal's width, a table (:mod:`gapcli.render.grid`) and
a few styles. This module does those the way rich does them, so the text is
the same character for character (``tests/test_grid.py`` draws random text and
tables with both and compares): the width rich would take, its word wrapping
(rich's own ``divide_line``, a small module without the console), and ANSI
styles only where rich would print them (a terminal, colours unless
``NO_COLOR``, nothing for ``TERM=dumb``).
"""

from __future__ import annotations

import os
import sys
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from gapcli.render.sanitize import clean

if TYPE_CHECKING:
    from rich.text import Text

# SGR codes of the styles these views use (a style is words joined by spaces).
_CODES = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
}
_COLOURS = frozenset({"red", "green", "yellow", "cyan"})


class Span(NamedTuple):
    text: str
    style: str


class Styled:
    """A line (or lines) of text whose parts may carry a style: what rich's ``Text`` was here.

    Every part is cleaned of terminal controls when it is added: catalog and
    learner text cannot move the cursor or write the clipboard.
    """

    __slots__ = ("spans",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.spans: list[Span] = []
        self.append(text, style)

    def append(self, text: str | Styled, style: str = "") -> Styled:
        if isinstance(text, Styled):
            self.spans += text.spans
        elif text:
            self.spans.append(Span(clean(text).expandtabs(8), style))
        return self

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def __str__(self) -> str:
        return self.plain

    def slice(self, start: int, end: int) -> Styled:
        """Characters ``start`` to ``end`` of the plain text, styles kept."""
        out = Styled()
        at = 0
        for span in self.spans:
            lo, hi = max(start, at), min(end, at + len(span.text))
            if lo < hi:
                out.spans.append(Span(span.text[lo - at : hi - at], span.style))
            at += len(span.text)
        return out


def to_rich(text: Styled) -> Text:
    """The same text as a rich ``Text``, for the views still drawn with rich."""
    from rich.text import Text

    out = Text()
    for span in text.spans:
        out.append(span.text, span.style)
    return out


def width() -> int:
    """The width rich would draw at: ``COLUMNS``, else the terminal's, else 80.

    As rich does, the terminal is asked through stdin, stdout and stderr in turn:
    ``gapcli gaps | less`` is drawn at the terminal's width.
    """
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown") and _is_terminal():
        return 80
    found: int | None = None
    for fd in (0, 1, 2):
        try:
            found = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        found = int(columns)
    return found or 80


def _is_terminal() -> bool:
    environ = os.environ
    if environ.get("TTY_COMPATIBLE", "") == "0":
        return False
    if environ.get("TTY_COMPATIBLE", "") == "1":
        return True
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _styling() -> tuple[bool, bool]:
    """(styles at all, colours too): none off a terminal or on a dumb one."""
    if not _is_terminal() or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False, False
    return True, os.environ.get("NO_COLOR", "") == ""


def render(text: Styled, styles: tuple[bool, bool]) -> str:
    """``text`` with ANSI codes around its styled parts, if ``styles`` allow them."""
    any_style, colours = styles
    if not any_style:
        return text.plain
    parts: list[str] = []
    for span in text.spans:
        codes = [
            _CODES[word]
            for word in span.style.split()
            if word in _CODES and (colours or word not in _COLOURS)
        ]
        parts.append(f"\x1b[{';'.join(codes)}m{span.text}\x1b[0m" if codes else span.text)
    return "".join(parts)


def wrap(text: Styled, room: int) -> list[Styled]:
    """``text``'s lines wrapped between words at ``room`` cells, as rich prints a Text.

    Each line of the text is divided where rich's ``divide_line`` divides it
    (a word longer than the line is folded); whitespace past the edge is
    dropped, whitespace within it kept, as rich keeps it.
    """
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    plain = text.plain
    lines: list[Styled] = []
    start = 0
    for raw in plain.split("\n"):
        end = start + len(raw)
        cuts = [0, *divide_line(raw, room, fold=True), len(raw)]
        for lo, hi in pairwise(cuts):
            piece = raw[lo:hi]
            kept = len(piece)
            if len(piece) > room:  # rich's rstrip_end: only whitespace beyond the edge
                trailing = len(piece) - len(piece.rstrip())
                kept -= min(trailing, len(piece) - room)
            line = text.slice(start + lo, start + lo + kept)
            if cell_len(line.plain) > room:  # a wide character at an odd edge: rich's crop
                line = Styled(set_cell_size(line.plain, room))
            lines.append(line)
        start = end + 1
    return lines


def print_lines(lines: list[Styled]) -> None:
    """Write ``lines`` to stdout in one go, styled as the terminal allows."""
    styles = _styling()
    sys.stdout.write("".join(render(one, styles) + "\n" for one in lines))
    sys.stdout.flush()


def say(text: str | Styled, room: int | None = None) -> None:
    """One message, wrapped between words at ``room`` or the terminal's width (rich's
    ``print``); piped without ``COLUMNS``, not wrapped at all, as ``terminal.line``."""
    styled = text if isinstance(text, Styled) else Styled(text)
    print_lines(sentence(styled, room))


def sentence(text: Styled, room: int | None = None) -> list[Styled]:
    """``text`` as :func:`say` prints it: wrapped at ``room``, else at the width plain
    lines take (``COLUMNS`` or the terminal's; none in a pipe)."""
    from gapcli.render.terminal import plain_width

    room = plain_width() if room is None else room
    if room is None:
        return [text.slice(a, b) for a, b in _line_spans(text.plain)]
    return wrap(text, room)


def _line_spans(plain: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for line in plain.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans
