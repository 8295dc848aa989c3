"""Concurrent commands never lose each other's values, and ids are never reused.

Two commands that each set part of a record must both count: what a command
leaves unchanged is read under the write lock, never from an earlier snapshot.
The interactive walk, which can take minutes, stores only what the learner
changed, and refuses when that changed meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import dump, rows, wait_for

from gapcli.services import assess as svc
from gapcli.services.state import snapshot
from gapcli.services.workspace import Workspace

KEEP_THE_REST = "\n" * 16  # Enter for current and target of the other 8 demo domains


def latest(db: Path, domain_id: str) -> tuple[int, int]:
    found = rows(
        db,
        "SELECT current, target FROM assessment "
        f"WHERE domain_id = '{domain_id}' ORDER BY at DESC, id DESC LIMIT 1",
    )
    return found[0]


def gapcli(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gapcli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        **kwargs,
    )


# --- item 3: partial assessments ------------------------------------------------------


def test_partial_assess_keeps_a_value_saved_after_its_snapshot(cli: Any, demo: Path) -> None:
    """``assess rag --current 10`` read rag before another command set its target."""
    ws = Workspace(db_option=demo)
    answer = svc.plan_domain_change(snapshot(ws), "rag", "10", None)
    other = cli("assess", "rag", "--target", "99")  # commits while the first one waits
    assert other.exit_code == 0, other.stderr
    svc.save(ws, [answer])
    assert latest(demo, "rag") == (10, 99)


@pytest.mark.slow
def test_two_partial_assess_processes_both_count(demo: Path) -> None:
    """Both processes read their snapshot while a lock holds them, then write in turn."""
    with closing(sqlite3.connect(demo, isolation_level=None)) as lock:
        lock.execute("BEGIN IMMEDIATE")
        first = gapcli("assess", "rag", "--current", "10")
        second = gapcli("assess", "rag", "--target", "99")
        time.sleep(3)  # both start and read; the busy timeout (5 s) outlasts the wait
        lock.execute("ROLLBACK")
        results = [p.communicate(timeout=60) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert latest(demo, "rag") == (10, 99)


def walk_while(cli: Any, other: list[str], answers: str) -> tuple[int, str, str]:
    """Run the interactive walk; ``other`` runs once the walk has shown its first question."""
    proc = gapcli("assess", "-i", stdin=subprocess.PIPE)
    try:
        shown = wait_for(proc.stderr, b"current % [")
        assert b"current % [" in shown, shown
        result = cli(*other)
        assert result.exit_code == 0, result.stderr
        out, err = proc.communicate(answers.encode(), timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out.decode(), (shown + err).decode()


@pytest.mark.slow
def test_walk_refuses_to_overwrite_a_domain_changed_meanwhile(cli: Any, demo: Path) -> None:
    before_other = dump(demo)
    code, out, err = walk_while(
        cli, ["assess", "llm-concepts", "--current", "10"], "50\n60\n" + KEEP_THE_REST + "\n"
    )
    assert code == 1, err
    assert "gapcli: error: changed by another command while you answered: llm-concepts" in err
    assert "nothing was saved" in err
    assert latest(demo, "llm-concepts") == (10, 90)
    assert dump(demo) != before_other  # the other command's value, and only it, was stored
    assert out == ""


@pytest.mark.slow
def test_walk_stores_only_what_the_learner_changed(cli: Any, demo: Path) -> None:
    code, out, err = walk_while(
        cli, ["assess", "rag", "--target", "99"], "50\n60\n" + KEEP_THE_REST + "\n"
    )
    assert code == 0, err
    assert out == "Saved 1 assessment\n"
    assert latest(demo, "llm-concepts") == (50, 60)
    assert latest(demo, "rag") == (80, 99)  # shown as 80/90 and kept: the newer value stays


# --- item 12: session ids -------------------------------------------------------------


def test_a_session_id_is_never_handed_out_again_after_undo(cli: Any, demo: Path) -> None:
    ids: list[int] = []
    for i in range(6):
        result = cli("log-progress", "la-visual", "--minutes", str(10 + i))
        assert result.exit_code == 0, result.stderr
        ids.append(rows(demo, "SELECT max(id) FROM study_session")[0][0])
        if i % 2 == 0:
            undone = cli("undo", "--yes")
            assert undone.exit_code == 0, undone.stderr
    assert len(set(ids)) == len(ids), ids  # every acknowledged log got its own id
    edit = cli("history", "edit", str(ids[0]), "--minutes", "5")  # typed from earlier output
    assert edit.exit_code == 1
    assert f"no study session with id {ids[0]}" in edit.stderr
    assert rows(demo, f"SELECT minutes FROM study_session WHERE id = {ids[1]}") == [(11,)]
