"""``gapcli roadmap`` through the CLI, on the demo learner and a frozen clock.

The expected statuses and dates come from ``gaps --json`` and ``plan --json``
themselves: the roadmap must agree with them whatever the catalog's hours are.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_db
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
        if item["why"] == "review":  # a finished topic's reviews come after its study
            continue
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


MULTIMODAL = [  # the demo's multimodal domain, in teaching order
    "mm-vision-prompting",
    "mm-vision-language-overview",
    "mm-clip-blip",
    "mm-image-tokenization",
    "mm-multimodal-llms",
    "mm-cross-modal-attention",
    "mm-modality-alignment",
]
_count = itertools.count()
MARK = st.sampled_from(["log", "done", "todo"])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(MULTIMODAL), MARK, st.integers(1, 300)), max_size=5))
def test_statuses_follow_the_marks(
    cli: Any, demo_template: Path, tmp_path: Path, marks: list[tuple[str, str, int]]
) -> None:
    """Whatever is logged or marked: a topic's status is what its marks and hours say."""
    db = tmp_path / f"ex{next(_count)}.db"
    copy_db(demo_template, db)
    base = ["--db", str(db)]
    done: set[str] = set()
    todo: set[str] = set()
    for topic_id, kind, minutes in marks:
        extra = {"log": [], "done": ["--done"], "todo": ["--todo"]}[kind]
        args = [*base, "log-progress", topic_id, "--minutes", str(minutes), *extra]
        if kind == "todo":
            args = [*base, "log-progress", topic_id, "--todo"]
        result = cli(*args, "--json")
        assert result.exit_code == 0
        # A log that completes the topic's hours marks it done (and says so).
        if kind == "done" or json.loads(result.stdout)["done_by_time"]:
            done.add(topic_id)
            todo.discard(topic_id)
        elif kind == "todo":
            todo.add(topic_id)
            done.discard(topic_id)
    data = run_json(cli, *base, "roadmap", "multimodal")
    assert [t["topic"] for t in data["topics"]] == MULTIMODAL
    assert sum(data["counts"].values()) == len(MULTIMODAL)
    for row in data["topics"]:
        status = row["status"]
        assert (status == "done") == (row["topic"] in done), row
        if row["topic"] in todo:
            assert status in ("todo", "in_progress", "known"), row
        if status == "known":
            assert row["covered_hours"] == row["hours"]
        if status == "in_progress":
            assert 0 < row["covered_hours"] < row["hours"]
        if status in ("planned", "todo", "to_study", "not_needed"):
            assert row["covered_hours"] == 0


def test_a_finished_topic_is_not_planned_by_its_review(cli: Any, demo: Any) -> None:
    """The plan brings a finished topic back for review; the roadmap said "done, 3 h,
    planned from" the review's day, as if it were to be studied again."""
    assert cli("log-progress", "ft-lora-mechanics", "--hours", "3", "--done").exit_code == 0
    data = run_json(cli, "roadmap", "fine-tuning")
    row = next(t for t in data["topics"] if t["topic"] == "ft-lora-mechanics")
    assert (row["status"], row["planned"]) == ("done", None)
    assert "planned from" not in next(
        line for line in cli("roadmap", "fine-tuning").stdout.splitlines() if "LoRA" in line
    )
