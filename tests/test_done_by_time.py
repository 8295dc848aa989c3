"""A log that completes a topic's hours marks it done, so it comes back for review.

The plan counts a topic finished once its hours are studied and brings it back
for review; before, a learner who logged a topic's whole time without
``--done`` saw it leave the plan and never come back: no card was made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TOPIC = "ps-distributions"  # 1.5 h, not covered by the demo's %


def log(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("log-progress", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def reviewed_topics(cli: Any) -> list[str]:
    result = cli("reviews", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return [card["topic"] for card in json.loads(result.stdout)]


def test_the_log_that_completes_the_hours_marks_the_topic_done(cli: Any, demo: Path) -> None:
    first = log(cli, TOPIC, "--minutes", "60")
    assert (first["done"], first["done_by_time"]) == (False, False)
    assert reviewed_topics(cli) == []
    second = log(cli, TOPIC, "--minutes", "30")
    assert (second["done"], second["done_by_time"]) == (True, True)
    assert reviewed_topics(cli) == [TOPIC]
    text = cli("log-progress", TOPIC, "--minutes", "10").stdout
    assert "marked done" not in text  # done already: more time changes no mark
    assert cli("undo", "--yes").exit_code == 0
    assert cli("undo", "--yes").exit_code == 0  # the completing log, mark and all
    assert reviewed_topics(cli) == []


def test_the_text_says_why_the_topic_is_done(cli: Any, demo: Path) -> None:
    result = cli("log-progress", TOPIC, "--hours", "1.5")
    assert result.exit_code == 0, result.stderr
    assert f"{TOPIC} marked done: all its hours are logged" in result.stdout


def test_a_todo_topic_is_done_once_its_hours_are_logged(cli: Any, demo: Path) -> None:
    data = log(cli, TOPIC, "--todo")
    data = log(cli, TOPIC, "--hours", "1")
    assert data["done_by_time"] is False
    data = log(cli, TOPIC, "--minutes", "30")  # its hours now studied: done
    assert data["done_by_time"] is True


def test_a_topic_the_percent_already_covers_is_not_marked(cli: Any, demo: Path) -> None:
    """Time on a topic known already (by the %) finishes nothing new."""
    data = log(cli, "rag-why", "--hours", "2")
    assert (data["done"], data["done_by_time"]) == (False, False)
