"""log-progress, history, edit/remove and undo through the CLI, on real SQLite files."""

from __future__ import annotations

import itertools
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
from conftest import TODAY


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
    # Out of the new study; it comes back only as a review of a finished topic.
    assert first not in [i["topic"] for i in after["items"] if i["why"] != "review"]
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
        ["--hours", "1", "--date", "tomorrow"],
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
    yesterday = (TODAY - timedelta(days=1)).isoformat()
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
        day = (TODAY - timedelta(days=back)).isoformat()
        assert cli("log-progress", "rag", "--hours", "1", "--date", day).exit_code == 0
    forecast = json.loads(cli("plan", "--json").stdout)["forecast"]
    assert forecast["finish"] is not None
    assert date.fromisoformat(forecast["finish"]) >= TODAY
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


def _stored_logs(db: Path, day: str) -> list[str]:
    """The notes of all study sessions, after checking the file and every row is whole."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT s.note, s.minutes, s.domain_id, s.day, s.removed_at, c.kind "
            "FROM study_session s LEFT JOIN change c ON c.id = s.change_id ORDER BY s.id"
        ).fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM change WHERE kind = 'log' AND id NOT IN "
            "(SELECT change_id FROM study_session WHERE change_id IS NOT NULL)"
        ).fetchone()[0]
        assert conn.execute("SELECT count(*) FROM assessment").fetchone()[0] == 9
    finally:
        conn.close()
    assert [r for r in rows if r[1:] != (5, "rag", day, None, "log")] == []
    assert orphans == 0
    return [r[0] for r in rows]


WRITERS = 4
LOGS_EACH = 50

# One writer: imports gapcli, warms up with a read, waits at the gate, then runs
# ``gapcli log-progress`` LOGS_EACH times through the real entry point, main().
_LOGGER = """
import os, sys, time
from gapcli.cli import main

worker, gate, logs, day = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sys.argv = ["gapcli", "gaps", "--json"]
assert main() == 0
open(f"{gate}.{worker}", "w").close()
while not os.path.exists(gate):
    time.sleep(0.001)
codes = []
for i in range(logs):
    note = f"{worker}-{i}"
    sys.argv = ["gapcli", "log-progress", "rag", "-M", "5", "--date", day, "--note", note]
    codes.append(main())
sys.exit(max(codes))
"""


@pytest.mark.slow
def test_four_processes_log_fifty_times_each_at_once(demo, tmp_path):  # type: ignore[no-untyped-def]
    gate = tmp_path / "go"
    day = TODAY.isoformat()  # passed on: a run across midnight still logs one day
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _LOGGER, f"w{w}", str(gate), str(LOGS_EACH), day],
            env={**os.environ, "GAPCLI_DB": str(demo)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    waited = time.monotonic()
    while len(list(tmp_path.glob("go.*"))) < WRITERS:
        assert time.monotonic() - waited < 60, [p.poll() for p in procs]
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    gate.touch()
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * WRITERS, errors
    assert errors == [""] * WRITERS  # in particular, no "database is locked"
    stored = _stored_logs(demo, day)
    assert sorted(stored) == sorted(f"w{w}-{i}" for w in range(WRITERS) for i in range(LOGS_EACH))
    # The writers really overlapped: their rows interleave.
    writers = [note.split("-")[0] for note in stored]
    assert sum(a != b for a, b in itertools.pairwise(writers)) >= WRITERS
    check = subprocess.run(
        [sys.executable, "-m", "gapcli", "db", "check"],
        env={**os.environ, "GAPCLI_DB": str(demo)},
        capture_output=True,
    )
    assert check.returncode == 0, check.stderr


COLD_KILLS = 80  # of real ``python -m gapcli`` processes (~0.5 s of start-up each)
WARM_KILLS = 120  # of runs forked from a warm process (below)
COLD_SLOTS = 2  # real processes running at once, beside the warm killer

# Runs gapcli's ``main()`` in children forked from a process that has already
# imported everything, and kills each at a random instant of its run: its ~30 ms
# are all command work (probe, read, write, commit, checkpoint), where a start-up
# of ~0.5 s dilutes the kills of real processes. Prints what happened as JSON.
_WARM_KILLER = """
import json, os, random, signal, sys, time
from gapcli.cli import main

kills, seed, scratch, day = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(seed)
for args in (["init", "--demo"], ["log-progress", "rag", "--minutes", "5"]):
    sys.argv = ["gapcli", "--db", scratch, *args]
    assert main() == 0
devnull = os.open(os.devnull, os.O_WRONLY)
out = {"acked": [], "killed": [], "failed": []}
runs = [0.03]
n = 0
while len(out["killed"]) < kills and n < 4 * kills:
    note, n = f"w{n}", n + 1
    calibrating = n <= 3
    run_for = sorted(runs)[len(runs) // 2]
    delay = None if calibrating else rng.uniform(0.0, 1.2 * run_for)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        sys.argv = ["gapcli", "log-progress", "rag", "-M", "5", "--date", day, "--note", note]
        code = main()
        sys.stdout.flush()
        os._exit(code)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if delay is not None and time.monotonic() - start >= delay:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.0002)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        out["killed"].append(note)
    elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        out["acked"].append(note)
        runs.append(time.monotonic() - start)
    else:
        out["failed"].append([note, status])
print(json.dumps(out))
"""


@pytest.mark.slow
def test_kill_9_during_writes_leaves_whole_logs(demo, tmp_path):  # type: ignore[no-untyped-def]
    """200 kill -9 at random instants while ``gapcli log-progress`` processes log.

    Real ``python -m gapcli`` processes run two at a time; a third of them die at
    any instant of their life, the others late in it, where the database work is.
    Meanwhile a warm killer (see above) kills forked runs mid-command. Every log
    has a unique note, so each stored row is traced to the command that wrote it.
    """
    rng = random.Random(20260105)
    day = TODAY.isoformat()
    scratch = str(tmp_path / "warm.db")
    warm = subprocess.Popen(
        [sys.executable, "-c", _WARM_KILLER, str(WARM_KILLS), "7", scratch, day],
        env={**os.environ, "GAPCLI_DB": str(demo)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked: set[str] = set()
    killed: set[str] = set()
    failures: list[tuple[str, int | None, bytes]] = []
    lives: list[float] = []  # how long a whole run takes here
    running: list[tuple[str, subprocess.Popen[bytes], float, float | None]] = []
    launched = 0
    while len(killed) < COLD_KILLS or running:
        while len(running) < COLD_SLOTS and len(killed) + len(running) < COLD_KILLS:
            note, launched = f"c{launched}", launched + 1
            assert launched < 4 * COLD_KILLS
            deadline = None  # the first runs finish: they measure a whole run
            if len(lives) >= COLD_SLOTS:
                life = sorted(lives)[len(lives) // 2]
                late = rng.random() < 2 / 3
                deadline = life * (rng.uniform(0.8, 1.05) if late else rng.uniform(0.0, 1.1))
            p = _gapcli(demo, "log-progress", "rag", "-M", "5", "--date", day, "--note", note)
            running.append((note, p, time.monotonic(), deadline))
        time.sleep(0.002)
        for item in list(running):
            note, p, started, deadline = item
            if p.poll() is None:
                if deadline is None or time.monotonic() - started < deadline:
                    continue
                p.send_signal(signal.SIGKILL)
            _, err = p.communicate()
            running.remove(item)
            if p.returncode == 0:
                acked.add(note)
                lives.append(time.monotonic() - started)
            elif p.returncode == -signal.SIGKILL:
                killed.add(note)
            else:
                failures.append((note, p.returncode, err))
    out, err = warm.communicate(timeout=300)
    assert warm.returncode == 0, err
    report = json.loads(out.splitlines()[-1])
    assert failures == []
    assert report["failed"] == [], err
    acked |= set(report["acked"])
    killed |= set(report["killed"])
    assert len(killed) >= COLD_KILLS + WARM_KILLS == 200

    stored = _stored_logs(demo, day)
    assert len(stored) == len(set(stored))
    # Every acknowledged log is there; a killed one may or may not be; nothing else is.
    assert acked <= set(stored) <= acked | killed
    assert len(acked) <= len(stored) <= len(acked) + len(killed)
    check = subprocess.run(
        [sys.executable, "-m", "gapcli", "db", "check"],
        env={**os.environ, "GAPCLI_DB": str(demo)},
        capture_output=True,
    )
    assert check.returncode == 0, check.stderr


def test_a_note_with_bytes_that_are_not_utf8_is_kept_readable(cli, demo):  # type: ignore[no-untyped-def]
    """A shell hands bytes that are not UTF-8 to Python as lone surrogates (found by the
    valid-input fuzz: SQLite refused them with an unexpected error)."""
    result = cli("log-progress", "rag", "--minutes", "20", "--note", "ok \udcff")
    assert result.exit_code == 0, result.stderr
    notes = [s["note"] for s in json.loads(cli("history", "--json").stdout)["sessions"]]
    assert notes[-1] == "ok \ufffd"
