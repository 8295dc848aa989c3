"""Catalog entries as plain data, for listing, showing and JSON output."""

from __future__ import annotations

from typing import Any

from gapcli.domain.catalog import Catalog, DomainKind, entry_data
from gapcli.domain.matching import resolve


def summary(catalog: Catalog) -> dict[str, Any]:
    return {
        "id": catalog.id,
        "name": catalog.name,
        "domains": len(catalog.domains),
        "math_domains": sum(1 for d in catalog.domains if d.kind is DomainKind.MATH),
        "topics": len(catalog.topic_by_id),
        "hours": round(sum(d.hours for d in catalog.domains), 1),
        "tracks": len(catalog.tracks),
        "papers": len(catalog.papers),
        "resources": len(catalog.resources),
        "math_levels": len(catalog.math_levels),
        "sources": len(catalog.sources),
    }


def catalog_rows(catalog: Catalog, kind: str) -> list[dict[str, Any]]:
    if kind == "domains":
        return [
            {
                "id": d.id,
                "name": d.name,
                "kind": d.kind,
                "math": d.math,
                "target": d.target,
                "topics": len(d.topics),
                "hours": round(d.hours, 1),
                "requires": [r if isinstance(r, str) else entry_data(r) for r in d.requires],
            }
            for d in catalog.domains
        ]
    if kind == "topics":
        return [
            {
                "id": t.id,
                "name": t.name,
                "domain": d.id,
                "hours": t.hours,
                "requires": list(t.requires),
                "resources": list(t.resources),
            }
            for d in catalog.domains
            for t in d.topics
        ]
    if kind == "tracks":
        return [
            {
                "id": t.id,
                "name": t.name,
                "domains": list(t.domains),
                "hours": round(sum(catalog.domain_by_id[d].hours for d in t.domains), 1),
            }
            for t in catalog.tracks
        ]
    if kind == "papers":
        return [entry_data(p) for p in catalog.papers]
    if kind == "resources":
        return [entry_data(r) for r in catalog.resources]
    if kind == "sources":
        return source_rows(catalog)
    if kind == "levels":
        return [
            {
                "id": m.id,
                "name": m.name,
                "topics": list(m.topics),
                "hours": round(sum(catalog.topic_by_id[t].hours for t in m.topics), 1),
            }
            for m in catalog.math_levels
        ]
    raise ValueError(kind)


def source_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """The roadmaps the catalog's facts come from (title, by, url), credited where it is listed."""
    return [entry_data(s) for s in catalog.sources]


def describe(catalog: Catalog, text: str) -> dict[str, Any]:
    """One entry of any kind, found by id or name."""
    names: dict[str, str] = {}
    for group in (catalog.domains, catalog.tracks, catalog.math_levels):
        names |= {item.id: item.name for item in group}
    names |= {t.id: t.name for t in catalog.topic_by_id.values()}
    names |= {p.id: p.title for p in catalog.papers}
    names |= {r.id: r.title for r in catalog.resources}
    ident = resolve(text, names, "catalog id")
    if ident in catalog.domain_by_id:
        domain = catalog.domain_by_id[ident]
        data = entry_data(domain)
        data["hours"] = round(domain.hours, 1)
        return {"type": "domain", **data}
    if ident in catalog.topic_by_id:
        data = entry_data(catalog.topic_by_id[ident])
        return {"type": "topic", "domain": catalog.domain_of_topic[ident], **data}
    if ident in catalog.track_by_id:
        return {"type": "track", **entry_data(catalog.track_by_id[ident])}
    if ident in catalog.level_by_id:
        return {"type": "math_level", **entry_data(catalog.level_by_id[ident])}
    for paper in catalog.papers:
        if paper.id == ident:
            return {"type": "paper", **entry_data(paper)}
    return {"type": "resource", **entry_data(catalog.resource_by_id[ident])}
