"""Time the planner on generated catalogs of 1,000, 10,000 and 100,000 topics.

Run ``.venv/bin/python bench/planner.py`` (or call :func:`run`, which returns
the figures). Each catalog has about twenty topics per domain and about three
``requires`` per topic, each pointing to a random earlier topic; every skill
domain requires one earlier domain and needs one of three math levels, held by
the math domains that come first; one track holds every domain; the learner
has the light maths and has assessed about a third of the domains.

For each size the table shows the best of several runs of ``make_plan`` (on a
freshly parsed catalog each time, so the catalog's cached lookups are built inside
the timed call, as in the CLI), the same with the garbage collector paused (as every
gapcli command runs it: ``gapcli.cli.main`` pauses it, and ``bench/run.py`` takes
the planner's growth from these), the time ``parse_catalog`` takes to validate the
catalog, and, as a yardstick for the machine, one linear pass over every topic and
its ``requires``; each with its ratio to the size before (x10). The planner should
grow close to linearly: at most ~15x per 10x topics, and 10,000 topics well under a
second. On large inputs even the linear pass grows faster than 10x per 10x (memory
caches stop holding the data), so compare the planner's ratio with it.

Every size runs at least ``repeats`` times and, while the time spent on it
stays under ``budget_s``, again (up to ``MAX_REPEATS``): 1,000 topics plan in a
few milliseconds, where one unlucky run on a busy machine skews the ratio, so
the small sizes get many more tries than 100,000 topics (about 5 s a run).
"""

from __future__ import annotations

import gc
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from gapcli.domain.catalog import Catalog
from gapcli.domain.catalog_format import parse_catalog
from gapcli.domain.learner import Assessed, LearnerState
from gapcli.domain.planner import Plan, PlanSettings, make_plan

SIZES = (1_000, 10_000, 100_000)
TOPICS_PER_DOMAIN = 20
REQUIRES_PER_TOPIC = 3
MATH_SHARE = 20  # one domain in twenty is a math domain (the first ones: maths comes first)
REPEATS = 3  # at least this many runs per size
MAX_REPEATS = 30
BUDGET_S = 3.0  # and more runs of a size while the time spent on it is under this
START = date(2026, 1, 5)
# 168 h a week on every day keeps even 100,000 topics far from the year 9999. New study
# alone (no review share): the graph and calendar work whose growth the target bounds.
# What reviews add depends on the pace and the topics' sizes, not on the catalog's:
# a learner who finishes thousands of topics at this pace would owe more reviews than
# any share holds. bench/review_year.py measures reviews on the demo learner.
SETTINGS = PlanSettings(
    weekly_hours=168.0, study_days=tuple(range(7)), track="everything", review_share=0
)


def generate(n_topics: int, seed: int = 0) -> dict[str, Any]:
    """Plain catalog data (what a YAML file holds) with ``n_topics`` topics."""
    rng = random.Random(seed)
    n_domains = max(1, n_topics // TOPICS_PER_DOMAIN)
    n_math = max(1, n_domains // MATH_SHARE)
    domains: list[dict[str, Any]] = []
    math_topics: list[str] = []
    made = 0
    for d in range(n_domains):
        count = TOPICS_PER_DOMAIN if d < n_domains - 1 else n_topics - made
        topics = []
        for i in range(count):
            before = made + i
            requires = (
                sorted({f"t{rng.randrange(before)}" for _ in range(REQUIRES_PER_TOPIC)})
                if before
                else []
            )
            hours = rng.choice((0.5, 1, 1.5, 2, 3))
            topics.append(
                {"id": f"t{before}", "name": f"t{before}", "hours": hours, "requires": requires}
            )
        made += count
        domain: dict[str, Any] = {"id": f"d{d}", "name": f"d{d}", "topics": topics}
        if d < n_math:
            domain["kind"] = "math"
            math_topics += [str(t["id"]) for t in topics]
        else:
            domain["requires"] = [f"d{rng.randrange(d)}"]
            domain["math"] = rng.choice(("light", "medium", "structured"))
        domains.append(domain)
    picked = rng.sample(math_topics, max(3, len(math_topics) * 3 // 10))
    third = len(picked) // 3
    levels = [
        {"id": "light", "name": "light", "topics": sorted(picked[:third])},
        {"id": "medium", "name": "medium", "topics": sorted(picked[third : 2 * third])},
        {"id": "structured", "name": "structured", "topics": sorted(picked[2 * third :])},
    ]
    return {
        "catalog": 1,
        "id": "bench",
        "name": "bench",
        "math_levels": levels,
        "domains": domains,
        "tracks": [{"id": "everything", "name": "all", "domains": [d["id"] for d in domains]}],
    }


def learner(catalog: Catalog, seed: int = 0) -> LearnerState:
    rng = random.Random(seed)
    assessments = {
        d.id: Assessed(current=rng.randrange(0, 80, 10), target=rng.choice((80, 90, 100)))
        for d in catalog.domains
        if rng.random() < 0.3
    }
    return LearnerState(assessments=assessments, math_level="light")


def linear_pass(raw: dict[str, Any]) -> int:
    """The yardstick: visit every topic and look up each of its ``requires``."""
    hours = {t["id"]: t["hours"] for d in raw["domains"] for t in d["topics"]}
    seen = 0
    for d in raw["domains"]:
        for t in d["topics"]:
            seen += sum(1 for r in t["requires"] if hours[r] > 0)
    return seen


def run(
    sizes: tuple[int, ...] = SIZES, repeats: int = REPEATS, budget_s: float = BUDGET_S
) -> dict[int, dict[str, float]]:
    """Time each size; returns {topics: {parse_s, plan_s, plan_nogc_s, linear_s, planned,
    repeats}}, each time the best of ``repeats`` runs or more (see the module's docstring)."""
    data: dict[int, dict[str, float]] = {}
    for n in sizes:
        raw = generate(n)
        parse_s = plan_s = nogc_s = linear_s = float("inf")
        plan: Plan | None = None
        runs = 0
        began_size = time.perf_counter()
        while runs < repeats or (
            runs < MAX_REPEATS and time.perf_counter() - began_size < budget_s
        ):
            runs += 1
            gc.collect()  # every run starts from the same heap: no garbage of the last one
            began = time.perf_counter()
            catalog = parse_catalog(raw)
            parse_s = min(parse_s, time.perf_counter() - began)
            state = learner(catalog)
            began = time.perf_counter()
            plan = make_plan(catalog, state, SETTINGS, START)
            plan_s = min(plan_s, time.perf_counter() - began)
            catalog = parse_catalog(raw)
            gc.disable()  # the same, with the collector paused around the call too
            try:
                began = time.perf_counter()
                make_plan(catalog, state, SETTINGS, START)
                nogc_s = min(nogc_s, time.perf_counter() - began)
            finally:
                gc.enable()
            began = time.perf_counter()
            linear_pass(raw)
            linear_s = min(linear_s, time.perf_counter() - began)
        assert plan is not None and plan.finish is not None
        data[n] = {
            "parse_s": parse_s,
            "plan_s": plan_s,
            "plan_nogc_s": nogc_s,
            "linear_s": linear_s,
            "planned": float(len(plan.items)),
            "repeats": float(runs),
        }
    return data


def print_table(data: dict[int, dict[str, float]]) -> None:
    columns: tuple[tuple[str, str], ...] = (("parse_s", "parse s"), ("plan_s", "plan s"))
    columns += (("plan_nogc_s", "no-gc s"), ("linear_s", "linear s"))
    head = f"{'topics':>8} {'planned':>8} {'runs':>4}"
    for _, title in columns:
        head += f" {title:>9} {'x10':>6}"
    print(head)
    previous: dict[str, float] | None = None
    for n, row in data.items():
        line = f"{n:>8,} {int(row['planned']):>8,} {int(row.get('repeats', 0)):>4}"
        for key, _ in columns:
            ratio = f"{row[key] / previous[key]:.1f}x" if previous else "-"
            line += f" {row[key]:>9.4f} {ratio:>6}"
        print(line)
        previous = row


if __name__ == "__main__":
    print_table(run())
