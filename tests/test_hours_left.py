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
    """A learner who started three weeks ago: assessments, logs, a done and a to-do mark
    and a math level over the weeks; every Sunday ``gaps --json`` is asked for its total,
    and the replay today must give those totals back."""
    monday = week_start(TODAY) - timedelta(weeks=3)

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
        ("log-progress", "it-cross-entropy", "--minutes", "60"),
    ]
    for week in range(3):
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
