"""What a note on a topic may hold: checked before anything is written.

Pure (no I/O): the service calls these inside the command, so bad input is one
clear line and nothing is half-written.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from gapcli.errors import InvalidValue

MAX_NOTE_TEXT = 10_000
MAX_SESSION_NOTE = 1_000  # a study session's own note (log-progress --note)
MAX_LINK = 2_000


def check_note_text(text: str) -> str:
    """The text as stored: stripped, non-empty, at most 10,000 characters.

    Bytes that were not UTF-8 in the shell become U+FFFD (SQLite cannot store
    the lone surrogates Python hands over for them).
    """
    cleaned = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").strip()
    if not cleaned:
        raise InvalidValue("the note is empty; write what you want to keep")
    if len(cleaned) > MAX_NOTE_TEXT:
        raise InvalidValue(f"note is {len(cleaned)} characters; at most {MAX_NOTE_TEXT:,}")
    return cleaned


def check_link(link: str | None) -> str | None:
    """An http(s) address with a host, or nothing: other schemes could run things when clicked."""
    if link is None:
        return None
    cleaned = link.strip()
    if len(cleaned) > MAX_LINK:
        raise InvalidValue(f"link is {len(cleaned)} characters; at most {MAX_LINK:,}")
    if any(c.isspace() or not c.isprintable() for c in cleaned):
        raise InvalidValue("a link has no spaces or control characters")
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidValue("a link must start with http:// or https:// and name a host")
    return cleaned
