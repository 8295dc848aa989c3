"""The plan: JSON data, and a terminal view grouped by calendar week."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from rich import box
from rich.table import Table

from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.catalog import Catalog
from gapcli.domain.pace import Forecast
from gapcli.domain.planner import Plan, PlanItem
from gapcli.render.numbers import num
from gapcli.render.terminal import out, safe


def plan_json(catalog: Catalog, plan: Plan) -> dict[str, Any]:
    """The plan as JSON data (a pinned shape: see tests/test_plan_cli.py).

    Hours are rounded to 2 decimals along the whole plan's running total, so
    the rounded numbers still add up: a topic's sessions to its hours, the
    topics to the total, and a week to no more than the weekly hours.
    """
    track = set(catalog.track(plan.settings.track).domains)
    targets = set(plan.targets)
    items, total = _rounded_items(plan)
    finish = plan.finish
    return {
        "start": plan.start.isoformat(),
        "weekly_hours": float(plan.settings.weekly_hours),
        "study_days": [DAY_NAMES[d] for d in plan.settings.study_days],
        "track": plan.settings.track,
        "finish": finish.isoformat() if finish else None,
        "total_hours": total,
        "items": [
            {
                "topic": item.topic,
                "name": catalog.topic_by_id[item.topic].name,
                "domain": item.domain,
                "hours": hours,
                "why": item.why,
                "sessions": [
                    {"date": b.day.isoformat(), "hours": h}
                    for b, h in zip(item.sessions, sessions, strict=True)
                ],
            }
            for item, hours, sessions in items
        ],
        "domains": [
            {
                "id": d,
                "finish": plan.domain_finish[d].isoformat(),
                "in_track": d in track,
                "reaches_target": d in targets,
            }
            for d in sorted(plan.domain_finish, key=lambda d: plan.domain_finish[d])
        ],
    }


def _rounded_items(
    plan: Plan,
) -> tuple[list[tuple[PlanItem, float | int, list[float | int]]], float | int]:
    """Each item with its hours and session hours rounded on the running total."""
    done = 0.0  # exact hours studied so far
    mark = 0.0  # ``done`` rounded to 2 decimals
    rows: list[tuple[PlanItem, float | int, list[float | int]]] = []
    for item in plan.items:
        first = mark
        sessions: list[float | int] = []
        for block in item.sessions:
            done += block.hours
            now = round(done, 2)
            sessions.append(num(now - mark, 2))
            mark = now
        rows.append((item, num(mark - first, 2), sessions))
    return rows, num(mark, 2)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def by_week(plan: Plan) -> dict[date, list[tuple[PlanItem, float]]]:
    """Each week's topics with the hours studied on them that week, in study order."""
    weeks: dict[date, dict[str, float]] = defaultdict(dict)
    items = {i.topic: i for i in plan.items}
    for item in plan.items:
        for block in item.sessions:
            week = weeks[week_of(block.day)]
            week[item.topic] = week.get(item.topic, 0.0) + block.hours
    return {w: [(items[t], h) for t, h in topics.items()] for w, topics in sorted(weeks.items())}


def print_plan(catalog: Catalog, plan: Plan, weeks: int | None) -> None:
    console = out()
    if not plan.items:  # the command says so on stderr
        return
    grouped = by_week(plan)
    shown = list(grouped.items())[: weeks if weeks is not None else None]
    days = ",".join(DAY_NAMES[d] for d in plan.settings.study_days)
    table = Table(
        title=safe(
            f"Study plan from {plan.start:%Y-%m-%d}: {num(plan.settings.weekly_hours)} h/week "
            f"on {days}"
        ),
        box=box.SIMPLE_HEAD,
    )
    table.add_column("week of", no_wrap=True)
    table.add_column("topic", ratio=3, overflow="fold")
    table.add_column("domain", ratio=2, overflow="fold")
    table.add_column("h", justify="right")
    table.add_column("why")
    table.add_column("first resource", ratio=2, overflow="fold")
    for week, entries in shown:
        for i, (item, hours) in enumerate(entries):
            resource = catalog.first_resource(item.topic)
            table.add_row(
                f"{week:%Y-%m-%d}" if i == 0 else "",
                safe(catalog.topic_by_id[item.topic].name),
                safe(catalog.domain_by_id[item.domain].name),
                f"{num(hours)}",
                item.why,
                safe(resource.title if resource else ""),
                end_section=i == len(entries) - 1,
            )
    console.print(table)
    if len(shown) < len(grouped):
        console.print(
            safe(f"... {_weeks(len(grouped) - len(shown))} more (drop --weeks to see all)")
        )
    reached = sorted(plan.targets, key=lambda d: plan.domain_finish[d])
    if reached:
        parts = [
            f"{catalog.domain_by_id[d].name} {plan.domain_finish[d]:%Y-%m-%d}" for d in reached
        ]
        console.print(safe("Targets reached: " + "; ".join(parts)))
    finish = plan.finish
    console.print(
        safe(f"Finish: {finish:%Y-%m-%d}, {num(plan.total_hours)} h in {_weeks(len(grouped))}.")
    )


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def forecast_json(outlook: Forecast) -> dict[str, Any]:
    return {
        "pace": num(outlook.pace, 2),
        "planned_weekly_hours": num(outlook.planned, 2),
        "finish": outlook.finish.isoformat() if outlook.finish else None,
        "reason": outlook.reason,
        "behind": outlook.behind if outlook.finish else None,
    }


def print_forecast(outlook: Forecast) -> None:
    """The finish date at the measured pace, or plainly why there is none."""
    console = out()
    if outlook.finish is None:
        console.print(safe(f"At your measured pace: no forecast ({outlook.reason})."))
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
