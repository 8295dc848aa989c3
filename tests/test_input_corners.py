"""Input that looks almost right must be refused, not read as something else.

Python's parsers are generous: ``float("1_0")`` is 10, ``int("٠٧")`` is 7 and
3.11's ``date.fromisoformat`` takes ``20240229`` and ``2024-W01-1``. gapcli
says YYYY-MM-DD and HH:MM and means it; a refusal quotes the input, but never
all of a very long one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import dump, rows


def refused(result: Any, code: int = 1) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return str(result.stderr)


@pytest.mark.parametrize("at", ["٠٧:٣٠", "０７:３０", "07:٣٠"])
def test_study_time_takes_ascii_digits_only(cli: Any, db_path: Path, at: str) -> None:
    """``init --at ٠٧:٣٠`` stored '07:٣٠' (str.isdigit() takes Arabic-Indic digits)."""
    assert "HH:MM" in refused(cli("init", "--at", at))
    assert not db_path.exists()


def test_export_time_takes_ascii_digits_only(cli: Any, demo: Path) -> None:
    assert "HH:MM" in refused(cli("export", "-f", "ics", "--at", "١٩:٠٠"))


@pytest.mark.parametrize("day", ["20261101", "2026-W44-1", "2026-305", "２０２６-11-01"])
def test_dates_are_yyyy_mm_dd_only(cli: Any, demo: Path, day: str) -> None:
    before = dump(demo)
    for args in (
        ["log-progress", "rag", "--minutes", "5", "--date", day],
        ["assess", "rag", "--current", "50", "--date", day],
        ["history", "--since", day],
        ["plan", "--start", day],
    ):
        assert "YYYY-MM-DD" in refused(cli(*args)), args
    assert dump(demo) == before


@pytest.mark.parametrize(
    "args",
    [
        ["log-progress", "rag", "--hours", "1_0"],
        ["log-progress", "rag", "--minutes", "١٠"],
        ["plan", "--weekly-hours", "1_0"],
        ["plan", "--weeks", "1_0"],
        ["export", "--weeks", "٢"],
        ["history", "remove", "١", "--yes"],
        ["history", "edit", "1", "--hours", "0_5"],
    ],
    ids=lambda args: " ".join(args),
)
def test_numbers_take_plain_digits_only(cli: Any, demo: Path, args: list[str]) -> None:
    """``--hours 1_0`` logged ten hours: a typo must be a usage error, not another number."""
    before = dump(demo)
    assert "digits 0-9" in refused(cli(*args), code=2)
    assert dump(demo) == before


def test_weeks_must_still_be_at_least_one(cli: Any, demo: Path) -> None:
    assert "at least 1" in refused(cli("plan", "--weeks", "0"), code=2)


def test_init_weekly_hours_take_plain_digits_only(cli: Any, db_path: Path) -> None:
    refused(cli("init", "--weekly-hours", "1_0"), code=2)
    assert not db_path.exists()


def test_percentages_take_plain_digits_only(cli: Any, demo: Path) -> None:
    before = dump(demo)
    assert "0 to 100" in refused(cli("assess", "rag", "--current", "8_5"))
    assert dump(demo) == before


def test_plain_numbers_still_work(cli: Any, demo: Path) -> None:
    result = cli("log-progress", "rag", "--hours", " 1.5", "--date", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    assert cli("plan", "--weeks", "2", "--weekly-hours", "1e1").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["log-progress", "ID", "--minutes", "5"],
        ["catalog", "show", "ID"],
        ["assess", "ID", "--current", "5"],
        ["plan", "--domain", "ID"],
        ["log-progress", "rag", "--minutes", "5", "--date", "ID"],
        ["plan", "--study-days", "ID"],
        ["assess", "rag", "--current", "ID"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_very_long_input_is_not_echoed_whole(cli: Any, demo: Path, args: list[str]) -> None:
    long = "x" * 100_000
    stderr = refused(cli(*[long if a == "ID" else a for a in args]))
    [line] = stderr.splitlines()
    assert len(line) < 400, len(line)
    assert "100,000 characters" in line


def test_history_edit_shows_minutes_as_minutes(cli: Any, demo: Path) -> None:
    """A 10-minute session was shown as '0.166667 h'."""
    assert cli("log-progress", "rag", "--minutes", "5").exit_code == 0
    [(session,)] = rows(demo, "SELECT max(id) FROM study_session")
    result = cli("history", "edit", str(session), "--minutes", "10")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "rag 5 min -> session" in text
    assert text.endswith("rag 10 min")
    result = cli("history", "edit", str(session), "--minutes", "90")
    assert " ".join(result.stdout.split()).endswith("rag 1 h 30 min")


def test_a_range_from_year_one_prints_its_date_in_full(cli: Any, demo: Path) -> None:
    """strftime's %Y writes year 1 as "1": the heading printed "from 1-01-01"."""
    result = cli("history", "--since", "0001-01-01")
    assert result.exit_code == 0, result.stderr
    assert "from 0001-01-01 to " in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["log-progress", "la-visual", "--minutes", "30", "--date", ""],
        ["log-progress", "la-visual", "--minutes", "30", "--date", " "],
        ["export", "--start", ""],
        ["plan", "--start", ""],
        ["plan", "--json", "--start", ""],
    ],
)
def test_an_empty_date_is_refused_not_read_as_today(cli: Any, demo: Path, args: list[str]) -> None:
    before = dump(demo)
    assert "--" in refused(cli(*args))
    assert dump(demo) == before


@pytest.mark.parametrize(("days", "says"), [("", "no study days"), ("mon,Mon", "twice")])
def test_study_days_must_name_each_day_once(cli: Any, db_path: Path, days: str, says: str) -> None:
    """An empty list used to mean the default days, and 'mon,mon' one Monday, silently."""
    assert says in refused(cli("init", "--study-days", days))
    assert not db_path.exists()
    assert cli("init").exit_code == 0
    before = dump(db_path)
    assert says in refused(cli("config", "set", "study-days", days))
    assert dump(db_path) == before


def test_minutes_are_whole_and_hours_round_half_up(cli: Any, demo: Path) -> None:
    """'--minutes 1.5' was stored as 2 minutes while '--minutes 0.5' was refused."""
    before = dump(demo)
    assert "whole" in refused(cli("log-progress", "rag", "--minutes", "1.5"))
    assert dump(demo) == before
    assert cli("log-progress", "rag", "--hours", "0.025").exit_code == 0  # 1.5 min
    assert rows(demo, "SELECT minutes FROM study_session") == [(2,)]


def test_a_negative_setting_is_refused_for_its_value(cli: Any, demo: Path) -> None:
    """'-1' was taken for an unknown option (exit 2, 'No such option: -1')."""
    before = dump(demo)
    assert "weekly hours" in refused(cli("config", "set", "weekly-hours", "-1"))
    assert dump(demo) == before


def test_a_plan_started_at_the_end_of_time_says_what_to_change(cli: Any, demo: Path) -> None:
    error = refused(cli("plan", "--start", "9999-12-31"))
    assert "start it earlier" in error and len(error.splitlines()) == 1


def test_history_says_the_pace_is_not_measured_yet(cli: Any, demo: Path) -> None:
    """Before two weeks of history, ``plan`` says no forecast; ``history`` said 0 h/week."""
    assert cli("log-progress", "rag", "--minutes", "30").exit_code == 0
    text = cli("history").stdout
    assert "Pace: not measured yet: it needs two weeks of history" in " ".join(text.split())


def test_an_option_given_twice_is_refused(cli: Any, demo: Path) -> None:
    """click keeps the last of two: '--hours 1 --hours 2' stored 2 h without a word."""
    before = dump(demo)
    for args in (
        ["log-progress", "rag", "--hours", "1", "--hours", "2"],
        ["log-progress", "rag", "--minutes", "5", "--date", "2026-11-01", "--date=2026-11-02"],
        ["--db", str(demo), "--db", str(demo), "log-progress", "rag", "--minutes", "5"],
    ):
        assert "given more than once" in refused(cli(*args), code=2), args
    assert dump(demo) == before


def test_a_value_like_an_option_and_a_repeatable_option_still_work(cli: Any, demo: Path) -> None:
    logged = cli("log-progress", "rag", "--note", "--hours", "--hours", "1")
    assert logged.exit_code == 0, logged.stderr
    assert rows(demo, "SELECT minutes, note FROM study_session") == [(60, "--hours")]
    planned = cli("plan", "--domain", "rag", "--domain", "llm-concepts", "--json")
    assert planned.exit_code == 0, planned.stderr
