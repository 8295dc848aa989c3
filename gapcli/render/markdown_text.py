"""Catalog and user text made inert in Markdown: it reads as written, never as markup.

A topic named ``*[x](javascript:alert(1))*`` or a note holding ``| <script>``
must not become emphasis, a link, a raw HTML tag or an extra table column.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from gapcli.render.sanitize import clean, http_url

# Marked up wherever they stand: emphasis, code, links, strikethrough, table cells.
_ALWAYS = frozenset("*[]`~|")
# Marked up only at the start of a line (which a text may be, after "- " or "### "):
# a heading, a quote, a list item, a setext underline.
_LINE_START = frozenset("#>-+=")
_ORDERED = re.compile(r"\d{1,9}[.)]")  # "1." or "1)" at the start: an ordered list
_CLOSING = re.compile(r"(?:^|(?<=\s))#+$")  # "Heading #": a heading's closing sequence
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# A tag or an autolink opens with "<" and a letter, "/", "!" or "?"; an entity is "&name;".
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# GitHub links "www." and "scheme://" in plain text by themselves.
_WWW = re.compile(r"(?<![A-Za-z0-9])(www)\.", re.IGNORECASE)
_SCHEME_END = re.compile(r":(?=//)")
# GitHub links an e-mail address in text after resolving escapes and entities, so no
# escape stops it: an invisible word joiner before the ``@`` ends the address's name
# there, and the address reads the same.
_AT = "\N{WORD JOINER}@"
_SPACES = re.compile(r"\s+")
# What may stay as it is in a link destination; everything else is percent-encoded,
# so a URL can hold neither a space nor a parenthesis that would end the link.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def md_text(value: object) -> str:
    """One line of literal text: controls removed, newlines folded, markup escaped.

    Escaped only where it would change the rendering, so the file reads well in
    an editor: "Fine-Tuning", "AI Safety & Ethics", "2026-11-30" and "1.5 h"
    stay as they are, while ``*``, `````, ``[``, ``]``, ``~`` and ``|`` always
    get a backslash; ``_`` unless inside a word (snake_case never emphasises);
    ``#``, ``>``, ``-``, ``+``, ``=`` and "1." only at the start, where the text
    may begin a line; a backslash before punctuation or at the end; ``<`` that
    would open a tag and ``&`` that would make an entity. Also escaped: what
    GitHub would turn into a link by itself (a URL, ``www.``, an e-mail
    address), since text must never add a link.
    """
    text = _SPACES.sub(" ", clean(str(value))).strip()
    out: list[str] = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if (
            char in _ALWAYS
            or (char == "\\" and (not after or after in _PUNCTUATION))
            or (char == "_" and not (before.isalnum() and after.isalnum()))
            or (i == 0 and char in _LINE_START)
        ):
            out.append("\\")
        out.append(char)
    text = "".join(out)
    if ordered := _ORDERED.match(text):
        text = f"{ordered.group()[:-1]}\\{text[ordered.end() - 1 :]}"
    text = _CLOSING.sub(lambda m: "\\" + m.group(), text)
    text = _TAG.sub(r"\\<", text)
    text = _ENTITY.sub("&amp;", text)
    text = _WWW.sub(r"\1\\.", text)
    text = _SCHEME_END.sub(r"\\:", text)
    return text.replace("@", _AT)


def md_url(url: str | None) -> str | None:
    """An http(s) URL safe inside ``(...)``, or None for any other scheme."""
    target = http_url(url)
    return None if target is None else quote(target, safe=_URL_SAFE)


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
