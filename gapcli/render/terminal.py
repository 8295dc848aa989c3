"""Consoles and the small printing helpers every command shares.

Data goes to stdout, messages to stderr. rich already honours NO_COLOR and
drops colour when output is not a terminal.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any

from rich.console import Console
from rich.text import Text

from gapcli.render.sanitize import clean


@cache
def out() -> Console:
    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def safe(text: object, style: str = "") -> Text:
    """User text as a rich Text: never parsed as markup, controls removed."""
    return Text(clean(str(text)), style=style)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def notice(message: str) -> None:
    err().print(safe(message))
