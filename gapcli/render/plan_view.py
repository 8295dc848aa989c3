"""The plan as a terminal view, by calendar week or by study day (its JSON is in ``json_data``).

Drawn with gapcli's own grid and styled text, not rich: see :mod:`gapcli.render.grid`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from gapcli.domain.calendar import DAY_NAMES, format_study_days, span
from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import Forecast
from gapcli.domain.planner import Plan, PlanItem
from gapcli.domain.reasons import Why
from gapcli.domain.words import plural
from gapcli.render.grid import Grid, Justify, fitting
from gapcli.render.numbers import num
from gapcli.render.shared import by_day, by_week, reason_text, week_of
from gapcli.render.styled import Styled, print_lines, say, width
from gapcli.render.terminal import line

NOTE_MARK = "✎"  # after a topic's name: the learner has notes on it

if TYPE_CHECKING:
    from gapcli.views.plan_by import PlanByDate


def print_plan(
    catalog: Catalog,
    plan: Plan,
    weeks: int | None,
    advice: Sequence[str] = (),
    *,
    days: bool = False,
    noted: frozenset[str] = frozenset(),
) -> None:
    """The plan week by week, or with ``days`` each study day with its sessions.

    A topic in ``noted`` (it has notes) gets a mark after its name.

    The track's ``advice`` (catalog text) goes under the heading, one line each.
    """
    if not plan.items:  # the command says so on stderr
        return
    room = width()
    grouped = by_week(plan)
    shown = list(grouped)[: weeks if weeks is not None else None]
    study_days = ",".join(DAY_NAMES[d] for d in plan.settings.study_days)
    title = Styled(
        f"Study plan from {plan.start:%Y-%m-%d}: {num(plan.settings.weekly_hours)} h/week "
        f"on {study_days}",
        "italic",
    )
    for tip in advice:  # one line each: catalog text folded, never markup
        title.append("\n" + "Advice: " + " ".join(tip.split()), "italic")
    track = plan.settings.track
    if days:
        grid = fitting(
            lambda drop: _day_table(catalog, plan, set(shown), title, noted, drop), ["day"], room
        )
    else:
        grid = fitting(
            lambda drop: _week_table(catalog, grouped, shown, title, track, noted, drop),
            ["first resource", "why", "domain"],
            room,
        )
    if grid is not None:
        print_lines(grid.lines(room))
    else:  # narrower than any table: lines, wrapped between words
        say(title, room)
        if days:
            _day_lines(catalog, plan, set(shown), noted)
        else:
            _week_lines(catalog, grouped, shown, noted)
    if len(shown) < len(grouped):
        say(f"... {plural(len(grouped) - len(shown), 'week')} more (drop --weeks to see all)")
    reached = sorted(plan.targets, key=lambda d: plan.domain_finish[d])
    if reached:
        parts = [
            f"{catalog.domain_by_id[d].name} {plan.domain_finish[d]:%Y-%m-%d}" for d in reached
        ]
        say("Targets reached: " + "; ".join(parts))
    finish = plan.finish
    span_ = plural(len(grouped), "week")
    reviews = (
        f" (and {num(plan.review_hours)} h of reviews of finished topics)"
        if plan.review_hours
        else ""
    )
    say(f"Finish: {finish:%Y-%m-%d}, {num(plan.total_hours)} h in {span_}{reviews}.")


def _week_table(
    catalog: Catalog,
    grouped: dict[date, list[tuple[PlanItem, float]]],
    shown: list[date],
    title: Styled,
    track: str,
    noted: frozenset[str],
    dropped: frozenset[str] = frozenset(),
) -> Grid:
    """The plan by week; ``dropped`` columns left out (resource, then why, then domain)."""
    grid = Grid(title)
    # Wrapped between words, each at least this wide (a name squeezed to its longest
    # word reads badly): a column that would get less is dropped instead.
    wraps = {"topic": 14, "domain": 12, "why": 12, "first resource": 12}
    columns = [c for c in ("week of", "topic", "domain", "h", "why", "first resource")]
    columns = [c for c in columns if c not in dropped]
    for column in columns:
        if column in wraps:
            grid.add_column(column, wraps=True, min_width=wraps[column])
        else:
            grid.add_column(column, justify=Justify.RIGHT if column == "h" else Justify.LEFT)
    for week in shown:
        entries = grouped[week]
        for i, (item, hours) in enumerate(entries):
            resource = catalog.first_resource(item.topic)
            cells = {
                "week of": f"{week:%Y-%m-%d}" if i == 0 else "",
                "topic": _topic_name(catalog, item.topic, noted),
                "domain": catalog.domain_by_id[item.domain].name,
                "h": f"{num(hours)}",
                "why": reason_text(catalog, item, track),
                "first resource": resource.title if resource else "",
            }
            grid.add_row(*(cells[c] for c in columns), end_section=i == len(entries) - 1)
    return grid


def _day_lines(catalog: Catalog, plan: Plan, weeks: set[date], noted: frozenset[str]) -> None:
    """The study days as lines: "DATE day", then "- topic: time" each."""
    for day, entries in by_day(plan).items():
        if week_of(day) not in weeks:
            continue
        line(f"{day:%Y-%m-%d} {DAY_NAMES[day.weekday()]}")
        for item, minutes in entries:
            line(f"  - {_session_name(catalog, item, noted)}: {span(minutes)}")


def _week_lines(
    catalog: Catalog,
    grouped: dict[date, list[tuple[PlanItem, float]]],
    shown: list[date],
    noted: frozenset[str],
) -> None:
    """The plan by week as lines: "week of DATE", then "- topic (domain): H h" each."""
    for week in shown:
        line(f"week of {week:%Y-%m-%d}")
        for item, hours in grouped[week]:
            name = _session_name(catalog, item, noted)
            domain = catalog.domain_by_id[item.domain].name
            line(f"  - {name} ({domain}): {num(hours)} h")


def _topic_name(catalog: Catalog, topic_id: str, noted: frozenset[str]) -> str:
    """The topic's name, marked when the learner has notes on it (see ``gapcli notes``)."""
    name = catalog.topic_by_id[topic_id].name
    return f"{name} {NOTE_MARK}" if topic_id in noted else name


def _session_name(catalog: Catalog, item: PlanItem, noted: frozenset[str]) -> str:
    """The topic's name, and "(review)" for a review: the tables without a "why"
    column would show a finished topic as if it were studied again."""
    name = _topic_name(catalog, item.topic, noted)
    return f"{name} (review)" if item.why is Why.REVIEW else name


def _day_table(
    catalog: Catalog,
    plan: Plan,
    weeks: set[date],
    title: Styled,
    noted: frozenset[str],
    dropped: frozenset[str] = frozenset(),
) -> Grid:
    """One row per session, grouped by study day; a rule between weeks.

    With ``dropped`` holding "day", the weekday is left out: narrow terminals
    keep date, topic and time.
    """
    grid = Grid(title)
    grid.add_column("date")
    day_column = "day" not in dropped
    if day_column:
        grid.add_column("day")
    grid.add_column("topic", wraps=True, min_width=14)
    grid.add_column("time", justify=Justify.RIGHT)
    shown = [(day, entries) for day, entries in by_day(plan).items() if week_of(day) in weeks]
    for n, (day, entries) in enumerate(shown):
        last_of_week = n + 1 == len(shown) or week_of(shown[n + 1][0]) != week_of(day)
        for i, (item, minutes) in enumerate(entries):
            first = i == 0
            when = f"{day:%Y-%m-%d}" if first else ""
            weekday = DAY_NAMES[day.weekday()] if first else ""
            grid.add_row(
                *((when, weekday) if day_column else (when,)),
                _session_name(catalog, item, noted),
                span(minutes),
                end_section=last_of_week and i == len(entries) - 1,
            )
    return grid


def print_forecast(outlook: Forecast) -> None:
    """The finish date at the measured pace, or plainly why there is none."""
    if outlook.finish is None:
        say(f"At your measured pace: no forecast: {outlook.reason}.")
        return
    say(f"At your measured pace ({num(outlook.pace)} h/week): finish {outlook.finish:%Y-%m-%d}.")
    if outlook.behind:
        say(
            f"You are behind the plan: {num(outlook.pace)} h/week measured against "
            f"{num(outlook.planned)} h/week planned."
        )


def print_by_date(needed: PlanByDate) -> None:
    """The rate ``plan --by`` found, and what a minute a week less would give."""
    plan = needed.plan
    days = format_study_days(plan.settings.study_days)
    rate = f"{num(needed.weekly_hours, 2)} h a week"
    if needed.weekly_minutes % 60:
        rate += f" ({span(needed.weekly_minutes)})"
    head = f"To finish by {needed.by:%Y-%m-%d} on {days}: {rate}"
    if needed.slower_finish is None:
        tail = "; the least this plans at, and it finishes in time."
    elif needed.slower_finish == date.max:
        tail = "; a minute a week less would not finish before the year 9999."
    else:
        tail = f"; a minute a week less finishes on {needed.slower_finish:%Y-%m-%d}."
    say(head + tail)
