"""The gap report as a terminal table with bars (its JSON is in ``json_data``)."""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.table import Table
from rich.text import Text

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import GapReport, GapRow
from gapcli.render.numbers import num
from gapcli.render.shared import math_level_text, total_sentence, unblock_sentence
from gapcli.render.terminal import out, safe


def bar(current: float, target: int, width: int = 12) -> Text:
    """Filled to current, shaded up to target, empty beyond."""
    have = round(current / 100 * width)
    want = max(have, round(target / 100 * width))
    text = Text()
    text.append("█" * have, style="green")
    text.append("░" * (want - have), style="yellow")
    text.append("·" * (width - want), style="dim")
    return text


def print_report(
    catalog: Catalog,
    report: GapReport,
    track_name: str,
    *,
    off_track: bool = False,
    at_risk: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """The track's gaps and their total; with ``off_track``, other assessed domains apart.

    ``at_risk`` (domain: finished topics likely forgotten) marks those domains' rows
    and adds one line saying how many reviews bring them back.
    """
    console = out()
    risk = at_risk or {}
    if not report.rows:
        console.print(safe(f"No gaps on track {track_name}: every target is met."))
    else:
        title = f"Gaps on track {track_name}, largest first"
        console.print(_table(catalog, report.rows, title, risk))
        level = math_level_text(catalog, report.math_level)
        total = total_sentence(report.total_hours)
        console.print(safe(total if level is None else f"{total} Your math level: {level}."))
        sentence = unblock_sentence(catalog, report)
        if sentence:
            console.print(safe(f"Tip: {sentence}."))
    if off_track and report.off_track:
        title = "Off your track (not planned, not in the total)"
        console.print(_table(catalog, report.off_track, title, risk))
    count = sum(len(topics) for topics in risk.values())
    if count:
        names = ", ".join(
            f"{catalog.domain_by_id[d].name} ({len(t)})" for d, t in sorted(risk.items())
        )
        console.print(
            safe(
                f"Fading: {count} finished topic{'s' if count != 1 else ''} likely forgotten "
                f"in {names}; {count} review{'s' if count != 1 else ''} bring them back "
                "(gapcli reviews)."
            )
        )


def _table(
    catalog: Catalog,
    rows: tuple[GapRow, ...],
    title: str,
    risk: Mapping[str, tuple[str, ...]],
) -> Table:
    # Fits 80 columns: no outer edge or edge padding, short headers; only the
    # domain and math cells fold when the terminal is narrower still.
    table = Table(
        title=safe(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("domain", overflow="fold", min_width=12)
    for column in ("now", "target", "gap"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("progress", no_wrap=True)
    has_math = bool(catalog.math_levels)  # no levels: no column that could only say "-"
    if has_math:
        table.add_column("math", overflow="fold")
    table.add_column("hours", justify="right", no_wrap=True)
    for row in rows:
        s = row.standing
        math_cell = Text()
        if row.math_required is None:
            math_cell.append("-")
        else:
            math_cell.append(safe(row.math_required))
            math_cell.append(" ✓" if row.math_ok else " ✗", "green" if row.math_ok else "red")
        name = catalog.domain_by_id[s.domain_id].name
        fading = len(risk.get(s.domain_id, ()))
        table.add_row(
            safe(f"{name} ({fading} fading)" if fading else name),
            f"{num(s.current)}%",
            f"{s.target}%",
            f"{num(s.gap)}",
            bar(s.current, s.target),
            *([math_cell] if has_math else []),
            f"{num(s.hours_to_close)}",
        )
    return table
