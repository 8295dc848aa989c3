"""Consoles and the small printing helpers every command shares.

Data goes to stdout, messages to stderr. rich already honours NO_COLOR and
drops colour when output is not a terminal.

rich, a large import (``bench/README.md`` has its cost), loads only when a console
or a styled text is asked for: a notice, a plain line and ``--json`` output (see
``json_data``) do without it.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from functools import cache
from typing import TYPE_CHECKING

from gapcli.render.sanitize import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def _console(*, stderr: bool, soft_wrap: bool) -> Console:
    """A rich Console whose broken pipe goes to the CLI's one handler.

    rich's own ``on_broken_pipe`` raises ``SystemExit(1)``: ``gapcli gaps | head -1``
    then failed silently. Raising ``BrokenPipeError`` instead lets
    ``gapcli.cli.reader_gone`` end every command alike, with 0.
    """
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True  # rich's own first step: print nothing more
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    # No markup and no emoji codes: gapcli styles with Text, never with "[bold]" or
    # ":smile:", so a plain string (a number cell, a message) prints as written.
    return PipeConsole(
        stderr=stderr, soft_wrap=soft_wrap, highlight=False, markup=False, emoji=False
    )


@cache
def out() -> Console:
    return _console(stderr=False, soft_wrap=False)


@cache
def err() -> Console:
    return _console(stderr=True, soft_wrap=True)


def safe(text: object, style: str = "") -> Text:
    """User text as a rich Text: never parsed as markup, controls removed."""
    from rich.text import Text

    return Text(clean(str(text)), style=style)


def _plain(text: object) -> str:
    # What rich prints for an unstyled Text: the cleaned text, tabs expanded.
    return clean(str(text)).expandtabs(8) + "\n"


def plain_width() -> int | None:
    """The width plain lines wrap at: ``COLUMNS`` when set, else the terminal's.

    None when stdout is a pipe or a file without ``COLUMNS``: ``gapcli reviews |
    grep`` then sees each item whole on one line, as before.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, OSError, ValueError):  # a replaced stdout without a file
        pass
    return None


# A number and its unit ("12 min", "1.5 h", "7 days"): wrapped as one word.
_UNIT = re.compile(r"(\d) (?=(?:h|min|days?|weeks?|sessions?)\b)")


# textwrap counts characters, and a line of wide characters (CJK, most emoji: two
# columns each) ran to twice the terminal's width. Each one is counted twice (a NUL
# after it) and may be broken before (a vertical tab, which textwrap takes for a
# space): CJK has no spaces between words. Cleaned text holds neither; both are taken
# out again after wrapping, so a line is never wider than counted.
_FILL, _BREAK = "\x00", "\x0b"


def _widened(text: str) -> str:
    if text.isascii():
        return text
    from unicodedata import east_asian_width

    return "".join(f"{_BREAK}{c}{_FILL}" if east_asian_width(c) in ("W", "F") else c for c in text)


def _narrowed(line: str) -> str:
    return line.replace("\N{NO-BREAK SPACE}", " ").replace(_FILL, "").replace(_BREAK, "")


def fold(text: str, width: int | None) -> str:
    """``text`` wrapped at ``width`` between words, each line under its own indent.

    The terminal's own wrap cut dates, ids and numbers in two ("2026-1" / "1-30"):
    here lines break at spaces only, never at the hyphens inside dates and ids,
    and continuations sit two columns in. A word longer than the whole line (a
    long URL) is never cut: it gets a line of its own and stays clickable.
    """
    if width is None:
        return text
    import textwrap

    lines: list[str] = []
    for raw in text.split("\n"):
        if len(_widened(raw)) <= width:
            lines.append(raw)
            continue
        body = raw.lstrip(" ")
        indent = " " * min(len(raw) - len(body), width // 2)
        more = indent + "  "  # under a "- " item: where its text starts
        glued = _UNIT.sub("\\1\N{NO-BREAK SPACE}", indent + body)  # "12 min" stays one word
        wrapped = textwrap.wrap(
            _widened(glued),
            width,
            subsequent_indent=more[: width // 2],
            break_on_hyphens=False,
            break_long_words=False,  # a URL longer than the line stays whole, on its own
            replace_whitespace=False,  # the text is cleaned: only _BREAK is left to act on
        )
        lines += [_narrowed(w) for w in wrapped] or [""]
    return "\n".join(lines)


def line(text: object) -> None:
    """One unstyled line on stdout, cleaned, wrapped between words at the terminal width."""
    plain = _plain(text)
    sys.stdout.write(fold(plain[:-1], plain_width()) + "\n")
    sys.stdout.flush()  # as rich does: stays in order with stderr on a shared pipe


def notice(message: str) -> None:
    """One message on stderr (what ``err().print(safe(message))`` printed, without rich)."""
    sys.stderr.write(_plain(message))
