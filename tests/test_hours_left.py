"""The sparkline's replay: each past week's point is what ``gaps`` said at that week's end."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from gapcli.domain.pace import week_start
from gapcli.render.numbers import num
from gapcli.services.hours_left import hours_left_by_week
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace
from tests.conftest import TODAY


def test_each_week_is_what_gaps_said_then(cli: Any, db_path: Path) -> None:
    """A learner who started four weeks ago: assessments, logs, done and to-do marks (one
    to-do topic finished, its domain assessed again after) and a math level over the
    weeks; every Sunday ``gaps --json`` is asked for its total, and the replay today
    must give those totals back."""
    monday = week_start(TODAY) - timedelta(weeks=4)

    def on(day: Any, *args: str) -> Any:
        result = cli(*args, env={"GAPCLI_TODAY": day.isoformat()})
        assert result.exit_code == 0, (args, result.stderr)
        return result

    on(monday, "--db", str(db_path), "init", "--demo")
    said: dict[Any, float] = {}
    steps = [
        ("log-progress", "ps-distributions", "--minutes", "90", "--done"),
        ("assess", "rag", "--current", "85"),
        ("log-progress", "mm-vision-prompting", "--minutes", "45"),
        ("assess", "--math-level", "medium"),
        ("log-progress", "la-visual", "--todo"),
        ("log-progress", "ft-lora-mechanics", "--minutes", "60", "--done"),  # the demo's to-do
        ("log-progress", "it-cross-entropy", "--minutes", "60"),
        ("assess", "fine-tuning", "--current", "70"),
    ]
    for week in range(4):
        for n, step in enumerate(steps[2 * week : 2 * week + 2]):
            on(monday + timedelta(weeks=week, days=2 * n), *step)
        sunday = monday + timedelta(weeks=week, days=6)
        said[sunday] = json.loads(on(sunday, "gaps", "--json").stdout)["total_hours"]
    ws = Workspace()
    points = dict(hours_left_by_week(ws, snapshot(ws), TODAY))
    now = json.loads(on(TODAY, "gaps", "--json").stdout)["total_hours"]
    assert list(points) == [*said, TODAY]
    assert [num(points[d]) for d in said] == list(said.values())  # as the JSON rounds
    assert num(points[TODAY]) == now
    assert len(set(said.values())) > 1  # the steps moved the total: a real test


def test_nothing_before_the_first_assessment(cli: Any, db_path: Path) -> None:
    assert cli("--db", str(db_path), "init", "--demo").exit_code == 0
    ws = Workspace()
    [(day, hours)] = hours_left_by_week(ws, snapshot(ws), TODAY)
    assert (day, num(hours)) == (TODAY, json.loads(cli("gaps", "--json").stdout)["total_hours"])


def test_the_sparkline_and_the_burn_down_are_one_replay(cli: Any, db_path: Path) -> None:
    """The weeks ``gaps`` draws are the report's burn-down's last weeks, number for number.

    The learner assesses a second domain weeks after the first (a rule that left
    a domain out until its first assessment would lower the early weeks in one
    of the two) and marks a topic done with an earlier ``--date`` after a to-do
    (the mark saved last stands, as the store reads it)."""
    from gapcli.services.export import gather
    from gapcli.services.report import report_view

    monday = week_start(TODAY) - timedelta(weeks=5)

    def on(day: Any, *args: str) -> Any:
        result = cli(*args, env={"GAPCLI_TODAY": day.isoformat()})
        assert result.exit_code == 0, (args, result.stderr)
        return result

    on(monday, "--db", str(db_path), "init")
    on(monday, "assess", "rag", "--current", "10")
    on(monday + timedelta(weeks=1), "log-progress", "rag-chunking-loaders", "--minutes", "120")
    on(monday + timedelta(weeks=2), "assess", "multimodal", "--current", "30")
    on(monday + timedelta(weeks=3), "log-progress", "mm-vision-prompting", "--todo")
    back = (monday + timedelta(weeks=2, days=1)).isoformat()
    on(
        monday + timedelta(weeks=3, days=1),
        "log-progress",
        "mm-vision-prompting",
        "--done",
        "--date",
        back,
    )
    on(monday + timedelta(weeks=4), "log-progress", "rag-embeddings", "--done")
    ws = Workspace()
    snap = snapshot(ws)
    burn = report_view(gather(ws, start=TODAY, today=TODAY, study_time=None)).burndown.past
    for weeks in (3, 26):
        line = hours_left_by_week(ws, snap, TODAY, weeks)
        assert line == list(burn[-weeks:])
    assert [d for d, _ in burn] == [monday + timedelta(weeks=w, days=6) for w in range(5)] + [
        TODAY
    ]
    now = json.loads(on(TODAY, "gaps", "--json").stdout)["total_hours"]
    assert num(burn[-1][1]) == now
    assert len({h for _, h in burn}) >= 3  # the steps moved the line
