"""Numbers as a learner types them: ASCII digits, no digit separators.

Python's ``float()`` and ``int()`` read ``1_0`` as 10 and Arabic-Indic or
fullwidth digits as their values, so ``--hours 1_0`` logged ten hours. A
typo must be refused, not read as another number.
"""

from __future__ import annotations


def is_plain(text: str) -> bool:
    """Only ASCII, and no ``_``: what ``float()``/``int()`` may then read is what was meant."""
    return text.isascii() and "_" not in text


def _check(text: str) -> str:
    cleaned = text.strip()
    if not is_plain(cleaned):
        raise ValueError(f"not a plain number: {text!r}")
    return cleaned


def parse_float(text: str) -> float:
    """``float(text)`` for ASCII text without underscores; ``ValueError`` otherwise."""
    return float(_check(text))


def parse_int(text: str) -> int:
    """``int(text)`` for ASCII text without underscores; ``ValueError`` otherwise."""
    return int(_check(text))
