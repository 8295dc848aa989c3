"""``gapcli config`` and ``config set`` through the CLI, on the demo learner.

TODAY (conftest) is Monday 2026-11-30; the demo studies 6 h a week on
mon, wed, sat. Each change appends a ``setting_change`` row; undo takes it back.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import dump, rows

DEMO = {
    "weekly-hours": 6.0,
    "study-days": ["mon", "wed", "sat"],
    "day-hours": None,
    "study-time": "19:00",
    "min-session": 30,
}


def config(cli: Any) -> dict[str, Any]:
    result = cli("config", "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def set_ok(cli: Any, key: str, value: str) -> str:
    result = cli("config", "set", key, value)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out: str = result.stdout
    return out


def refused(cli: Any, *args: str) -> str:
    result = cli("config", "set", *args)
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    line: str = lines[0]
    return line


def plan_json(cli: Any) -> dict[str, Any]:
    result = cli("plan", "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_config_shows_the_profiles_settings(cli: Any, demo: Path) -> None:
    data = config(cli)
    assert {k: data[k] for k in DEMO} == DEMO
    assert data["catalog"] == "ai"
    assert data["track"]
    assert data["history"] == []
    text = cli("config")
    assert text.exit_code == 0, text.stderr
    for key in (*DEMO, "track", "catalog"):
        assert re.search(rf"^{key}\s", text.stdout, re.M), key


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("weekly-hours", "8", 8.0),
        ("weekly-hours", "7.5", 7.5),
        ("study-days", "tue,thu,sat,sun", ["tue", "thu", "sat", "sun"]),
        ("day-hours", "mon=1,sat=4,wed=1", {"mon": 1.0, "wed": 1.0, "sat": 4.0}),
        ("study-time", "7:30", "07:30"),
        ("min-session", "45", 45),
        ("track", "all", "all"),
    ],
)
def test_each_key_is_set_shown_and_undone(
    cli: Any, demo: Path, key: str, value: str, shown: Any
) -> None:
    before = config(cli)
    out = set_ok(cli, key, value)
    assert out.splitlines()[0].startswith(f"{key}: ")
    assert re.search(
        r"^finish (\d{4}-\d{2}-\d{2} -> \d{4}-\d{2}-\d{2}|.*\(no change\))$", out, re.M
    )
    after = config(cli)
    assert after[key] == shown
    assert [(h["key"], h["id"]) for h in after["history"]] == [(key, 1)]
    assert {k: v for k, v in after.items() if k not in (key, "history")} == {
        k: v for k, v in before.items() if k not in (key, "history")
    }
    undone = cli("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert f"set {key}" in undone.stdout
    assert config(cli) == before


def test_the_finish_moves_and_is_printed_before_and_after(cli: Any, demo: Path) -> None:
    finish_before = plan_json(cli)["finish"]
    out = set_ok(cli, "weekly-hours", "12")
    finish_after = plan_json(cli)["finish"]
    assert finish_after < finish_before
    assert f"finish {finish_before} -> {finish_after}" in out.splitlines()
    assert "weekly-hours: 6 -> 12" in out.splitlines()
    # The plan, today and every other reader see the new weekly hours.
    assert plan_json(cli)["weekly_hours"] == 12
    # The same value again: nothing written, said so.
    again = set_ok(cli, "weekly-hours", "12.0")
    assert "already 12" in again
    assert len(config(cli)["history"]) == 1


def test_a_change_that_moves_nothing_says_no_change(cli: Any, demo: Path) -> None:
    out = set_ok(cli, "study-time", "20:15")
    finish = plan_json(cli)["finish"]
    assert f"finish {finish} (no change)" in out.splitlines()


def test_history_is_append_only_and_undo_removes_only_its_row(
    cli: Any, demo: Path, db_path: Path
) -> None:
    profile = rows(db_path, "SELECT * FROM profile")
    set_ok(cli, "weekly-hours", "8")
    set_ok(cli, "weekly-hours", "10")
    set_ok(cli, "min-session", "60")
    history = rows(db_path, "SELECT id, key, value FROM setting_change ORDER BY id")
    assert history == [
        (1, "weekly-hours", "8"),
        (2, "weekly-hours", "10"),
        (3, "min-session", "60"),
    ]
    assert rows(db_path, "SELECT * FROM profile") == profile  # never overwritten in place
    kinds = rows(
        db_path, "SELECT kind FROM change WHERE id IN (SELECT change_id FROM setting_change)"
    )
    assert kinds == [("setting",)] * 3
    assert config(cli)["weekly-hours"] == 10
    assert cli("undo", "--yes").exit_code == 0  # min-session
    assert cli("undo", "--yes").exit_code == 0  # weekly-hours 10: back to 8, not to init's 6
    assert config(cli)["weekly-hours"] == 8
    assert rows(db_path, "SELECT id, key, value FROM setting_change") == [(1, "weekly-hours", "8")]
    assert rows(db_path, "SELECT * FROM profile") == profile


def test_min_session_and_day_hours_reach_the_plan(cli: Any, demo: Path) -> None:
    set_ok(cli, "day-hours", "mon=1,wed=1,sat=4")
    per_day: dict[str, int] = defaultdict(int)
    for item in plan_json(cli)["items"]:
        for session in item["sessions"]:
            per_day[session["date"]] += round(session["hours"] * 60)
    caps = {0: 60, 2: 60, 5: 240}
    weeks: dict[date, int] = defaultdict(int)
    for day, minutes in per_day.items():
        weekday = date.fromisoformat(day).weekday()
        assert minutes <= caps[weekday], (day, minutes)
        weeks[date.fromisoformat(day) - timedelta(days=weekday)] += minutes
    assert max(weeks.values()) <= 6 * 60
    assert any(minutes > 60 for minutes in per_day.values())  # Saturday's 4 h are used
    set_ok(cli, "day-hours", "even")
    assert config(cli)["day-hours"] is None
    set_ok(cli, "min-session", "120")
    sessions = [
        round(s["hours"] * 60)
        for i in plan_json(cli)["items"]
        if i["hours"] * 60 >= 120
        for s in i["sessions"]
    ]
    assert sessions and min(sessions) >= 120


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("weekly-hours", "0.1"), "at least"),
        (("weekly-hours", "200"), "cannot exceed"),
        (("weekly-hours", "lots"), "weekly-hours"),
        (("weekly-hours", "1_0"), "weekly-hours"),
        (("weekly-hours", "80"), "24 h a day"),  # 80 h on three days
        (("study-days", "mon,funday"), "funday"),
        (("study-days", "mon"), "24 h a day"),  # 6 h fit, but day-hours are not set: ok below
        (("day-hours", "mon=25"), "24 hours"),
        (("day-hours", "mon=0"), "more than 0"),
        (("day-hours", "mon=-1"), "more than 0"),
        (("day-hours", "mon=inf"), "more than 0"),
        (("day-hours", "mon=nan"), "more than 0"),
        (("day-hours", "mon"), "mon=1,sat=4"),
        (("day-hours", "mon=1,mon=2"), "twice"),
        (("day-hours", "fri=2"), "not among your study days"),
        (("day-hours", "mon=1,wed=1,sat=1"), "do not fit"),  # 6 h a week in 3 h of days
        (("study-time", "25:00"), "study-time"),
        (("min-session", "5"), "15 to 240"),
        (("min-session", "300"), "15 to 240"),
        (("min-session", "half"), "min-session"),
        (("track", "no-such-track"), "unknown track"),
        (("catalog", "other"), "catalog"),
    ],
)
def test_bad_values_are_refused_in_one_line_and_nothing_is_written(
    cli: Any, demo: Path, db_path: Path, args: tuple[str, str], says: str
) -> None:
    if args == ("study-days", "mon"):
        set_ok(cli, "weekly-hours", "30")  # 30 h on Monday alone: more than a day
    before = dump(db_path)
    assert says in refused(cli, *args)
    assert dump(db_path) == before


def test_unknown_key_says_did_you_mean(cli: Any, demo: Path) -> None:
    assert "did you mean 'weekly-hours'" in refused(cli, "wekly-hours", "8")
    assert "did you mean 'min-session'" in refused(cli, "min-sesion", "45")
    assert "settings: weekly-hours" in refused(cli, "colour", "blue")


def test_day_hours_and_study_days_stay_consistent(cli: Any, demo: Path) -> None:
    set_ok(cli, "day-hours", "mon=1,sat=4")  # wed keeps its even share (2 h): 7 h >= 6 h
    assert "not among your study days" in refused(cli, "study-days", "mon,wed")
    assert "do not fit" in refused(cli, "weekly-hours", "8")
    set_ok(cli, "day-hours", "even")
    set_ok(cli, "study-days", "mon,wed")
    assert config(cli)["study-days"] == ["mon", "wed"]


def test_a_track_can_be_named_and_the_plan_follows(cli: Any, demo: Path) -> None:
    tracks = cli("catalog", "list", "--kind", "tracks", "--json")
    ids = [t["id"] for t in json.loads(tracks.stdout)]
    other = next(t for t in ids if t != config(cli)["track"])
    set_ok(cli, "track", other.upper())  # ids match case-insensitively, stored as the id
    assert config(cli)["track"] == other
    assert cli("plan").exit_code == 0


def test_config_without_a_profile_says_init(cli: Any) -> None:
    result = cli("config")
    assert result.exit_code == 1
    assert "gapcli init" in result.stderr


def test_export_and_import_keep_min_session_and_day_hours(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "me.json"
    plain = cli("export", "-f", "json", "-o", str(out))
    assert plain.exit_code == 0, plain.stderr
    assert "min_session" not in json.loads(out.read_text())["profile"]  # defaults: as before
    set_ok(cli, "min-session", "45")
    set_ok(cli, "day-hours", "mon=1.5,sat=3.25")
    set_ok(cli, "weekly-hours", "6.5")
    assert cli("export", "-f", "json", "-o", str(out), "--force").exit_code == 0
    profile = json.loads(out.read_text())["profile"]
    assert profile["min_session"] == 45
    assert profile["day_hours"] == {"mon": 1.5, "sat": 3.25}
    assert profile["weekly_hours"] == 6.5
    other = tmp_path / "other.db"
    imported = cli("--db", str(other), "import", str(out))
    assert imported.exit_code == 0, imported.stderr
    shown = json.loads(cli("--db", str(other), "config", "--json").stdout)
    mine = config(cli)
    assert {k: shown[k] for k in DEMO} == {k: mine[k] for k in DEMO}
    assert cli("--db", str(other), "plan", "--json").stdout == cli("plan", "--json").stdout
    # An export whose day-hours do not hold is refused in one line.
    profile["day_hours"] = {"mon": 0.5, "sat": 0.5}
    doc = json.loads(out.read_text())
    doc["profile"] = profile
    out.write_text(json.dumps(doc))
    bad = cli("--db", str(tmp_path / "third.db"), "import", str(out))
    assert bad.exit_code == 1
    assert "do not fit" in bad.stderr
    assert len(bad.stderr.splitlines()) == 1
