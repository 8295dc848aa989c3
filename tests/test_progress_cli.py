"""log-progress, history, edit/remove and undo through the CLI, on real SQLite files."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def sessions(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM study_session").fetchone()[0])
    finally:
        conn.close()


def gap_of(cli, domain: str) -> float:  # type: ignore[no-untyped-def]
    data = json.loads(cli("gaps", "--all", "--json").stdout)
    return next(d["gap"] for d in data["domains"] if d["id"] == domain)


def test_log_topic_moves_current_and_gap(cli, demo):  # type: ignore[no-untyped-def]
    before = gap_of(cli, "rag")
    result = cli("log-progress", "rag-production", "--hours", "1", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["current_after"] > data["current_before"]
    assert gap_of(cli, "rag") < before


def test_done_topic_leaves_the_plan(cli, demo):  # type: ignore[no-untyped-def]
    plan = json.loads(cli("plan", "--json").stdout)
    first = plan["items"][0]["topic"]
    assert cli("log-progress", first, "--done").exit_code == 0
    after = json.loads(cli("plan", "--json").stdout)
    assert first not in [i["topic"] for i in after["items"]]
    assert after["total_hours"] <= plan["total_hours"]


def test_name_and_typo(cli, demo):  # type: ignore[no-untyped-def]
    assert cli("log-progress", "linear algebra, VISUALLY", "--minutes", "30").exit_code == 0
    bad = cli("log-progress", "la-visal", "--hours", "1")
    assert bad.exit_code == 1
    assert "did you mean 'la-visual'" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--hours", "0"],
        ["--hours", "-1"],
        ["--hours", "25"],
        ["--minutes", "0.2"],
        ["--hours", "1", "--minutes", "5"],
        ["--hours", "1", "--date", "2999-01-01"],
        ["--hours", "1", "--date", "2026-02-30"],
        ["--hours", "1", "--date", "yesterday"],
        ["--hours", "1", "--note", "x" * 5000],
        [],
    ],
)
def test_bad_input_stores_nothing(cli, demo, args):  # type: ignore[no-untyped-def]
    before = dump(demo)
    result = cli("log-progress", "la-visual", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("gapcli: error:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(demo) == before


def test_done_on_a_domain_is_refused(cli, demo):  # type: ignore[no-untyped-def]
    assert cli("log-progress", "rag", "--done").exit_code == 1


def test_history_edit_remove_undo(cli, demo):  # type: ignore[no-untyped-def]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert cli("log-progress", "la-visual", "--hours", "30", "--minutes", "1").exit_code == 1
    assert cli("log-progress", "la-visual", "--minutes", "30", "--date", yesterday).exit_code == 0
    assert (
        cli("log-progress", "rag", "--hours", "2", "--note", "read\x1b]52;c;x\x07").exit_code == 0
    )
    hist = json.loads(cli("history", "--json").stdout)
    assert [s["hours"] for s in hist["sessions"]] == [0.5, 2]
    assert hist["from"] == yesterday
    text = cli("history").stdout
    assert "\x1b" not in text and "from " + yesterday in text
    sid = hist["sessions"][1]["id"]
    assert cli("history", "edit", str(sid), "--minutes", "30").exit_code == 0
    assert json.loads(cli("history", "--json").stdout)["sessions"][1]["hours"] == 0.5
    assert cli("history", "remove", str(sid)).exit_code == 1  # no --yes, stdin not a terminal
    assert cli("history", "remove", str(sid), "--yes").exit_code == 0
    assert len(json.loads(cli("history", "--json").stdout)["sessions"]) == 1
    assert cli("undo", "--yes").exit_code == 0  # the removal
    assert cli("undo", "--yes").exit_code == 0  # the edit
    restored = json.loads(cli("history", "--json").stdout)["sessions"]
    assert [s["hours"] for s in restored] == [0.5, 2]
    assert cli("undo", "--yes").exit_code == 0  # the 2 h log
    assert cli("undo", "--yes").exit_code == 0  # the 30 min log
    assert json.loads(cli("history", "--json").stdout)["sessions"] == []
    assert "nothing to undo" in cli("undo", "--yes").stderr


def test_undo_an_assessment(cli, demo):  # type: ignore[no-untyped-def]
    assert cli("assess", "rag", "--current", "85").exit_code == 0
    assert cli("undo", "--yes").exit_code == 0
    rag = next(d for d in json.loads(cli("gaps", "--json").stdout)["domains"] if d["id"] == "rag")
    assert rag["current"] == 80


def test_forecast_is_absent_without_history(cli, demo):  # type: ignore[no-untyped-def]
    data = json.loads(cli("plan", "--json").stdout)
    assert data["forecast"]["finish"] is None
    assert data["forecast"]["reason"]


def test_forecast_at_measured_pace(cli, demo):  # type: ignore[no-untyped-def]
    for back in (20, 15, 10, 5):
        day = (date.today() - timedelta(days=back)).isoformat()
        assert cli("log-progress", "rag", "--hours", "1", "--date", day).exit_code == 0
    forecast = json.loads(cli("plan", "--json").stdout)["forecast"]
    assert forecast["finish"] is not None
    assert date.fromisoformat(forecast["finish"]) >= date.today()
    assert forecast["behind"] is True


def _gapcli(db: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GAPCLI_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "gapcli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_processes_log_at_once(demo):  # type: ignore[no-untyped-def]
    procs = [_gapcli(demo, "log-progress", "rag", "--minutes", "10") for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    assert sessions(demo) == 4


@pytest.mark.slow
def test_kill_9_during_writes_leaves_whole_logs(demo):  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    ok = 0
    for _ in range(25):
        p = _gapcli(demo, "log-progress", "rag", "--minutes", "5")
        time.sleep(rng.uniform(0.05, 0.6))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.wait()
        ok += p.returncode == 0
    conn = sqlite3.connect(demo)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM study_session").fetchone()[0]
    orphans = conn.execute(
        "SELECT count(*) FROM change WHERE kind='log' AND id NOT IN "
        "(SELECT change_id FROM study_session)"
    ).fetchone()[0]
    conn.close()
    assert ok <= stored <= 25
    assert orphans == 0
    check = subprocess.run(
        [sys.executable, "-m", "gapcli", "db", "check"],
        env={**os.environ, "GAPCLI_DB": str(demo)},
        capture_output=True,
    )
    assert check.returncode == 0, check.stderr
