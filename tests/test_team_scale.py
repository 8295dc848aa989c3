"""bench/team_scale.py at a tiny size (20 learners x 10 sessions): the script keeps working.

The full size (5,000 x 200) runs in ``make bench``; here the same build through the
public import and the same timed ``team gaps`` must succeed and agree with the store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "team_scale.py"


def test_the_scale_bench_builds_and_times_a_tiny_team(tmp_path: Path) -> None:
    venv = Path(sys.executable).parent.parent
    command = [sys.executable, str(BENCH), "--members", "20", "--sessions", "10", "--runs", "1"]
    result = subprocess.run(
        [*command, "--venv", str(venv), "--store", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["store"]["profiles"] == 20 and data["store"]["sessions"] == 200
    assert data["team_members_seen"] == 20 and data["team_total_hours"] > 0
    commands = [t["command"] for t in data["timings"]]
    assert commands == ["gapcli team gaps", "gapcli team gaps --json"]
    assert data["reused"] is False
    again = subprocess.run(
        [*command, "--venv", str(venv), "--store", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["reused"] is True
