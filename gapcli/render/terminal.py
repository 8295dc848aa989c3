"""Consoles and the small printing helpers every command shares.

Data goes to stdout, messages to stderr. rich already honours NO_COLOR and
drops colour when output is not a terminal.

rich (about 35 ms to import) loads only when a console or a styled text is
asked for: a notice, a plain line and ``--json`` output (see ``json_data``) do
without it.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

from gapcli.render.sanitize import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


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
