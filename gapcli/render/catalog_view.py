"""Terminal views of catalog entries."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from gapcli.domain.words import plural
from gapcli.render.fit import fitting
from gapcli.render.terminal import line, out, safe
from gapcli.views.catalog import BUILTIN_SOURCE, CatalogKind, LoadedCatalogView

_COLUMNS: dict[CatalogKind, list[str]] = {
    CatalogKind.DOMAINS: ["id", "name", "kind", "math", "target", "topics", "hours"],
    CatalogKind.TOPICS: ["id", "name", "domain", "hours"],
    CatalogKind.TRACKS: ["id", "name", "hours", "domains"],
    CatalogKind.PAPERS: ["id", "title", "year", "priority", "read", "url"],
    CatalogKind.RESOURCES: ["id", "title", "by", "kind", "url"],
    CatalogKind.LEVELS: ["id", "name", "hours", "topics"],
    CatalogKind.SOURCES: ["title", "by", "url"],
}
# What a narrow terminal drops first, kind by kind: never the id, the name or the hours.
_SPARE: dict[CatalogKind, list[str]] = {
    CatalogKind.DOMAINS: ["kind", "math", "target", "topics"],
    CatalogKind.TOPICS: ["domain"],
    CatalogKind.TRACKS: ["domains"],
    CatalogKind.PAPERS: ["url", "priority", "read"],
    CatalogKind.RESOURCES: ["by", "kind", "url"],
    CatalogKind.LEVELS: ["topics"],
    CatalogKind.SOURCES: ["url", "by"],
}


def _number(cell: str) -> bool:
    """An empty cell or a number: its column is right-aligned."""
    return cell.replace(".", "", 1).isdigit() or not cell


def _table(
    title: str | Text, columns: list[str], rows: list[list[str]], dropped: frozenset[str]
) -> Table:
    """A compact table of ``columns`` but ``dropped``: one-word columns (ids, numbers,
    kinds) whole, the others (names, lists) wrapped between words."""
    table = Table(
        title=title if isinstance(title, Text) else safe(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    kept = [i for i, c in enumerate(columns) if c not in dropped]
    for i in kept:
        column = columns[i]
        table.add_column(
            column,
            no_wrap=all(" " not in row[i] for row in rows),
            overflow="fold",
            justify="right" if all(_number(row[i]) for row in rows) else "left",
        )
    for row in rows:
        table.add_row(*(safe(row[i]) for i in kept))
    return table


def _print_table(title: str, columns: list[str], rows: list[list[str]], spare: list[str]) -> None:
    """The widest table that fits the terminal, or one line per row when none does."""
    table = fitting(lambda dropped: _table(title, columns, rows, dropped), spare)
    if table is not None:
        out().print(table)
        return
    out().print(safe(title))
    keep = [i for i, c in enumerate(columns) if c not in spare]
    for row in rows:
        line("- " + ", ".join(f"{columns[i]}: {row[i]}" for i in keep if row[i]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return _entry(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _entry(value: dict[str, Any]) -> str:
    """A structured list entry in words: a partial prerequisite, a study step."""
    if "domain" in value and "to" in value:
        return f"{value['domain']} (to {value['to']} %)"
    ids = [value["topic"]] if value.get("topic") else list(value.get("topics") or [])
    if ids:
        return " + ".join(str(i) for i in ids)
    return ", ".join(f"{k}: {v}" for k, v in value.items())


def print_rows(loaded: LoadedCatalogView, kind: CatalogKind, rows: list[dict[str, Any]]) -> None:
    source = "built-in" if loaded.source == BUILTIN_SOURCE else loaded.source
    title = f"{loaded.catalog.name} ({source} catalog): {plural(len(rows), kind[:-1], kind)}"
    columns = _COLUMNS[kind]
    cells: list[list[str]] = []
    for row in rows:
        if kind is CatalogKind.PAPERS:  # a paper's read day, or plainly "unread"
            row = {**row, "read": row.get("read") or "unread"}
        cells.append([_cell(row.get(c)) for c in columns])
    _print_table(title, columns, cells, _SPARE[kind])


def print_sources(sources: list[dict[str, Any]]) -> None:
    """A short footer crediting the roadmaps the catalog comes from (nothing if none)."""
    if not sources:
        return
    parts = []
    for source in sources:
        text = str(source["title"])
        if source.get("by"):
            text += f" by {source['by']}"
        if source.get("url"):
            text += f" ({source['url']})"
        parts.append(" ".join(text.split()))
    out().print(safe("Sources: " + "; ".join(parts)))


def print_entry(entry: dict[str, Any]) -> None:
    console = out()
    kind = entry.pop("type")
    name = entry.get("name") or entry.get("title") or entry["id"]
    console.print(safe(f"{name}  ({kind} {entry['id']})", "bold"))
    topics = entry.pop("topics", None)
    notes = entry.pop("notes", None)
    for key, value in entry.items():
        if key in ("id", "name", "title"):
            continue
        console.print(safe(f"  {key}: {_cell(value)}"))
    if isinstance(topics, list) and topics and isinstance(topics[0], dict):
        columns = ["id", "name", "hours", "requires"]
        rows = [[_cell(topic.get(c)) for c in columns] for topic in topics]
        _print_table("topics, in teaching order", columns, rows, ["requires"])
    elif topics:
        console.print(safe(f"  topics: {_cell(topics)}"))
    if notes is not None:
        _print_notes(notes)


def _print_notes(notes: list[dict[str, Any]]) -> None:
    """A topic's notes, newest last, each with its link: where the learner left off."""
    console = out()
    console.print(safe(f"  notes: {len(notes)}" if notes else "  notes: none yet"))
    for note in notes:
        console.print(safe(f"    #{note['id']} {note['at'][:10]}  {note['text']}"))
        if note.get("link"):
            console.print(safe(f"      {note['link']}"))
