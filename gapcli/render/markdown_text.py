"""Catalog and user text made inert in Markdown: it reads as written, never as markup.

A topic named ``*[x](javascript:alert(1))*`` or a note holding ``| <script>``
must not become emphasis, a link, a raw HTML tag or an extra table column.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from gapcli.render.sanitize import clean

# Characters CommonMark or GitHub's extensions give a meaning; ``~`` is strikethrough.
# Escaped, ``.`` also keeps GitHub from linking ``www.`` by itself.
_SPECIAL = re.compile(r"([\\*_\[\]()#+\-.!|`~])")
# ... and ``\://`` a URL (``https://``, ``ftp://``, any ``scheme://``).
_SCHEME_END = re.compile(r":(?=//)")
# GitHub links an e-mail address in text after resolving escapes and entities, so no
# escape stops it: an invisible word joiner before the ``@`` ends the address's name
# there, and the address reads the same.
_AT = "&#8288;@"
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_CHARS = re.compile("[&<>]")
_SPACES = re.compile(r"\s+")
# What may stay as it is in a link destination; everything else is percent-encoded,
# so a URL can hold neither a space nor a parenthesis that would end the link.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def md_text(value: object) -> str:
    """One line of literal text: controls removed, newlines folded, markup escaped.

    Escaped too: what GitHub would turn into a link by itself (a URL, ``www.``, an
    e-mail address), since text must never add a link.
    """
    text = _SPACES.sub(" ", clean(str(value))).strip()
    text = _SPECIAL.sub(r"\\\1", text)
    text = _SCHEME_END.sub(r"\\:", text)
    return _HTML_CHARS.sub(lambda m: _HTML[m.group()], text).replace("@", _AT)


def md_url(url: str | None) -> str | None:
    """An http(s) URL safe inside ``(...)``, or None for any other scheme."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def md_link(title: object, url: str | None) -> str:
    """``[title](url)`` when the URL is http(s), else the title alone."""
    target = md_url(url)
    text = md_text(title)
    return f"[{text}]({target})" if target else text


def md_table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """A GitHub table; ``align`` has one of l/r per column. Cells must be escaped already."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [_row(header), _row(rule)]
    lines += [_row(r) for r in rows]
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
