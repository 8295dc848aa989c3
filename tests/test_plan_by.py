"""``gapcli plan --by DATE``: the weekly hours that finish by a date (issue 15).

The search is checked as a property over generated catalogs (the planner's own
strategies, tests/test_planner.py): the rate it returns finishes by the date
and a minute a week less does not. Then the command runs on the demo learner.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import test_planner
from conftest import TODAY, dump, meet_every_target
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcli.domain.by_date import hours_for_minutes, least_weekly_minutes
from gapcli.domain.planner import make_plan
from gapcli.errors import InvalidValue


def planned_minutes_of(hours: float) -> int:
    """The weekly minutes the planner plans for ``hours`` (its own rounding)."""
    return math.floor(hours * 60 + 1e-6)


@given(st.integers(1, 24 * 60 * 7))
def test_the_hours_shown_plan_the_same_minutes(minutes: int) -> None:
    hours = hours_for_minutes(minutes)
    assert hours == round(hours, 2)
    assert planned_minutes_of(hours) == minutes


@settings(deadline=None, max_examples=60)
@given(test_planner.cases(), st.integers(0, 400))
def test_the_rate_found_finishes_by_the_date_and_a_minute_less_does_not(
    case: Any, days_ahead: int
) -> None:
    catalog, state, plan_settings, start = case
    by = start + timedelta(days=days_ahead)
    low, high = 30, 24 * 60 * len(plan_settings.study_days)

    def finish_at(minutes: int) -> date:
        try:
            plan = make_plan(
                catalog, state, plan_settings._replace(weekly_hours=minutes / 60), start
            )
        except InvalidValue:  # past the year 9999
            return date.max
        return plan.finish or date.min

    found = least_weekly_minutes(finish_at, by, low, high)
    if found is None:
        assert finish_at(high) > by
        return
    assert low <= found <= high
    assert finish_at(found) <= by
    if found > low:
        assert finish_at(found - 1) > by


def test_the_search_returns_the_floor_when_it_is_enough() -> None:
    assert least_weekly_minutes(lambda m: date(2027, 1, 1), date(2027, 1, 1), 30, 100) == 30
    assert least_weekly_minutes(lambda m: date(2027, 1, 2), date(2027, 1, 1), 30, 100) is None


def test_on_a_monotone_finish_it_is_the_fewest() -> None:
    by = date(2027, 1, 1)
    for need in (30, 31, 77, 99, 100):
        finish = lambda m, need=need: by if m >= need else by + timedelta(days=1)  # noqa: E731
        assert least_weekly_minutes(finish, by, 30, 100) == need


# --- through the CLI, on the demo learner (TODAY is Monday 2026-11-30) ---


def plan_json(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("plan", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def check_by(cli: Any, by: str, *args: str) -> int:
    """``plan --by`` finishes by ``by``, and a minute a week less does not; its minutes."""
    data = plan_json(cli, "--by", by, *args)
    needed = data["weekly_hours_needed"]
    assert data["weekly_hours"] == needed
    assert data["finish"] <= by
    minutes = planned_minutes_of(needed)
    if minutes > 30:
        slower = plan_json(cli, "--weekly-hours", repr((minutes - 1) / 60), *args)
        assert slower["finish"] > by
    return minutes


@pytest.mark.parametrize("by", ["2027-01-15", "2027-03-01", "2027-12-31"])
def test_plan_by_finishes_by_the_date_and_a_minute_less_does_not(
    cli: Any, demo: Path, by: str
) -> None:
    check_by(cli, by)


@settings(
    deadline=None, max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days_ahead=st.integers(30, 1500))
def test_plan_by_holds_for_any_feasible_date(cli: Any, demo: Path, days_ahead: int) -> None:
    """The demo is only read, so one copy serves every example."""
    check_by(cli, (TODAY + timedelta(days=days_ahead)).isoformat())


def test_domain_and_study_days_are_honoured(cli: Any, demo: Path) -> None:
    check_by(cli, "2027-01-31", "--domain", "rag")
    data = plan_json(cli, "--by", "2027-06-30", "--study-days", "tue,sun")
    assert data["study_days"] == ["tue", "sun"]
    days = {s["date"] for i in data["items"] for s in i["sessions"]}
    assert {date.fromisoformat(d).weekday() for d in days} <= {1, 6}


def test_this_weeks_logged_hours_still_come_off(cli: Any, demo: Path) -> None:
    before = check_by(cli, "2027-01-15")
    assert cli("log-progress", "rag", "--hours", "3").exit_code == 0  # not a planned topic
    assert check_by(cli, "2027-01-15") >= before


def test_text_says_the_rate_and_what_a_minute_less_gives(cli: Any, demo: Path) -> None:
    minutes = check_by(cli, "2027-03-01")
    result = cli("plan", "--by", "2027-03-01", "--weeks", "1")
    assert result.exit_code == 0, result.stderr
    first = " ".join(result.stdout.split())  # rich may wrap the line
    assert first.startswith(
        f"To finish by 2027-03-01 on mon,wed,sat: {hours_for_minutes(minutes):g} h a week"
    )
    assert "a minute a week less finishes on 2027-03-" in first
    assert "Finish: 2027-0" in first


def refused(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: ")
    return str(lines[0])


def test_refusals_are_one_line(cli: Any, demo: Path) -> None:
    before = dump(demo)
    assert "in the past" in refused(cli("plan", "--by", "2026-11-29"))
    assert "in the past" in refused(cli("plan", "--by", "yesterday"))
    assert "before the plan's start" in refused(
        cli("plan", "--by", "2027-01-01", "--start", "2027-02-01")
    )
    assert "leave out --weekly-hours" in refused(
        cli("plan", "--by", "2027-06-01", "--weekly-hours", "5")
    )
    assert "bad --by" in refused(cli("plan", "--by", "soon"))
    assert dump(demo) == before


def test_a_date_too_soon_says_what_24_hours_a_day_gives(cli: Any, demo: Path) -> None:
    fastest = plan_json(cli, "--weekly-hours", "72")["finish"]
    message = refused(cli("plan", "--by", "2026-12-05"))
    assert "more than 24 h a day on mon,wed,sat" in message
    assert f"at 24 h a day (72 h a week) the plan finishes on {fastest}" in message
    assert "more than 24 h a day" in refused(cli("plan", "--by", "today"))


def test_nothing_to_finish_needs_no_hours(cli: Any, demo: Path, tmp_path: Path) -> None:
    meet_every_target(cli, tmp_path)
    data = plan_json(cli, "--by", "2027-01-01")
    assert data["weekly_hours_needed"] == 0 and data["items"] == []
    assert data["weekly_hours"] == 6  # the profile's: no rate was needed
