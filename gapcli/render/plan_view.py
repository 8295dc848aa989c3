"""The plan as a terminal view grouped by calendar week (its JSON is in ``json_data``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table

from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import Forecast
from gapcli.domain.planner import Plan
from gapcli.render.numbers import num, plural
from gapcli.render.shared import by_week, reason_text
from gapcli.render.terminal import out, safe


def print_plan(
    catalog: Catalog, plan: Plan, weeks: int | None, advice: Sequence[str] = ()
) -> None:
    """The plan by week; the track's ``advice`` (catalog text) under the heading."""
    console = out()
    if not plan.items:  # the command says so on stderr
        return
    grouped = by_week(plan)
    shown = list(grouped.items())[: weeks if weeks is not None else None]
    days = ",".join(DAY_NAMES[d] for d in plan.settings.study_days)
    title = safe(
        f"Study plan from {plan.start:%Y-%m-%d}: {num(plan.settings.weekly_hours)} h/week "
        f"on {days}"
    )
    for tip in advice:  # one line each: catalog text folded, never markup
        title.append("\n")
        title.append(safe("Advice: " + " ".join(tip.split())))
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("week of", no_wrap=True)
    table.add_column("topic", ratio=3, overflow="fold")
    table.add_column("domain", ratio=2, overflow="fold")
    table.add_column("h", justify="right")
    table.add_column("why", ratio=2, overflow="fold")
    table.add_column("first resource", ratio=2, overflow="fold")
    for week, entries in shown:
        for i, (item, hours) in enumerate(entries):
            resource = catalog.first_resource(item.topic)
            table.add_row(
                f"{week:%Y-%m-%d}" if i == 0 else "",
                safe(catalog.topic_by_id[item.topic].name),
                safe(catalog.domain_by_id[item.domain].name),
                f"{num(hours)}",
                safe(reason_text(catalog, item, plan.settings.track)),
                safe(resource.title if resource else ""),
                end_section=i == len(entries) - 1,
            )
    console.print(table)
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
    span = plural(len(grouped), "week")
    console.print(safe(f"Finish: {finish:%Y-%m-%d}, {num(plan.total_hours)} h in {span}."))


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
