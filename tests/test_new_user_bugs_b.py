"""A new user's report (issue 12, section 5, items 5 and 6), one regression test each.

Backfilling the past with ``assess --date`` and ``log-progress --date``, the pace
against the weeks on screen, editing notes, prompts and Ctrl-C, math levels, and
the wording of counts and messages.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import dump, rows, wait_for

ANSWERS_TO_KEEP = "\n" * 18  # Enter for current and target of the 9 demo domains

TINY_CATALOG = """\
catalog: 1
id: tiny
name: Tiny web catalog
domains:
  - id: web
    name: Web basics
    target: 80
    topics:
      - {id: html, name: HTML, hours: 2}
      - {id: css, name: CSS, hours: 2}
tracks:
  - id: web-track
    name: Web track
    domains: [web]
"""


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("gapcli: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def local_day(stored: str) -> date:
    """The learner's local date of a stored moment (naive UTC text)."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone().date()


def deepest_parentheses(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def history(cli: Any, *args: str) -> dict[str, Any]:
    result = cli("history", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def rag_now(cli: Any) -> float:
    domains = json.loads(cli("gaps", "--json", "--all").stdout)["domains"]
    current: float = next(d for d in domains if d["id"] == "rag")["current"]
    return current


# --- 5. backfilling ------------------------------------------------------------------


def test_sessions_logged_before_the_first_assessment_never_lower_the_history(
    cli: Any, demo: Path, today: date
) -> None:
    """Assess today, then log six past weeks: history starts at the assessment (80 %)."""
    for weeks in range(6, 0, -1):
        day = (today - timedelta(weeks=weeks)).isoformat()
        result = cli("log-progress", "rag-why", "--minutes", "10", "--date", day)
        assert result.exit_code == 0, result.stderr
    points = history(cli)["progress"]["rag"]
    assert points == [{"date": today.isoformat(), "current": 80}]
    assert "rag: 80% (" in cli("history").stdout


def test_assess_date_sets_the_baseline_in_the_past(cli: Any, demo: Path, today: date) -> None:
    six_weeks_ago = today - timedelta(weeks=6)
    result = cli("assess", "rag", "--current", "20", "--date", six_weeks_ago.isoformat())
    assert result.exit_code == 0, result.stderr
    stored = rows(demo, "SELECT at, current FROM assessment ORDER BY id DESC LIMIT 1")[0]
    assert local_day(stored[0]) == six_weeks_ago and stored[1] == 20
    # the newer assessment (the demo's 80 %, today) stays the current one, and says so
    assert rag_now(cli) == 80
    assert "stays current" in result.stderr
    for weeks in (5, 3, 1):
        day = (today - timedelta(weeks=weeks)).isoformat()
        assert cli("log-progress", "rag-production", "--hours", "1", "--date", day).exit_code == 0
    points = history(cli)["progress"]["rag"]
    assert points[0] == {"date": six_weeks_ago.isoformat(), "current": 20}
    # today: the demo's 80 % plus the hours logged on rag's last topic since
    assert points[-1] == {"date": today.isoformat(), "current": rag_now(cli)}
    assert rag_now(cli) > 80
    assert all(p["current"] >= 20 for p in points)
    assert [p["date"] for p in points] == sorted(p["date"] for p in points)


def test_assess_date_for_math_level_and_file(
    cli: Any, demo: Path, today: date, tmp_path: Path
) -> None:
    day = today - timedelta(days=10)
    result = cli("assess", "--math-level", "light", "--date", day.isoformat())
    assert result.exit_code == 0, result.stderr
    at = rows(demo, "SELECT at FROM math_assessment ORDER BY id DESC LIMIT 1")[0][0]
    assert local_day(at) == day
    # the demo's math level (none) was set today: it stays the learner's level
    assert "newer math level, none, stays current" in result.stderr
    assert json.loads(cli("gaps", "--json").stdout)["math_level"] == "none"
    path = tmp_path / "then.yaml"
    path.write_text("multimodal: 10\nmlops: {current: 20}\n", encoding="utf-8")
    result = cli("assess", "--file", str(path), "--date", day.isoformat())
    assert result.exit_code == 0, result.stderr
    stamps = rows(demo, "SELECT at FROM assessment ORDER BY id DESC LIMIT 2")
    assert [local_day(at) for (at,) in stamps] == [day, day]
    # the demo's assessments of today stay current
    domains = {d["id"]: d for d in json.loads(cli("gaps", "--json").stdout)["domains"]}
    assert domains["multimodal"]["current"] == 40 and domains["mlops"]["current"] == 50


def test_the_assessment_dated_last_is_the_current_one(
    cli: Any, db_path: Path, today: date
) -> None:
    assert cli("init").exit_code == 0
    days = {n: (today - timedelta(days=n)).isoformat() for n in (5, 20, 30)}
    assert cli("assess", "rag", "-c", "30", "--date", days[20]).exit_code == 0
    assert rag_now(cli) == 30
    older = cli("assess", "rag", "-c", "50", "--date", days[30])
    assert older.exit_code == 0, older.stderr
    assert "rag's newer assessment, 30%→90%, stays current" in older.stderr
    assert rag_now(cli) == 30
    newer = cli("assess", "rag", "-c", "60", "--date", days[5])
    assert newer.exit_code == 0 and "stays current" not in newer.stderr
    assert rag_now(cli) == 60
    points = history(cli)["progress"]["rag"]
    assert [(p["date"], p["current"]) for p in points] == [
        (days[30], 50),
        (days[20], 30),
        (days[5], 60),
    ]


@pytest.fixture
def far_time_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The process's local time zone set to ``request.param``, and restored after."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


# Between them, these two zones put the local date apart from the UTC date at any hour.
@pytest.mark.parametrize("far_time_zone", ["Pacific/Kiritimati", "Etc/GMT+12"], indirect=True)
def test_history_shows_assessments_on_their_local_date(
    cli: Any, db_path: Path, today: date, far_time_zone: str
) -> None:
    back = (today - timedelta(days=9)).isoformat()
    assert cli("init").exit_code == 0
    assert cli("assess", "rag", "-c", "50").exit_code == 0
    assert cli("assess", "rag", "-c", "20", "--date", back).exit_code == 0
    points = history(cli)["progress"]["rag"]
    assert [(p["date"], p["current"]) for p in points] == [(back, 20), (today.isoformat(), 50)]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["rag", "-c", "20", "--date", "TOMORROW"], "future"),
        (["--math-level", "light", "--date", "TOMORROW"], "future"),
        (["rag", "-c", "20", "--date", "2026-13-01"], "YYYY-MM-DD"),
        (["rag", "-c", "20", "--date", "1999-12-31"], "too far in the past"),
        (["--date", "2026-01-01"], "--date"),
    ],
    ids=["future", "future-math", "bad", "ancient", "nothing-to-date"],
)
def test_assess_date_refuses_bad_days(
    cli: Any, demo: Path, today: date, args: list[str], needle: str
) -> None:
    tomorrow = (today + timedelta(days=1)).isoformat()
    before = dump(demo)
    result = cli("assess", *[tomorrow if a == "TOMORROW" else a for a in args])
    assert result.exit_code == 1
    assert needle in one_error_line(result.stderr)
    assert result.stdout == ""
    assert dump(demo) == before


# --- 6. edit, since, pace -----------------------------------------------------------------


def test_history_edit_clears_a_note_and_shows_it(cli: Any, demo: Path) -> None:
    assert cli("log-progress", "rag", "--hours", "1", "--note", "chapter 3").exit_code == 0
    session = str(history(cli)["sessions"][-1]["id"])
    changed = cli("history", "edit", session, "--note", "chapter 4")
    assert changed.exit_code == 0, changed.stderr
    assert "chapter 3" in changed.stdout and "chapter 4" in changed.stdout
    cleared = cli("history", "edit", session, "--note", "")
    assert cleared.exit_code == 0, cleared.stderr
    assert "chapter 4" in cleared.stdout and "no note" in cleared.stdout
    assert history(cli)["sessions"][-1]["note"] is None
    assert cli("undo", "--yes").exit_code == 0  # undo brings the note back
    assert history(cli)["sessions"][-1]["note"] == "chapter 4"


def test_history_edit_help_states_its_real_defaults(cli: Any) -> None:
    text = cli("history", "edit", "--help").stdout
    assert "default: today" not in text  # an edit keeps the day unless --date is given
    assert "unchanged" in text


def test_history_since_a_future_day_is_refused(cli: Any, demo: Path, today: date) -> None:
    later = (today + timedelta(days=3)).isoformat()
    for args in (["history", "--since", later], ["history", "--json", "--since", later]):
        result = cli(*args)
        assert result.exit_code == 1
        line = one_error_line(result.stderr)
        assert later in line and "future" in line
        assert result.stdout == ""
    assert cli("history", "--since", today.isoformat()).exit_code == 0


def test_pace_is_the_average_of_the_four_full_weeks_on_screen(
    cli: Any, demo: Path, today: date
) -> None:
    this_week = today - timedelta(days=today.weekday())
    weeks = [this_week - timedelta(weeks=n) for n in (4, 3, 2, 1)]
    for monday in weeks:
        assert (
            cli("log-progress", "rag", "--hours", "2", "--date", monday.isoformat()).exit_code == 0
        )
    assert cli("log-progress", "rag", "--hours", "3").exit_code == 0  # this week: not yet
    data = history(cli)
    shown = {w["week"]: w["hours"] for w in data["weekly_hours"]}
    assert [shown[w.isoformat()] for w in weeks] == [2, 2, 2, 2]
    assert data["pace"] == 2
    assert data["pace_weeks"] == {
        "from": weeks[0].isoformat(),
        "to": (this_week - timedelta(days=1)).isoformat(),
    }
    text = cli("history").stdout
    assert f"{weeks[0]:%Y-%m-%d} to {this_week - timedelta(days=1):%Y-%m-%d}" in text
    assert "so far" in text  # the current week is marked as partial
    assert json.loads(cli("plan", "--json").stdout)["forecast"]["pace"] == 2


# --- 6. prompts and Ctrl-C -----------------------------------------------------------------


def _gapcli(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gapcli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        **kwargs,
    )


def test_interactive_assess_without_a_terminal_writes_only_its_result(demo: Path) -> None:
    proc = _gapcli("assess", "-i", stdin=subprocess.PIPE)
    out, err = proc.communicate((ANSWERS_TO_KEEP + "light\n").encode(), timeout=60)
    assert proc.returncode == 0, err
    assert out.decode() == "Saved math level light\n"  # the answers kept as shown are not
    assert b"LLM Concepts & Internals: current %" in err


def _answer_prompt(command: list[str], answer: bytes | None) -> tuple[int, bytes, bytes]:
    """Run gapcli on a terminal; at its [y/N] prompt type ``answer``, or Ctrl-C if None."""
    primary, secondary = os.openpty()  # stdin is a terminal, so gapcli asks
    try:
        proc = _gapcli(*command, stdin=secondary)
        try:
            assert b"[y/N]" in wait_for(proc.stderr, b"[y/N]")
            if answer is None:
                proc.send_signal(signal.SIGINT)  # what Ctrl-C at the prompt sends
            else:
                os.write(primary, answer)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        os.close(primary)
        os.close(secondary)
    return proc.returncode, out, err


@pytest.mark.parametrize(
    ("command", "answer", "code", "message"),
    [
        (["history", "remove", "1"], None, 130, "interrupted; nothing was saved"),
        (["undo"], None, 130, "interrupted; nothing was saved"),
        (["history", "remove", "1"], b"n\n", 1, "you answered no; nothing was changed"),
    ],
    ids=["remove-ctrl-c", "undo-ctrl-c", "remove-no"],
)
def test_ctrl_c_or_no_at_a_confirmation_is_one_gapcli_line(
    cli: Any, demo: Path, command: list[str], answer: bytes | None, code: int, message: str
) -> None:
    assert cli("log-progress", "rag", "--hours", "1").exit_code == 0
    before = dump(demo)
    returncode, out, err = _answer_prompt(command, answer)
    assert returncode == code
    assert err.decode().splitlines()[-1] == f"gapcli: error: {message}"
    assert b"Aborted" not in err and b"Traceback" not in err
    assert out == b""
    assert dump(demo) == before


# --- 6. math levels ---------------------------------------------------------------------


def test_a_domain_with_only_a_math_level_sets_the_math_level(cli: Any, demo: Path) -> None:
    assert cli("assess", "--math-level", "light").exit_code == 0
    count = len(rows(demo, "SELECT id FROM assessment"))
    result = cli("assess", "rag", "--math-level", "none")
    assert result.exit_code == 0, result.stderr
    assert rows(demo, "SELECT level FROM math_assessment ORDER BY id DESC LIMIT 1") == [("none",)]
    assert len(rows(demo, "SELECT id FROM assessment")) == count  # rag untouched
    assert "rag" in result.stderr and "unchanged" in result.stderr
    before = dump(demo)
    typo = cli("assess", "rga-typo", "--math-level", "none")
    assert typo.exit_code == 1 and "unknown domain" in one_error_line(typo.stderr)
    assert dump(demo) == before


def test_a_catalog_without_math_levels_says_nothing_about_maths(
    cli: Any, db_path: Path, tmp_path: Path
) -> None:
    catalog = tmp_path / "tiny.yaml"
    catalog.write_text(TINY_CATALOG, encoding="utf-8")
    valid = cli("catalog", "validate", str(catalog)).stdout
    assert "1 domain, 2 topics, 4 h, 1 track\n" in valid  # and counts agree
    assert cli("--catalog", str(catalog), "init").exit_code == 0
    assert cli("--catalog", str(catalog), "assess", "web", "-c", "10").exit_code == 0
    gaps = cli("--catalog", str(catalog), "gaps")
    assert gaps.exit_code == 0, gaps.stderr
    assert "Web basics" in gaps.stdout
    assert "math" not in gaps.stdout.lower()
    export = cli("--catalog", str(catalog), "export")
    assert export.exit_code == 0, export.stderr
    assert "math" not in export.stdout.lower()


# --- 6. grammar -----------------------------------------------------------------------


def test_plural_helper() -> None:
    from gapcli.domain.words import plural

    assert plural(1, "assessment") == "1 assessment"
    assert plural(0, "assessment") == "0 assessments"
    assert plural(2, "entry", "entries") == "2 entries"


def test_counts_of_one_are_singular(cli: Any, demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("rag: 85\n", encoding="utf-8")
    saved = cli("assess", "--file", str(path))
    assert saved.exit_code == 0, saved.stderr
    assert f"Saved 1 assessment from {path}" in saved.stdout
    check = cli("db", "check")
    assert "1 math assessment row," in check.stdout
    assert "1 assessments" not in saved.stdout + check.stdout


def test_markdown_totals_read_as_a_sentence(cli: Any, demo: Path) -> None:
    text = cli("export").stdout
    assert "h of study to close every gap." in text
    assert "study close every gap" not in text


def test_messages_have_no_nested_parentheses(cli: Any, demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("", encoding="utf-8")
    assert cli("log-progress", "rag", "--hours", "1").exit_code == 0
    runs = [
        cli("--db", str(tmp_path / "new.db"), "import", str(bad)),
        cli("undo"),  # stdin is not a terminal: refused, naming the change and its time
        cli("history"),
        cli("gaps"),
    ]
    for result in runs:
        for line in (result.stdout + result.stderr).splitlines():
            assert deepest_parentheses(line) <= 1, line
            assert ") (" not in line, line
