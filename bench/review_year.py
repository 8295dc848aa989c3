"""A year of reviews, simulated: what spaced review costs the demo learner (issue 17).

Run ``.venv/bin/python bench/review_year.py [--days 365] [--seed N]``.

The demo learner (``gapcli init --demo``: 6 h a week on Mon, Wed and Sat) lives
through ``--days`` consecutive days, in-process through the real CLI
(``CliRunner``, ``GAPCLI_TODAY`` set to each day, a temporary ``GAPCLI_DB`` and
``GAPCLI_CACHE_DIR``). On each study day it does what ``gapcli plan`` holds for
that day: first the planned reviews (``gapcli review TOPIC --rating R --minutes
M``), then the planned new study (``log-progress TOPIC --minutes M``, with
``--done`` on a topic's last planned session). A review's rating is drawn from
the card's retrievability that day (``gapcli reviews --all --json``): the topic
is recalled with that probability, then rated good (80 %), hard (15 %) or easy
(5 %); not recalled, it is rated again. One seeded ``random.Random`` decides all.

Once the plan holds no new study (every gap closed), the planner plans no
reviews either (it walks study days only while new topics are left), so the
learner then reviews what ``gapcli reviews`` lists as due, lowest
retrievability first, within the same daily share. Those reviews are counted
apart ("after the plan").

A second learner, identical but with ``config set review-share 0`` (no
reviews), is the control: the delay reviews cost is the difference of the two
learners' last day of new study. The plan's own projection on day 1 is printed
too, with and without reviews.

This is a measurement for people; tests/test_review_year.py runs a shorter span
and asserts the guarantees.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from typer.testing import CliRunner

from gapcli.cli import app

START = date(2026, 11, 30)  # a Monday
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RATINGS = ("again", "hard", "good", "easy")
# When recalled: good mostly, hard sometimes, easy rarely.
RECALLED = (("good", 0.80), ("hard", 0.15), ("easy", 0.05))


@dataclass(frozen=True)
class Review:
    day: date
    topic: str
    minutes: int
    rating: str
    retrievability: float
    planned: bool  # from the plan (else: after the plan, from ``gapcli reviews``)


@dataclass
class Year:
    """What one simulated learner did and saw, day by day."""

    start: date
    days: int
    share: int
    cap: int  # a study day's review minutes may not exceed this (its length x share)
    reviews: list[Review] = field(default_factory=list)
    study_minutes: dict[date, int] = field(default_factory=dict)  # new study per day
    due_count: dict[date, int] = field(default_factory=dict)  # due, unreviewed, end of day
    finished: list[tuple[date, str]] = field(default_factory=list)
    projected_finish: str | None = None  # the plan's finish on day 1
    projected_finish_no_reviews: str | None = None  # the same with review-share 0
    projections: dict[date, str] = field(default_factory=dict)  # each study day's plan finish
    folder: Path | None = None
    weekly_hours: float = 0.0
    study_day_list: list[date] = field(default_factory=list)

    def review_minutes_by_day(self) -> dict[date, int]:
        by_day: Counter[date] = Counter()
        for r in self.reviews:
            by_day[r.day] += r.minutes
        return dict(by_day)

    def last_study_day(self) -> date | None:
        return max(self.study_minutes) if self.study_minutes else None

    def weekly(self, values: dict[date, int], how: str) -> list[int]:
        """Per whole Monday-to-Sunday week of the run: the sum or the max of ``values``."""
        weeks = self.days // 7
        out = []
        for w in range(weeks):
            days = [self.start + timedelta(days=7 * w + i) for i in range(7)]
            picked = [values.get(d, 0) for d in days]
            out.append(sum(picked) if how == "sum" else max(picked))
        return out

    def reviews_per_week(self) -> list[int]:
        return self.weekly(dict(Counter(r.day for r in self.reviews)), "sum")


class Learner:
    """The demo learner in its own temporary database, run through the CLI."""

    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        self.env = {
            "GAPCLI_DB": str(folder / "gapcli.db"),
            "GAPCLI_CACHE_DIR": str(folder / "cache"),
            "GAPCLI_CATALOG": None,
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
        self.runner = CliRunner()
        self.rng = random.Random(seed)

    def run(self, day: date, *args: str) -> str:
        result = self.runner.invoke(
            app, list(args), env={**self.env, "GAPCLI_TODAY": day.isoformat()}
        )
        if result.exit_code != 0 or "Traceback" in result.stderr:
            raise RuntimeError(
                f"{day} gapcli {' '.join(args)}: exit {result.exit_code}\n"
                f"{result.stderr[-800:]}{result.exception!r}"
            )
        return result.stdout

    def json(self, day: date, *args: str) -> Any:
        return json.loads(self.run(day, *args, "--json"))

    def rating(self, retrievability: float) -> str:
        if self.rng.random() >= retrievability:
            return "again"
        return self.rng.choices([r for r, _ in RECALLED], [w for _, w in RECALLED])[0]


def simulate(days: int = 365, seed: int = 0, share: int = 25, start: date = START) -> Year:
    """Run the demo learner for ``days`` days from ``start`` with ``review-share`` ``share``."""
    folder = Path(tempfile.mkdtemp(prefix="gapcli-review-year-"))
    me = Learner(folder, seed)
    me.run(start, "init", "--demo")
    me.run(start, "config", "set", "review-share", "0")
    no_reviews = me.json(start, "plan").get("finish")
    me.run(start, "config", "set", "review-share", str(share))
    first = me.json(start, "plan")
    if first.get("day_hours"):
        raise RuntimeError("this simulation assumes one length for every study day")
    study_days = {WEEKDAYS.index(d) for d in first["study_days"]}
    length = round(float(first["weekly_hours"]) * 60) // len(study_days)
    year = Year(start, days, share, length * share // 100, folder=folder)
    year.projected_finish, year.projected_finish_no_reviews = first.get("finish"), no_reviews
    year.weekly_hours = float(first["weekly_hours"])
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() in study_days:
            year.study_day_list.append(day)
            _study_day(me, year, day)
        year.due_count[day] = len(me.json(day, "reviews"))
    return year


def _study_day(me: Learner, year: Year, day: date) -> None:
    plan = me.json(day, "plan")
    if plan.get("finish"):
        year.projections[day] = plan["finish"]
    todays = [
        (item, s)
        for item in plan["items"]
        for s in item["sessions"]
        if s["date"] == day.isoformat()
    ]
    new = [(i, s) for i, s in todays if i["why"] != "review"]
    cards = {c["topic"]: c for c in me.json(day, "reviews", "--all")} if year.share else {}
    if any(i["why"] != "review" for i in plan["items"]):
        planned = [(i["topic"], round(s["hours"] * 60)) for i, s in todays if i["why"] == "review"]
        from_plan = True
    else:  # the plan is done: the learner reviews what is due, within the share
        planned, used = [], 0
        for card in (c for c in cards.values() if c["due"] <= day.isoformat()):
            minutes = min(card["minutes"], year.cap - used)
            if minutes < 10:
                break
            planned.append((card["topic"], minutes))
            used += minutes
        from_plan = False
    for topic, minutes in planned:
        chance = float(cards[topic]["retrievability"])
        rating = me.rating(chance)
        me.run(day, "review", topic, "--rating", rating, "--minutes", str(minutes))
        year.reviews.append(Review(day, topic, minutes, rating, chance, from_plan))
    for item, session in new:
        minutes = round(session["hours"] * 60)
        last = item["sessions"][-1]["date"] == day.isoformat()
        me.run(day, "log-progress", item["topic"], "--minutes", str(minutes), *(["--done"] * last))
        year.study_minutes[day] = year.study_minutes.get(day, 0) + minutes
        if last:
            year.finished.append((day, item["topic"]))


def report(year: Year, control: Year | None, seconds: float) -> str:
    """The figures, as lines for people."""
    per_week = year.reviews_per_week()
    minutes = year.review_minutes_by_day()
    worst_day = max(minutes, key=lambda d: (minutes[d], d)) if minutes else None
    quarter = max(1, len(per_week) // 4)
    weekly_due = year.weekly(year.due_count, "max")
    ratings = Counter(r.rating for r in year.reviews)
    mean_r = sum(r.retrievability for r in year.reviews) / len(year.reviews) if year.reviews else 0
    planned = sum(r.planned for r in year.reviews)
    last = year.last_study_day()
    lines = [
        f"demo learner, {year.days} days from {year.start}, review-share {year.share} % "
        f"(cap {year.cap} min a study day), {seconds:.0f} s",
        f"topics finished: {len(year.finished)}; last day of new study: {last}",
        f"reviews: {len(year.reviews)} ({planned} planned, {len(year.reviews) - planned} "
        f"after the plan); ratings " + ", ".join(f"{r} {ratings.get(r, 0)}" for r in RATINGS),
        f"reviews per week: peak {max(per_week, default=0)}, "
        f"mean {sum(per_week) / max(1, len(per_week)):.2f} over {len(per_week)} weeks; "
        f"review hours in all {sum(minutes.values()) / 60:.1f}",
        f"most review minutes on a day: {minutes.get(worst_day, 0) if worst_day else 0} "
        f"({worst_day}) against a cap of {year.cap}: "
        + ("never exceeded" if max(minutes.values(), default=0) <= year.cap else "EXCEEDED"),
        f"mean retrievability at review time: {mean_r:.3f}",
        f"finish projected on day 1: {year.projected_finish} with reviews, "
        f"{year.projected_finish_no_reviews} with review-share 0",
        f"due-but-unreviewed cards, weekly max: first quarter {max(weekly_due[:quarter])}, "
        f"last quarter {max(weekly_due[-quarter:])}; whole run max {max(weekly_due)}; "
        "backlog "
        + ("grew" if max(weekly_due[-quarter:]) > max(weekly_due[:quarter]) else "did not grow"),
    ]
    if last is not None:
        budget = year.weekly({**year.study_minutes}, "sum")
        weeks = [w for w in range(len(budget)) if year.start + timedelta(days=7 * w + 6) <= last]
        rev_week = year.weekly(minutes, "sum")
        if weeks:
            lines.append(
                f"whole weeks up to the last day of new study: {len(weeks)}; mean hours a week: "
                f"new study {sum(budget[w] for w in weeks) / 60 / len(weeks):.2f}, reviews "
                f"{sum(rev_week[w] for w in weeks) / 60 / len(weeks):.2f} "
                f"(of a budget of {year.weekly_hours:g})"
            )
        idle = [d for d in year.study_day_list if d <= last and d not in year.study_minutes]
        lines.append(f"study days up to then with no new study planned: {len(idle)}")
    if year.projections:
        latest = max(year.projections.values())
        lines.append(
            f"the plan's projected finish moved from {year.projections[min(year.projections)]} "
            f"(day 1) to {latest} at its latest"
        )
    if control is not None:
        other = control.last_study_day()
        delay = (last - other).days if last and other else None
        lines.append(
            f"control (review-share 0, same seed): last day of new study {other}; "
            f"delay reviews cost: {delay} days"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--share", type=int, default=25, help="review-share, in %%")
    parser.add_argument("--no-control", action="store_true", help="skip the review-share 0 run")
    args = parser.parse_args()
    began = time.perf_counter()
    year = simulate(args.days, args.seed, args.share)
    control = None if args.no_control else simulate(args.days, args.seed, 0)
    print(report(year, control, time.perf_counter() - began))


if __name__ == "__main__":
    main()
