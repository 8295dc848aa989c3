"""The study-day heatmap: a square per day for a year, a column per week (GitHub style).

Darker is more study, on a light-to-dark scale that keeps its order in grey
print and for colour-blind readers; away days are hatched, a shape and not a colour.
The days and their shades are :mod:`gapcli.domain.heatmap`'s, as ``history`` draws
them: the shades split the study days shown in quarters.
"""

from __future__ import annotations

import itertools

from gapcli.domain.calendar import span
from gapcli.domain.heatmap import LEVELS, DayKind, Heatmap
from gapcli.domain.words import plural
from gapcli.render.numbers import num
from gapcli.render.report_charts import figure
from gapcli.render.svg import SHADES, VERMILION, data_table, esc, fmt, svg_open, text

CELL, PITCH = 12, 14


def heatmap_chart(view: Heatmap) -> str:
    days = view.days
    first, today = view.first, days[-1].day
    left, top = 34, 30
    weeks = len(view.columns)
    width = left + weeks * PITCH + 6
    height = top + 7 * PITCH + 40
    studied = [d for d in days if d.minutes]
    away = [d for d in days if d.away]
    desc = (
        f"One square per day from {first:%Y-%m-%d} to {today:%Y-%m-%d}, darker for "
        f"more study: {plural(len(studied), 'study day')}, "
        f"{num(sum(d.minutes for d in days) / 60)} h; "
        f"{plural(len(away), 'away day')} hatched."
    )
    parts = [svg_open(width, height, "heat", "Study days, the last 12 months", desc)]
    parts.append(
        '<defs><pattern id="away-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{VERMILION}" stroke-width="2"/>'
        "</pattern></defs>"
    )
    for n, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        parts.append(text(left - 4, top + n * PITCH + 10, name, anchor="end", cls="tick"))
    shown_month = None
    for day in days:
        col, row = (day.day - first).days // 7, day.day.weekday()
        x, y = left + col * PITCH, top + row * PITCH
        if day.day.day <= 7 and row == 0 and day.day.month != shown_month:
            shown_month = day.day.month
            parts.append(text(x, top - 8, f"{day.day:%b}", cls="tick"))
        fill = "url(#away-hatch)" if day.kind is DayKind.AWAY else SHADES[day.level]
        what = f"{day.day:%Y-%m-%d}: " + (
            f"{num(day.minutes / 60, 2)} h" if day.minutes else "no study"
        )
        if day.away:
            what += ", away"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" fill="{fill}" '
            f'class="day"><title>{esc(what)}</title></rect>'
        )
    parts += _heat_legend(left, top + 7 * PITCH + 14, view.bounds)
    parts.append("</svg>")
    return figure("".join(parts), data_table("The heatmap by month", *_month_rows(view)))


def _labels(bounds: tuple[int, ...]) -> list[str]:
    """What each shade stands for: no study, then the study days' quarters by minutes."""
    if not bounds:
        return ["no study", *["study"] * LEVELS]
    floors = [1, *bounds]
    labels = [
        f"{span(lo)} to under {span(hi)}" if lo < hi else f"{span(lo)}"
        for lo, hi in itertools.pairwise(floors)
    ]
    return ["no study", *labels, f"{span(floors[-1])} or more"]


def _heat_legend(x: float, y: float, bounds: tuple[int, ...]) -> list[str]:
    labels = _labels(bounds)
    parts = [text(x, y + 10, "Less", cls="legend")]
    x += 36
    for n, label in enumerate(labels):
        parts.append(
            f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{CELL}" height="{CELL}" rx="2" '
            f'fill="{SHADES[n]}" class="day"><title>{esc(label)}</title></rect>'
        )
        x += PITCH
    more = f"More (darkest: {span(bounds[-1])} or more a day)" if bounds else "More"
    parts.append(text(x + 4, y + 10, more, cls="legend"))
    x += 260
    parts.append(
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{CELL}" height="{CELL}" rx="2" '
        'fill="url(#away-hatch)" class="day"/>'
    )
    parts.append(text(x + 18, y + 10, "away", cls="legend"))
    return parts


def _month_rows(view: Heatmap) -> tuple[list[str], list[tuple[str, int, float, int]]]:
    months: dict[str, list[int]] = {}
    for d in view.days:
        totals = months.setdefault(f"{d.day:%Y-%m}", [0, 0, 0])
        totals[0] += 1 if d.minutes else 0
        totals[1] += d.minutes
        totals[2] += 1 if d.away else 0
    rows = [(m, t[0], num(t[1] / 60), t[2]) for m, t in months.items()]
    return ["Month", "Study days", "Hours", "Away days"], rows
