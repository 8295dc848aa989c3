"""The report's line, dumbbell and bar charts as inline SVG, each with its numbers as a table.

The heatmap is drawn in :mod:`gapcli.render.report_heatmap`.

Each chart names itself (``<title>``/``<desc>``), labels its axes, and tells its
series apart by shape or dash pattern as well as by colour.
"""

from __future__ import annotations

from datetime import date, timedelta

from gapcli.domain.words import plural
from gapcli.render.numbers import num
from gapcli.render.svg import (
    BLACK,
    BLUE,
    ORANGE,
    SKY,
    VERMILION,
    data_table,
    esc,
    fmt,
    line,
    marker,
    nice_ticks,
    polyline,
    scale,
    svg_open,
    text,
    tick_label,
)
from gapcli.views.report import Burndown, DomainRow, Series, WeekBar

WIDTH = 760
MAX_YEARS_AHEAD = 3  # a pace line further out is cut at the chart's edge (its table says when)


def month_ticks(first: date, last: date, most: int = 7) -> list[date]:
    """First days of months between ``first`` and ``last``, every k-th so at most ``most``."""
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(months) // most))
    return months[::step]


def _clip(series: Series, end: date) -> Series:
    """The series up to ``end``, the segment crossing it cut where it crosses."""
    out: list[tuple[date, float]] = []
    for i, (day, hours) in enumerate(series):
        if day <= end:
            out.append((day, hours))
            continue
        if i:
            (d0, h0) = series[i - 1]
            share = (end - d0).days / max(1, (day - d0).days)
            out.append((end, h0 + (hours - h0) * share))
        break
    return tuple(out)


def burndown_chart(view: Burndown, today: date) -> str:
    first = view.past[0][0]
    ends = [s[-1][0] for s in (view.past, view.planned, view.at_pace) if s]
    last = min(max(ends), today + timedelta(days=365 * MAX_YEARS_AHEAD))
    last = max(last, first + timedelta(days=7))
    lines = [(view.past, BLACK, "", "circle", "logged")]
    lines.append((_clip(view.planned, last), ORANGE, "8 4", "square", "as planned"))
    if view.at_pace:
        label = f"at your pace, {num(view.pace)} h/week"
        lines.append((_clip(view.at_pace, last), BLUE, "2 4", "triangle", label))
    top = max((h for s, *_ in lines for _, h in s), default=0.0)
    ticks = nice_ticks(top)
    left, right, y_top, y_bottom = 60, WIDTH - 20, 54, 290
    fx, ox = scale(first.toordinal(), last.toordinal(), left, right)
    fy, oy = scale(0, ticks[-1], y_bottom, y_top)

    def xy(day: date, hours: float) -> tuple[float, float]:
        return day.toordinal() * fx + ox, hours * fy + oy

    now = view.past[-1][1]
    desc = (
        f"Hours still needed to close every gap, week by week from {first:%Y-%m-%d} "
        f"to today ({num(now)} h left on {today:%Y-%m-%d})"
    )
    if len(view.planned) > 1:
        desc += f"; as planned, 0 h on {view.planned[-1][0]:%Y-%m-%d}"
    if view.at_pace:
        desc += f"; at the measured pace, 0 h on {view.at_pace[-1][0]:%Y-%m-%d}"
    elif view.pace_reason:
        desc += f"; no line at your pace: {view.pace_reason}"
    parts = [svg_open(WIDTH, 340, "burn", "Burn-down: hours still needed", desc + ".")]
    parts += y_axis(ticks, fy, oy, left, right, "hours left")
    months = month_ticks(first, last)
    shape = "%b %Y" if len(months) >= 2 else "%Y-%m-%d"  # a short span: its ends by date
    for tick in months if len(months) >= 2 else [first, last]:
        x = xy(tick, 0)[0]
        anchor = "end" if x > right - 30 else "start" if x < left + 30 else "middle"
        parts.append(text(x, y_bottom + 18, f"{tick:{shape}}", anchor=anchor, cls="tick"))
        parts.append(line(x, y_bottom, x, y_bottom + 5))
    parts.append(text((left + right) / 2, 334, "date", anchor="middle", cls="label"))
    tx = xy(today, 0)[0]
    parts.append(line(tx, y_top, tx, y_bottom, cls="today"))
    parts.append(text(tx, y_top - 6, "today", anchor="middle", cls="tick"))
    legend_x = left + 10
    for n, (series, colour, dash, shape, label) in enumerate(lines):
        points = [xy(d, h) for d, h in series]
        if len(points) > 1:
            parts.append(polyline(points, colour=colour, dash=dash))
        ends_only = points if shape == "circle" and len(points) <= 60 else points[-1:]
        parts += [marker(shape, x, y, colour, hollow=n > 0) for x, y in ends_only]
        lx = legend_x
        legend_x += 50 + 7 * len(label)
        parts.append(polyline([(lx, 18), (lx + 28, 18)], colour=colour, dash=dash))
        parts.append(marker(shape, lx + 14, 18, colour, hollow=n > 0))
        parts.append(text(lx + 34, 22, label, cls="legend"))
    parts.append("</svg>")
    rows = [(f"{d:%Y-%m-%d}", "logged", num(h)) for d, h in view.past]
    rows += [(f"{d:%Y-%m-%d}", "as planned", num(h)) for d, h in view.planned[1:]]
    rows += [(f"{d:%Y-%m-%d}", "at your pace", num(h)) for d, h in view.at_pace[1:]]
    table = data_table("The burn-down's numbers", ["Date", "Line", "Hours left"], rows)
    return figure("".join(parts), table)


def y_axis(
    ticks: list[float], fy: float, oy: float, left: float, right: float, label: str
) -> list[str]:
    parts = []
    for tick in ticks:
        y = tick * fy + oy
        parts.append(line(left, y, right, y, cls="grid"))
        parts.append(text(left - 6, y + 4, tick_label(tick), anchor="end", cls="tick"))
    y_mid = (ticks[0] * fy + ticks[-1] * fy) / 2 + oy
    parts.append(
        f'<text transform="translate(14 {fmt(y_mid)}) rotate(-90)" text-anchor="middle" '
        f'class="label">{esc(label)}</text>'
    )
    parts.append(line(left, ticks[0] * fy + oy, right, ticks[0] * fy + oy))
    return parts


def domains_chart(rows: tuple[DomainRow, ...]) -> str:
    left, right, top, pitch = 280, WIDTH - 80, 44, 26
    height = top + max(1, len(rows)) * pitch + 44
    fx, ox = scale(0, 100, left, right)
    open_rows = [r for r in rows if r.gap > 0]
    desc = (
        f"Each domain's current level (filled circle) and target (hollow diamond), in %, "
        f"widest gap first: {plural(len(open_rows), 'domain')} below target of {len(rows)}."
    )
    parts = [svg_open(WIDTH, height, "dom", "Where you stand, by domain", desc)]
    parts.append(marker("circle", left + 8, 18, BLUE))
    parts.append(text(left + 18, 22, "now", cls="legend"))
    parts.append(marker("diamond", left + 78, 18, VERMILION, hollow=True))
    parts.append(text(left + 88, 22, "target", cls="legend"))
    parts.append(text(WIDTH - 8, 22, "hours to close", anchor="end", cls="legend"))
    bottom = top + len(rows) * pitch
    for tick in range(0, 101, 20):
        x = tick * fx + ox
        parts.append(line(x, top - 6, x, bottom, cls="grid"))
        parts.append(text(x, bottom + 16, f"{tick}%", anchor="middle", cls="tick"))
    parts.append(
        text(
            (left + right) / 2,
            bottom + 36,
            "share of the domain covered",
            anchor="middle",
            cls="label",
        )
    )
    for n, row in enumerate(rows):
        y = top + n * pitch + pitch / 2
        name = row.name if len(row.name) <= 34 else row.name[:33] + "…"
        parts.append(f"<g><title>{esc(row.name)}</title>")
        parts.append(text(left - 10, y + 4, name, anchor="end", cls="name"))
        parts.append("</g>")
        x_now, x_target = row.current * fx + ox, row.target * fx + ox
        parts.append(line(x_now, y, x_target, y, cls="bar"))
        parts.append(marker("circle", x_now, y, BLUE))
        parts.append(marker("diamond", x_target, y, VERMILION, hollow=True))
        hours = f"{num(row.hours)} h" if row.hours > 0 else "met"
        parts.append(text(WIDTH - 8, y + 4, hours, anchor="end", cls="tick"))
    parts.append("</svg>")
    table_rows = [
        (r.name, f"{num(r.current)}%", f"{r.target}%", num(r.gap), num(r.hours)) for r in rows
    ]
    header = ["Domain", "Now", "Target", "Gap (points)", "Hours to close"]
    return figure("".join(parts), data_table("The domains' numbers", header, table_rows))


def weeks_chart(bars: tuple[WeekBar, ...]) -> str:
    left, right, y_top, y_bottom = 60, WIDTH - 20, 40, 250
    top = max([b.hours for b in bars] + [b.budget for b in bars] + [0.0])
    ticks = nice_ticks(top)
    fy, oy = scale(0, ticks[-1], y_bottom, y_top)
    pitch = (right - left) / max(1, len(bars))
    hit = sum(1 for b in bars if b.hours + 1e-9 >= b.budget)
    desc = (
        f"Hours studied in each of the last {len(bars)} weeks (bars) against the weekly "
        f"budget (dashed line): the budget met in {plural(hit, 'week')}."
    )
    parts = [svg_open(WIDTH, 300, "weeks", "Weekly hours against the budget", desc)]
    parts += y_axis(ticks, fy, oy, left, right, "hours")
    budget_line: list[tuple[float, float]] = []
    for n, bar in enumerate(bars):
        x = left + n * pitch
        y = bar.hours * fy + oy
        tip = f"week of {bar.start:%Y-%m-%d}: {num(bar.hours)} h of {num(bar.budget)} h"
        parts.append(
            f'<rect x="{fmt(x + 4)}" y="{fmt(y)}" width="{fmt(pitch - 8)}" '
            f'height="{fmt(y_bottom - y)}" fill="{SKY}" stroke="{BLUE}" stroke-width="1">'
            f"<title>{esc(tip)}</title></rect>"
        )
        by = bar.budget * fy + oy
        budget_line += [(x, by), (x + pitch, by)]
        if n % 2 == 0 or len(bars) <= 8:
            parts.append(
                text(
                    x + pitch / 2, y_bottom + 16, f"{bar.start:%b %d}", anchor="middle", cls="tick"
                )
            )
    parts.append(polyline(budget_line, colour=BLACK, dash="6 3"))
    parts.append(
        text((left + right) / 2, 294, "week starting (Monday)", anchor="middle", cls="label")
    )
    parts.append(
        f'<rect x="{left + 10}" y="12" width="20" height="12" fill="{SKY}" stroke="{BLUE}"/>'
    )
    parts.append(text(left + 36, 22, "hours studied", cls="legend"))
    parts.append(polyline([(left + 170, 18), (left + 200, 18)], colour=BLACK, dash="6 3"))
    parts.append(text(left + 206, 22, "budget (less away days)", cls="legend"))
    parts.append("</svg>")
    rows = [(f"{b.start:%Y-%m-%d}", num(b.hours), num(b.budget)) for b in bars]
    table = data_table("The weeks' numbers", ["Week of", "Hours", "Budget"], rows)
    return figure("".join(parts), table)


def figure(svg: str, table: str) -> str:
    """A chart and its table, kept together on a printed page."""
    return f'<figure class="chart-box">{svg}{table}</figure>'
