"""``gapcli roadmap`` in the terminal: a domain's checklist, or a track's domains.

Every catalog text goes through :func:`safe` (never parsed as markup, controls
removed); the JSON is in ``json_data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from gapcli.render.gaps_view import bar
from gapcli.render.numbers import num
from gapcli.render.styled import to_rich
from gapcli.render.terminal import out, safe
from gapcli.views.roadmap import TopicStatus

if TYPE_CHECKING:
    from gapcli.views.roadmap import DomainRoadmap, TopicRow, TrackRoadmap

# The mark before each topic and its colour; the mark says it without colour too.
MARKS: dict[TopicStatus, tuple[str, str]] = {
    TopicStatus.DONE: ("[x]", "green"),
    TopicStatus.KNOWN: ("[x]", "green"),
    TopicStatus.IN_PROGRESS: ("[~]", "yellow"),
    TopicStatus.TODO: ("[!]", "red"),
    TopicStatus.PLANNED: ("[ ]", ""),
    TopicStatus.TO_STUDY: ("[ ]", ""),
    TopicStatus.NOT_NEEDED: (" - ", "dim"),
}

LABELS: dict[TopicStatus, str] = {
    TopicStatus.DONE: "done",
    TopicStatus.KNOWN: "known",
    TopicStatus.IN_PROGRESS: "in progress",
    TopicStatus.TODO: "not done yet",
    TopicStatus.PLANNED: "planned",
    TopicStatus.TO_STUDY: "to study (not on your plan)",
    TopicStatus.NOT_NEEDED: "not needed for your target",
}


def _head(view: DomainRoadmap) -> Text:
    """Name, % of target and a bar; the bar only when the line holds it whole."""
    s = view.standing
    text = safe(view.name, "bold")
    text.append(f"  {num(s.current)}% of target {s.target}%")
    drawn = to_rich(bar(s.current, s.target))
    if text.cell_len + 2 + drawn.cell_len <= out().width:
        text.append("  ")
        text.append(drawn)
    if not view.on_track:
        text.append("  (off your track)", "dim")
    return text


def _detail(row: TopicRow) -> str:
    if row.status is TopicStatus.IN_PROGRESS:
        text = f"in progress, {num(row.covered)} of {num(row.hours)} h"
    else:
        text = f"{LABELS[row.status]}, {num(row.hours)} h"
    if row.planned is not None and row.status is not TopicStatus.PLANNED:
        text += f", planned from {row.planned:%Y-%m-%d}"
    elif row.planned is not None:
        text = f"planned {row.planned:%Y-%m-%d}, {num(row.hours)} h"
    return text


def print_domain(view: DomainRoadmap) -> None:
    """The head line, then one row per topic: mark, name, status (each folds on its own)."""
    from rich.table import Table

    console = out()
    console.print(_head(view))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_column(overflow="fold")
    for row in view.topics:
        mark, style = MARKS[row.status]
        name = safe(row.name, "dim" if row.status is TopicStatus.NOT_NEEDED else "")
        grid.add_row(Text(f"  {mark}", style=style), name, safe(_detail(row), "dim"))
    console.print(grid)


# Shorter names for the one-line counts of ``roadmap --track``.
SHORT: dict[TopicStatus, str] = {
    **LABELS,
    TopicStatus.TO_STUDY: "to study off-plan",
    TopicStatus.NOT_NEEDED: "not needed",
}


def counts_line(view: DomainRoadmap) -> str:
    """The non-zero statuses of a domain's topics, in status order: "3 known, 2 planned"."""
    parts = [f"{n} {SHORT[status]}" for status, n in view.counts.items() if n]
    return ", ".join(parts)


def print_track(view: TrackRoadmap) -> None:
    console = out()
    console.print(safe(f"Roadmap for track {view.name}", "bold"))
    for domain in view.domains:
        console.print(_head(domain))
        console.print(safe(f"  {counts_line(domain)}"), style="dim")
