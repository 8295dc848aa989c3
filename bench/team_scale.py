"""The team view at scale: a store of 5,000 learners x 200 sessions, and ``team gaps`` on it.

Issue 19 asks that ``team gaps`` answer "in a few seconds" for a team of 5,000
learners with 200 sessions each, the store built through the public import (as
a team lead builds one from members' JSON exports). This script:

1. builds the store, unless ``--store`` names one it built before (its size is
   in its name): for each learner a seeded JSON export (a track of the built-in
   catalog, each track domain assessed once or twice over the year, 200 sessions
   of 20-120 minutes on the track's topics over the last 365 days, a note on one
   in five, a few done marks), written to a temporary file and imported with the
   public import (:func:`gapcli.services.importing.import_export`, what ``gapcli
   import FILE --profile NAME`` runs), one learner after another in this process
   (a process per learner would add its start-up 5,000 times, not the import's
   cost);
2. times ``gapcli --db STORE team gaps`` (and ``--json``) as whole processes, the
   venv's entry point, output to /dev/null: the median of ``--runs`` runs, after one
   warm-up run that also checks the exit code. Peak memory is the largest child's.

``python bench/team_scale.py --members 20 --sessions 10`` is the tiny version the
test suite runs (tests/test_team_scale.py). ``make bench`` runs the full size with
the store kept in ``bench/.cache/`` (built once: about 20 minutes here; reused
until the schema's newest migration changes, which is in the file's name).
Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SEED = 20261130
DAYS = 365
SESSIONS_DEFAULT = 200


def newest_revision() -> str:
    """The schema's newest migration (a kept store is rebuilt when it changes)."""
    return sorted(p.name.split("_")[0] for p in (REPO / "migrations" / "versions").glob("0*.py"))[
        -1
    ]


def member_doc(rng: random.Random, name: str, today: date, count: int) -> dict[str, Any]:
    """One learner's JSON export (the shape ``gapcli export -f json`` writes), seeded."""
    from gapcli.services.catalogs import load_builtin_catalog

    loaded = load_builtin_catalog()
    catalog = loaded.catalog
    track = rng.choice(catalog.tracks)
    domains = [catalog.domain_by_id[d] for d in track.domains]
    first = today - timedelta(days=DAYS)
    created = datetime.combine(first, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)

    def moment(day: date, minute: int) -> str:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=18, minutes=minute
        )
        return at.isoformat().replace("+00:00", "Z")

    assessments = []
    for d in domains:
        current = rng.randrange(0, 80, 5)
        target = rng.randrange(60, 105, 5)
        for _ in range(rng.choice((1, 2))):
            day = first + timedelta(days=rng.randrange(1, DAYS))
            assessments.append(
                {"at": moment(day, 0), "domain": d.id, "current": current, "target": target}
            )
            current = min(100, current + rng.randrange(0, 25, 5))
    assessments.sort(key=lambda a: str(a["at"]))
    topics = [(d.id, t.id) for d in domains for t in d.topics[:6]]
    sessions = []
    for n in range(1, count + 1):
        day = first + timedelta(days=rng.randrange(1, DAYS))
        domain, topic = rng.choice(topics)
        sessions.append(
            {
                "id": n,
                "date": day.isoformat(),
                "minutes": rng.randrange(20, 121, 5),
                "domain": domain,
                "topic": topic,
                "note": f"session {n}" if rng.random() < 0.2 else None,
                "logged_at": moment(day, 30),
            }
        )
    done = rng.sample(topics, k=min(3, len(topics)))
    marks = [{"at": moment(today, 1), "topic": t, "done": True} for _, t in done]
    return {
        "schema": 1,
        "profile": {
            "name": name,
            "track": track.id,
            "weekly_hours": 6.0,
            "study_days": ["mon", "wed", "sat"],
            "study_time": "19:00",
            "start_date": first.isoformat(),
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "catalog": {"id": catalog.id, "source": "builtin", "sha256": loaded.sha256},
        },
        "records": {
            "assessments": assessments,
            "math_levels": [],
            "topic_marks": marks,
            "sessions": sessions,
            "away": [],
            "notes": [],
            "papers_read": [],
            "reviews": [],
        },
    }


def build(store: Path, members: int, sessions: int) -> dict[str, Any]:
    """Import ``members`` generated exports into ``store`` (which must not exist)."""
    from gapcli import clock
    from gapcli.services.importing import import_export
    from gapcli.services.workspace import Workspace

    rng = random.Random(SEED)
    today = clock.today()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gapcli-team-") as tmp:
        for n in range(members):
            name = f"learner-{n:05d}"
            file = Path(tmp) / f"{name}.json"
            file.write_text(json.dumps(member_doc(rng, name, today, sessions)), encoding="utf-8")
            ws = Workspace(db_option=store, profile_option=name)
            import_export(ws, file, clock.now())
            ws.database().dispose()  # each import's engine closed: no handles pile up
            file.unlink()
            if (n + 1) % 500 == 0:
                print(
                    f"  imported {n + 1} of {members} in {time.perf_counter() - began:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    return {"build_s": round(time.perf_counter() - began, 1)}


def child_env(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAPCLI_")}
    env |= {"NO_COLOR": "1", "COLUMNS": "120", "GAPCLI_DB": str(store)}
    for keep in ("GAPCLI_TODAY", "GAPCLI_CACHE_DIR"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def time_command(gapcli: Path, store: Path, args: list[str], runs: int) -> dict[str, Any]:
    """Median wall time of ``gapcli --db STORE ARGS`` over ``runs`` runs (one warm-up)."""
    command = [str(gapcli), "--db", str(store), *args]
    env = child_env(store)
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if first.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {first.stderr.strip()}")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - t0)
    return {
        "command": "gapcli " + " ".join(args),
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "max_s": round(max(times), 2),
        "runs": runs,
        "output": first.stdout,
    }


def store_figures(store: Path) -> dict[str, int]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as conn:
        profiles = conn.execute("SELECT count(*) FROM profile").fetchone()[0]
        sessions = conn.execute("SELECT count(*) FROM study_session").fetchone()[0]
    return {"profiles": profiles, "sessions": sessions, "mib": store.stat().st_size // 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--sessions", type=int, default=SESSIONS_DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--venv", type=Path, default=REPO / ".venv")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="a folder to keep the built store in and reuse it (default: a temporary one)",
    )
    args = parser.parse_args()
    gapcli = args.venv.absolute() / "bin" / "gapcli"
    name = f"team-{args.members}x{args.sessions}-{newest_revision()}.db"
    with tempfile.TemporaryDirectory(prefix="gapcli-team-") as tmp:
        folder = args.store or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        store = folder / name
        built: dict[str, Any] = {"build_s": None, "reused": True}
        if not store.exists():
            partial = folder / f".{name}.partial"
            for leftover in folder.glob(f".{name}.partial*"):
                leftover.unlink()
            built = build(partial, args.members, args.sessions) | {"reused": False}
            partial.rename(store)
        figures = store_figures(store)
        timed = [time_command(gapcli, store, a, args.runs) for a in (["team", "gaps"],)]
        timed.append(time_command(gapcli, store, ["team", "gaps", "--json"], args.runs))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    gaps = json.loads(timed[1].pop("output"))
    timed[0].pop("output")
    result = {
        "members": args.members,
        "sessions_each": args.sessions,
        "store": figures,
        **built,
        "timings": timed,
        "peak_mib": round(peak, 1),
        "team_members_seen": gaps["members"],
        "team_total_hours": gaps["total_hours"],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
