"""Counts and nouns that agree, for every message: '1 assessment', '2 assessments'.

Pure string work in the domain, so services word their refusals and reports
with it as the renderers do, without importing render.
"""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 assessment', '2 assessments': the one place counts and nouns agree."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {noun}"
