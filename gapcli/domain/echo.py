"""What a refusal repeats of the learner's input: enough to recognise it, never all of it.

An error line quoted the input whole, so a huge id pasted by mistake (or made by a
script) came back as a line of the same size on stderr.
"""

from __future__ import annotations

MAX_ECHO = 60


def quoted(text: str) -> str:
    """``text`` in single quotes, cut to ``MAX_ECHO`` characters with its length said."""
    if len(text) <= MAX_ECHO:
        return f"'{text}'"
    return f"'{text[: MAX_ECHO - 1]}…' ({len(text):,} characters)"
