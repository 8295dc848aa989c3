"""The gap report as a terminal table with bars (its JSON is in ``json_data``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from rich import box
from rich.table import Table
from rich.text import Text

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import GapReport, GapRow
from gapcli.render.fit import fitting
from gapcli.render.numbers import num
from gapcli.render.shared import math_level_text, total_sentence, unblock_sentence
from gapcli.render.sparkline import sparkline
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
    hours_left: Sequence[tuple[date, float]] = (),
) -> None:
    """The track's gaps and their total; with ``off_track``, other assessed domains apart.

    ``at_risk`` (domain: finished topics likely forgotten) marks those domains' rows
    and adds one line saying how many reviews bring them back. ``hours_left``
    (each past week's last day and the hours then still needed, today last)
    becomes a sparkline under the total.
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
        for text in trend_lines(hours_left, console.width):
            console.print(text)
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
    """The widest table that fits: the bar goes first, then math, then the target.

    Names wrap between words and the numbers never wrap, so at 40 columns the
    learner still reads every domain's name, where it stands, its gap and its hours.
    """
    has_math = bool(catalog.math_levels)  # no levels: no column that could only say "-"
    spare = ["progress", *(["math"] if has_math else []), "target"]
    table = fitting(lambda dropped: _columns(catalog, rows, title, risk, dropped), spare)
    return table if isinstance(table, Table) else _columns(catalog, rows, title, risk, spare)


def _columns(
    catalog: Catalog,
    rows: tuple[GapRow, ...],
    title: str,
    risk: Mapping[str, tuple[str, ...]],
    dropped: Collection[str],
) -> Table:
    # No outer edge or edge padding, short headers: 80 columns hold every column.
    table = Table(
        title=safe(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    shown = [
        c
        for c in ("domain", "now", "target", "gap", "progress", "math", "hours")
        if c not in dropped and (c != "math" or catalog.math_levels)
    ]
    for column in shown:
        if column == "domain":
            table.add_column(column, overflow="fold", min_width=12)
        elif column in ("progress", "math"):
            table.add_column(column, no_wrap=True)
        else:
            table.add_column(column, justify="right", no_wrap=True)
    for row in rows:
        s = row.standing
        name = catalog.domain_by_id[s.domain_id].name
        fading = len(risk.get(s.domain_id, ()))
        cells: dict[str, Text | str] = {
            "domain": safe(f"{name} ({fading} fading)" if fading else name),
            "now": f"{num(s.current)}%",
            "target": f"{s.target}%",
            "gap": f"{num(s.gap)}",
            "progress": bar(s.current, s.target),
            "math": _math_cell(row),
            "hours": f"{num(s.hours_to_close)}",
        }
        table.add_row(*(cells[c] for c in shown))
    return table


def _math_cell(row: GapRow) -> Text:
    cell = Text()
    if row.math_required is None:
        cell.append("-")
    else:
        cell.append(safe(row.math_required))
        cell.append(" ✓" if row.math_ok else " ✗", "green" if row.math_ok else "red")
    return cell


def trend_lines(points: Sequence[tuple[date, float]], room: int) -> list[Text]:
    """The hours left week by week as a sparkline, as many weeks as ``room`` holds.

    Its first, lowest, highest and last values are printed beside it: the
    blocks run from the lowest to the highest. Nothing with fewer than two
    weeks: one point is no trend.
    """
    for n in range(len(points), 1, -1):
        shown = points[-n:]
        hours = [h for _, h in shown]
        tail = f"  {num(hours[0])} h -> {num(hours[-1])} h"
        if 2 + n + len(tail) <= room or n == 2:
            break
    else:
        return []
    spread = f"  (lowest {num(min(hours))} h, highest {num(max(hours))} h)"
    head = f"Hours left at each week's end since {shown[0][0]:%Y-%m-%d}, then today:"
    line = Text("  ")
    line.append(sparkline(hours), "cyan")
    line.append(tail)
    return [safe(head), line, safe(spread)]
