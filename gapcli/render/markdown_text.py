"""Catalog and user text made inert in Markdown: it reads as written, never as markup.

A topic named ``*[x](javascript:alert(1))*`` or a note holding ``| <script>``
must not become emphasis, a link, a raw HTML tag or an extra table column.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from gapcli.render.sanitize import clean

# Characters CommonMark or GitHub's extensions give a meaning; ``~`` is strikethrough.
_SPECIAL = re.compile(r"([\\*_\[\]()#+\-.!|`~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_CHARS = re.compile("[&<>]")
_SPACES = re.compile(r"\s+")
# What may stay as it is in a link destination; everything else is percent-encoded,
# so a URL can hold neither a space nor a parenthesis that would end the link.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def md_text(value: object) -> str:
    """One line of literal text: controls removed, newlines folded, markup escaped."""
    text = _SPACES.sub(" ", clean(str(value))).strip()
    text = _SPECIAL.sub(r"\\\1", text)
    return _HTML_CHARS.sub(lambda m: _HTML[m.group()], text)


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
