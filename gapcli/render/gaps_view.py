"""The gap report: as JSON data and as a terminal table with bars."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import GapReport
from gapcli.render.numbers import num
from gapcli.render.terminal import out, safe


def _level_name(catalog: Catalog, level: str | None) -> str:
    if level is None:
        return "below the first level"
    return catalog.level_by_id[level].name if level in catalog.level_by_id else level


def report_json(catalog: Catalog, report: GapReport, track: str) -> dict[str, Any]:
    unblock = report.unblock
    return {
        "track": track,
        "math_level": report.math_level,
        "domains": [
            {
                "id": row.standing.domain_id,
                "name": catalog.domain_by_id[row.standing.domain_id].name,
                "current": num(row.standing.current),
                "target": row.standing.target,
                "gap": num(row.standing.gap),
                "assessed": row.standing.assessed,
                "math_required": row.math_required,
                "math_ok": row.math_ok,
                "hours_to_close": num(row.standing.hours_to_close),
                "closing_topics": list(row.standing.closing_topics),
            }
            for row in report.rows
        ],
        "total_hours": num(report.total_hours),
        "unblock": None
        if unblock is None
        else {
            "math_level": unblock.level,
            "domains": list(unblock.domains),
            "gap": num(unblock.gap),
            "hours": num(unblock.hours),
        },
    }


def bar(current: float, target: int, width: int = 12) -> Text:
    """Filled to current, shaded up to target, empty beyond."""
    have = round(current / 100 * width)
    want = max(have, round(target / 100 * width))
    text = Text()
    text.append("█" * have, style="green")
    text.append("░" * (want - have), style="yellow")
    text.append("·" * (width - want), style="dim")
    return text


def unblock_sentence(catalog: Catalog, report: GapReport) -> str | None:
    unblock = report.unblock
    if unblock is None:
        return None
    names = [catalog.domain_by_id[d].name for d in unblock.domains]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    level = catalog.level_by_id[unblock.level].name
    return f"{level} unblocks {listed}: {num(unblock.hours)} h of math"


def print_report(catalog: Catalog, report: GapReport, track_name: str) -> None:
    console = out()
    if not report.rows:
        console.print(safe(f"No gaps on track {track_name}: every target is met."))
        return
    # Fits 80 columns: no outer edge or edge padding, short headers; only the
    # domain and math cells fold when the terminal is narrower still.
    table = Table(
        title=safe(f"Gaps on track {track_name}, largest first"),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("domain", overflow="fold", min_width=12)
    for column in ("now", "target", "gap"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("progress", no_wrap=True)
    table.add_column("math", overflow="fold")
    table.add_column("hours", justify="right", no_wrap=True)
    for row in report.rows:
        s = row.standing
        math_cell = Text()
        if row.math_required is None:
            math_cell.append("-")
        else:
            math_cell.append(safe(row.math_required))
            math_cell.append(" ✓" if row.math_ok else " ✗", "green" if row.math_ok else "red")
        table.add_row(
            safe(catalog.domain_by_id[s.domain_id].name),
            f"{num(s.current)}%",
            f"{s.target}%",
            f"{num(s.gap)}",
            bar(s.current, s.target),
            math_cell,
            f"{num(s.hours_to_close)}",
        )
    console.print(table)
    console.print(
        safe(
            f"Total: {num(report.total_hours)} h of study to close every gap. "
            f"Your math level: {_level_name(catalog, report.math_level)}."
        )
    )
    sentence = unblock_sentence(catalog, report)
    if sentence:
        console.print(safe(f"Tip: {sentence}."))
