"""One sanitiser for every user- or catalog-provided string shown in a terminal.

rich strips only a few control characters, not ESC: a topic name holding
``ESC]52;...`` would write the clipboard. Bidi overrides can make text read
differently from what it is.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Replace control characters with U+FFFD and drop bidi overrides."""
    out = _BIDI.sub("", _CONTROL.sub("\ufffd", text))
    if not keep_newlines:
        out = out.replace("\n", " ").replace("\t", " ")
    return out
