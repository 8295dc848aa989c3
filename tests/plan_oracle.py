"""The plan's guarantees, recomputed from the counting model alone.

Shared by the planner's property tests (generated catalogs) and the simulated
year (a real profile driven through the CLI day after day): 1. exactly the
recommended steps, the gap topics and what they need; 2. prerequisites first;
3. maths first; 4. the calendar (weekly hours less what was already studied in
the start's week, study days, sessions a person would sit down for, no study
day left short without cause); 5. hours conserved, in whole minutes; 6. the
order a curriculum designer would give (steps first, then larger gaps, needs
just in time).
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
from gapcli.domain.planner import Plan, PlanItem, PlanSettings

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
        only = set(plan_settings.domains)
        self.steps = (
            [
                t
                for step in catalog.steps(plan_settings.track)
                for t in step.ids
                if self.remaining(t) > 0 and (not only or catalog.domain_of_topic[t] in only)
            ]
            if self.gap_topics
            else []
        )
        # The order the learner is promised: the steps, then the gap topics, the
        # larger gap first, the track's order breaking ties, teaching order inside.
        track = list(catalog.track(plan_settings.track).domains)
        place = {d: track.index(d) if d in track else len(track) for d in self.scope}
        ranked = sorted(
            dict.fromkeys(self.scope), key=lambda d: (-round(self.standing[d].gap, 6), place[d])
        )
        self.wanted = list(
            dict.fromkeys(
                [*self.steps, *(t for d in ranked for t in self.standing[d].closing_topics)]
            )
        )

    def remaining(self, topic_id: str) -> float:
        return self.catalog.topic_by_id[topic_id].hours - self.covered[topic_id]

    def math_missing(self, topic_id: str) -> list[str]:
        """Uncovered topics of the levels the topic needs, when the learner lacks it."""
        required = self.catalog.topic_math(topic_id)
        if math_ok(self.catalog, required, self.have):
            return []
        domain_id = self.catalog.domain_of_topic[topic_id]
        return [
            t
            for t in level_topics(self.catalog, required)
            if self.remaining(t) > 0 and self.catalog.domain_of_topic[t] != domain_id
        ]

    def domain_part(self, domain_id: str, to: int | None) -> set[str]:
        """The topics of a prerequisite domain that a domain needs: up to ``to`` % or target."""
        if to is None:
            return set(self.standing[domain_id].closing_topics)
        return closing_by_hours(self, domain_id, to)

    def needs(self, topic_id: str) -> set[str]:
        domain = self.catalog.domain_by_id[self.catalog.domain_of_topic[topic_id]]
        out = {r for r in self.catalog.topic_by_id[topic_id].requires if r not in self.known}
        for required, to in domain.needs:
            out |= self.domain_part(required, to)
        return out | set(self.math_missing(topic_id))

    def all_needs(self, topic_id: str) -> set[str]:
        """Everything a topic needs, transitively."""
        return self.reach({topic_id}) - {topic_id}

    def closure(self) -> set[str]:
        """The steps, the gap topics and everything they need."""
        return self.reach(set(self.gap_topics) | set(self.steps))

    def reach(self, start: set[str]) -> set[str]:
        seen = set(start)
        stack = list(seen)
        while stack:
            for need in self.needs(stack.pop()):
                if need not in seen:
                    seen.add(need)
                    stack.append(need)
        return seen


def closing_by_hours(want: Expected, domain_id: str, to: int) -> set[str]:
    """The uncovered topics, in teaching order, until the domain's covered share reaches ``to``."""
    domain = want.catalog.domain_by_id[domain_id]
    reached = sum(want.covered[t.id] for t in domain.topics) / domain.hours * 100
    out: set[str] = set()
    for topic in domain.topics:
        if reached >= to - 1e-9:
            break
        left = want.remaining(topic.id)
        if left > 0:
            out.add(topic.id)
            reached += left / domain.hours * 100
    return out


def check_topics(plan: Plan, want: Expected, state: LearnerState) -> None:
    """Guarantee 1: exactly the gap topics and what they need, each once, none known."""
    plan, _ = split_reviews(plan)
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
        if item.why == "recommended":
            assert item.topic in want.steps


def check_order(plan: Plan, want: Expected) -> None:
    """Guarantees 2 and 3: prerequisites, then the maths a domain needs, come first."""
    plan, _ = split_reviews(plan)
    catalog = want.catalog
    pos = {item.topic: i for i, item in enumerate(plan.items)}
    first_of: dict[str, int] = {}
    for item in plan.items:
        first_of.setdefault(item.domain, pos[item.topic])
        for required in catalog.topic_by_id[item.topic].requires:
            assert required in want.known or pos[required] < pos[item.topic], (
                f"{item.topic} before its prerequisite {required}"
            )
        for required_domain, to in catalog.domain_by_id[item.domain].needs:
            for closing in want.domain_part(required_domain, to):
                assert pos[closing] < pos[item.topic], (
                    f"{item.topic} before {closing}, which it needs of {required_domain}"
                )
        for math_topic in want.math_missing(item.topic):
            assert pos[math_topic] < pos[item.topic], f"{item.topic} before its maths {math_topic}"


def check_curriculum_order(plan: Plan, want: Expected) -> None:
    """Guarantee 6: the steps and larger gaps first; what they need just in time.

    A wanted topic (a step or a gap topic) is planned before the ones ranked
    after it, unless one ranked no later needs it. A pulled-in topic is not
    planned ahead of the wanted topics ranked before the first one that needs
    it: maths and prerequisites come when they are needed, not weeks early.
    """
    plan, _ = split_reviews(plan)
    pos = {item.topic: i for i, item in enumerate(plan.items)}
    rank = {t: i for i, t in enumerate(want.wanted)}
    needed_by_rank: list[set[str]] = []  # per rank: what the wanted topics up to it need
    acc: set[str] = set()
    for topic_id in want.wanted:
        acc = acc | want.all_needs(topic_id)
        needed_by_rank.append(acc)
    for a in want.wanted:
        for b in want.wanted:
            if rank[a] < rank[b] and pos[b] < pos[a]:
                assert b in needed_by_rank[rank[a]], f"{b} is planned before {a}, ranked earlier"
    for item in plan.items:
        if item.topic in rank:
            continue
        first = next(t for t in want.wanted if item.topic in want.all_needs(t))
        for earlier in want.wanted[: rank[first]]:
            if item.topic not in want.all_needs(earlier):
                assert pos[earlier] < pos[item.topic], (
                    f"{item.topic} (needed first by {first}) is planned before {earlier}"
                )


class Week:
    """The calendar rules in minutes, as the README states them (rule 3 of issue 14).

    The weekly hours are a hard cap; a study day is their even share, but at
    least two minimum sessions and at most 24 hours; the minimum session only
    shrinks when a whole week holds less than two of them. With ``day_minutes``
    (``config set day-hours``) each weekday has its own length instead.
    """

    def __init__(self, plan: Plan) -> None:
        settings = plan.settings
        self.days = set(settings.study_days)
        self.week = math.floor(settings.weekly_hours * 60 + 1e-6)
        self.shortest = max(1, min(settings.min_session_minutes, self.week // 2))
        self.own: dict[int, int] | None = None
        if settings.day_minutes is None:
            self.day = min(24 * 60, max(self.week // len(self.days), 2 * self.shortest))
        else:
            # Each weekday its own length, at most 24 h and the week; the longest
            # decides what fits in one sitting, and the minimum session fits twice in it.
            given = settings.day_minutes
            self.own = {d: min(24 * 60, self.week, given[d]) for d in self.days}
            self.day = max(self.own.values())
            self.shortest = max(1, min(self.shortest, self.day // 2))

    def length(self, day: date) -> int:
        """A study day's length: its own, or the even share."""
        return self.day if self.own is None else self.own[day.weekday()]


def split_reviews(plan: Plan) -> tuple[Plan, tuple[PlanItem, ...]]:
    """The plan's new study, and its reviews (issue 17) apart."""
    reviews = tuple(i for i in plan.items if i.why == "review")
    return plan._replace(items=tuple(i for i in plan.items if i.why != "review")), reviews


def room(plan: Plan) -> int:
    """What a study day leaves new study once there are cards: the planner's ``room``."""
    day = Week(plan).day
    return day - day * plan.settings.review_share // 100


def minutes(hours: float) -> int:
    whole = round(hours * 60)
    assert hours * 60 == pytest.approx(whole, abs=TOL), f"{hours} h is not whole minutes"
    return whole


def check_calendar(plan: Plan, want: Expected) -> None:
    """Guarantee 4 on the new study; its reviews share its days, weeks and budget.

    With reviews in the plan (issue 17) a day may keep minutes for reviews that
    wait, and a topic that fits in a day but not in what the review share leaves
    of it may be cut: once there are cards (finished topics', or the first topic
    the plan finishes), "no day left short" is not checked, and "one sitting"
    holds for the topics that fit in that room.
    """
    plan, reviews = split_reviews(plan)
    rules = Week(plan)
    days = rules.days
    away = plan.settings.away  # issue 15: away days are not study days
    share = plan.settings.review_share
    no_cards = not (plan.settings.cards and share)
    # The day the first card appears: before it, a plan keeps every rule of issue 14.
    strict_until = (
        date.max
        if not share
        else plan.items[0].sessions[-1].day
        if no_cards and plan.items
        else plan.start
    )
    per_day: dict[date, int] = defaultdict(int)
    for item in reviews:
        for block in item.sessions:
            per_day[block.day] += minutes(block.hours)
    study_minutes = 0
    previous = plan.start
    for item in plan.items:
        assert item.sessions, f"{item.topic} has no session"
        whole = minutes(item.hours)
        parts = [minutes(b.hours) for b in item.sessions]
        assert sum(parts) == whole, f"{item.topic}: sessions do not add up to its time"
        assert item.hours == pytest.approx(want.remaining(item.topic), abs=1 / 60 + TOL)
        # Fits in one study day (in what reviews leave of it, once there are cards):
        # one sitting.
        fits = rules.day if (not share or (no_cards and item is plan.items[0])) else room(plan)
        if whole <= fits:
            assert len(parts) == 1, f"{item.topic} fits in a day but is split {parts}"
        assert len({b.day for b in item.sessions}) == len(parts), "a topic twice on one day"
        for part in parts:  # no crumbs: a short session only for a short topic, whole
            assert part >= rules.shortest or parts == [whole], f"{item.topic}: crumb {parts}"
        for block in item.sessions:
            assert block.hours > 0
            assert block.day >= previous, "sessions out of date order"
            assert block.day.weekday() in days, f"study on a non-study day {block.day}"
            assert block.day not in away, f"study on an away day {block.day}"
            previous = block.day
            per_day[block.day] += minutes(block.hours)
            study_minutes += minutes(block.hours)
    if not plan.items:
        assert plan.finish is None
        return
    weeks: dict[date, int] = defaultdict(int)
    # What was studied on the start day itself comes off that day (rule 4).
    studied_today = math.ceil(plan.settings.used_today * 60 - 1e-6)

    def before(day: date) -> int:
        return studied_today if day == plan.start else 0

    for day, used in per_day.items():
        assert used + before(day) <= rules.length(day) <= 24 * 60, f"{day} holds {used} min"
        weeks[day - timedelta(days=day.weekday())] += used
    assert max(weeks.values()) <= rules.week <= plan.settings.weekly_hours * 60 + TOL
    # The week of the start holds only what the hours studied in it left (rule 4).
    studied = math.ceil(plan.settings.used_this_week * 60 - 1e-6)
    start_monday = plan.start - timedelta(days=plan.start.weekday())
    assert weeks.get(start_monday, 0) <= max(0, rules.week - studied), "this week's hours ignored"
    first = min(per_day)
    last = max(b.day for i in plan.items for b in i.sessions)
    assert first >= plan.start
    # No study day is left short without cause, from the start on (so no idle study
    # day before the first session unless the start's week is used up): the time
    # still free on it (within the day and the week so far) is less than the next
    # session, which had to wait.
    flat = [(b.day, minutes(b.hours)) for i in plan.items for b in i.sessions]
    session_days = [d for d, _ in flat]
    day, spent_week, monday = plan.start, studied, start_monday
    while day < min(last, strict_until):
        if day - timedelta(days=day.weekday()) != monday:
            monday, spent_week = day - timedelta(days=day.weekday()), 0
        if day.weekday() in days and day not in away:
            spent_week += per_day.get(day, 0)
            left = rules.length(day) - per_day.get(day, 0) - before(day)
            free = min(left, rules.week - spent_week)
            later = flat[bisect.bisect_right(session_days, day)][1]
            assert free < later, f"{day} left {free} minutes free before a {later}-minute session"
        day += timedelta(days=1)
    assert plan.finish == last
    assert plan.total_hours == pytest.approx(study_minutes / 60, abs=TOL)
    for domain_id in plan.targets:  # a target is reached when its closing topics are studied
        closing = want.standing[domain_id].closing_topics
        ends = [i.sessions[-1].day for i in plan.items if i.topic in closing]
        assert plan.domain_finish[domain_id] == max(ends)
    assert set(plan.targets) == {d for d in want.scope if want.standing[d].closing_topics}


def check_reviews(plan: Plan, state: LearnerState) -> None:
    """Issue 17: reviews of finished topics only, one sitting each, within the day's share.

    A finished topic is one marked done before the plan, or one the plan has
    finished on an earlier day.
    """
    study, reviews = split_reviews(plan)
    rules = Week(plan)
    share = plan.settings.review_share
    per_day: dict[date, int] = defaultdict(int)
    cards = {c.topic for c in plan.settings.cards}
    finished = {i.topic: i.sessions[-1].day for i in study.items}
    for item in reviews:
        assert len(item.sessions) == 1
        block = item.sessions[0]
        if item.topic in finished:
            assert block.day > finished[item.topic], f"review of {item.topic} before its end"
        else:
            assert item.topic in cards and item.topic in state.done, f"review of {item.topic}"
        assert block.day.weekday() in rules.days and block.day not in plan.settings.away
        assert block.day >= plan.start
        per_day[block.day] += minutes(block.hours)
    for day, used in per_day.items():
        assert used <= rules.length(day) * share // 100, f"{day}: {used} minutes of reviews"


def check_plan(catalog: Catalog, state: LearnerState, settings: PlanSettings, plan: Plan) -> None:
    """All six guarantees at once; reviews (issue 17) are checked apart from new study."""
    want = Expected(catalog, state, settings)
    check_topics(plan, want, state)
    check_order(plan, want)
    check_curriculum_order(plan, want)
    check_calendar(plan, want)
    check_reviews(plan, state)
