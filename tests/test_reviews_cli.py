"""Spaced review of finished topics through the CLI, with the clock moved by GAPCLI_TODAY.

A topic marked done becomes a card (rated good unless --recall says otherwise);
``review`` records a review, ``reviews`` lists what is due, and the plan keeps a
share of each study day for reviews.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import dump

DAY0 = date(2026, 11, 2)


def on(day: date) -> dict[str, str]:
    return {"GAPCLI_TODAY": day.isoformat()}


def ok(cli: Any, *args: str, day: date = DAY0) -> Any:
    result = cli(*args, env=on(day))
    assert result.exit_code == 0, result.stderr
    return result


def cards(cli: Any, day: date) -> dict[str, dict[str, Any]]:
    data = json.loads(ok(cli, "reviews", "--all", "--json", day=day).stdout)
    return {row["topic"]: row for row in data}


def test_a_done_topic_becomes_a_card_and_good_grows_the_interval(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done")
    first = cards(cli, DAY0)["la-visual"]
    assert first["last_rating"] == "good"
    due = date.fromisoformat(first["due"])
    assert due > DAY0
    interval = (due - DAY0).days
    ok(cli, "review", "la-visual", "--rating", "good", day=due)
    after = cards(cli, due)["la-visual"]
    assert after["reviews"] == 1
    assert (date.fromisoformat(after["due"]) - due).days > interval


def test_again_shrinks_the_interval(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done", "--recall", "easy")
    due = date.fromisoformat(cards(cli, DAY0)["la-visual"]["due"])
    ok(cli, "review", "la-visual", "--rating", "again", day=due)
    after = date.fromisoformat(cards(cli, due)["la-visual"]["due"])
    assert (after - due).days < (due - DAY0).days


def test_a_backdated_review_reports_the_due_date_the_cards_then_show(cli: Any, demo: Path) -> None:
    """A review logged for a day before one already recorded takes its place in the
    history: the next due date printed is the one ``reviews`` shows afterwards."""
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done")
    later = DAY0 + timedelta(days=20)
    ok(cli, "review", "la-visual", "--rating", "good", day=later)
    earlier = (DAY0 + timedelta(days=5)).isoformat()
    said = ok(cli, "review", "la-visual", "--rating", "again", "--date", earlier, day=later)
    shown = cards(cli, later)["la-visual"]
    assert shown["reviews"] == 2
    assert f"next review {shown['due']}" in said.stdout


def test_recall_hard_brings_a_topic_back_sooner_than_easy(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done", "--recall", "hard")
    ok(cli, "log-progress", "ps-distributions", "--hours", "1", "--done", "--recall", "easy")
    found = cards(cli, DAY0)
    assert found["la-visual"]["due"] < found["ps-distributions"]["due"]


def test_reviews_lists_what_is_due_lowest_retrievability_first(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done")
    ok(cli, "log-progress", "ps-distributions", "--hours", "1", "--done", day=DAY0 + timedelta(5))
    later = DAY0 + timedelta(days=30)
    due = json.loads(ok(cli, "reviews", "--json", day=later).stdout)
    assert [row["topic"] for row in due] == ["la-visual", "ps-distributions"]
    assert due[0]["retrievability"] <= due[1]["retrievability"]
    assert json.loads(ok(cli, "reviews", "--json", day=DAY0).stdout) == []
    assert "Nothing due" in ok(cli, "reviews", day=DAY0).stdout


def test_a_review_counts_as_a_session_and_undo_takes_it_back(cli: Any, demo: Path) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done")
    day = DAY0 + timedelta(days=3)
    before = dump(demo)
    ok(cli, "review", "la-visual", "-r", "hard", "--minutes", "25", day=day)
    history = json.loads(ok(cli, "history", "--json", day=day).stdout)
    assert any(
        round(s["hours"] * 60) == 25 and s["date"] == day.isoformat() for s in history["sessions"]
    )
    assert "reviewed la-visual" in ok(cli, "undo", "--yes", day=day).stdout
    assert cards(cli, day)["la-visual"]["reviews"] == 0
    assert dump(demo) != before  # the session is kept, marked removed (ids stay stable)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("review", "la-svd", "-r", "good"), "not finished"),
        (("review", "la-visual", "-r", "sometimes"), "again, hard, good or easy"),
        (("review", "la-visual", "-r", "good", "--date", "2099-01-01"), "future"),
        (("review", "la-visual", "-r", "good", "--date", "2026-10-01"), "finished on"),
        (("review", "la-visual", "-r", "good", "--minutes", "0"), "--minutes"),
        (("log-progress", "la-svd", "--hours", "1", "--recall", "good"), "--done"),
        (("config", "set", "review-share", "80"), "review-share"),
    ],
)
def test_bad_review_input_is_one_line_and_writes_nothing(
    cli: Any, demo: Path, args: tuple[str, ...], needle: str
) -> None:
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done")
    before = dump(demo)
    result = cli(*args, env=on(DAY0 + timedelta(days=3)))
    assert result.exit_code == 1, result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert dump(demo) == before


FINISHED = ("la-visual", "ps-distributions", "ps-bayes-theorem", "it-cross-entropy")


def _plan(cli: Any, day: date) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli, "plan", "--json", day=day).stdout)
    return data


@pytest.mark.parametrize("share", ["10", "25", "50"])
def test_the_review_share_is_never_exceeded_on_any_day(cli: Any, demo: Path, share: str) -> None:
    for topic in FINISHED:
        ok(cli, "log-progress", topic, "--hours", "1", "--done", day=DAY0 - timedelta(days=60))
    ok(cli, "config", "set", "review-share", share)
    plan = _plan(cli, DAY0)
    review_minutes: dict[str, int] = defaultdict(int)
    for item in plan["items"]:
        if item["why"] == "review":
            for s in item["sessions"]:
                review_minutes[s["date"]] += round(s["hours"] * 60)
    assert review_minutes, "overdue cards get reviews in the plan"
    day_minutes = 6 * 60 // 3  # the demo: 6 h a week on three days
    for minutes in review_minutes.values():
        assert minutes <= day_minutes * int(share) // 100
    # Reviews are not new study: the plan's hours and finish count new study only.
    assert plan["total_hours"] == pytest.approx(
        sum(i["hours"] for i in plan["items"] if i["why"] != "review"), abs=0.05
    )


def test_share_zero_plans_no_reviews_and_reviews_delay_the_finish(cli: Any, demo: Path) -> None:
    for topic in FINISHED:
        ok(cli, "log-progress", topic, "--hours", "1", "--done", day=DAY0 - timedelta(days=60))
    with_reviews = _plan(cli, DAY0)
    ok(cli, "config", "set", "review-share", "0")
    without = _plan(cli, DAY0)
    assert all(i["why"] != "review" for i in without["items"])
    assert with_reviews["finish"] >= without["finish"]


def test_today_lists_the_reviews_due(cli: Any, demo: Path) -> None:
    for topic in FINISHED:
        ok(cli, "log-progress", topic, "--hours", "1", "--done", day=DAY0 - timedelta(days=60))
    today = json.loads(ok(cli, "today", "--json", day=DAY0).stdout)
    assert any(s["why"] == "review" for s in today["sessions"])


def test_export_import_keeps_every_review(cli: Any, demo: Path, tmp_path: Path) -> None:
    start = date(2026, 12, 1)  # after the demo profile's start
    ok(cli, "log-progress", "la-visual", "--hours", "1", "--done", "--recall", "hard", day=start)
    ok(cli, "log-progress", "ps-distributions", "--hours", "1", "--done", day=start)
    day = start + timedelta(days=4)
    ok(cli, "review", "la-visual", "-r", "again", day=day)
    ok(cli, "review", "ps-distributions", "-r", "easy", "--minutes", "12", day=day)
    exported = tmp_path / "export.json"
    ok(cli, "export", "-f", "json", "-o", str(exported), day=day)
    assert len(json.loads(exported.read_text())["records"]["reviews"]) == 4
    restored = tmp_path / "restored.db"
    ok(cli, "--db", str(restored), "import", str(exported), day=day)
    later = day + timedelta(days=20)
    original = ok(cli, "reviews", "--all", "--json", day=later).stdout
    again = ok(cli, "--db", str(restored), "reviews", "--all", "--json", day=later).stdout
    assert again == original


def test_the_calendar_has_one_event_per_review_with_its_own_uid(cli: Any, demo: Path) -> None:
    for topic in FINISHED:
        ok(cli, "log-progress", topic, "--hours", "1", "--done", day=DAY0 - timedelta(days=60))
    text = ok(cli, "export", "-f", "ics", "-o", "-", day=DAY0).stdout
    uids = [line for line in text.splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)), "a UID names one event"
    plan = _plan(cli, DAY0)
    reviews = sum(len(i["sessions"]) for i in plan["items"] if i["why"] == "review")
    assert reviews and text.count("SUMMARY:Review: ") == reviews
