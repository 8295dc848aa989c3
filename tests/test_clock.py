"""One clock: only gapcli/clock.py reads the system time, and GAPCLI_TODAY moves it."""

from __future__ import annotations

import ast
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gapcli"
CLOCK_MODULE = PACKAGE / "clock.py"

# Calls that read the system clock: (the object, the attribute).
CLOCK_READS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "strftime"),
}


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        if (name.removesuffix("_type"), node.func.attr) in CLOCK_READS:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_only_the_clock_module_reads_the_system_time() -> None:
    offenders = [
        where
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != CLOCK_MODULE
        for where in clock_reads(path)
    ]
    assert offenders == []
    assert clock_reads(CLOCK_MODULE), "the clock module is where the time is read"


def test_no_test_reads_todays_date() -> None:
    """Tests use conftest's TODAY, the day gapcli is pinned to, never the real date."""
    tests = Path(__file__).resolve().parent
    offenders = [
        f"{path.name}:{node.lineno}"
        for path in sorted(tests.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "today"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("date", "datetime")
    ]
    assert offenders == []


def test_gapcli_today_moves_today_for_every_command(cli: Any, demo: Path) -> None:
    pinned = date(2031, 2, 28)
    env = {"GAPCLI_TODAY": pinned.isoformat()}
    assert cli("log-progress", "rag", "--minutes", "40", env=env).exit_code == 0
    history = json.loads(cli("history", "--json", env=env).stdout)
    assert history["to"] == pinned.isoformat()
    assert history["sessions"][-1]["date"] == pinned.isoformat()
    plan = json.loads(cli("plan", "--json", env=env).stdout)
    assert plan["start"] == pinned.isoformat()
    assert date.fromisoformat(plan["items"][0]["sessions"][0]["date"]) >= pinned
    tomorrow = (pinned + timedelta(days=1)).isoformat()
    late = cli("log-progress", "rag", "--minutes", "40", "--date", tomorrow, env=env)
    assert late.exit_code == 1
    assert "future" in late.stderr


@pytest.mark.parametrize(
    "value",
    [
        *("tomorrow", "2026-02-30", "2026-1-1", "20260101", "2026-W49-1", "٢٠٢٦-١١-٣٠", "x" * 500),
        *("9999-12-31", "1969-12-31", "0001-01-01"),  # outside the days it may pin
    ],
)
def test_a_bad_gapcli_today_is_one_line(cli: Any, demo: Path, value: str) -> None:
    before = demo.read_bytes()
    result = cli("log-progress", "rag", "--minutes", "40", env={"GAPCLI_TODAY": value})
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("gapcli: error: ")
    assert "GAPCLI_TODAY" in lines[0]
    assert len(lines[0]) < 200
    assert demo.read_bytes() == before


@pytest.mark.parametrize("day", ["1970-01-01", "9998-12-31"])
def test_every_read_works_on_the_first_and_last_day_it_may_pin(
    cli: Any, demo: Path, day: str
) -> None:
    """A what-if run at the ends of the range either answers or says why, in one line."""
    env = {"GAPCLI_TODAY": day}
    for args in (
        ["today"],
        ["history"],
        ["gaps"],
        ["plan", "--days"],
        ["reviews", "--all"],
        ["assess"],
        ["roadmap"],
        *(["export", "-f", kind] for kind in ("markdown", "json", "csv", "ics")),
    ):
        result = cli(*args, env=env)
        if result.exit_code != 0:
            assert result.exit_code == 1, (args, result.stderr)
            assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
            assert "unexpected" not in result.stderr, (args, result.stderr)


def test_a_low_pace_never_breaks_the_commands_it_decorates(
    cli: Any, demo: Path, today: date
) -> None:
    """The pace falls below what can be planned: gaps, plan and export still work."""
    # two weeks back: inside the four full weeks the pace averages, whatever today's weekday
    long_ago = (today - timedelta(days=15)).isoformat()
    assert cli("log-progress", "la-visual", "--hours", "1.5", "--date", long_ago).exit_code == 0
    assert cli("log-progress", "rag", "--minutes", "45").exit_code == 0
    assert cli("log-progress", "ps-distributions", "--hours", "1", "--done").exit_code == 0
    for args in (
        ["gaps"],
        ["gaps", "--json"],
        ["plan"],
        ["assess"],
        *(["export", "-f", kind] for kind in ("markdown", "json", "csv", "ics")),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    outlook = json.loads(cli("plan", "--json").stdout)["forecast"]
    assert outlook["finish"] is None
    assert "too slow to plan" in outlook["reason"]
    assert "0.4 h/week" in cli("gaps").stdout
