"""History as a terminal view with a small weekly chart (its JSON is in ``json_data``)."""

from __future__ import annotations

from rich import box
from rich.table import Table

from gapcli.domain.words import plural
from gapcli.render.numbers import num
from gapcli.render.shared import pace_sentence
from gapcli.render.terminal import out, safe
from gapcli.views.history import History

BAR = 24


def print_history(view: History) -> None:
    console = out()
    start, end = view.range
    scope = f" in {view.domain}" if view.domain else ""
    if start is None:
        console.print(safe(f"No sessions logged{scope} up to {end:%Y-%m-%d}."))
    else:
        console.print(
            safe(f"Sessions{scope} from {start:%Y-%m-%d} to {end:%Y-%m-%d}: {len(view.sessions)}")
        )
    if view.sessions:
        table = Table(box=box.SIMPLE_HEAD)
        for column in ("id", "date", "topic / domain", "h", "note"):
            table.add_column(
                column, justify="right" if column in ("id", "h") else "left", overflow="fold"
            )
        for s in view.sessions[-50:]:
            table.add_row(
                str(s.id),
                f"{s.day:%Y-%m-%d}",
                safe(s.topic or s.domain + " (domain)"),
                f"{num(s.hours, 2)}",
                safe(s.note or ""),
            )
        if len(view.sessions) > 50:
            console.print(
                safe(f"(the last 50 of {len(view.sessions)} sessions; use --json for all)")
            )
        console.print(table)
    peak = max((h for _, h in view.weekly), default=0.0) or 1.0
    console.print(safe("Hours per week:"))
    for week, hours in view.weekly:
        partial = "  (this week, so far)" if week > view.pace_weeks[1] else ""
        console.print(
            safe(
                f"  {week:%Y-%m-%d}  {'█' * round(hours / peak * BAR):<{BAR}} {num(hours)}"
                + partial
            )
        )
    console.print(safe(f"Streak: {plural(view.streak, 'study day')}."))
    console.print(safe(pace_sentence(view.pace, view.pace_weeks)))
    if view.progress:
        console.print(safe("% over time:"))
    for domain, points in view.progress.items():
        line = " -> ".join(f"{num(c)}% ({d:%m-%d})" for d, c in points[-6:])
        console.print(safe(f"  {domain}: {line}"))
