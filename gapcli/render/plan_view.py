"""The plan as a terminal view, by calendar week or by study day (its JSON is in ``json_data``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from gapcli.domain.calendar import DAY_NAMES, format_study_days, span
from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import Forecast
from gapcli.domain.planner import Plan, PlanItem
from gapcli.domain.words import plural
from gapcli.render.numbers import num
from gapcli.render.shared import by_day, by_week, reason_text, week_of
from gapcli.render.terminal import out, safe

NOTE_MARK = "✎"  # after a topic's name: the learner has notes on it

if TYPE_CHECKING:
    from rich.text import Text

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
    console = out()
    if not plan.items:  # the command says so on stderr
        return
    grouped = by_week(plan)
    shown = list(grouped)[: weeks if weeks is not None else None]
    study_days = ",".join(DAY_NAMES[d] for d in plan.settings.study_days)
    title = safe(
        f"Study plan from {plan.start:%Y-%m-%d}: {num(plan.settings.weekly_hours)} h/week "
        f"on {study_days}"
    )
    for tip in advice:  # one line each: catalog text folded, never markup
        title.append("\n")
        title.append(safe("Advice: " + " ".join(tip.split())))
    if days:
        console.print(_day_table(catalog, plan, set(shown), title, noted))
    else:
        console.print(_week_table(catalog, grouped, shown, title, plan.settings.track, noted))
    if len(shown) < len(grouped):
        console.print(
            safe(f"... {plural(len(grouped) - len(shown), 'week')} more (drop --weeks to see all)")
        )
    reached = sorted(plan.targets, key=lambda d: plan.domain_finish[d])
    if reached:
        parts = [
            f"{catalog.domain_by_id[d].name} {plan.domain_finish[d]:%Y-%m-%d}" for d in reached
        ]
        console.print(safe("Targets reached: " + "; ".join(parts)))
    finish = plan.finish
    span_ = plural(len(grouped), "week")
    reviews = (
        f" (and {num(plan.review_hours)} h of reviews of finished topics)"
        if plan.review_hours
        else ""
    )
    console.print(
        safe(f"Finish: {finish:%Y-%m-%d}, {num(plan.total_hours)} h in {span_}{reviews}.")
    )


def _week_table(
    catalog: Catalog,
    grouped: dict[date, list[tuple[PlanItem, float]]],
    shown: list[date],
    title: Text,
    track: str,
    noted: frozenset[str],
) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("week of", no_wrap=True)
    table.add_column("topic", ratio=3, overflow="fold")
    table.add_column("domain", ratio=2, overflow="fold")
    table.add_column("h", justify="right")
    table.add_column("why", ratio=2, overflow="fold")
    table.add_column("first resource", ratio=2, overflow="fold")
    for week in shown:
        entries = grouped[week]
        for i, (item, hours) in enumerate(entries):
            resource = catalog.first_resource(item.topic)
            table.add_row(
                f"{week:%Y-%m-%d}" if i == 0 else "",
                safe(_topic_name(catalog, item.topic, noted)),
                safe(catalog.domain_by_id[item.domain].name),
                f"{num(hours)}",
                safe(reason_text(catalog, item, track)),
                safe(resource.title if resource else ""),
                end_section=i == len(entries) - 1,
            )
    return table


def _topic_name(catalog: Catalog, topic_id: str, noted: frozenset[str]) -> str:
    """The topic's name, marked when the learner has notes on it (see ``gapcli notes``)."""
    name = catalog.topic_by_id[topic_id].name
    return f"{name} {NOTE_MARK}" if topic_id in noted else name


def _day_table(
    catalog: Catalog, plan: Plan, weeks: set[date], title: Text, noted: frozenset[str]
) -> Table:
    """One row per session, grouped by study day; a rule between weeks."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("date", no_wrap=True)
    table.add_column("day", no_wrap=True)
    table.add_column("topic", ratio=3, overflow="fold")
    table.add_column("time", justify="right", no_wrap=True)
    shown = [(day, entries) for day, entries in by_day(plan).items() if week_of(day) in weeks]
    for n, (day, entries) in enumerate(shown):
        last_of_week = n + 1 == len(shown) or week_of(shown[n + 1][0]) != week_of(day)
        for i, (item, minutes) in enumerate(entries):
            first = i == 0
            table.add_row(
                f"{day:%Y-%m-%d}" if first else "",
                DAY_NAMES[day.weekday()] if first else "",
                safe(_topic_name(catalog, item.topic, noted)),
                span(minutes),
                end_section=last_of_week and i == len(entries) - 1,
            )
    return table


def print_forecast(outlook: Forecast) -> None:
    """The finish date at the measured pace, or plainly why there is none."""
    console = out()
    if outlook.finish is None:
        console.print(safe(f"At your measured pace: no forecast: {outlook.reason}."))
        return
    console.print(
        safe(
            f"At your measured pace ({num(outlook.pace)} h/week): "
            f"finish {outlook.finish:%Y-%m-%d}."
        )
    )
    if outlook.behind:
        console.print(
            safe(
                f"You are behind the plan: {num(outlook.pace)} h/week measured against "
                f"{num(outlook.planned)} h/week planned."
            )
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
    out().print(safe(head + tail))
