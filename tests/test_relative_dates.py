"""Relative dates (issue 15): ``today``, ``yesterday``, ``-3d``, ``-2w``, ``mon``, ISO.

The parsing is pure (``gapcli.domain.dates``) and checked by properties; every
command that takes a date is then driven through the CLI on a frozen clock.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, dump
from hypothesis import given
from hypothesis import strategies as st

from gapcli.domain.calendar import DAY_NAMES
from gapcli.domain.dates import parse_day
from gapcli.errors import InvalidValue

FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Far enough from the ends of the calendar that -9999999w is the only overflow.
todays = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
relative = st.one_of(
    st.sampled_from(["today", "yesterday", "TODAY", " Yesterday "]),
    st.sampled_from(DAY_NAMES + FULL_NAMES),
    st.integers(0, 3000).map(lambda n: f"-{n}d"),
    st.integers(0, 400).map(lambda n: f"-{n}w"),
)


@given(relative, todays)
def test_every_relative_form_is_a_day_up_to_today(text: str, today: date) -> None:
    day = parse_day(text, today)
    assert day <= today
    assert today - day <= timedelta(days=3000)  # the largest count drawn (400 w is 2800 d)


@given(st.dates(), todays)
def test_iso_dates_round_trip(day: date, today: date) -> None:
    """Any ISO date comes back as itself, ahead of today too (the caller decides)."""
    assert parse_day(day.isoformat(), today) == day


@given(st.sampled_from(range(7)), todays)
def test_a_weekday_is_the_most_recent_such_day(weekday: int, today: date) -> None:
    for name in (DAY_NAMES[weekday], FULL_NAMES[weekday], DAY_NAMES[weekday].upper()):
        day = parse_day(name, today)
        assert day.weekday() == weekday
        assert timedelta(0) <= today - day < timedelta(days=7)  # today when today is one


@given(st.integers(0, 5000), todays)
def test_days_and_weeks_back_count_exactly(n: int, today: date) -> None:
    assert parse_day(f"-{n}d", today) == today - timedelta(days=n)
    assert parse_day(f"-{n}w", today) == today - timedelta(weeks=n)


@given(st.text(max_size=30), todays)
def test_any_text_is_a_day_or_one_refusal(text: str, today: date) -> None:
    """Nothing but a date or :class:`InvalidValue`: no ValueError, no OverflowError."""
    try:
        day = parse_day(text, today, what="--date")
    except InvalidValue as exc:
        assert str(exc).startswith(("bad --date ", "--date "))  # the CLI prints it on one line
    else:
        assert day <= today or text.strip() == day.isoformat()


@pytest.mark.parametrize(
    "text",
    ["tomorrow", "+3d", "3d", "-3", "-d", "-3m", "-٣d", "mo", "next mon", "2026-11", ""],
)
def test_other_text_is_refused_listing_the_forms(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_day(text, TODAY, what="--date")
    message = str(caught.value)
    for form in ("YYYY-MM-DD", "today", "yesterday", "-3d", "-2w", "mon"):
        assert form in message


def test_a_count_past_year_one_is_refused() -> None:
    with pytest.raises(InvalidValue, match="--start '-9999999w' is before the year 1"):
        parse_day("-9999999w", TODAY, what="--start")


# Through the CLI: TODAY is Monday 2026-11-30 unless a test moves it.


def refused(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    return str(result.stderr)


def logged_on(cli: Any, *args: str, env: dict[str, str] | None = None) -> str:
    result = cli("log-progress", "rag", "--minutes", "5", *args, "--json", env=env)
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["date"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-30"),
        ("yesterday", "2026-11-29"),
        ("-3d", "2026-11-27"),
        ("-2w", "2026-11-16"),
        ("mon", "2026-11-30"),  # today is a Monday
        ("fri", "2026-11-27"),
        ("Sunday", "2026-11-29"),
        ("2026-11-02", "2026-11-02"),
    ],
)
def test_log_progress_takes_relative_dates(cli: Any, demo: Path, text: str, expected: str) -> None:
    assert logged_on(cli, "--date", text) == expected


def test_the_frozen_clock_moves_the_relative_dates(cli: Any, demo: Path) -> None:
    wednesday = {"GAPCLI_TODAY": "2026-12-02"}
    assert logged_on(cli, "--date", "mon", env=wednesday) == "2026-11-30"
    assert logged_on(cli, "--date", "wed", env=wednesday) == "2026-12-02"
    assert logged_on(cli, "--date", "thu", env=wednesday) == "2026-11-26"


def test_logs_still_refuse_the_future(cli: Any, demo: Path) -> None:
    before = dump(demo)
    assert "future" in refused(
        cli("log-progress", "rag", "--minutes", "5", "--date", "2026-12-01")
    )
    assert "future" in refused(cli("assess", "rag", "-c", "50", "--date", "2026-12-01"))
    assert "future" in refused(cli("history", "--since", "2026-12-01"))
    assert "tomorrow" in refused(
        cli("log-progress", "rag", "--minutes", "5", "--date", "tomorrow")
    )
    assert dump(demo) == before


def test_history_since_and_edit_take_relative_dates(cli: Any, demo: Path) -> None:
    logged_on(cli, "--date", "-2w")
    logged_on(cli, "--date", "fri")
    recent = json.loads(cli("history", "--since", "-1w", "--json").stdout)
    assert recent["from"] == "2026-11-23"
    assert [s["date"] for s in recent["sessions"]] == ["2026-11-27"]
    session = recent["sessions"][0]["id"]
    assert cli("history", "edit", str(session), "--date", "yesterday").exit_code == 0
    moved = json.loads(cli("history", "--since", "sun", "--json").stdout)
    assert [s["date"] for s in moved["sessions"]] == ["2026-11-29"]
    assert "bad --date" in refused(cli("history", "edit", str(session), "--date", "soon"))


def test_assess_date_takes_relative_dates(cli: Any, demo: Path) -> None:
    result = cli("assess", "rag", "--current", "20", "--date", "-2w")
    assert result.exit_code == 0, result.stderr
    assert "as of 2026-11-16" in result.stdout


def test_plan_and_export_start_take_relative_and_future_dates(cli: Any, demo: Path) -> None:
    def first_day(*args: str) -> str:
        result = cli("plan", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return str(json.loads(result.stdout)["start"])

    assert first_day("--start", "-1w") == "2026-11-23"
    assert first_day("--start", "thu") == "2026-11-26"
    assert first_day("--start", "2027-01-04") == "2027-01-04"  # ISO may be ahead
    exported = cli("export", "--start", "yesterday", "--weeks", "1")
    assert exported.exit_code == 0, exported.stderr
    assert "2026-11-29" in exported.stdout
    assert "bad --start" in refused(cli("plan", "--start", "next week"))
    assert "bad --start" in refused(cli("plan", "--start", "next\nweek"))
