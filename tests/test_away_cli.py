"""``gapcli away add|list|remove`` through the CLI, on the demo learner and a frozen clock.

TODAY (conftest) is Monday 2026-11-30; the demo studies 6 h a week on mon, wed, sat.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, dump, rows
from icalendar import Calendar

NEXT_MONDAY = TODAY + timedelta(days=7)
NEXT_SUNDAY = NEXT_MONDAY + timedelta(days=6)


def ok(cli: Any, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def away(cli: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(cli, "away", "list", "--json"))
    return data


def plan_days(cli: Any, *args: str) -> set[date]:
    data = json.loads(ok(cli, "plan", "--json", *args))
    return {date.fromisoformat(s["date"]) for i in data["items"] for s in i["sessions"]}


def refused(cli: Any, db: Path, *args: str) -> str:
    """The command fails with one line on stderr and leaves the database as it was."""
    before = dump(db)
    result = cli(*args)
    assert result.exit_code == 1, result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("gapcli: error: ")
    assert "Traceback" not in result.stderr
    assert dump(db) == before
    return str(result.stderr)


def test_add_list_remove_and_undo(cli: Any, demo: Path) -> None:
    assert away(cli) == []
    assert "No away days" in ok(cli, "away", "list")
    out = ok(cli, "away", "add", NEXT_MONDAY.isoformat(), NEXT_SUNDAY.isoformat(), "-n", "ski")
    assert "7 days" in out
    ok(cli, "away", "add", "2027-07-01", "--note", "  wedding\nin Lyon ")
    assert away(cli) == [
        {
            "id": 1,
            "start": NEXT_MONDAY.isoformat(),
            "end": NEXT_SUNDAY.isoformat(),
            "days": 7,
            "note": "ski",
        },
        {
            "id": 2,
            "start": "2027-07-01",
            "end": "2027-07-01",
            "days": 1,
            "note": "wedding\nin Lyon",
        },
    ]
    table = ok(cli, "away", "list")
    assert "wedding in Lyon" in table  # one line per range
    assert "2 ranges, 8 days away." in table

    ok(cli, "away", "remove", "1")
    assert [r["id"] for r in away(cli)] == [2]
    # Marked removed, never deleted.
    assert rows(demo, "SELECT id, removed_at IS NOT NULL FROM away ORDER BY id") == [
        (1, 1),
        (2, 0),
    ]
    assert "removed away 1" in ok(cli, "undo", "--yes")
    assert [r["id"] for r in away(cli)] == [1, 2]
    assert "added away 2" in ok(cli, "undo", "--yes")
    assert [r["id"] for r in away(cli)] == [1]
    assert rows(demo, "SELECT count(*) FROM away") == [(2,)]
    # A new range never takes the id of one undone.
    ok(cli, "away", "add", "2027-07-01")
    assert [r["id"] for r in away(cli)] == [1, 3]


def test_relative_forms_and_the_longest_range(cli: Any, demo: Path) -> None:
    ok(cli, "away", "add", "-3d", "today")
    ok(cli, "away", "add", "2027-01-01", "2028-01-01", "--note", "x" * 10_000)  # 366 days
    days = [(r["start"], r["days"]) for r in away(cli)]
    assert days == [((TODAY - timedelta(days=3)).isoformat(), 4), ("2027-01-01", 366)]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2026-12-20", "2026-12-10"], "before it starts"),
        (["2027-01-01", "2028-01-02"], "367 days"),
        (["2026-12-09"], "overlaps away 1"),
        (["2026-12-01", "2026-12-31"], "overlaps away 1"),
        (["2026-12-13", "--note", "y" * 10_001], "at most 10000"),
        (["2026-13-01"], "START"),
        (["soon"], "START"),
        (["2026-12-20", "later"], "END"),
        (["1999-12-31"], "too far in the past"),
        (["2040-01-01"], "years ahead"),
    ],
)
def test_bad_ranges_are_refused_in_one_line(
    cli: Any, demo: Path, args: list[str], words: str
) -> None:
    ok(cli, "away", "add", "2026-12-07", "2026-12-12")
    assert words in refused(cli, demo, "away", "add", *args)


def test_removing_an_unknown_or_removed_range(cli: Any, demo: Path) -> None:
    for ident in ("1", "0", str(2**70)):
        assert "no away range" in refused(cli, demo, "away", "remove", ident)
    ok(cli, "away", "add", "2026-12-07")
    ok(cli, "away", "remove", "1")
    assert "no away range with id 1" in refused(cli, demo, "away", "remove", "1")
    # A removed range no longer blocks a new one on its days.
    ok(cli, "away", "add", "2026-12-07")


def test_the_plan_leaves_away_days_empty_and_finishes_later(cli: Any, demo: Path) -> None:
    before = json.loads(ok(cli, "plan", "--json"))
    assert NEXT_MONDAY in plan_days(cli)
    ok(cli, "away", "add", NEXT_MONDAY.isoformat(), (NEXT_MONDAY + timedelta(days=13)).isoformat())
    after = json.loads(ok(cli, "plan", "--json"))
    days = plan_days(cli)
    assert not [d for d in days if NEXT_MONDAY <= d <= NEXT_MONDAY + timedelta(days=13)]
    assert after["finish"] > before["finish"]
    assert after["total_hours"] == before["total_hours"]
    # Today and plan --days agree with it.
    assert str(NEXT_MONDAY) not in ok(cli, "plan", "--days")


def test_away_today_names_the_next_study_day(cli: Any, demo: Path) -> None:
    ok(cli, "away", "add", "today", (TODAY + timedelta(days=2)).isoformat())
    data = json.loads(ok(cli, "today", "--json"))
    assert data["sessions"] == []
    assert data["next_study_day"] == (TODAY + timedelta(days=5)).isoformat()


def test_the_streak_does_not_break_over_away_days(cli: Any, demo: Path) -> None:
    # Study days mon, wed, sat: Monday 23rd and Saturday 28th logged, Wednesday 25th not.
    ok(cli, "log-progress", "ps-distributions", "--minutes", "30", "--date", "2026-11-23")
    ok(cli, "log-progress", "ps-distributions", "--minutes", "30", "--date", "2026-11-28")
    assert json.loads(ok(cli, "history", "--json"))["streak"] == 1
    ok(cli, "away", "add", "2026-11-25")
    assert json.loads(ok(cli, "history", "--json"))["streak"] == 2


def test_the_pace_leaves_away_days_out(cli: Any, demo: Path) -> None:
    # The pace averages Monday 2 November to Sunday 29 November: 3 h in each of the
    # first three weeks, the fourth wholly away, then half of the second away.
    for day in ("2026-11-02", "2026-11-09", "2026-11-16"):
        ok(cli, "log-progress", "ps-distributions", "--hours", "3", "--date", day)
    assert json.loads(ok(cli, "history", "--json"))["pace"] == 2.25
    ok(cli, "away", "add", "2026-11-23", "2026-11-29")
    assert json.loads(ok(cli, "history", "--json"))["pace"] == 3.0
    # Wednesday and Saturday of the second week: 9 h over 2 + 1/3 weeks.
    ok(cli, "away", "add", "2026-11-11", "2026-11-14")
    assert json.loads(ok(cli, "history", "--json"))["pace"] == round(9 / (2 + 1 / 3), 2)


def test_exports_show_away_days_and_import_restores_them(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    ok(cli, "away", "add", "2026-12-07", "2026-12-13", "--note", "ski | *trip*")
    ok(cli, "away", "add", "2027-07-01")
    ok(cli, "away", "add", "2027-08-01")
    ok(cli, "away", "remove", "3")

    markdown = tmp_path / "plan.md"
    ok(cli, "export", "-o", str(markdown))
    text = markdown.read_text()
    assert "## Away days" in text
    assert "- 2026-12-07 to 2026-12-13 (7 days): ski \\| \\*trip\\*" in text
    assert "- 2027-07-01 (1 day)" in text
    assert "2027-08-01" not in text.split("## Away days")[1].split("##")[0]

    ics = tmp_path / "plan.ics"
    ok(cli, "export", "-f", "ics", "-o", str(ics))
    events = [
        e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT") if "away-" in str(e["uid"])
    ]
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (date(2026, 12, 7), date(2026, 12, 14)),
        (date(2027, 7, 1), date(2027, 7, 2)),
    ]

    exported = tmp_path / "plan.json"
    ok(cli, "export", "-f", "json", "-o", str(exported))
    restored = tmp_path / "restored.db"
    out = ok(cli, "--db", str(restored), "import", str(exported))
    assert "2 away ranges" in " ".join(out.split())  # the line wraps where the path falls
    original = away(cli)
    assert json.loads(ok(cli, "--db", str(restored), "away", "list", "--json")) == original
    plan = json.loads(ok(cli, "plan", "--json"))
    assert json.loads(ok(cli, "--db", str(restored), "plan", "--json"))["finish"] == plan["finish"]


def test_an_import_with_overlapping_away_ranges_is_refused(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "plan.json"
    ok(cli, "export", "-f", "json", "-o", str(exported))
    doc = json.loads(exported.read_text())
    doc["records"]["away"] = [
        {"id": 1, "start": "2026-12-07", "end": "2026-12-13", "note": None},
        {"id": 2, "start": "2026-12-13", "end": "2026-12-14", "note": None},
    ]
    exported.write_text(json.dumps(doc))
    result = cli("--db", str(tmp_path / "new.db"), "import", str(exported))
    assert result.exit_code == 1
    assert "records.away.1" in result.stderr and "overlaps" in result.stderr
    assert not (tmp_path / "new.db").exists()
    # An export from before away days (no "away" key) still imports.
    del doc["records"]["away"]
    exported.write_text(json.dumps(doc))
    ok(cli, "--db", str(tmp_path / "old.db"), "import", str(exported))


def test_db_check_counts_away_ranges_and_names_an_inverted_one(cli: Any, demo: Path) -> None:
    import sqlite3
    from contextlib import closing

    ok(cli, "away", "add", "2026-12-07", "2026-12-09")
    assert "1 away row" in ok(cli, "db", "check")
    with closing(sqlite3.connect(demo)) as conn, conn:
        conn.execute("UPDATE away SET \"end\" = '2026-12-01'")
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "1 away range ends before it starts" in result.stdout + result.stderr


def test_no_forecast_after_four_weeks_away_says_so(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "ps-distributions", "--hours", "2", "--date", "2026-10-20")
    ok(cli, "away", "add", "2026-11-02", "2026-11-29")
    data = json.loads(ok(cli, "history", "--json"))
    assert data["pace"] == 0
    forecast = json.loads(ok(cli, "plan", "--json"))["forecast"]
    assert forecast["finish"] is None
    assert "away on every study day" in forecast["reason"]
