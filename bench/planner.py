"""Time the planner on generated catalogs of 1,000, 10,000 and 100,000 topics.

Run ``.venv/bin/python bench/planner.py``. Each catalog has about twenty topics
per domain and about three ``requires`` per topic (pointing to earlier topics),
some domain-level prerequisites, math domains with three math levels that
other domains need, one track with every domain and a learner with some
assessments. The time of ``make_plan`` is the best of three runs; the time to
validate the catalog (``parse_catalog``) is shown separately. The planner's
cost should grow close to linearly: at most ~15x per 10x topics.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gapcli.domain.catalog import Catalog, parse_catalog  # noqa: E402
from gapcli.domain.learner import Assessed, LearnerState  # noqa: E402
from gapcli.domain.planner import Plan, PlanSettings, make_plan  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
TOPICS_PER_DOMAIN = 20
REQUIRES_PER_TOPIC = 3
MATH_SHARE = 20  # one domain in twenty is a math domain (the first ones)
REPEATS = 3


def generate(n_topics: int, seed: int = 0) -> dict[str, Any]:
    """Plain catalog data (what a YAML file holds) with ``n_topics`` topics."""
    rng = random.Random(seed)
    n_domains = max(1, n_topics // TOPICS_PER_DOMAIN)
    domains: list[dict[str, Any]] = []
    math_topics: list[str] = []
    made = 0
    n_math = max(1, n_domains // MATH_SHARE)  # the first domains: maths comes first
    for d in range(n_domains):
        is_math = d < n_math
        count = TOPICS_PER_DOMAIN if d < n_domains - 1 else n_topics - made
        topics = []
        for i in range(count):
            tid = f"t{made + i}"
            window = made + i  # topics before this one
            reqs = (
                sorted({f"t{rng.randrange(window)}" for _ in range(REQUIRES_PER_TOPIC)})
                if window
                else []
            )
            hours = rng.choice((0.5, 1, 1.5, 2, 3))
            topics.append({"id": tid, "name": tid, "hours": hours, "requires": reqs})
        made += count
        domain: dict[str, Any] = {"id": f"d{d}", "name": f"d{d}", "topics": topics}
        if is_math:
            domain["kind"] = "math"
            math_topics += [t["id"] for t in topics]
        else:
            domain["requires"] = [f"d{rng.randrange(d)}"]
            domain["math"] = rng.choice(("light", "medium", "structured"))
        domains.append(domain)
    # Three math levels over the math topics, with a tenth of them in each level.
    picked = rng.sample(math_topics, min(len(math_topics), max(3, len(math_topics) * 3 // 10)))
    third = max(1, len(picked) // 3)
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
        "tracks": [{"id": "all-of-it", "name": "all", "domains": [d["id"] for d in domains]}],
    }


def learner(catalog: Catalog, seed: int = 0) -> LearnerState:
    rng = random.Random(seed)
    assessments = {
        d.id: Assessed(current=rng.randrange(0, 80, 10), target=rng.choice((80, 90, 100)))
        for d in catalog.domains
        if rng.random() < 0.3
    }
    return LearnerState(assessments=assessments, math_level="light")


def run(sizes: tuple[int, ...] = SIZES, repeats: int = REPEATS) -> dict[int, dict[str, float]]:
    """Time parse_catalog and make_plan per size; returns {topics: {...figures}}."""
    settings = PlanSettings(weekly_hours=168.0, study_days=tuple(range(7)), track="all-of-it")
    data: dict[int, dict[str, float]] = {}
    for n in sizes:
        raw = generate(n)
        parse_s = plan_s = float("inf")
        result: Plan | None = None
        for _ in range(repeats):
            # A freshly parsed catalog each time: the catalog's cached lookups
            # (topic_by_id, ...) are built inside the timed call, as in the CLI.
            began = time.perf_counter()
            catalog = parse_catalog(raw)
            parse_s = min(parse_s, time.perf_counter() - began)
            state = learner(catalog)
            began = time.perf_counter()
            result = make_plan(catalog, state, settings, date(2026, 1, 5))
            plan_s = min(plan_s, time.perf_counter() - began)
        assert result is not None
        data[n] = {
            "topics": float(n),
            "parse_seconds": parse_s,
            "plan_seconds": plan_s,
            "planned_topics": float(len(result.items)),
        }
    return data


def print_table(data: dict[int, dict[str, float]]) -> None:
    print(f"{'topics':>8} {'planned':>8} {'parse s':>9} {'plan s':>9} {'plan ratio':>11}")
    previous: float | None = None
    for n, row in data.items():
        ratio = f"{row['plan_seconds'] / previous:.1f}x" if previous else "-"
        print(
            f"{n:>8,} {int(row['planned_topics']):>8,} {row['parse_seconds']:>9.3f} "
            f"{row['plan_seconds']:>9.3f} {ratio:>11}"
        )
        previous = row["plan_seconds"]


if __name__ == "__main__":
    print_table(run())
