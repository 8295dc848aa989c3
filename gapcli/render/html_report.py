"""The export as one self-contained HTML page: charts, plan, reading list, notes.

No script, no font, image or style from elsewhere (a Content-Security-Policy
says so to the browser too); the only links are the catalog's http(s) URLs.
It prints on A4 or Letter: the charts scale to the page width and sections do
not break across pages where they fit on one. Every learner or catalog string
goes through :func:`esc`.
"""

from __future__ import annotations

from datetime import timedelta

from gapcli import __version__
from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.reasons import Why
from gapcli.domain.words import plural
from gapcli.render.numbers import num
from gapcli.render.report_charts import burndown_chart, domains_chart, weeks_chart
from gapcli.render.report_heatmap import heatmap_chart
from gapcli.render.sanitize import http_url
from gapcli.render.shared import by_week, plan_cost_sentence, reason_text, total_sentence
from gapcli.render.svg import esc
from gapcli.views.report import ReportView

STYLE = """
:root { color: #111; background: #fff; font: 16px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
body { margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #111; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p.lead { margin: 0 0 1rem; color: #333; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure.chart-box { margin: .5rem 0 1rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #111; }
svg.chart text.label { font-size: 13px; font-weight: 600; }
svg.chart text.name { font-size: 13px; }
svg.chart .axis { stroke: #111; stroke-width: 1; }
svg.chart .grid { stroke: #d9d9d9; stroke-width: 1; }
svg.chart .today { stroke: #555; stroke-width: 1; stroke-dasharray: 3 3; }
svg.chart .bar { stroke: #777; stroke-width: 3; }
svg.chart rect.day { stroke: #bbb; stroke-width: .5; }
/* Fixed columns: a long unbroken name wraps inside its column instead of widening the page,
   and short words ("unread", a resource's title) are never cut to make room for it. */
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: .92rem;
  table-layout: fixed; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ccc;
  vertical-align: top; overflow-wrap: break-word; }
td.num, th.num { text-align: right; white-space: nowrap; }
details.data summary { cursor: pointer; color: #333; font-size: .9rem; }
.review td:first-child::before { content: "↻ "; }
.read { font-weight: 600; }
ul.notes li { margin: .2rem 0; overflow-wrap: anywhere; }
footer { margin-top: 2rem; font-size: .85rem; color: #444; }
@page { margin: 14mm 12mm; }
@media print {
  :root { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section, figure.chart-box, tr, dl.facts { break-inside: avoid; }
  section.long { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  details.data { display: none; }
  a { color: inherit; }
}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(view: ReportView, weeks: int | None = None) -> str:
    data = view.data
    catalog = data.snap.catalog
    track = catalog.track(data.snap.settings.track)
    title = f"Study report: {track.name}"
    body = [
        f"<header><h1>{esc(title)}</h1>",
        f'<p class="lead">{esc(_lead(view))}</p></header>',
        _facts(view),
        section("burn", "Hours still needed", burndown_chart(view.burndown, data.today)),
        section("heat", "Study days", heatmap_chart(view.heatmap)),
        section("domains", "Where you stand", domains_chart(view.domains)),
        section("weekly", "Weekly hours", weeks_chart(view.weeks)),
        _plan(view, weeks),
        _papers(view),
        _notes(view),
        _away(view),
        f"<footer>Made by gapcli {esc(__version__)} on {data.today:%Y-%m-%d}. "
        "Charts: circles, squares, triangles and dash patterns tell the lines apart "
        "without colour; each chart's numbers are in the table under it.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


def _lead(view: ReportView) -> str:
    data = view.data
    settings = data.plan.settings
    days = ", ".join(DAY_NAMES[d] for d in settings.study_days)
    return (
        f"From the catalog {data.snap.catalog.name}, on {data.today:%Y-%m-%d}: "
        f"{num(settings.weekly_hours)} h a week on {days}."
    )


def section(ident: str, heading: str, content: str, *, long: bool = False) -> str:
    klass = ' class="long"' if long else ""
    return f'<section id="{ident}"{klass}>\n<h2>{esc(heading)}</h2>\n{content}\n</section>'


def _facts(view: ReportView) -> str:
    data = view.data
    plan, outlook = data.plan, data.outlook
    facts = [("Left to study", total_sentence(data.report.total_hours).removeprefix("Total: "))]
    if plan.finish is not None:
        facts.append(
            (
                "Finish as planned",
                f"{plan.finish:%Y-%m-%d} ({plan_cost_sentence(plan, finish=False)})",
            )
        )
    if outlook.finish is not None:
        behind = ", behind the plan" if outlook.behind else ""
        facts.append(
            (
                "Finish at your pace",
                f"{outlook.finish:%Y-%m-%d} at {num(outlook.pace)} h a week{behind}",
            )
        )
    else:
        facts.append(("Finish at your pace", f"no forecast: {outlook.reason}"))
    facts.append(("Study streak", plural(data.history.streak, "study day")))
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    return f'<section id="facts"><h2>In short</h2><dl class="facts">{rows}</dl></section>'


def _link(title: str, url: str | None) -> str:
    target = http_url(url)
    if target is None:
        return esc(title)
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(title)}</a>'


def _plan(view: ReportView, weeks: int | None) -> str:
    data = view.data
    catalog = data.snap.catalog
    grouped = list(by_week(data.plan).items())
    if not grouped:
        return section("plan", "Plan by week", "<p>Nothing left to plan: the plan is empty.</p>")
    shown = grouped[:weeks] if weeks is not None else grouped
    track = data.snap.settings.track
    parts = [f"<p>{esc(tip)}</p>" for tip in data.advice]
    for week, entries in shown:
        parts.append(f"<h3>Week of {week:%Y-%m-%d}</h3>")
        parts.append(
            "<table>"
            + columns_of(28, 18, 9, 27, 18)
            + '<thead><tr><th scope="col">Topic</th><th scope="col">Domain</th>'
            '<th scope="col" class="num">Hours</th><th scope="col">Why</th>'
            '<th scope="col">Resource</th></tr></thead><tbody>'
        )
        for item, hours in entries:
            topic = catalog.topic_by_id[item.topic]
            resource = catalog.first_resource(item.topic)
            link = _link(resource.title, resource.url) if resource else ""
            klass = ' class="review"' if item.why is Why.REVIEW else ""
            parts.append(
                f"<tr{klass}><td>{esc(topic.name)}</td>"
                f"<td>{esc(catalog.domain_by_id[item.domain].name)}</td>"
                f'<td class="num">{num(hours)}</td>'
                f"<td>{esc(reason_text(catalog, item, track))}</td>"
                f"<td>{link}</td></tr>"
            )
        parts.append("</tbody></table>")
    if len(shown) < len(grouped):
        last = grouped[-1][0] + timedelta(days=6)
        rest = plural(len(grouped) - len(shown), "more week")
        parts.append(
            f"<p>{esc(rest)}, up to {last:%Y-%m-%d}: export without --weeks to see them.</p>"
        )
    return section("plan", "Plan by week", "\n".join(parts), long=True)


def columns_of(*percent: int) -> str:
    """Column widths (%) for a fixed-layout table."""
    return "<colgroup>" + "".join(f'<col style="width:{p}%">' for p in percent) + "</colgroup>"


def _papers(view: ReportView) -> str:
    data = view.data
    papers = data.papers
    if not papers:
        return ""
    read = data.records.papers_read
    rows = []
    for p in papers:
        state = (
            f'<span class="read">read {read[p.id]:%Y-%m-%d}</span>' if p.id in read else "unread"
        )
        rows.append(
            f'<tr><td class="num">{p.year}</td><td>{_link(p.title, p.url)}</td>'
            f"<td>{esc(p.authors or '')}</td><td>{esc(p.priority)}</td>"
            f"<td>{state}</td></tr>"
        )
    done = sum(1 for p in papers if p.id in read)
    table = (
        f"<p>{done} of {plural(len(papers), 'paper')} read.</p>"
        f"<table>{columns_of(8, 40, 22, 13, 17)}"
        '<thead><tr><th scope="col" class="num">Year</th><th scope="col">Paper</th>'
        '<th scope="col">Authors</th><th scope="col">Priority</th><th scope="col">Read</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return section("papers", "Reading list", table, long=True)


def _notes(view: ReportView) -> str:
    """The notes under each topic's name, oldest first; a note's link is shown, not followed."""
    data = view.data
    if not data.records.notes:
        return ""
    catalog = data.snap.catalog
    by_topic: dict[str, list[str]] = {}
    for n in data.records.notes:
        entry = f"{n.at:%Y-%m-%d}: {esc(' '.join(n.text.split()))}"
        if n.link:
            entry += f" <code>{esc(n.link)}</code>"
        by_topic.setdefault(n.topic_id, []).append(f"<li>{entry}</li>")
    parts = []
    for topic_id, entries in by_topic.items():
        topic = catalog.topic_by_id.get(topic_id)
        parts.append(f"<h3>{esc(topic.name if topic else topic_id)}</h3>")
        parts.append(f'<ul class="notes">{"".join(entries)}</ul>')
    return section("notes", "Notes", "\n".join(parts), long=True)


def _away(view: ReportView) -> str:
    ranges = view.data.records.away
    if not ranges:
        return ""
    items = []
    for r in ranges:
        when = f"{r.start:%Y-%m-%d}" if r.days == 1 else f"{r.start:%Y-%m-%d} to {r.end:%Y-%m-%d}"
        note = f": {esc(' '.join(r.note.split()))}" if r.note else ""
        items.append(f"<li>{when} ({esc(plural(r.days, 'day'))}){note}</li>")
    return section("away", "Away days", f"<ul>{''.join(items)}</ul>")
