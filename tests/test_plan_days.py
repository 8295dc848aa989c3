"""``gapcli plan --days`` and the Markdown export's days (issue 15): each study day's sessions.

The days are another view of the same plan: every session of ``plan --json``
appears on its day, in study order, and nothing else does.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def sessions_by_day(plan: dict[str, Any]) -> dict[str, list[str]]:
    """The topics studied on each day, from ``plan --json``'s items, in plan order."""
    days: dict[str, list[str]] = defaultdict(list)
    for item in plan["items"]:
        for session in item["sessions"]:
            days[session["date"]].append(item["topic"])
    return dict(days)


def span(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def test_days_json_holds_every_session_on_its_day(cli: Any, demo: Path) -> None:
    data = json.loads(ok(cli, "plan", "--days", "--json").stdout)
    days = data["days"]
    assert [d["date"] for d in days] == sorted(sessions_by_day(data))
    assert {d["date"]: [s["topic"] for s in d["sessions"]] for d in days} == sessions_by_day(data)
    minutes = 0
    for day in days:
        weekday = date.fromisoformat(day["date"]).weekday()
        assert day["weekday"] == DAY_NAMES[weekday] and day["weekday"] in data["study_days"]
        day_minutes = sum(s["minutes"] for s in day["sessions"])
        assert 0 < day_minutes <= 24 * 60
        minutes += day_minutes
    assert abs(minutes / 60 - data["total_hours"] - data["review_hours"]) < 0.01
    assert "days" not in json.loads(ok(cli, "plan", "--json").stdout)


def test_days_view_lists_each_study_day_with_its_sessions(cli: Any, demo: Path) -> None:
    days = json.loads(ok(cli, "plan", "--days", "--json").stdout)["days"]
    text = ok(cli, "plan", "--days", "--weeks", "2").stdout
    names = {
        t["id"]: t["name"]
        for t in json.loads(ok(cli, "catalog", "list", "--kind", "topics", "--json").stdout)
    }
    first_monday = date.fromisoformat(days[0]["date"]) - timedelta(
        days=date.fromisoformat(days[0]["date"]).weekday()
    )
    shown = [d for d in days if date.fromisoformat(d["date"]) < first_monday + timedelta(weeks=2)]
    hidden = [d for d in days if d not in shown]
    lines = text.splitlines()
    for day in shown:
        row = next(i for i, line in enumerate(lines) if line.strip().startswith(day["date"]))
        assert lines[row].split()[1] == day["weekday"]
        for offset, session in enumerate(day["sessions"]):
            line = lines[row + offset]
            assert names[session["topic"]].split()[0] in line
            assert line.rstrip().endswith(span(session["minutes"]))
            assert ("(review)" in line) == (session["why"] == "review"), line
    assert any(s["why"] == "review" for d in shown for s in d["sessions"])
    rows = {line.split()[0] for line in lines if re.match(r"\s*\d{4}-\d{2}-\d{2}\s", line)}
    assert hidden and rows == {d["date"] for d in shown}
    assert "weeks more (drop --weeks to see all)" in text
    assert "Finish: " in text
    assert "week of" not in text  # days instead of weeks


def test_markdown_plan_lists_the_days_under_each_week(cli: Any, demo: Path) -> None:
    plan = json.loads(ok(cli, "plan", "--days", "--json").stdout)
    names = {
        t["id"]: t["name"]
        for t in json.loads(ok(cli, "catalog", "list", "--kind", "topics", "--json").stdout)
    }
    text = ok(cli, "export", "--weeks", "3").stdout
    tokens = MarkdownIt("commonmark").parse(text)
    week = None
    found: dict[str, str] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tokens[i - 1].tag == "h3":
            week = date.fromisoformat(tok.content.removeprefix("Week of "))
        match = re.fullmatch(r"([A-Z][a-z]{2}) (\d{4}-\d{2}-\d{2}): (.+)", tok.content)
        if tok.type == "inline" and match:
            day = date.fromisoformat(match[2])
            assert week is not None and week <= day < week + timedelta(days=7)
            assert match[1].lower() == DAY_NAMES[day.weekday()]
            found[match[2]] = match[3]
    expected = {
        d["date"]: d
        for d in plan["days"]
        if date.fromisoformat(d["date"]) < week + timedelta(days=7)
    }
    assert set(found) == set(expected)
    for day, listed in found.items():
        want = ", ".join(
            ("Review: " if s["why"] == "review" else "")
            + f"{names[s['topic']]} ({span(s['minutes'])})"
            for s in expected[day]["sessions"]
        )
        assert listed.replace("\\-", "-") == want
    assert text.count("Day by day:") == 3
