"""The plan's five guarantees, recomputed from the counting model alone.

Shared by the planner's property tests (generated catalogs) and the simulated
year (a real profile driven through the CLI day after day): 1. exactly the
topics needed; 2. prerequisites first; 3. maths first; 4. the calendar (weekly
hours less what was already studied in the start's week, study days, sessions a
person would sit down for, no study day left short without cause); 5. hours
conserved, in whole minutes.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from datetime import date, timedelta

import pytest

from gapcli.domain.catalog import Catalog
from gapcli.domain.counting import (
    covered_hours,
    domain_standing,
    known_topics,
    level_topics,
    math_level,
    math_ok,
)
from gapcli.domain.learner import LearnerState
from gapcli.domain.planner import Plan, PlanSettings

TOL = 1e-6


class Expected:
    def __init__(self, catalog: Catalog, state: LearnerState, plan_settings: PlanSettings) -> None:
        self.catalog = catalog
        self.covered = covered_hours(catalog, state)
        self.known = known_topics(catalog, self.covered)
        self.have = math_level(catalog, self.known)
        self.standing = {
            d.id: domain_standing(catalog, state, self.covered, d) for d in catalog.domains
        }
        self.scope = plan_settings.domains or catalog.track(plan_settings.track).domains
        self.gap_topics = {t for d in self.scope for t in self.standing[d].closing_topics}

    def remaining(self, topic_id: str) -> float:
        return self.catalog.topic_by_id[topic_id].hours - self.covered[topic_id]

    def math_missing(self, domain_id: str) -> list[str]:
        """Uncovered topics of the levels the domain needs, when the learner lacks it."""
        required = self.catalog.domain_by_id[domain_id].math
        if math_ok(self.catalog, required, self.have):
            return []
        return [
            t
            for t in level_topics(self.catalog, required)
            if self.remaining(t) > 0 and self.catalog.domain_of_topic[t] != domain_id
        ]

    def needs(self, topic_id: str) -> set[str]:
        domain = self.catalog.domain_by_id[self.catalog.domain_of_topic[topic_id]]
        out = {r for r in self.catalog.topic_by_id[topic_id].requires if r not in self.known}
        for required in domain.required_domains:
            out |= set(self.standing[required].closing_topics)
        return out | set(self.math_missing(domain.id))

    def closure(self) -> set[str]:
        seen = set(self.gap_topics)
        stack = list(seen)
        while stack:
            for need in self.needs(stack.pop()):
                if need not in seen:
                    seen.add(need)
                    stack.append(need)
        return seen


def check_topics(plan: Plan, want: Expected, state: LearnerState) -> None:
    """Guarantee 1: exactly the gap topics and what they need, each once, none known."""
    catalog = want.catalog
    planned = [i.topic for i in plan.items]
    assert len(planned) == len(set(planned)), "a topic is planned twice"
    assert want.gap_topics <= set(planned), "a gap topic is missing"
    assert not set(planned) & want.known, "a known or done topic is planned"
    assert not set(planned) & state.done
    assert set(planned) == want.closure(), "planned topics are not exactly gaps and their needs"
    for item in plan.items:
        # Whole minutes, rounded up: never less than what is left, never a minute more.
        assert item.hours * 60 == pytest.approx(round(item.hours * 60), abs=TOL)
        assert item.hours >= want.remaining(item.topic) - TOL
        assert item.hours < want.remaining(item.topic) + 1 / 60 + TOL
        assert item.hours > 0
        assert item.domain == catalog.domain_of_topic[item.topic]
        assert (item.why == "gap") == (item.topic in want.gap_topics)
        if item.why == "math":
            assert any(item.topic in m.topics for m in catalog.math_levels)


def check_order(plan: Plan, want: Expected) -> None:
    """Guarantees 2 and 3: prerequisites, then the maths a domain needs, come first."""
    catalog = want.catalog
    pos = {item.topic: i for i, item in enumerate(plan.items)}
    first_of: dict[str, int] = {}
    for item in plan.items:
        first_of.setdefault(item.domain, pos[item.topic])
        for required in catalog.topic_by_id[item.topic].requires:
            assert required in want.known or pos[required] < pos[item.topic], (
                f"{item.topic} before its prerequisite {required}"
            )
        for required_domain in catalog.domain_by_id[item.domain].required_domains:
            for closing in want.standing[required_domain].closing_topics:
                assert pos[closing] < pos[item.topic], (
                    f"{item.topic} before {closing}, which closes prerequisite {required_domain}"
                )
    for domain_id, first in first_of.items():
        for math_topic in want.math_missing(domain_id):
            assert pos[math_topic] < first, f"{domain_id} starts before its maths {math_topic}"


class Week:
    """The calendar rules in minutes, as the README states them (rule 3 of issue 14).

    The weekly hours are a hard cap; a study day is their even share, but at
    least two minimum sessions and at most 24 hours; the minimum session only
    shrinks when a whole week holds less than two of them.
    """

    def __init__(self, plan: Plan) -> None:
        settings = plan.settings
        self.days = set(settings.study_days)
        self.week = math.floor(settings.weekly_hours * 60 + 1e-6)
        self.shortest = max(1, min(settings.min_session_minutes, self.week // 2))
        self.day = min(24 * 60, max(self.week // len(self.days), 2 * self.shortest))


def minutes(hours: float) -> int:
    whole = round(hours * 60)
    assert hours * 60 == pytest.approx(whole, abs=TOL), f"{hours} h is not whole minutes"
    return whole


def check_calendar(plan: Plan, want: Expected) -> None:
    rules = Week(plan)
    days = rules.days
    per_day: dict[date, int] = defaultdict(int)
    previous = plan.start
    for item in plan.items:
        assert item.sessions, f"{item.topic} has no session"
        whole = minutes(item.hours)
        parts = [minutes(b.hours) for b in item.sessions]
        assert sum(parts) == whole, f"{item.topic}: sessions do not add up to its time"
        assert item.hours == pytest.approx(want.remaining(item.topic), abs=1 / 60 + TOL)
        if whole <= rules.day:  # fits in one study day: one sitting
            assert len(parts) == 1, f"{item.topic} fits in a day but is split {parts}"
        assert len({b.day for b in item.sessions}) == len(parts), "a topic twice on one day"
        for part in parts:  # no crumbs: a short session only for a short topic, whole
            assert part >= rules.shortest or parts == [whole], f"{item.topic}: crumb {parts}"
        for block in item.sessions:
            assert block.hours > 0
            assert block.day >= previous, "sessions out of date order"
            assert block.day.weekday() in days, f"study on a non-study day {block.day}"
            previous = block.day
            per_day[block.day] += minutes(block.hours)
    if not plan.items:
        assert plan.finish is None
        return
    weeks: dict[date, int] = defaultdict(int)
    for day, used in per_day.items():
        assert used <= rules.day <= 24 * 60, f"{day} holds {used} minutes"
        weeks[day - timedelta(days=day.weekday())] += used
    assert max(weeks.values()) <= rules.week <= plan.settings.weekly_hours * 60 + TOL
    # The week of the start holds only what the hours studied in it left (rule 4).
    studied = math.ceil(plan.settings.used_this_week * 60 - 1e-6)
    start_monday = plan.start - timedelta(days=plan.start.weekday())
    assert weeks.get(start_monday, 0) <= max(0, rules.week - studied), "this week's hours ignored"
    first, last = min(per_day), max(per_day)
    assert first >= plan.start
    # No study day is left short without cause, from the start on (so no idle study
    # day before the first session unless the start's week is used up): the time
    # still free on it (within the day and the week so far) is less than the next
    # session, which had to wait.
    flat = [(b.day, minutes(b.hours)) for i in plan.items for b in i.sessions]
    session_days = [d for d, _ in flat]
    day, spent_week, monday = plan.start, studied, start_monday
    while day < last:
        if day - timedelta(days=day.weekday()) != monday:
            monday, spent_week = day - timedelta(days=day.weekday()), 0
        if day.weekday() in days:
            spent_week += per_day.get(day, 0)
            free = min(rules.day - per_day.get(day, 0), rules.week - spent_week)
            later = flat[bisect.bisect_right(session_days, day)][1]
            assert free < later, f"{day} left {free} minutes free before a {later}-minute session"
        day += timedelta(days=1)
    assert plan.finish == last
    assert plan.total_hours == pytest.approx(sum(per_day.values()) / 60, abs=TOL)
    for domain_id in plan.targets:  # a target is reached when its closing topics are studied
        closing = want.standing[domain_id].closing_topics
        ends = [i.sessions[-1].day for i in plan.items if i.topic in closing]
        assert plan.domain_finish[domain_id] == max(ends)
    assert set(plan.targets) == {d for d in want.scope if want.standing[d].closing_topics}


def check_plan(catalog: Catalog, state: LearnerState, settings: PlanSettings, plan: Plan) -> None:
    """All five guarantees at once."""
    want = Expected(catalog, state, settings)
    check_topics(plan, want, state)
    check_order(plan, want)
    check_calendar(plan, want)
