"""Optional peers for ``bench/run.py``: Watson and jrnl on data comparable to the heavy profile.

Neither is a dependency of gapcli, and neither is in the lock: they are timed only
when their executables are found, in ``--peers-venv``'s ``bin`` or on ``PATH``.
To try them, in a throwaway venv outside the checkout::

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install td-watson jrnl
    make bench BENCH_ARGS="--peers-venv /tmp/peers"

Each peer gets its own data in the benchmark's temporary folder, seeded and dated
relative to today like ``bench/heavy.py``'s profile: 1,000 records over two years,
20 to 120 minutes each, a third with a note (Watson: frames with a project and tags,
``watson report -a``; jrnl: journal entries with a title, a body and a tag,
``jrnl -n 10``). Their configuration points at that folder alone (``WATSON_DIR``;
``HOME`` and the XDG folders for jrnl), so the user's own data is never read or written.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

RECORDS = 1_000
DAYS = 730
SEED = 20260105
PROJECTS = [
    "linear-algebra",
    "probability",
    "transformers",
    "rag",
    "fine-tuning",
    "evaluation",
    "optimization",
    "nlp",
    "vision",
    "papers",
]
TAGS = ["reading", "video", "exercises", "project", "review"]


@dataclass(frozen=True)
class Peer:
    """One peer command, ready to spawn: an absolute argv and its environment."""

    name: str
    argv: list[str]
    env: dict[str, str]


def find(exe: str, venv: Path | None) -> str | None:
    """The executable in ``venv``'s bin if given (and there), else on PATH."""
    if venv is not None:
        candidate = venv.absolute() / "bin" / exe
        if candidate.exists():
            return str(candidate)
    return shutil.which(exe)


def _sessions(rng: random.Random) -> list[tuple[datetime, int]]:
    """RECORDS (start, minutes) over the last DAYS days, oldest first."""
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [
        today - timedelta(days=rng.randrange(1, DAYS + 1), minutes=-rng.randrange(7 * 60, 22 * 60))
        for _ in range(RECORDS)
    ]
    return [(start, rng.randrange(20, 121)) for start in sorted(starts)]


def watson(folder: Path, base_env: dict[str, str], venv: Path | None) -> Peer | None:
    """``watson report -a`` on 1,000 frames (Watson's own file format), or None."""
    exe = find("watson", venv)
    if exe is None:
        return None
    rng = random.Random(SEED)
    folder.mkdir(parents=True)
    frames = []
    for start, minutes in _sessions(rng):
        begin = int(start.timestamp())
        end = begin + minutes * 60
        tags = rng.sample(TAGS, rng.randrange(0, 3))
        frames.append(
            [begin, end, rng.choice(PROJECTS), uuid.UUID(int=rng.getrandbits(128)).hex, tags, end]
        )
    (folder / "frames").write_text(json.dumps(frames))
    (folder / "state").write_text("{}")
    env = {**base_env, "WATSON_DIR": str(folder), "HOME": str(folder)}
    return Peer("peer: watson report -a", [exe, "report", "-a"], env)


def jrnl(folder: Path, base_env: dict[str, str], venv: Path | None) -> Peer | None:
    """``jrnl -n 10`` on a 1,000-entry plain-text journal, or None."""
    exe = find("jrnl", venv)
    if exe is None:
        return None
    rng = random.Random(SEED)
    config_dir = folder / "config" / "jrnl"
    config_dir.mkdir(parents=True)
    (folder / "data").mkdir()
    journal = folder / "journal.txt"
    entries = []
    for start, minutes in _sessions(rng):
        project = rng.choice(PROJECTS)
        body = f" Notes from the session on {project}." if rng.random() < 1 / 3 else ""
        entries.append(
            f"[{start:%Y-%m-%d %H:%M}] Studied {project} for {minutes} minutes @{project}.{body}\n"
        )
    journal.write_text("\n".join(entries))
    # YAML by hand (a JSON file would be taken for jrnl 1's config and "upgraded").
    config = "\n".join(
        [
            f"version: {json.dumps(_jrnl_version(exe))}",
            "journals:",
            "  default:",
            f"    journal: {json.dumps(str(journal))}",
            "editor: ''",
            "encrypt: false",
            "template: false",
            "default_hour: 9",
            "default_minute: 0",
            "timeformat: '%Y-%m-%d %H:%M'",
            "tagsymbols: '@'",
            "highlight: false",
            "linewrap: 79",
            "indent_character: '|'",
            "colors: {body: none, date: none, tags: none, title: none}",
            "",
        ]
    )
    (config_dir / "jrnl.yaml").write_text(config)
    env = {
        **base_env,
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    return Peer("peer: jrnl -n 10", [exe, "-n", "10"], env)


def _jrnl_version(exe: str) -> str:
    """The version jrnl expects in its config ('4.6' for "jrnl v4.6"; another one is rewritten)."""
    import subprocess

    done = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    words = done.stdout.split()
    return words[1].removeprefix("v") if len(words) > 1 and done.returncode == 0 else "4.6"


def build(folder: Path, base_env: dict[str, str], venv: Path | None) -> list[Peer]:
    """The peers found, each with its data under ``folder``."""
    found = [
        watson(folder / "watson", base_env, venv),
        jrnl(folder / "jrnl", base_env, venv),
    ]
    return [p for p in found if p is not None]


if __name__ == "__main__":  # a quick look: python bench/peers.py [VENV]
    import subprocess
    import sys
    import tempfile

    given = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        for peer in build(Path(tmp), dict(os.environ), given):
            out = subprocess.run(peer.argv, env=peer.env, capture_output=True, text=True)
            print(f"{peer.name}: exit {out.returncode}, {len(out.stdout.splitlines())} lines")
            print("\n".join(out.stdout.splitlines()[:8]), out.stderr[-500:])
