"""The gap report as a terminal table with bars (its JSON is in ``json_data``).

Drawn with gapcli's own grid and styled text, not rich: see :mod:`gapcli.render.grid`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import GapReport, GapRow
from gapcli.render.grid import Grid, Justify, fitting
from gapcli.render.numbers import num
from gapcli.render.shared import math_level_text, total_sentence, unblock_sentence
from gapcli.render.sparkline import sparkline
from gapcli.render.styled import Styled, print_lines, sentence, width
from gapcli.render.terminal import fold


def bar(current: float, target: int, size: int = 12) -> Styled:
    """Filled to current, shaded up to target, empty beyond."""
    have = round(current / 100 * size)
    want = max(have, round(target / 100 * size))
    text = Styled()
    text.append("█" * have, style="green")
    text.append("░" * (want - have), style="yellow")
    text.append("·" * (size - want), style="dim")
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
    room = width()
    lines: list[Styled] = []

    def say(text: str | Styled) -> None:
        lines.extend(sentence(text if isinstance(text, Styled) else Styled(text)))

    risk = at_risk or {}
    if not report.rows:
        say(f"No gaps on track {track_name}: every target is met.")
    else:
        title = f"Gaps on track {track_name}, largest first"
        lines.extend(_table(catalog, report.rows, title, risk, room))
        level = math_level_text(catalog, report.math_level)
        total = total_sentence(report.total_hours)
        say(total if level is None else f"{total} Your math level: {level}.")
        for text in trend_lines(hours_left, room):
            say(text)
        tip = unblock_sentence(catalog, report)
        if tip:
            say(f"Tip: {tip}.")
    if off_track and report.off_track:
        title = "Off your track (not planned, not in the total)"
        lines.extend(_table(catalog, report.off_track, title, risk, room))
    count = sum(len(topics) for topics in risk.values())
    if count:
        names = ", ".join(
            f"{catalog.domain_by_id[d].name} ({len(t)})" for d, t in sorted(risk.items())
        )
        say(
            f"Fading: {count} finished topic{'s' if count != 1 else ''} likely forgotten "
            f"in {names}; {count} review{'s' if count != 1 else ''} bring them back "
            "(gapcli reviews)."
        )
    print_lines(lines)


def _table(
    catalog: Catalog,
    rows: tuple[GapRow, ...],
    title: str,
    risk: Mapping[str, tuple[str, ...]],
    room: int,
) -> list[Styled]:
    """The widest table that fits: the bar goes first, then math, then the target.

    Names wrap between words and the numbers never wrap, so at 40 columns the
    learner still reads every domain's name, where it stands, its gap and its hours.
    """
    has_math = bool(catalog.math_levels)  # no levels: no column that could only say "-"
    spare = ["progress", *(["math"] if has_math else []), "target"]
    grid = fitting(lambda dropped: _columns(catalog, rows, title, risk, dropped), spare, room)
    if grid is not None:
        return grid.lines(room)
    # Narrower than any table (rich used to cut "14.2" to "14" here): a line per domain,
    # wrapped between words as plan's and today's lines are (a long name stays whole).
    lines = [Styled(one) for one in fold(title + ":", room).split("\n")]
    for row in rows:
        s = row.standing
        name = catalog.domain_by_id[s.domain_id].name
        fading = len(risk.get(s.domain_id, ()))
        text = (
            f"- {name}{f' ({fading} fading)' if fading else ''}: {num(s.current)}% of "
            f"{s.target}%, gap {num(s.gap)}, {num(s.hours_to_close)} h"
        )
        lines += [Styled(one) for one in fold(text, room).split("\n")]
    return lines


def _columns(
    catalog: Catalog,
    rows: tuple[GapRow, ...],
    title: str,
    risk: Mapping[str, tuple[str, ...]],
    dropped: Collection[str],
) -> Grid:
    # No outer edge or edge padding, short headers: 80 columns hold every column.
    grid = Grid(Styled(title, "italic"))
    shown = [
        c
        for c in ("domain", "now", "target", "gap", "progress", "math", "hours")
        if c not in dropped and (c != "math" or catalog.math_levels)
    ]
    for column in shown:
        if column == "domain":
            grid.add_column(column, wraps=True, min_width=12)
        elif column in ("progress", "math"):
            grid.add_column(column)
        else:
            grid.add_column(column, justify=Justify.RIGHT)
    for row in rows:
        s = row.standing
        name = catalog.domain_by_id[s.domain_id].name
        fading = len(risk.get(s.domain_id, ()))
        cells: dict[str, Styled | str] = {
            "domain": f"{name} ({fading} fading)" if fading else name,
            "now": f"{num(s.current)}%",
            "target": f"{s.target}%",
            "gap": f"{num(s.gap)}",
            "progress": bar(s.current, s.target),
            "math": _math_cell(row),
            "hours": f"{num(s.hours_to_close)}",
        }
        grid.add_row(*(cells[c] for c in shown))
    return grid


def _math_cell(row: GapRow) -> Styled:
    cell = Styled()
    if row.math_required is None:
        cell.append("-")
    else:
        cell.append(row.math_required)
        cell.append(" ✓" if row.math_ok else " ✗", "green" if row.math_ok else "red")
    return cell


def trend_lines(points: Sequence[tuple[date, float]], room: int) -> list[Styled]:
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
    line = Styled("  ")
    line.append(sparkline(hours), "cyan")
    line.append(tail)
    return [Styled(head), line, Styled(spread)]
