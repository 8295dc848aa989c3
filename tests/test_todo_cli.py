""" "Not done yet" marks through the CLI: ``log-progress --todo``, undo, the demo, export/import.

Issue 14 rule 6: the demo learner's % covers LoRA mechanics, vision prompting
and LangSmith, which the seed's roadmap names as their next steps; the demo
marks them not done yet, so the plan schedules them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import rows

from gapcli.render.numbers import num

DEMO_TODO = ["ft-lora-mechanics", "mm-vision-prompting", "ops-observability-langsmith"]


def _ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def planned(cli: Any, *args: str, db: Path | None = None) -> dict[str, dict[str, Any]]:
    where = ["--db", str(db)] if db is not None else []
    data = json.loads(_ok(cli, *where, "plan", "--json", *args).stdout)
    # New study only: a finished topic comes back as a review (issue 17), not as study.
    return {item["topic"]: item for item in data["items"] if item["why"] != "review"}


def closing(cli: Any, domain: str) -> list[str]:
    data = json.loads(_ok(cli, "gaps", "--all", "--json").stdout)
    found: list[str] = next(d["closing_topics"] for d in data["domains"] if d["id"] == domain)
    return found


def test_the_demo_plans_the_seeds_three_next_steps(cli: Any, demo: Path) -> None:
    items = planned(cli)
    for topic in DEMO_TODO:
        assert topic in items, topic
        assert items[topic]["why"] == "gap"
    assert rows(demo, "SELECT topic_id, done FROM topic_progress ORDER BY id") == [
        (t, 0) for t in DEMO_TODO
    ]


def test_init_demo_says_how_many_topics_are_marked(cli: Any, db_path: Path) -> None:
    text = _ok(cli, "init", "--demo").stdout
    assert "9 domains assessed, 3 topics marked not done yet" in " ".join(text.split())


def test_todo_marks_a_covered_topic_and_undo_takes_it_back(cli: Any, demo: Path) -> None:
    topic = "rag-why"  # the first RAG topic: 80 % covers it
    assert topic not in closing(cli, "rag")
    before = _ok(cli, "gaps", "--json").stdout
    result = _ok(cli, "log-progress", topic, "--todo", "--json")
    data = json.loads(result.stdout)
    assert data["todo"] is True and data["done"] is False and data["session"] is None
    assert data["current_after"] == data["current_before"]  # the % moved on, not down
    assert topic in closing(cli, "rag")
    assert topic in planned(cli)
    text = _ok(cli, "log-progress", "ps-bayes-theorem", "--todo").stdout
    assert "ps-bayes-theorem marked not done yet" in text
    assert _ok(cli, "undo", "--yes").exit_code == 0  # ps-bayes-theorem
    undone = _ok(cli, "undo", "--yes")
    assert topic in undone.stdout
    assert topic not in closing(cli, "rag")
    assert _ok(cli, "gaps", "--json").stdout == before
    assert rows(demo, "SELECT count(*) FROM topic_progress WHERE topic_id = 'rag-why'") == [(0,)]


def test_todo_on_a_done_topic_means_not_done_any_more(cli: Any, demo: Path) -> None:
    topic = "ops-serving-options"
    _ok(cli, "log-progress", topic, "--done")
    assert topic not in planned(cli)
    _ok(cli, "log-progress", topic, "--todo")
    assert topic in planned(cli)
    _ok(cli, "log-progress", topic, "--done")  # and done again: the newest mark decides
    assert topic not in planned(cli)


def test_time_logged_on_a_todo_topic_counts(cli: Any, demo: Path) -> None:
    items = planned(cli)
    assert items["ft-lora-mechanics"]["hours"] == 3
    _ok(cli, "log-progress", "ft-lora-mechanics", "--hours", "1")
    assert planned(cli)["ft-lora-mechanics"]["hours"] == 2
    _ok(cli, "log-progress", "ft-lora-mechanics", "--hours", "2", "--done")
    assert "ft-lora-mechanics" not in planned(cli)


def test_bad_combinations_are_one_line_refusals(cli: Any, demo: Path) -> None:
    before = rows(demo, "SELECT count(*) FROM topic_progress")
    for args, needle in (
        (["rag-why", "--done", "--todo"], "not both"),
        (["rag", "--todo"], "is a domain"),
        (["no-such-topic", "--todo"], "no-such-topic"),
    ):
        result = cli("log-progress", *args)
        assert result.exit_code != 0, args
        assert needle in result.stderr, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert rows(demo, "SELECT count(*) FROM topic_progress") == before


def test_help_says_what_todo_is_for(cli: Any) -> None:
    text = " ".join(_ok(cli, "log-progress", "--help").stdout.split())
    assert "--todo" in text
    assert "covers it but you have not studied it" in text


def test_export_import_keeps_the_todo_marks(cli: Any, demo: Path, tmp_path: Path) -> None:
    _ok(cli, "log-progress", "rag-why", "--todo")
    _ok(cli, "log-progress", "ps-bayes-theorem", "--done")
    first = _ok(cli, "export", "-f", "json").stdout
    marks = json.loads(first)["records"]["topic_marks"]
    assert [(m["topic"], m["done"]) for m in marks] == [
        *((t, False) for t in DEMO_TODO),
        ("rag-why", False),
        ("ps-bayes-theorem", True),
    ]
    (tmp_path / "backup.json").write_text(first)
    restored = tmp_path / "restored.db"
    result = _ok(cli, "--db", str(restored), "import", str(tmp_path / "backup.json"))
    assert "1 done mark, 4 not-done-yet marks and 0 away ranges" in result.stdout
    assert _ok(cli, "--db", str(restored), "export", "-f", "json").stdout == first
    again = planned(cli, "--start", "2026-12-07")
    assert planned(cli, "--start", "2026-12-07", db=restored) == again
    assert "rag-why" in again and "ps-bayes-theorem" not in again


def test_markdown_lists_todo_apart_from_done(cli: Any, demo: Path) -> None:
    _ok(cli, "log-progress", "ps-bayes-theorem", "--done")
    text = _ok(cli, "export").stdout
    done = text[text.index("## Done") : text.index("## Marked not done yet")]
    todo = text[text.index("## Marked not done yet") :].split("\n## ")[0]
    assert "Bayes" in done and "LoRA" not in done
    assert "- LoRA mechanics" in todo and "Bayes" not in todo
    assert "[ ]" not in todo


def test_history_replays_todo_marks(cli: Any, demo: Path) -> None:
    """A to-do mark that the % cannot absorb lowers the domain's % in history as in gaps."""
    _ok(cli, "assess", "prompt-engineering", "--current", "100", "--target", "100")
    _ok(cli, "log-progress", "pe-prompt-injection", "--todo")
    gaps = json.loads(_ok(cli, "gaps", "--all", "--json").stdout)
    now = next(d["current"] for d in gaps["domains"] if d["id"] == "prompt-engineering")
    assert now < 100
    history = json.loads(_ok(cli, "history", "--json").stdout)
    assert history["progress"]["prompt-engineering"][-1]["current"] == now


def current_of(cli: Any, domain: str) -> float:
    data = json.loads(_ok(cli, "gaps", "--all", "--json").stdout)
    found: float = next(d["current"] for d in data["domains"] if d["id"] == domain)
    return found


def test_finishing_a_todo_topic_adds_its_hours_until_the_domain_is_assessed_again(
    cli: Any, demo: Path
) -> None:
    """The demo's 60 % of fine-tuning was given without LoRA (marked not done yet).

    Finishing LoRA used to take the % back to 60: counted as an ordinary done
    topic, it fell inside the 60 % and the two hours logged on it were lost.
    """
    assert current_of(cli, "fine-tuning") == 60
    _ok(cli, "log-progress", "ft-lora-mechanics", "--hours", "1")
    partway = current_of(cli, "fine-tuning")
    said = _ok(cli, "log-progress", "ft-lora-mechanics", "--hours", "1", "--done").stdout
    finished = current_of(cli, "fine-tuning")
    assert 60 < partway < finished
    assert f"{num(partway)}% -> {num(finished)}%" in said  # what the log said it would be
    history = json.loads(_ok(cli, "history", "--json").stdout)
    assert history["progress"]["fine-tuning"][-1]["current"] == finished
    _ok(cli, "undo", "--yes")
    assert current_of(cli, "fine-tuning") == partway
    _ok(cli, "log-progress", "ft-lora-mechanics", "--done")
    _ok(cli, "assess", "fine-tuning", "--current", "70")  # given knowing LoRA
    assert current_of(cli, "fine-tuning") == 70
