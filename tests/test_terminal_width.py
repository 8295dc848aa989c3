"""Every command at 40, 60, 80 and 120 columns: nothing too wide, nothing cut mid-word.

The learner of these tests has logged weeks of sessions (with notes), an
assessment in the past, an away range and a note, so every view has rows.
Names, dates, ids and hours must appear whole (a wrapped line breaks between
words only); lines never pass the width, except one that holds a single word
longer than the width (a URL, never cut so that it stays clickable).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gapcli.render.terminal import err, out
from tests.conftest import TODAY

WIDTHS = (40, 60, 80, 120)
COMMANDS = (
    ("gaps",),
    ("gaps", "--all"),
    ("plan",),
    ("plan", "--days", "--weeks", "2"),
    ("history",),
    ("today",),
    ("reviews",),
    ("roadmap",),
    ("roadmap", "rag"),
    ("notes",),
    ("away", "list"),
    ("config",),
    ("catalog", "list"),
    ("catalog", "list", "--kind", "topics"),
    ("catalog", "list", "--kind", "papers"),
    ("catalog", "list", "--kind", "levels"),
    ("catalog", "show", "rag"),
    ("plan", "--by", (TODAY + timedelta(days=300)).isoformat()),
)
SESSIONS = (  # topic, days ago, minutes, note
    ("la-visual", 3, 90, "chapters 1-4 of the linear algebra series"),
    ("rag-chunking-loaders", 10, 45, None),
    ("ps-distributions", 17, 60, "exercises on the binomial distribution"),
    ("la-visual", 24, 30, None),
    ("rag", 40, 120, None),
)


@pytest.fixture(scope="module")
def learner(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo learner with sessions, a past assessment, an away range and a note."""
    from typer.testing import CliRunner

    from gapcli.cli import app
    from tests.conftest import copy_db

    path = tmp_path_factory.mktemp("narrow") / "learner.db"
    copy_db(demo_template, path)
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(app, ["--db", str(path), *args], env={"GAPCLI_CATALOG": None})
        assert result.exit_code == 0, (args, result.stderr)

    old = (TODAY - timedelta(days=60)).isoformat()
    run("assess", "rag", "--current", "60", "--date", old)
    run("assess", "multimodal", "--current", "20", "--date", old)
    for topic, ago, minutes, note in SESSIONS:
        day = (TODAY - timedelta(days=ago)).isoformat()
        extra = ["--note", note] if note else []
        run("log-progress", topic, "--minutes", str(minutes), "--date", day, *extra)
    run("log-progress", "ps-distributions", "--done")
    away = TODAY - timedelta(days=30)
    run("away", "add", away.isoformat(), (away + timedelta(days=4)).isoformat(), "--note", "trip")
    run("note", "la-visual", "Left off at eigenvectors; the animation of shear helps most")
    yield path


@pytest.fixture
def at_width(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Sets COLUMNS and rebuilds the cached consoles, which read it once."""

    def set_width(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))
        out.cache_clear()
        err.cache_clear()

    yield set_width
    out.cache_clear()
    err.cache_clear()


def whole(word: str, text: str) -> bool:
    """``word`` appears in ``text`` with no letter, digit or hyphen glued to either side."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def too_wide(text: str, width: int) -> list[str]:
    return [ln for ln in text.splitlines() if len(ln) > width and len(ln.split()) > 1]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_fits(
    cli: Any, learner: Path, at_width: Any, width: int, command: tuple[str, ...]
) -> None:
    at_width(width)
    result = cli("--db", str(learner), *command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert too_wide(result.stdout, width) == []
    for token in re.findall(r"\S+", result.stdout):  # a date cut in two leaves a stub
        assert not re.fullmatch(r"\(?20\d\d-[\d-]{0,4}[.,;:)]?", token), token


@pytest.mark.parametrize("width", WIDTHS)
def test_gaps_keeps_names_and_hours(cli: Any, learner: Path, at_width: Any, width: int) -> None:
    data = json.loads(cli("--db", str(learner), "gaps", "--json").stdout)
    at_width(width)
    text = cli("--db", str(learner), "gaps").stdout
    header = next(ln for ln in text.splitlines() if ln.startswith("domain"))
    assert {"now", "gap", "hours"} <= set(header.split())
    for domain in data["domains"]:
        for word in domain["name"].split():
            assert whole(word, text), (word, width)
        assert whole(f"{domain['hours_to_close']:g}", text)
    if width >= 80:  # wide enough for everything
        assert {"target", "progress", "math"} <= set(header.split())
    if width == 40:  # the bar is the first to go
        assert "progress" not in header.split()


@pytest.mark.parametrize("width", WIDTHS)
def test_history_keeps_ids_dates_and_topics(
    cli: Any, learner: Path, at_width: Any, width: int
) -> None:
    sessions = json.loads(cli("--db", str(learner), "history", "--json").stdout)["sessions"]
    at_width(width)
    text = cli("--db", str(learner), "history").stdout
    for s in sessions:
        for word in (s["date"], s["topic"] or s["domain"], str(s["id"])):
            assert whole(word, text), (word, width)
    if width >= 80:
        assert all(whole(w, text) for w in SESSIONS[0][3].split())  # notes shown when room


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_keeps_dates_topics_and_hours(
    cli: Any, learner: Path, at_width: Any, width: int
) -> None:
    plan = json.loads(cli("--db", str(learner), "plan", "--json").stdout)
    at_width(width)
    text = cli("--db", str(learner), "plan").stdout
    next_week = (TODAY + timedelta(days=7 - TODAY.weekday())).isoformat()
    first_weeks = [i for i in plan["items"] if i["sessions"][0]["date"] < next_week]
    assert first_weeks  # the shown weeks (the default --weeks) start with these
    for item in first_weeks:
        assert all(whole(w, text) for w in item["name"].split()), (item["name"], width)
        week = sum(h["hours"] for h in item["sessions"] if h["date"] < next_week)
        assert whole(f"{round(week, 1):g}", text), (item["name"], week, width)
    assert whole(plan["start"], text)


def test_heatmap_and_sparkline_are_drawn(cli: Any, learner: Path, at_width: Any) -> None:
    at_width(80)
    history = cli("--db", str(learner), "history").stdout
    rows = [ln for ln in history.splitlines() if ln[:4] in {"Mon ", "Tue ", "Sun "}]
    assert len(rows) == 3
    assert "Study days, " in history and "less" in history and "× away" in history
    assert any("×" in ln for ln in history.splitlines() if ln[:3] in {"Mon", "Tue", "Wed"})
    gaps = cli("--db", str(learner), "gaps").stdout
    assert "Hours left at each week's end since" in gaps
    spark = next(ln for ln in gaps.splitlines() if re.match(r"\s+[▁▂▃▄▅▆▇█]{2,}\s", ln))
    total = json.loads(cli("--db", str(learner), "gaps", "--json").stdout)["total_hours"]
    assert spark.rstrip().endswith(f"-> {total:g} h")


def test_json_paths_unchanged(cli: Any, learner: Path) -> None:
    """No chart data leaks into --json: history and gaps keep their keys."""
    history = json.loads(cli("--db", str(learner), "history", "--json").stdout)
    assert set(history) == {
        "from",
        "to",
        "domain",
        "sessions",
        "weekly_hours",
        "streak",
        "pace",
        "pace_weeks",
        "progress",
    }
    gaps = json.loads(cli("--db", str(learner), "gaps", "--json").stdout)
    assert not {"hours_left", "sparkline", "heatmap"} & set(gaps)


def test_a_pipe_without_columns_keeps_lines_whole(
    cli: Any, learner: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain lines wrap only for a terminal or a COLUMNS: ``gapcli reviews | grep`` sees
    each item on one line."""
    monkeypatch.delenv("COLUMNS")
    text = cli("--db", str(learner), "notes").stdout
    assert any(
        ln.startswith("    Left off at eigenvectors; the animation") for ln in text.splitlines()
    )
