"""``gapcli roadmap`` through the CLI, on the demo learner and a frozen clock.

The expected statuses and dates come from ``gaps --json`` and ``plan --json``
themselves: the roadmap must agree with them whatever the catalog's hours are.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

STATUSES = {"done", "known", "in_progress", "todo", "planned", "to_study", "not_needed"}


def run_json(cli: Any, *args: str) -> dict[str, Any]:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def first_days(cli: Any) -> dict[str, str]:
    """Each planned topic's first session day, from ``plan --json``."""
    days: dict[str, str] = {}
    for item in run_json(cli, "plan")["items"]:
        dates = [s["date"] for s in item["sessions"]]
        if dates:
            days[item["topic"]] = min(dates)
    return days


def topic(data: dict[str, Any], topic_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["topics"] if t["topic"] == topic_id)
    return found


def test_every_domain_agrees_with_gaps_and_plan(cli: Any, demo: Any) -> None:
    gaps = {d["id"]: d for d in run_json(cli, "gaps", "--all")["domains"]}
    days = first_days(cli)
    listed = cli("catalog", "list", "--kind", "domains", "--json")
    ids = [d["id"] for d in json.loads(listed.stdout)]
    assert set(ids) >= set(gaps)
    for domain_id in ids:
        data = run_json(cli, "roadmap", domain_id)
        assert data["domain"] == domain_id
        assert sum(data["counts"].values()) == len(data["topics"])
        assert set(data["counts"]) == STATUSES
        if domain_id in gaps:
            assert (data["current"], data["target"]) == (
                gaps[domain_id]["current"],
                gaps[domain_id]["target"],
            )
            closing = set(gaps[domain_id]["closing_topics"])
        else:  # not assessed, off the track: gaps does not list it
            closing = {t["topic"] for t in data["topics"]}
        for row in data["topics"]:
            assert row["status"] in STATUSES
            assert row["planned"] == days.get(row["topic"]), row
            assert 0 <= row["covered_hours"] <= row["hours"]
            if row["status"] in ("known", "done"):
                assert row["covered_hours"] == row["hours"]
            if row["status"] == "planned":
                assert row["covered_hours"] == 0 and row["planned"] is not None
            if row["status"] == "not_needed":
                assert row["topic"] not in closing and row["planned"] is None
                assert domain_id in gaps
            if row["status"] == "to_study":
                assert row["topic"] in closing and row["planned"] is None


def test_a_domain_by_name_is_the_domain_by_id(cli: Any, demo: Any) -> None:
    by_id = run_json(cli, "roadmap", "rag")
    assert run_json(cli, "roadmap", by_id["name"].upper()) == by_id


def test_marks_change_the_statuses(cli: Any, demo: Any) -> None:
    data = run_json(cli, "roadmap", "multimodal")
    known = next(t["topic"] for t in data["topics"] if t["status"] == "known")
    fresh = next(t["topic"] for t in data["topics"] if t["status"] == "not_needed")
    assert cli("log-progress", fresh, "--minutes", "30").exit_code == 0
    assert cli("log-progress", known, "--todo").exit_code == 0
    after = run_json(cli, "roadmap", "multimodal")
    assert topic(after, fresh)["status"] == "in_progress"
    assert topic(after, fresh)["covered_hours"] == 0.5
    assert topic(after, known)["status"] == "todo"
    assert cli("log-progress", fresh, "--minutes", "5", "--done").exit_code == 0
    assert topic(run_json(cli, "roadmap", "multimodal"), fresh)["status"] == "done"


def test_the_text_checklist(cli: Any, demo: Any) -> None:
    data = run_json(cli, "roadmap", "multimodal")
    result = cli("roadmap", "multimodal", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert data["name"] in lines[0] and f"of target {data['target']}%" in lines[0]
    assert len(lines) == 1 + len(data["topics"])
    for row, line in zip(data["topics"], lines[1:], strict=True):
        assert row["name"] in line
        if row["planned"]:
            assert row["planned"] in line
    assert any("[x]" in line for line in lines)
    assert any("not needed for your target" in line for line in lines)


def test_the_track_view(cli: Any, demo: Any) -> None:
    gaps = run_json(cli, "gaps")
    whole = run_json(cli, "roadmap")
    assert whole["track"] == gaps["track"]
    assert run_json(cli, "roadmap", "--track", gaps["track"]) == whole
    on_track = {d["id"] for d in gaps["domains"]}
    assert on_track <= {d["domain"] for d in whole["domains"]}
    for domain in whole["domains"]:
        assert "topics" not in domain
        one = run_json(cli, "roadmap", domain["domain"])
        assert domain["counts"] == one["counts"]
    result = cli("roadmap", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    for domain in whole["domains"]:
        assert domain["name"] in result.stdout
    everything = run_json(cli, "roadmap", "--track", "all")
    assert len(everything["domains"]) >= len(whole["domains"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["roadmap", "no-such-domain"], "unknown domain"),
        (["roadmap", "--track", "no-such-track"], "unknown track"),
        (["roadmap", "rag", "--track", "all"], "not both"),
    ],
)
def test_bad_input_is_one_line(cli: Any, demo: Any, args: list[str], words: str) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gapcli: error: ")
    assert words in lines[0]


def test_without_a_profile_it_says_so(cli: Any, db_path: Any) -> None:
    result = cli("roadmap")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
