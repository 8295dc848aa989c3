"""Bugs a new user found (issue 12, section 5), each pinned by the test that caught it.

1. A reader that goes away (``gapcli plan | head -1``) is success: exit 0, quiet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY

PIPE_BYTES = 2**16  # Linux's default pipe buffer: more output than this blocks the writer
READER_BYTES = 2**13  # what the reader's readline() takes off the pipe at most


def _env(db: Path) -> dict[str, str]:
    env = {**os.environ, "GAPCLI_DB": str(db), "GAPCLI_TODAY": TODAY.isoformat()}
    env.update(NO_COLOR="1", COLUMNS="200")
    env.pop("GAPCLI_CATALOG", None)
    return env


def _gapcli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gapcli", "--db", str(db), *args]


@pytest.fixture(scope="module")
def long_record(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo learner aiming at 100 % everywhere, with 3,000 days of sessions.

    Its plan, history and exports are each several times larger than a pipe.
    """
    base = tmp_path_factory.mktemp("long")
    exported = subprocess.run(
        _gapcli(demo_template, "export", "-f", "json"),
        capture_output=True,
        env=_env(demo_template),
        check=True,
    )
    doc = json.loads(exported.stdout)
    for assessment in doc["records"]["assessments"]:
        assessment["target"] = 100
    doc["records"]["sessions"] = [
        {
            "id": i + 1,
            "date": (TODAY - timedelta(days=i)).isoformat(),
            "minutes": 45,
            "domain": "rag",
            "topic": None,
            "note": f"session {i}",
            "logged_at": f"{TODAY.isoformat()}T05:00:00Z",
        }
        for i in range(3000)
    ]
    source = base / "long.json"
    source.write_text(json.dumps(doc))
    db = base / "long.db"
    subprocess.run(_gapcli(db, "import", str(source)), env=_env(db), check=True)
    return db


def _reader_leaves(db: Path, args: tuple[str, ...], *, lines: int) -> tuple[int, bytes]:
    """Run gapcli with stdout on a pipe whose reader takes ``lines`` lines, then closes it.

    With ``lines=0`` the reader is gone before gapcli has even started, so every write
    meets a broken pipe; with one line on an output larger than the pipe, gapcli is
    blocked in a write when the reader goes, as under ``| head -1``. Returns gapcli's
    own exit code (not the reader's) and its stderr.
    """
    proc = subprocess.Popen(
        _gapcli(db, *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(db),
    )
    assert proc.stdout is not None and proc.stderr is not None
    for _ in range(lines):
        proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=120), stderr


SMALL_OUTPUTS = [
    ("gaps",),
    ("gaps", "--all"),
    ("gaps", "--json"),
    ("plan",),
    ("plan", "--weeks", "1"),
    ("plan", "--json"),
    ("history",),
    ("assess",),  # without a terminal: the gap report
    ("catalog", "list"),
    ("catalog", "show", "rag"),
    ("export",),
    ("db", "path"),
    ("--version",),
    ("--help",),
    ("plan", "--help"),
]


@pytest.mark.parametrize("args", SMALL_OUTPUTS, ids=" ".join)
def test_a_reader_gone_before_the_first_line_is_success(
    demo_template: Path, args: tuple[str, ...]
) -> None:
    """rich's broken-pipe handler exited 1 (gaps, plan, history, catalog); click's too
    (--help, --version): a ``set -o pipefail`` script failed for having read enough."""
    code, stderr = _reader_leaves(demo_template, args, lines=0)
    assert (code, stderr) == (0, b"")


LARGE_OUTPUTS = [
    ("plan", "--weekly-hours", "0.5"),
    ("plan", "--weekly-hours", "0.5", "--json"),
    ("history", "--json"),
    ("export", "-f", "json"),
    ("export", "-f", "csv"),
]


@pytest.mark.parametrize("args", LARGE_OUTPUTS, ids=" ".join)
def test_a_reader_gone_after_one_line_of_a_full_pipe_is_success(
    long_record: Path, args: tuple[str, ...]
) -> None:
    whole = subprocess.run(
        _gapcli(long_record, *args), capture_output=True, env=_env(long_record), check=True
    )
    # More than the pipe and the reader's buffer hold: gapcli is blocked in a write.
    assert len(whole.stdout) > PIPE_BYTES + READER_BYTES
    code, stderr = _reader_leaves(long_record, args, lines=1)
    assert (code, stderr) == (0, b"")


@pytest.mark.parametrize("command", ["gaps", "history", "plan"])
def test_head_under_pipefail(long_record: Path, command: str) -> None:
    """The issue's own words: ``set -o pipefail; gapcli gaps | head -1`` must succeed."""
    gapcli = " ".join(_gapcli(long_record))
    script = f"set -o pipefail; {gapcli} {command} | head -1 >/dev/null"
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, env=_env(long_record), check=False
    )
    assert (result.returncode, result.stderr) == (0, b"")


def test_a_write_command_whose_reader_left_kept_its_change(
    demo_template: Path, tmp_path: Path
) -> None:
    """Exit 0 tells the truth: the assessment was committed before anything was printed."""
    db = tmp_path / "copy.db"
    db.write_bytes(demo_template.read_bytes())
    code, stderr = _reader_leaves(db, ("assess", "rag", "--current", "85"), lines=0)
    assert (code, stderr) == (0, b"")
    shown: Any = subprocess.run(
        _gapcli(db, "gaps", "--json"), capture_output=True, env=_env(db), check=True
    )
    rows = {row["id"]: row for row in json.loads(shown.stdout)["domains"]}
    assert rows["rag"]["current"] == 85
