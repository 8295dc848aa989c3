"""``gapcli today`` through the CLI, on the demo learner and a frozen clock.

TODAY (conftest) is Monday 2026-11-30; the demo studies 6 h a week on
mon, wed, sat. Expected sessions come from ``plan --json`` itself, so the tests
hold whatever the catalog's hours are.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, dump, meet_every_target

TUESDAY = (TODAY + timedelta(days=1)).isoformat()
WEDNESDAY = (TODAY + timedelta(days=2)).isoformat()


def today_json(cli: Any, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = cli("today", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def planned_on(
    cli: Any, day: str, *args: str, env: dict[str, str] | None = None
) -> list[tuple[str, int]]:
    """(topic, minutes) of the plan's sessions on ``day``, from ``plan --json``."""
    result = cli("plan", "--json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return [
        (item["topic"], round(session["hours"] * 60))
        for item in json.loads(result.stdout)["items"]
        for session in item["sessions"]
        if session["date"] == day
    ]


def then_line(cli: Any, day: str, env: dict[str, str] | None = None) -> str:
    """The plan's sessions on ``day`` as ``today``'s "Next study day" line names them:
    a review says so."""
    result = cli("plan", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    names = topic_names(cli)
    return ", ".join(
        f"{'Review: ' if item['why'] == 'review' else ''}{names[item['topic']]} "
        f"({span_of(round(session['hours'] * 60))})"
        for item in json.loads(result.stdout)["items"]
        for session in item["sessions"]
        if session["date"] == day
    )


def sessions(data: dict[str, Any]) -> list[tuple[str, int]]:
    return [(s["topic"], s["minutes"]) for s in data["sessions"]]


def close(a: list[tuple[str, int]], b: list[tuple[str, int]]) -> bool:
    """Equal topics, minutes within one (plan --json rounds hours to 2 decimals)."""
    return [t for t, _ in a] == [t for t, _ in b] and all(
        abs(x - y) <= 1 for (_, x), (_, y) in zip(a, b, strict=True)
    )


def log(cli: Any, topic: str, minutes: int, *args: str) -> None:
    result = cli("log-progress", topic, "--minutes", str(minutes), *args)
    assert result.exit_code == 0, result.stderr


def test_json_shape_is_pinned(cli: Any, demo: Path) -> None:
    data = today_json(cli)
    assert set(data) == {"date", "sessions", "logged_minutes", "week", "next_study_day", "away"}
    assert data["away"] is None
    assert data["date"] == TODAY.isoformat()
    assert data["sessions"], "the demo studies on Mondays"
    for s in data["sessions"]:
        assert set(s) == {"topic", "domain", "minutes", "why", "resource", "note"}
        assert isinstance(s["minutes"], int) and s["minutes"] > 0
        assert s["why"] in {"gap", "math", "prerequisite", "recommended", "review"}
        assert s["note"] is None or isinstance(s["note"], str)
        assert s["resource"] is None or set(s["resource"]) == {"title", "url"}
    assert any(
        s["resource"] and s["resource"]["url"].startswith("https://") for s in data["sessions"]
    )
    assert set(data["week"]) == {"planned_hours", "logged_hours"}
    assert data["logged_minutes"] == 0 and data["week"]["logged_hours"] == 0
    assert data["next_study_day"] == WEDNESDAY


def test_sessions_are_the_plans_for_today(cli: Any, demo: Path) -> None:
    data = today_json(cli)
    assert close(sessions(data), planned_on(cli, TODAY.isoformat()))
    week = sum(
        m for d in range(7) for _, m in planned_on(cli, (TODAY + timedelta(days=d)).isoformat())
    )
    assert abs(data["week"]["planned_hours"] - week / 60) <= 0.02
    assert data["week"]["planned_hours"] <= 6


def test_what_is_logged_today_comes_off_its_session(cli: Any, demo: Path) -> None:
    """An hour logged of a longer session leaves the rest of it, and no more is added."""
    before = sessions(today_json(cli))
    (first, minutes), *rest = before
    log(cli, first, minutes - 20)
    after = today_json(cli)
    assert sessions(after) == [(first, 20), *rest]
    assert after["logged_minutes"] == minutes - 20
    assert after["week"]["logged_hours"] == round((minutes - 20) / 60, 2)


def test_a_topic_done_today_leaves_and_time_elsewhere_shortens_the_day(
    cli: Any, demo: Path
) -> None:
    (first, _), *rest = sessions(today_json(cli))
    log(cli, first, 10, "--done")
    log(cli, "rag", 25)  # a domain, not one of today's topics
    data = today_json(cli)
    assert sessions(data) == rest
    assert data["logged_minutes"] == 35


@pytest.mark.parametrize("when", [(), ("--date", "yesterday")])
def test_a_done_mark_without_time_gives_the_day_to_the_next_topics(
    cli: Any, demo: Path, when: tuple[str, ...]
) -> None:
    """Marking today's first topic done, with no time logged today, leaves the whole day
    to what comes next, as ``plan`` has it (``today`` used to drop the topic's session
    and put nothing in its place, while ``plan`` planned the next topic)."""
    before = sessions(today_json(cli))
    result = cli("log-progress", before[0][0], "--done", *when)
    assert result.exit_code == 0, result.stderr
    after = sessions(today_json(cli))
    assert before[0][0] not in [t for t, _ in after]
    assert close(after, planned_on(cli, TODAY.isoformat()))
    assert sum(m for _, m in after) == sum(m for _, m in before)


def test_a_log_yesterday_is_not_taken_off_today(cli: Any, demo: Path) -> None:
    before = sessions(today_json(cli))
    log(cli, before[0][0], 15, "--date", "yesterday")  # Sunday: last week
    data = today_json(cli)
    assert data["logged_minutes"] == 0
    assert data["week"]["logged_hours"] == 0
    assert [t for t, _ in sessions(data)] == [t for t, _ in before]


def topic_names(cli: Any) -> dict[str, str]:
    listing = json.loads(cli("catalog", "list", "--kind", "topics", "--json").stdout)
    return {t["id"]: t["name"] for t in listing}


def span_of(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def assert_lists(text: str, cli: Any, day_sessions: list[tuple[str, int]]) -> None:
    """Each session is a line '  - NAME (DOMAIN): SPAN, WHY' in the text."""
    names = topic_names(cli)
    assert day_sessions
    lines = text.splitlines()
    for topic, minutes in day_sessions:
        assert any(
            line.startswith(f"  - {names[topic]} (") and f"): {span_of(minutes)}, " in line
            for line in lines
        ), (topic, minutes, text)


def test_all_done_today_names_the_next_study_day(cli: Any, demo: Path) -> None:
    for topic, minutes in sessions(today_json(cli)):
        log(cli, topic, minutes)
    data = today_json(cli)
    assert data["sessions"] == []
    assert data["next_study_day"] == WEDNESDAY
    text = cli("today")
    assert text.exit_code == 0, text.stderr
    assert "Nothing planned today" in text.stdout and "sessions are done" in text.stdout
    assert f"Next study day: Wed {WEDNESDAY}" in text.stdout
    # What comes then is what the plan, after those logs, holds for that day.
    assert_lists(text.stdout, cli, planned_on(cli, WEDNESDAY, "--start", WEDNESDAY))


def test_the_plan_made_after_todays_study_agrees_with_today(cli: Any, demo: Path) -> None:
    """``plan`` takes what was studied today off today, as ``today`` does: part of the
    day leaves the rest of it, the whole day leaves nothing, and the plan's next study
    day is the one ``today`` names."""
    (first, minutes), *rest = sessions(today_json(cli))
    log(cli, first, minutes - 20)
    left = sum(m for _, m in sessions(today_json(cli)))
    assert abs(sum(m for _, m in planned_on(cli, TODAY.isoformat())) - left) <= 1
    log(cli, first, 20)
    for topic, minutes in rest:
        log(cli, topic, minutes)
    assert planned_on(cli, TODAY.isoformat()) == []
    assert today_json(cli)["next_study_day"] == WEDNESDAY
    assert planned_on(cli, WEDNESDAY) == planned_on(cli, WEDNESDAY, "--start", WEDNESDAY)


def test_a_day_with_nothing_planned_names_the_next_and_what_comes(cli: Any, demo: Path) -> None:
    tuesday = {"GAPCLI_TODAY": TUESDAY}
    data = today_json(cli, env=tuesday)
    assert data["date"] == TUESDAY
    assert data["sessions"] == []
    assert data["next_study_day"] == WEDNESDAY
    text = cli("today", env=tuesday).stdout
    assert f"Nothing planned today, Tue {TUESDAY}." in text
    assert f"Next study day: Wed {WEDNESDAY}" in text
    assert_lists(text, cli, sessions(today_json(cli, env={"GAPCLI_TODAY": WEDNESDAY})))


def test_with_sessions_left_the_next_day_follows_todays_work(cli: Any, demo: Path) -> None:
    """The next study day is what comes once today's sessions are studied as the plan
    has them (a topic they finish comes back for review): the plan's own day."""
    text = cli("today").stdout
    then = then_line(cli, WEDNESDAY)
    assert "Review: " in then, "the topic studied today comes back for review"
    assert f"Next study day: Wed {WEDNESDAY}: {then}." in text


def test_after_a_review_and_a_finish_today_the_next_day_is_the_plans(cli: Any, demo: Path) -> None:
    """Today's review counts as done and the topic today finishes comes back for
    review, as the plan has them: the next study day is the plan's."""
    log(cli, "ps-distributions", 90, "--done")  # Monday: first review due Wednesday
    wednesday = {"GAPCLI_TODAY": WEDNESDAY}
    data = today_json(cli, env=wednesday)
    assert "review" in [s["why"] for s in data["sessions"] if s["topic"] == "ps-distributions"]
    following = data["next_study_day"]
    expected = planned_on(cli, following, env=wednesday)
    assert "ps-distributions" not in [t for t, _ in expected], "reviewed on Wednesday"
    then = then_line(cli, following, env=wednesday)
    text = cli("today", env=wednesday).stdout
    assert f"Next study day: {date.fromisoformat(following):%a} {following}: {then}." in text


def test_a_review_done_today_leaves_like_a_session_done(cli: Any, demo: Path) -> None:
    """The week still asks for it and the next study day is the same."""
    log(cli, "ps-distributions", 90, "--done")
    wednesday = {"GAPCLI_TODAY": WEDNESDAY}
    before = today_json(cli, env=wednesday)
    review = next(s for s in before["sessions"] if s["topic"] == "ps-distributions")
    done = cli("review", "ps-distributions", "--rating", "good", env=wednesday)
    assert done.exit_code == 0, done.stderr
    after = today_json(cli, env=wednesday)
    assert after["sessions"] == [s for s in before["sessions"] if s != review]
    assert after["logged_minutes"] == review["minutes"]
    assert after["week"]["planned_hours"] == before["week"]["planned_hours"]
    assert after["next_study_day"] == before["next_study_day"]


def test_the_week_counts_every_log_from_monday(cli: Any, demo: Path) -> None:
    log(cli, "rag", 90)  # Monday
    data = today_json(cli, env={"GAPCLI_TODAY": WEDNESDAY})
    assert data["logged_minutes"] == 0
    assert data["week"]["logged_hours"] == 1.5
    text = cli("today", env={"GAPCLI_TODAY": WEDNESDAY}).stdout
    assert f"This week: 1.5 of {_hours(data['week']['planned_hours'])} h." in text


def _hours(value: float) -> str:
    """Hours as the text prints them: one decimal, none when whole."""
    return f"{round(value, 1):g}"


def test_text_lists_sessions_with_their_first_resource(cli: Any, demo: Path) -> None:
    data = today_json(cli)
    result = cli("today")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Today, Mon {TODAY.isoformat()}: ")
    for s in data["sessions"]:
        if s["resource"]:
            assert (
                f"start with: {s['resource']['title']} <{s['resource']['url']}>" in result.stdout
            )
    assert any(line.startswith("This week: 0 of ") for line in lines)


def test_an_empty_plan_says_there_is_nothing_to_study(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    meet_every_target(cli, tmp_path)
    data = today_json(cli)
    assert data["sessions"] == [] and data["next_study_day"] is None
    assert "nothing to study" in cli("today").stdout


def test_today_writes_nothing_and_needs_a_profile(cli: Any, demo: Path, db_path: Path) -> None:
    before = dump(demo)
    assert cli("today").exit_code == 0
    assert dump(demo) == before
    other = db_path.parent / "none.db"
    result = cli("--db", str(other), "today")
    assert result.exit_code == 1
    assert "init" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("day", ["2026-12-05", "2026-12-06", "2027-01-04"])
def test_other_days_match_the_plan_from_that_day(cli: Any, demo: Path, day: str) -> None:
    data = today_json(cli, env={"GAPCLI_TODAY": day})
    expected = planned_on(cli, day, "--start", day)
    assert close(sessions(data), expected)
    if data["next_study_day"]:
        assert date.fromisoformat(data["next_study_day"]) > date.fromisoformat(day)


def test_an_away_day_says_so(cli: Any, demo: Path) -> None:
    added = cli("away", "add", "today", "2026-12-02", "--note", "conference")
    assert added.exit_code == 0, added.stderr
    data = today_json(cli)
    assert data["sessions"] == []
    assert data["away"] == {
        "id": 1,
        "start": TODAY.isoformat(),
        "end": "2026-12-02",
        "note": "conference",
    }
    shown = cli("today")
    assert "you are away until 2026-12-02: conference" in shown.stdout


def test_reviews_are_listed_when_no_new_study_is_left(
    cli: Any, demo: Path, tmp_path: Path
) -> None:
    assert cli("log-progress", "la-visual", "--hours", "1", "--done").exit_code == 0
    meet_every_target(cli, tmp_path)
    later = (TODAY + timedelta(days=35)).isoformat()
    while date.fromisoformat(later).weekday() not in (0, 2, 5):  # the demo's study days
        later = (date.fromisoformat(later) + timedelta(days=1)).isoformat()
    result = cli("today", "--json", env={"GAPCLI_TODAY": later})
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    reviews = [s["topic"] for s in data["sessions"] if s["why"] == "review"]
    assert "la-visual" in reviews
    assert sum(s["minutes"] for s in data["sessions"]) <= 120 * 25 // 100  # the share
