"""The team report (``export -f html --team``) as one self-contained HTML page.

The same page rules as the learner's report (:mod:`gapcli.render.html_report`,
whose style, Content-Security-Policy and section helpers it reuses): no
script, nothing loaded from elsewhere, every name through :func:`esc`, and
charts that print. The matrix is a table whose cells say in text what their
colour says (current/target %, "met" or "below"), so it reads without colour
and in a screen reader; each chart has its numbers in a table under it.
"""

from __future__ import annotations

from gapcli import __version__
from gapcli.domain.words import plural
from gapcli.render.html_report import CSP, STYLE, columns_of, section
from gapcli.render.numbers import num
from gapcli.render.report_charts import figure, month_ticks, y_axis
from gapcli.render.svg import (
    BLACK,
    BLUE,
    SKY,
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
)
from gapcli.views.team import TeamReportView, TeamScope

WIDTH = 760
MATRIX_STYLE = """
.matrix-box { overflow-x: auto; }
table.matrix { table-layout: auto; }
table.matrix td { text-align: center; white-space: nowrap; }
table.matrix td.met { background: #cfe8d5; }
table.matrix td.below { background: #fbe3c8; }
table.matrix td.none { color: #555; }
ul.holders li { margin: .2rem 0; overflow-wrap: anywhere; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media print { .matrix-box { overflow: visible; } }
"""


def render_team_html(view: TeamReportView) -> str:
    """The whole page: facts, team gaps (bar chart), matrix, coverage, trend (line chart)."""
    scope = view.gaps.scope
    title = "Team report" + (f": track {scope.track}" if scope.track else "")
    body = [
        f"<header><h1>{esc(title)}</h1>",
        f'<p class="lead">{esc(_lead(view))}</p></header>',
        _facts(view),
        _gaps(view),
        _matrix(view),
        _coverage(view),
        _trend(view),
        f"<footer>Made by gapcli {esc(__version__)} on {view.today:%Y-%m-%d}. "
        "Aggregates only: no learner's sessions or notes are in this report. "
        "Each chart's numbers are in the table under it.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}{MATRIX_STYLE}</style>\n</head>\n"
        "<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


def _lead(view: TeamReportView) -> str:
    scope = view.gaps.scope
    lead = f"{plural(scope.members, 'learner')}, on {view.today:%Y-%m-%d}."
    if scope.mixed:
        lead += (
            f" They use {len(scope.catalogs)} catalogs ({', '.join(scope.catalogs)}): "
            "domains and topics are matched by id, and a learner counts only in the "
            "domains their own catalog has."
        )
    return lead


def _facts(view: TeamReportView) -> str:
    gaps = view.gaps
    coverage = view.coverage.coverage
    facts = [
        ("Learners", str(gaps.scope.members)),
        ("Team hours to close every gap", f"{num(gaps.total_hours)} h"),
        (
            f"Domains fewer than {coverage.minimum} learners have at target",
            str(len(coverage.domains)),
        ),
        (f"Topics fewer than {coverage.minimum} learners know", str(len(coverage.topics))),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    return f'<section id="facts"><h2>In short</h2><dl class="facts">{rows}</dl></section>'


def _no_team(scope: TeamScope) -> str | None:
    return "<p>No learners in this store yet.</p>" if not scope.members else None


def _gaps(view: TeamReportView) -> str:
    gaps = view.gaps
    empty = _no_team(gaps.scope)
    if empty or not gaps.rows:
        return section("gaps", "Team gaps", empty or "<p>No domains to show.</p>")
    return section("gaps", "Team gaps", gaps_chart(view))


def gaps_chart(view: TeamReportView) -> str:
    """Total gap hours per domain as horizontal bars, largest first, with their table."""
    rows = view.gaps.rows
    left, right, top, pitch = 280, WIDTH - 110, 40, 26
    bottom = top + len(rows) * pitch
    height = bottom + 44
    ticks = nice_ticks(max([r.total_gap_hours for r in rows] + [0.0]))
    fx, ox = scale(0, ticks[-1], left, right)
    desc = (
        f"The team's total hours to close each domain's gaps, largest first, for "
        f"{plural(len(rows), 'domain')}; beside each bar, learners at target of those "
        "who have the domain."
    )
    parts = [svg_open(WIDTH, height, "tgaps", "Team gaps by domain", desc)]
    parts.append(text(WIDTH - 8, 22, "at target", anchor="end", cls="legend"))
    for tick in ticks:
        x = tick * fx + ox
        parts.append(line(x, top - 6, x, bottom, cls="grid"))
        parts.append(text(x, bottom + 16, f"{tick:g}", anchor="middle", cls="tick"))
    parts.append(
        text((left + right) / 2, bottom + 36, "team hours to close", anchor="middle", cls="label")
    )
    for n, r in enumerate(rows):
        y = top + n * pitch
        name = r.name if len(r.name) <= 34 else r.name[:33] + "…"
        parts.append(f"<g><title>{esc(r.name)}</title>")
        parts.append(text(left - 10, y + pitch / 2 + 4, name, anchor="end", cls="name"))
        parts.append("</g>")
        width = r.total_gap_hours * fx
        tip = f"{r.name}: {num(r.total_gap_hours)} h"
        parts.append(
            f'<rect x="{fmt(left)}" y="{fmt(y + 4)}" width="{fmt(width)}" '
            f'height="{fmt(pitch - 8)}" fill="{SKY}" stroke="{BLUE}" stroke-width="1">'
            f"<title>{esc(tip)}</title></rect>"
        )
        parts.append(
            text(WIDTH - 8, y + pitch / 2 + 4, f"{r.at_target}/{r.learners}", anchor="end")
        )
    parts.append(line(left, top - 6, left, bottom))
    parts.append("</svg>")
    header = ["Domain", "Learners", "At target", "Mean %", "Median %", "Hours to close"]
    table_rows = [
        (
            r.name,
            r.learners,
            r.at_target,
            num(r.mean_current),
            num(r.median_current),
            num(r.total_gap_hours),
        )
        for r in rows
    ]
    return figure("".join(parts), data_table("The team gaps' numbers", header, table_rows))


def _matrix(view: TeamReportView) -> str:
    matrix = view.matrix.matrix
    empty = _no_team(view.matrix.scope)
    if empty or not matrix.domains:
        return section("matrix", "Learners by domain", empty or "<p>No domains to show.</p>")
    head = "".join(f'<th scope="col">{esc(d.name)}</th>' for d in matrix.domains)
    body = []
    for row in matrix.rows:
        cells = []
        for c in row.cells:
            if c is None:
                cells.append('<td class="none">–<span class="sr"> not theirs</span></td>')
                continue
            klass, word = ("met", "met") if c.at_target else ("below", "below")
            cells.append(f'<td class="{klass}">{num(c.current)}/{c.target}% {word}</td>')
        body.append(f'<tr><th scope="row">{esc(row.name)}</th>{"".join(cells)}</tr>')
    table = (
        '<div class="matrix-box"><table class="matrix">'
        "<caption>Each cell: current/target %, and met (green) or below (orange) the "
        "target; – : the domain is not in that learner's catalog or track.</caption>"
        f'<thead><tr><th scope="col">Learner</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    return section("matrix", "Learners by domain", table, long=True)


def _coverage(view: TeamReportView) -> str:
    coverage = view.coverage.coverage
    empty = _no_team(view.coverage.scope)
    if empty:
        return section("coverage", "Bus factor", empty)
    least = coverage.minimum
    parts = []
    if coverage.domains:
        rows = "".join(
            f'<tr><td>{esc(h.name)}</td><td class="num">{h.learners}</td>'
            f"<td>{esc(', '.join(h.holders) or 'no one')}</td></tr>"
            for h in coverage.domains
        )
        parts.append(
            f"<h3>Domains fewer than {least} learners have at target</h3>"
            f"<table>{columns_of(40, 15, 45)}"
            '<thead><tr><th scope="col">Domain</th><th scope="col" class="num">Learners</th>'
            f'<th scope="col">At target</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        parts.append(f"<p>Every domain has at least {least} learners at target.</p>")
    if coverage.topics:
        groups: dict[tuple[str, ...], list[str]] = {}
        for h in coverage.topics:
            groups.setdefault(h.holders, []).append(h.name)
        items = "".join(
            f"<li><strong>{esc(', '.join(who) or 'No one')}</strong> "
            f"({len(names)}): {esc(', '.join(names))}</li>"
            for who, names in groups.items()
        )
        parts.append(
            f"<h3>Topics fewer than {least} learners know, by who knows them</h3>"
            f'<ul class="holders">{items}</ul>'
        )
    else:
        parts.append(f"<p>Every topic has at least {least} learners who know it.</p>")
    return section("coverage", "Bus factor", "\n".join(parts), long=True)


def _trend(view: TeamReportView) -> str:
    points = view.trend.points
    if not points:
        return section("trend", "Team hours over time", "<p>No trend yet.</p>")
    return section("trend", "Team hours over time", trend_chart(view))


def trend_chart(view: TeamReportView) -> str:
    """The team's hours left at each month's end as a line, with its table."""
    points = view.trend.points
    first, last = points[0].day, points[-1].day
    ticks = nice_ticks(max(p.hours for p in points))
    left, right, y_top, y_bottom = 60, WIDTH - 20, 40, 260
    fx, ox = scale(first.toordinal(), last.toordinal(), left, right)
    if first == last:
        ox = (left + right) / 2
    fy, oy = scale(0, ticks[-1], y_bottom, y_top)
    xy = [(p.day.toordinal() * fx + ox, p.hours * fy + oy) for p in points]
    desc = (
        f"The team's hours left to close every gap at each month's end from "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}: {num(points[0].hours)} h then, "
        f"{num(points[-1].hours)} h now."
    )
    parts = [svg_open(WIDTH, 310, "ttrend", "Team hours left, month by month", desc)]
    parts += y_axis(ticks, fy, oy, left, right, "hours left")
    months = month_ticks(first, last)
    for tick in months if len(months) >= 2 else [first, last]:
        x = tick.toordinal() * fx + ox
        anchor = "end" if x > right - 30 else "start" if x < left + 30 else "middle"
        parts.append(text(x, y_bottom + 18, f"{tick:%b %Y}", anchor=anchor, cls="tick"))
    parts.append(text((left + right) / 2, 304, "month end", anchor="middle", cls="label"))
    if len(xy) > 1:
        parts.append(polyline(xy, colour=BLACK))
    parts += [marker("circle", x, y, BLACK) for x, y in xy]
    parts.append("</svg>")
    rows = [(f"{p.day:%Y-%m-%d}", num(p.hours), p.members) for p in points]
    table = data_table("The trend's numbers", ["Month end", "Hours left", "Learners"], rows)
    return figure("".join(parts), table)
