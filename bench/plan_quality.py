"""How good the built-in catalog's plans are for a learner: the figures of issue 14.

Run ``.venv/bin/python bench/plan_quality.py`` (``make bench`` runs it too and
stores the figures in ``bench/results.json`` under ``plan_quality``). Every
plan starts on a Monday (``START``). Rows:

* one new learner per built-in track (nothing assessed, no maths), at the
  profile's default week (``DEFAULT_WEEKLY_HOURS`` on ``DEFAULT_STUDY_DAYS``);
* the catalog's demo learner (``gapcli init --demo``) on its own week.

Columns: the plan's total hours; the hours planned as maths (``why == math``),
all hours in math domains (a maths track plans them as gaps), and the hours of
pulled-in prerequisites; the planned hour at which the first topic of a
skill (non-math) domain starts; the planned hour (and the week, 1 = the first)
at which each of the catalog's ``study_order`` steps starts, ``-`` when a step
is not planned at all; the sessions under 15 and under 30 minutes, with, in
brackets, how many of those are crumbs (the topic's whole planned time is not
that short); the topics that fit in one study day yet are split across days;
the longest study day; the finish week.

This is a measurement for people, not a test: the planner's own tests hold the
rules; these figures show what the rules do to the built-in catalog.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from gapcli.domain.calendar import parse_study_days
from gapcli.domain.catalog import Catalog
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.domain.planner import Plan, PlanSettings, make_plan
from gapcli.domain.reasons import Why

START = date(2026, 12, 7)  # a Monday
WEEKLY_HOURS = 6.0
LLM_DOMAINS = frozenset({"llm-concepts", "prompt-engineering", "rag"})


@dataclass(frozen=True)
class Row:
    name: str
    plan: Plan
    catalog: Catalog


def _builtin() -> Catalog:
    from gapcli.resources import builtin_catalog_path
    from gapcli.services.catalogs import load_catalog

    return load_catalog(builtin_catalog_path()).catalog


def rows(catalog: Catalog | None = None) -> list[Row]:
    """A plan per built-in track for a new learner, and the demo learner's plan."""
    from gapcli.services.profile import DEFAULT_STUDY_DAYS

    catalog = catalog or _builtin()
    days = parse_study_days(DEFAULT_STUDY_DAYS)
    out = [
        Row(
            f"new: {track.id}",
            make_plan(catalog, LearnerState(), PlanSettings(WEEKLY_HOURS, days, track.id), START),
            catalog,
        )
        for track in catalog.tracks
    ]
    demo = catalog.demo
    if demo is not None:
        state = LearnerState(
            {d: Assessed(a.current, a.target) for d, a in demo.assessments.items()},
            math_level=demo.math_level,
            todo=frozenset(demo.todo),  # the seed's next steps its % would count as known
        )
        settings = PlanSettings(
            demo.weekly_hours or WEEKLY_HOURS,
            parse_study_days(demo.study_days) if demo.study_days else days,
            demo.track or catalog.default_track().id,
        )
        out.append(Row("demo learner", make_plan(catalog, state, settings, START), catalog))
    return out


def figures(row: Row) -> dict[str, Any]:
    """The plan-quality figures of one plan (see the module's docstring)."""
    plan, catalog = row.plan, row.catalog
    math_domains = {d.id for d in catalog.domains if d.kind == "math"}
    day = plan.settings.weekly_hours / len(plan.settings.study_days)
    # Once the plan has cards (its first topic finished), reviews may take their share of
    # a day: "fits in a day" is then what the share leaves of it, as the planner says.
    room = day - math.floor(day * 60) * plan.settings.review_share // 100 / 60
    started: dict[str, float] = {}
    first_skill: float | None = None
    hour = 0.0
    under15 = under30 = crumbs15 = crumbs30 = split = sessions = 0
    per_day: dict[date, float] = {}
    reviews = [i for i in plan.items if i.why is Why.REVIEW]
    for review in reviews:  # in the day's hours; their own figures below
        for block in review.sessions:
            per_day[block.day] = per_day.get(block.day, 0.0) + block.hours
    study = [i for i in plan.items if i.why is not Why.REVIEW]
    for item in study:
        started[item.topic] = hour
        if first_skill is None and item.domain not in math_domains:
            first_skill = hour
        hour += item.hours
        fits = day if item is study[0] or not plan.settings.review_share else room
        if len({b.day for b in item.sessions}) > 1 and item.hours <= fits + 1e-9:
            split += 1
        for block in item.sessions:
            sessions += 1
            per_day[block.day] = per_day.get(block.day, 0.0) + block.hours
            minutes = block.hours * 60
            if minutes < 15 - 1e-6:
                under15 += 1
                crumbs15 += item.hours * 60 >= 15 - 1e-6
            if minutes < 30 - 1e-6:
                under30 += 1
                crumbs30 += item.hours * 60 >= 30 - 1e-6
    week_of = {i.topic: (i.sessions[0].day - plan.start).days // 7 + 1 for i in study}
    steps = []
    for step in catalog.steps(plan.settings.track):
        hours = [started[t] for t in step.ids if t in started]
        first = min(hours) if len(hours) == len(step.ids) else None
        weeks = [week_of[t] for t in step.ids if t in week_of]
        steps.append(
            {
                "topic": "+".join(step.ids),
                "hour": None if first is None else round(first, 2),
                "week": min(weeks) if first is not None else None,
            }
        )
    by_why = dict.fromkeys(("gap", "recommended", "math", "prerequisite"), 0.0)
    for item in study:
        by_why[item.why] += item.hours

    def first_hour(found: Any) -> float | None:
        return next((round(started[i.topic], 2) for i in study if found(i)), None)

    def mentions_papers(topic_id: str) -> bool:
        topic = catalog.topic_by_id[topic_id]
        return "paper" in topic_id or "paper" in topic.name.lower()

    return {
        "plan": row.name,
        "weekly_hours": plan.settings.weekly_hours,
        "total_hours": round(plan.total_hours, 2),
        "review_hours": round(plan.review_hours, 2),
        "reviews": len(reviews),
        "recommended_hours": round(by_why["recommended"], 2),
        "math_hours": round(by_why["math"], 2),
        "math_domain_hours": round(sum(i.hours for i in study if i.domain in math_domains), 2),
        "prerequisite_hours": round(by_why["prerequisite"], 2),
        "first_non_math_hour": None if first_skill is None else round(first_skill, 2),
        "first_llm_hour": first_hour(lambda i: i.domain in LLM_DOMAINS),
        "first_paper_week": next(
            (week_of[i.topic] for i in study if mentions_papers(i.topic)), None
        ),
        "study_order": steps,
        "sessions": sessions,
        "sessions_under_15m": under15,
        "crumbs_under_15m": crumbs15,
        "sessions_under_30m": under30,
        "crumbs_under_30m": crumbs30,
        "fitting_topics_split": split,
        "longest_day_hours": round(max(per_day.values(), default=0.0), 2),
        "weeks": None if plan.finish is None else (plan.finish - plan.start).days // 7 + 1,
    }


def run(catalog: Catalog | None = None) -> list[dict[str, Any]]:
    return [figures(r) for r in rows(catalog)]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def print_table(data: list[dict[str, Any]]) -> None:
    head = [
        "plan",
        "total h",
        "recommended h",
        "math h",
        "math-domain h",
        "prereq h",
        "1st non-math at h",
        "<15m (crumbs)",
        "<30m (crumbs)",
        "fits-a-day split",
        "longest day h",
        "reviews (h)",
        "weeks",
    ]
    table = [
        [
            d["plan"],
            _cell(d["total_hours"]),
            _cell(d["recommended_hours"]),
            _cell(d["math_hours"]),
            _cell(d["math_domain_hours"]),
            _cell(d["prerequisite_hours"]),
            _cell(d["first_non_math_hour"]),
            f"{d['sessions_under_15m']} ({d['crumbs_under_15m']})",
            f"{d['sessions_under_30m']} ({d['crumbs_under_30m']})",
            _cell(d["fitting_topics_split"]),
            _cell(d["longest_day_hours"]),
            f"{d['reviews']} ({_cell(d['review_hours'])})",
            _cell(d["weeks"]),
        ]
        for d in data
    ]
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(len(head))]
    for cells in [head, ["-" * w for w in widths], *table]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    print("\nstudy_order steps: planned hour at which each starts (week), '-' = not planned")
    for d in data:
        steps = ", ".join(
            f"{s['topic']} {_cell(s['hour'])}h (w{_cell(s['week'])})"
            if s["hour"] is not None
            else f"{s['topic']} -"
            for s in d["study_order"]
        )
        print(f"  {d['plan']}: {steps}")


def targets(data: list[dict[str, Any]]) -> list[tuple[str, bool, str]]:
    """Issue 14's targets: (what, met, the figure that decides it)."""
    by_name = {d["plan"]: d for d in data}
    out: list[tuple[str, bool, str]] = []
    demo = by_name.get("demo learner")
    if demo is not None:
        steps = demo["study_order"]
        hours = [s["hour"] for s in steps]
        planned = all(h is not None for h in hours)
        in_order = planned and hours == sorted(hours)
        weeks = [s["week"] for s in steps]
        out += [
            ("demo: total <= 80 h", demo["total_hours"] <= 80, f"{demo['total_hours']} h"),
            ("demo: maths <= 15 h", demo["math_hours"] <= 15, f"{demo['math_hours']} h"),
            ("demo: every recommended step planned, in order", in_order, f"hours {hours}"),
            (
                "demo: every step started within 4 weeks",
                planned and max(weeks) <= 4,
                f"weeks {weeks}",
            ),
        ]
    engineer = by_name.get("new: ai-engineer")
    if engineer is not None:
        first = engineer["first_llm_hour"]
        ok = first is not None and first <= 120
        out.append(("ai-engineer: first LLM/prompt/RAG topic <= 120 h", ok, f"{first} h"))
    researcher = by_name.get("new: llm-researcher")
    if researcher is not None:
        first = researcher["first_non_math_hour"]
        week = researcher["first_paper_week"]
        out += [
            (
                "llm-researcher: first non-math topic <= 40 h",
                first is not None and first <= 40,
                f"{first} h",
            ),
            (
                "llm-researcher: paper reading within 8 weeks",
                week is not None and week <= 8,
                f"week {week}",
            ),
        ]
    for d in data:
        ok = (
            d["crumbs_under_15m"] == 0
            and d["fitting_topics_split"] == 0
            and d["longest_day_hours"] <= 24
        )
        out.append((f"{d['plan']}: no crumbs, no split short topic, no day over 24 h", ok, ""))
    return out


def main() -> int:
    print(f"plan quality: plans from {START} (a Monday), new learners at {WEEKLY_HOURS:g} h/week")
    data = run()
    print_table(data)
    print("\ntargets (issue 14):")
    for what, ok, figure in targets(data):
        print(f"  {'PASS' if ok else 'FAIL'}  {what}{'  (' + figure + ')' if figure else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
