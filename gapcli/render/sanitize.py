"""One sanitiser for every user- or catalog-provided string shown in a terminal.

rich strips only a few control characters, not ESC: a topic name holding
``ESC]52;...`` would write the clipboard. Bidi overrides can make text read
differently from what it is.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Replace control characters with U+FFFD and drop bidi overrides."""
    out = _BIDI.sub("", _CONTROL.sub("\ufffd", text))
    if not keep_newlines:
        out = out.replace("\n", " ").replace("\t", " ")
    return out


def http_url(url: str | None) -> str | None:
    """An http(s) URL with a host, else None: no other scheme (``javascript:``,
    ``file:``, ``data:``) a catalog gives becomes a link, in HTML or in Markdown."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
