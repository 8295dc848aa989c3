"""``gapcli plan`` wiring: the JSON shape, options, refusals and notices.

The planner's guarantees are tested without the CLI in tests/test_planner.py;
here the command runs on the built-in catalog (the demo learner) and on a
small custom catalog written to a tmp dir.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from gapcli.services.catalogs import load_catalog

START = "2026-11-23"  # a Monday


def plan_json(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("plan", "--json", "--start", START, *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- the built-in catalog and the demo learner ---


def test_json_shape_is_pinned(cli: Any, demo: Path) -> None:
    result = cli("plan", "--json", "--start", START)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {
        "start",
        "weekly_hours",
        "study_days",
        "track",
        "advice",  # the track's advice beyond topics (catalog text; [] when it has none)
        "finish",
        "total_hours",
        "review_hours",
        "items",
        "domains",
        "forecast",
    }
    assert isinstance(data["advice"], list)
    assert set(data["forecast"]) == {"pace", "planned_weekly_hours", "finish", "reason", "behind"}
    assert data["forecast"]["finish"] is None and data["forecast"]["reason"]  # nothing logged
    assert data["start"] == START
    assert data["weekly_hours"] == 6.0 and isinstance(data["weekly_hours"], float)
    assert data["study_days"] == ["mon", "wed", "sat"]
    assert data["track"] == "ai-engineer-gaps"
    assert isinstance(data["total_hours"], int | float) and data["total_hours"] > 0
    assert data["items"], "the demo learner has gaps"
    for item in data["items"]:
        assert set(item) == {"topic", "name", "domain", "hours", "why", "reason", "sessions"}
        assert item["why"] in {"gap", "prerequisite", "math", "recommended", "review"}
        assert isinstance(item["reason"], str) and item["reason"]
        assert isinstance(item["hours"], int | float) and item["hours"] > 0
        assert item["sessions"]
        for session in item["sessions"]:
            assert set(session) == {"date", "hours"}
            date.fromisoformat(session["date"])
            assert session["hours"] > 0
    for entry in data["domains"]:
        assert set(entry) == {"id", "finish", "in_track", "reaches_target"}
        date.fromisoformat(entry["finish"])
    date.fromisoformat(data["finish"])


def test_items_in_study_order_and_sessions_in_date_order(cli: Any, demo: Path) -> None:
    data = plan_json(cli)
    catalog = load_catalog().catalog
    # Every item in the order it begins; reviews (issue 17) fall among the new study.
    firsts = [i["sessions"][0]["date"] for i in data["items"]]
    assert firsts == sorted(firsts)
    reviews = [i for i in data["items"] if i["why"] == "review"]
    study = [i for i in data["items"] if i["why"] != "review"]
    assert reviews and all(len(r["sessions"]) == 1 for r in reviews)
    planned = [i["topic"] for i in study]
    seen: set[str] = set()
    last = date.fromisoformat(START)
    for item in study:
        for required in catalog.topic_by_id[item["topic"]].requires:
            assert required in seen or required not in planned, (item["topic"], required)
        seen.add(item["topic"])
        for session in item["sessions"]:
            day = date.fromisoformat(session["date"])
            assert day >= last
            last = day
    assert data["finish"] == last.isoformat()
    assert all(r["topic"] in seen for r in reviews)
    ends = {i["domain"]: i["sessions"][-1]["date"] for i in study}
    assert {d["id"] for d in data["domains"]} == set(ends)
    assert [d["finish"] for d in data["domains"]] == sorted(d["finish"] for d in data["domains"])
    targets = {d["id"] for d in data["domains"] if d["reaches_target"]}
    assert targets == set(catalog.track("ai-engineer-gaps").domains)


def test_rounded_json_hours_still_add_up(cli: Any, demo: Path) -> None:
    # 6 h over 7 days is 0.857... h a day: rounding must not break the sums.
    data = plan_json(cli, "--study-days", "mon,tue,wed,thu,fri,sat,sun")
    weeks: dict[date, float] = defaultdict(float)
    for item in data["items"]:
        assert sum(s["hours"] for s in item["sessions"]) == pytest.approx(item["hours"], abs=1e-9)
        for session in item["sessions"]:
            day = date.fromisoformat(session["date"])
            weeks[day - timedelta(days=day.weekday())] += session["hours"]
    hours = sum(i["hours"] for i in data["items"])
    assert hours == pytest.approx(data["total_hours"] + data["review_hours"], abs=1e-9)
    # New study and reviews are rounded on totals of their own (each item's hours stay
    # exact): a week's sum may be a hundredth over its hours, never a minute.
    assert max(weeks.values()) <= 6.0 + 0.01 + 1e-9


def test_weeks_shows_the_first_weeks_and_the_full_finish(cli: Any, demo: Path) -> None:
    finish = plan_json(cli)["finish"]
    result = cli("plan", "--weeks", "2", "--start", START)
    assert result.exit_code == 0, result.stderr
    assert "2026-11-23" in result.stdout and "2026-11-30" in result.stdout
    assert "2026-12-07" not in result.stdout.split("more (drop")[0]
    assert "more (drop --weeks to see all)" in result.stdout
    assert f"Finish: {finish}" in result.stdout
    assert "Targets reached:" in result.stdout


def test_overrides_are_for_this_run_only(cli: Any, demo: Path, db_path: Path) -> None:
    data = plan_json(cli, "--weekly-hours", "10", "--study-days", "tue,thu")
    assert data["weekly_hours"] == 10.0 and data["study_days"] == ["tue", "thu"]
    assert {
        date.fromisoformat(s["date"]).weekday() for i in data["items"] for s in i["sessions"]
    } == {1, 3}
    twice = cli("plan", "--json", "--start", START, "--start", "2027-01-04")
    assert twice.exit_code == 2 and "more than once" in twice.stderr  # never the last silently
    later = json.loads(cli("plan", "--json", "--start", "2027-01-04").stdout)
    assert later["start"] == "2027-01-04"
    stored = plan_json(cli)
    assert stored["weekly_hours"] == 6.0 and stored["study_days"] == ["mon", "wed", "sat"]
    with sqlite3.connect(db_path) as db:
        row = db.execute("select weekly_hours, study_days from profile").fetchone()
    assert row == (6.0, "mon,wed,sat")


def test_domain_restricts_the_plan(cli: Any, demo: Path) -> None:
    data = plan_json(cli, "--domain", "rag")
    assert {d["id"] for d in data["domains"] if d["reaches_target"]} == {"rag"}
    others = {i["why"] for i in data["items"] if i["domain"] != "rag"}
    assert others <= {"prerequisite", "math", "review"}  # and the reviews of what it finishes
    by_name = plan_json(cli, "--domain", "RAG Systems")
    assert by_name["items"] == data["items"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--domain", "ragg"], 1, "did you mean 'rag'"),
        (["--weekly-hours", "0"], 1, "at least 0.5"),
        (["--weekly-hours=-3"], 1, "at least 0.5"),
        (["--weekly-hours", "0.01"], 1, "at least 0.5"),
        (["--weekly-hours", "200"], 1, "cannot exceed 168"),
        (["--weekly-hours", "nan"], 1, "at least 0.5"),
        (["--weekly-hours", "abc"], 2, "Invalid value for '--weekly-hours'"),
        (["--start", "2026-02-30"], 1, "bad --start '2026-02-30'"),
        (["--start", "tomorrow"], 1, "YYYY-MM-DD"),
        (["--study-days", "funday"], 1, "unknown study day 'funday'"),
        (["--study-days", ","], 1, "no study days"),
        (["--weeks", "0"], 2, "Invalid value for '--weeks'"),
        (["--weekly-hours", "0.5", "--start", "9999-06-01"], 1, "past 9999-12-31"),
    ],
)
def test_bad_input_is_refused_in_one_line(
    cli: Any, demo: Path, args: list[str], code: int, message: str
) -> None:
    result = cli("plan", *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert isinstance(result.exception, SystemExit)
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("gapcli: error: ")
        assert result.stdout == ""


def test_same_plan_whatever_the_hash_seed(demo: Path) -> None:
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "gapcli", "plan", "--json", "--start", START],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


# --- a small custom catalog ---


def catalog_data(*, with_b: bool = True) -> dict[str, Any]:
    def topic(tid: str, hours: float, *requires: str) -> dict[str, Any]:
        return {"id": tid, "name": tid.upper(), "hours": hours, "requires": list(requires)}

    domains: list[dict[str, Any]] = [
        {
            "id": "maths",
            "name": "Maths",
            "kind": "math",
            "topics": [topic("m-one", 1), topic("m-two", 2)],
        },
        {"id": "base", "name": "Base", "target": 50, "topics": [topic("x1", 2), topic("x2", 2)]},
        {
            "id": "a",
            "name": "Alpha",
            "math": "light",
            "topics": [topic("a1", 3), topic("a2", 1, "x2")],
        },
        {"id": "c", "name": "Gamma", "requires": ["base"], "topics": [topic("c1", 2)]},
    ]
    track = ["a", "c"]
    if with_b:
        domains.append({"id": "b", "name": "Beta", "topics": [topic("b1", 4)]})
        track.insert(1, "b")
    return {
        "catalog": 1,
        "id": "mini",
        "name": "Mini",
        "math_levels": [
            {"id": "none", "name": "No maths"},
            {"id": "light", "name": "Light", "topics": ["m-one"]},
        ],
        "domains": domains,
        "tracks": [{"id": "main", "name": "Main", "domains": track}],
    }


@pytest.fixture
def mini(cli: Any, tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(catalog_data(), sort_keys=False))
    result = cli("--catalog", str(path), "init", "--weekly-hours", "4", "--study-days", "mon,thu")
    assert result.exit_code == 0, result.stderr
    return path


def test_custom_catalog_plan(cli: Any, mini: Path) -> None:
    # The rules of new study alone: reviews have their own tests (test_reviews_cli.py).
    assert cli("config", "set", "review-share", "0").exit_code == 0
    data = plan_json(cli)  # the profile recorded the catalog: no --catalog needed
    assert [(i["topic"], i["why"]) for i in data["items"]] == [
        ("m-one", "math"),  # maths first: a needs level light
        ("a1", "gap"),
        ("x2", "prerequisite"),  # just in time: a2 requires x2, from a domain off the track
        ("a2", "gap"),
        ("b1", "gap"),
        ("x1", "prerequisite"),  # c requires base up to its 50 % target: x1
        ("c1", "gap"),
    ]
    assert data["total_hours"] == 15
    # 2 h a day on mon and thu. a1 (3 h) is longer than a day: after m-one's hour on
    # Monday it takes that day's last hour and goes on on Thursday; x2 fits in a day,
    # so it is studied whole, on the next Monday.
    a1, x2 = data["items"][1:3]
    assert a1["sessions"] == [
        {"date": "2026-11-23", "hours": 1},
        {"date": "2026-11-26", "hours": 2},
    ]
    assert x2["sessions"] == [{"date": "2026-11-30", "hours": 2}]
    assert data["finish"] == "2026-12-17"
    domains = {d["id"]: d for d in data["domains"]}
    assert domains["a"]["reaches_target"] and not domains["base"]["reaches_target"]
    assert not domains["base"]["in_track"]


def test_each_item_says_why_it_is_there(cli: Any, mini: Path) -> None:
    """Rule 5: the reason names the gap's domain or the planned topic that needs the item."""
    data = plan_json(cli)
    study = [i for i in data["items"] if i["why"] != "review"]
    assert {i["reason"] for i in data["items"] if i["why"] == "review"} == {"review"}
    assert [(i["topic"], i["reason"]) for i in study] == [
        ("m-one", "maths for A1"),
        ("a1", "closes your gap in Alpha"),
        ("x2", "needed by A2"),
        ("a2", "closes your gap in Alpha"),
        ("b1", "closes your gap in Beta"),
        ("x1", "needed by C1"),
        ("c1", "closes your gap in Gamma"),
    ]
    text = cli("plan", "--start", START)
    assert text.exit_code == 0, text.stderr
    words = " ".join(text.stdout.split())
    assert "maths for A1" in words and "needed by C1" in words


def test_no_gaps_says_so_and_plans_nothing(cli: Any, mini: Path) -> None:
    for domain_id in ("a", "b", "c"):
        assert cli("assess", domain_id, "--current", "100").exit_code == 0
    result = cli("plan", "--json", "--start", START)
    assert result.exit_code == 0, result.stderr
    assert "no gaps to close on your track" in result.stderr
    data = json.loads(result.stdout)
    assert data["items"] == [] and data["domains"] == []
    assert data["finish"] is None and data["total_hours"] == 0
    text = cli("plan", "--start", START)
    assert text.exit_code == 0 and text.stdout == ""
    assert "no gaps to close" in text.stderr


def test_catalog_changed_since_init(cli: Any, mini: Path, tmp_path: Path) -> None:
    assert cli("assess", "b", "--current", "20", "--target", "90").exit_code == 0
    changed = tmp_path / "mini-v2.yaml"
    changed.write_text(yaml.safe_dump(catalog_data(with_b=False), sort_keys=False))
    result = cli("--catalog", str(changed), "plan", "--json", "--start", START)
    assert result.exit_code == 0, result.stderr
    assert "no longer in the catalog" in result.stderr and "b" in result.stderr.split(":")[-1]
    assert len(result.stderr.strip().splitlines()) == 1
    data = json.loads(result.stdout)
    topics = [i["topic"] for i in data["items"]]
    assert "b1" not in topics and {"a1", "a2", "c1"} <= set(topics)
    # The same when the recorded file itself changed in place.
    mini.write_text(changed.read_text())
    again = cli("plan", "--json", "--start", START)
    assert again.exit_code == 0 and "no longer in the catalog" in again.stderr
    assert [i["topic"] for i in json.loads(again.stdout)["items"]] == topics


def test_hours_studied_this_week_come_off_this_weeks_plan(cli: Any, today: date) -> None:
    """Rule 4: after 3 h on Monday at 5 h a week, this week's plan holds at most 2 h more."""
    days = "mon,tue,wed,thu,fri"
    assert cli("init", "--weekly-hours", "5", "--study-days", days).exit_code == 0
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)

    def this_week(data: dict[str, Any]) -> float:
        return sum(
            s["hours"]
            for i in data["items"]
            for s in i["sessions"]
            if monday <= date.fromisoformat(s["date"]) <= sunday
        )

    before = json.loads(cli("plan", "--json").stdout)
    # On the domain: 3 h on the first topic could finish it, and its review joins the week.
    domain_id = before["items"][0]["domain"]
    logged = cli("log-progress", domain_id, "--hours", "3", "--date", monday.isoformat())
    assert logged.exit_code == 0, logged.stderr
    after = json.loads(cli("plan", "--json").stdout)
    assert this_week(after) <= 2 + 1e-9
    assert this_week(after) == pytest.approx(min(2.0, this_week(before)))
    # A plan that starts next week has that whole week ahead of it.
    later = json.loads(
        cli("plan", "--json", "--start", (sunday + timedelta(1)).isoformat()).stdout
    )
    first = [date.fromisoformat(s["date"]) for i in later["items"] for s in i["sessions"]]
    next_week = sum(
        s["hours"]
        for i in later["items"]
        for s in i["sessions"]
        if date.fromisoformat(s["date"]) <= sunday + timedelta(7)
    )
    # More than this week's 2 h left; under 5 h only where a topic that fits in a day
    # waited for the next one rather than being cut (rule 3).
    assert 2 < next_week <= 5 + 1e-9
    assert min(first) == sunday + timedelta(1)


def test_the_roadmaps_steps_come_first_and_say_so(cli: Any, tmp_path: Path) -> None:
    """Rule 1: a track's study_order leads the plan; each step says it is one."""
    data = catalog_data()
    data["tracks"][0]["study_order"] = [
        {"topic": "b1", "why": "Start where it pays off."},
        {"topics": ["x1"]},
    ]
    path = tmp_path / "steps.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    init = cli("--catalog", str(path), "init", "--weekly-hours", "4", "--study-days", "mon,thu")
    assert init.exit_code == 0, init.stderr
    items = [i for i in plan_json(cli)["items"] if i["why"] != "review"]
    assert [(i["topic"], i["why"], i["reason"]) for i in items[:3]] == [
        ("b1", "gap", "recommended step 1; closes your gap in Beta"),
        ("x1", "prerequisite", "recommended step 2; needed by C1"),
        ("m-one", "math", "maths for A1"),
    ]
