"""Find a domain or topic from what the user typed: id or name, any case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from gapcli.domain.echo import quoted
from gapcli.errors import UnknownId

if TYPE_CHECKING:
    from gapcli.domain.catalog import Catalog


def resolve(text: str, names: Mapping[str, str], what: str) -> str:
    """Return the id whose id or name equals ``text`` (case-insensitive).

    ``names`` maps id -> display name. Raises :class:`UnknownId` with the
    closest ids and names as suggestions.
    """
    wanted = text.strip().casefold()
    for ident, name in names.items():
        if ident.casefold() == wanted or name.casefold() == wanted:
            return ident
    raise UnknownId(f"unknown {what} {quoted(text)}{did_you_mean(text, names)}")


def resolve_domain(catalog: Catalog, text: str) -> str:
    return resolve(text, {d.id: d.name for d in catalog.domains}, "domain")


def did_you_mean(text: str, names: Mapping[str, str]) -> str:
    import difflib  # only a name that matched nothing needs it

    lookup: dict[str, str] = {}
    for ident, name in names.items():
        lookup.setdefault(ident.casefold(), ident)
        lookup.setdefault(name.casefold(), ident)
    close = difflib.get_close_matches(text.strip().casefold(), list(lookup), n=6, cutoff=0.6)
    picks: list[str] = []
    for key in close:
        ident = lookup[key]
        if ident not in picks:
            picks.append(ident)
    if not picks:
        return ""
    return "; did you mean " + " or ".join(repr(p) for p in picks[:3]) + "?"
