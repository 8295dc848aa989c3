"""The export as a Markdown note: gaps, finish dates, weekly task lists and days, papers, history.

It is meant to live in a notes app or a repository, so it uses only what
GitHub-flavoured Markdown renders everywhere: headings, tables, task lists and
links. Every catalog or learner string goes through :func:`md_text`.
"""

from __future__ import annotations

from datetime import timedelta

from gapcli import __version__
from gapcli.domain.calendar import DAY_NAMES, span
from gapcli.domain.words import plural
from gapcli.render.markdown_text import md_link, md_table, md_text
from gapcli.render.numbers import num
from gapcli.render.shared import (
    by_day,
    by_week,
    math_level_text,
    pace_sentence,
    plan_cost_sentence,
    session_title,
    total_sentence,
    unblock_sentence,
    week_of,
)
from gapcli.views.export import Export

RECENT_DAYS = 28
RECENT_MAX = 30


def render_markdown(data: Export, weeks: int | None = None) -> str:
    catalog = data.snap.catalog
    track = catalog.track(data.snap.settings.track)
    settings = data.plan.settings
    days = ", ".join(DAY_NAMES[d] for d in settings.study_days)
    lines = [
        f"# Study plan: {md_text(track.name)}",
        "",
        f"Exported by gapcli {__version__} on {data.today:%Y-%m-%d} from the catalog "
        f"{md_text(catalog.name)}: {num(settings.weekly_hours)} h a week on {days}, "
        f"starting {data.plan.start:%Y-%m-%d}.",
        "",
    ]
    lines += _gaps(data)
    lines += _finish(data)
    lines += _away(data)
    lines += _weeks(data, weeks)
    lines += _done(data)
    lines += _notes(data)
    lines += _papers(data)
    lines += _history(data)
    return "\n".join(lines).rstrip("\n") + "\n"


def _gaps(data: Export) -> list[str]:
    catalog = data.snap.catalog
    report = data.report
    lines = ["## Where you stand", ""]
    if not report.rows:
        return [*lines, "Every target on this track is met.", ""]
    has_math = bool(catalog.math_levels)  # no levels: no Math column, no math sentence
    rows = []
    for row in report.rows:
        s = row.standing
        math = "-"
        if row.math_required is not None:
            math = f"{md_text(row.math_required)} {'✓' if row.math_ok else '✗'}"
        rows.append(
            [
                md_text(catalog.domain_by_id[s.domain_id].name),
                f"{num(s.current)}%",
                f"{s.target}%",
                f"{num(s.gap)}",
                *([math] if has_math else []),
                f"{num(s.hours_to_close)}",
            ]
        )
    if has_math:
        lines += md_table(["Domain", "Now", "Target", "Gap", "Math", "Hours"], "lrrrlr", rows)
    else:
        lines += md_table(["Domain", "Now", "Target", "Gap", "Hours"], "lrrrr", rows)
    level = math_level_text(catalog, report.math_level)
    total = total_sentence(report.total_hours)
    lines += ["", total if level is None else f"{total} Your math level: {md_text(level)}."]
    tip = unblock_sentence(catalog, report)
    if tip:
        lines += ["", f"Tip: {md_text(tip)}."]
    return [*lines, ""]


def _finish(data: Export) -> list[str]:
    plan = data.plan
    catalog = data.snap.catalog
    lines = ["## Finish", ""]
    if plan.finish is None:
        return [*lines, "Nothing left to plan: the plan is empty.", ""]
    lines.append(
        f"- As planned, at {num(plan.settings.weekly_hours)} h a week: "
        f"**{plan.finish:%Y-%m-%d}** ({plan_cost_sentence(plan, finish=False)})"
    )
    outlook = data.outlook
    if outlook.finish is None:
        lines.append(f"- At your measured pace: no forecast: {md_text(outlook.reason)}")
    else:
        behind = ", behind the plan" if outlook.behind else ""
        lines.append(
            f"- At your measured pace of {num(outlook.pace)} h a week: "
            f"**{outlook.finish:%Y-%m-%d}**{behind}"
        )
    for domain_id in sorted(plan.targets, key=lambda d: plan.domain_finish[d]):
        lines.append(
            f"- {md_text(catalog.domain_by_id[domain_id].name)} reaches its target on "
            f"{plan.domain_finish[domain_id]:%Y-%m-%d}"
        )
    return [*lines, ""]


def _away(data: Export) -> list[str]:
    """The away ranges, so a reader sees why the plan has a hole in July."""
    ranges = data.records.away
    if not ranges:
        return []
    lines = ["## Away days", ""]
    for r in ranges:
        when = f"{r.start:%Y-%m-%d}" if r.days == 1 else f"{r.start:%Y-%m-%d} to {r.end:%Y-%m-%d}"
        note = f": {md_text(' '.join(r.note.split()))}" if r.note else ""
        lines.append(f"- {when} ({plural(r.days, 'day')}){note}")
    return [*lines, ""]


def _weeks(data: Export, weeks: int | None) -> list[str]:
    catalog = data.snap.catalog
    grouped = list(by_week(data.plan).items())
    if not grouped:
        return []
    shown = grouped[:weeks] if weeks is not None else grouped
    days = by_day(data.plan)
    lines = ["## Plan, week by week", ""]
    if data.advice:  # the track's advice beyond topics, as plain text
        lines += [f"- Advice: {md_text(tip)}" for tip in data.advice]
        lines.append("")
    for week, entries in shown:
        lines += [f"### Week of {week:%Y-%m-%d}", ""]
        for item, hours in entries:
            topic = catalog.topic_by_id[item.topic]
            domain = catalog.domain_by_id[item.domain]
            title = session_title(topic.name, item.why)
            line = f"- [ ] {md_text(title)} ({md_text(domain.name)}, {num(hours)} h)"
            resource = catalog.first_resource(item.topic)
            if resource is not None:
                line += f": {md_link(resource.title, resource.url)}"
            lines.append(line)
        lines += ["", "Day by day:", ""]
        for day in sorted(d for d in days if week_of(d) == week):
            sessions = ", ".join(
                f"{md_text(session_title(catalog.topic_by_id[item.topic].name, item.why))} "
                f"({span(minutes)})"
                for item, minutes in days[day]
            )
            lines.append(f"- {DAY_NAMES[day.weekday()].capitalize()} {day:%Y-%m-%d}: {sessions}")
        lines.append("")
    if len(shown) < len(grouped):
        rest = len(grouped) - len(shown)
        last = grouped[-1][0] + timedelta(days=6)
        lines += [
            f"{plural(rest, 'more week')}, up to {last:%Y-%m-%d}: "
            "export without --weeks to see them.",
            "",
        ]
    return lines


def _done(data: Export) -> list[str]:
    """Topics marked done, then those marked not done yet (a topic is in one list at most).

    The to-do ones are plain items, not open tasks: their sessions are in the weeks above.
    """
    lines: list[str] = []
    for title, bullet, topics in (
        ("Done", "- [x] ", data.done_topics),
        ("Marked not done yet", "- ", data.todo_topics),
    ):
        if topics:
            lines += [f"## {title}", ""]
            lines += [bullet + _topic_in_domain(data, t) for t in topics]
            lines.append("")
    return lines


def _topic_in_domain(data: Export, topic_id: str) -> str:
    catalog = data.snap.catalog
    domain = catalog.domain_by_id[catalog.domain_of_topic[topic_id]]
    return f"{md_text(catalog.topic_by_id[topic_id].name)} ({md_text(domain.name)})"


def _notes(data: Export) -> list[str]:
    """The learner's notes under each topic's name, oldest first, each with its link."""
    notes = data.records.notes
    if not notes:
        return []
    catalog = data.snap.catalog
    lines = ["## Notes", ""]
    by_topic: dict[str, list[str]] = {}
    for n in notes:
        text = md_text(" ".join(n.text.split()))
        entry = f"- {n.at:%Y-%m-%d}: {text}"
        if n.link:
            entry += f" ({md_link('link', n.link)})"
        by_topic.setdefault(n.topic_id, []).append(entry)
    for topic_id, entries in by_topic.items():
        topic = catalog.topic_by_id.get(topic_id)
        lines += [f"### {md_text(topic.name if topic else topic_id)}", "", *entries, ""]
    return lines


def _papers(data: Export) -> list[str]:
    papers = data.papers
    if not papers:
        return []
    read = data.records.papers_read
    rows = [
        [
            str(p.year),
            md_link(p.title, p.url),
            md_text(p.authors or ""),
            p.priority,
            f"read {read[p.id]:%Y-%m-%d}" if p.id in read else "unread",
        ]
        for p in papers
    ]
    return [
        "## Reading list",
        "",
        *md_table(["Year", "Paper", "Authors", "Priority", "Read"], "rllll", rows),
        "",
    ]


def _history(data: Export) -> list[str]:
    view = data.history
    since = data.today - timedelta(days=RECENT_DAYS - 1)
    recent = [s for s in view.sessions if s.day >= since][-RECENT_MAX:]
    pace = pace_sentence(view.pace, view.pace_weeks, view.pace_not_yet)
    lines = [
        "## Recent history",
        "",
        f"{pace} Streak: {plural(view.streak, 'study day')}.",
        "",
    ]
    if not recent:
        return [*lines, f"No sessions logged since {since:%Y-%m-%d}.", ""]
    catalog = data.snap.catalog
    rows = []
    for s in recent:
        if s.topic in catalog.topic_by_id:
            what = catalog.topic_by_id[s.topic].name
        elif s.domain in catalog.domain_by_id and s.topic is None:
            what = f"{catalog.domain_by_id[s.domain].name} (whole domain)"
        else:
            what = s.topic or s.domain
        rows.append(
            [f"{s.day:%Y-%m-%d}", md_text(what), f"{num(s.hours, 2)}", md_text(s.note or "")]
        )
    lines += md_table(["Date", "Studied", "Hours", "Note"], "llrl", rows)
    return [*lines, ""]
