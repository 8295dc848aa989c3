"""Consoles and the small printing helpers every command shares.

Data goes to stdout, messages to stderr. rich already honours NO_COLOR and
drops colour when output is not a terminal.

rich (about 35 ms to import) loads only when a console or a styled text is
asked for: a notice, a plain line and ``--json`` output (see ``json_data``) do
without it.
"""

from __future__ import annotations

import errno
import os
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

    return PipeConsole(stderr=stderr, soft_wrap=soft_wrap, highlight=False)


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


def line(text: object) -> None:
    """One unstyled line on stdout, cleaned, never wrapped at the terminal width."""
    sys.stdout.write(_plain(text))
    sys.stdout.flush()  # as rich does: stays in order with stderr on a shared pipe


def notice(message: str) -> None:
    """One message on stderr (what ``err().print(safe(message))`` printed, without rich)."""
    sys.stderr.write(_plain(message))
