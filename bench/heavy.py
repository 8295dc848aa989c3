"""Build the benchmark's heavy profile: two years of a busy learner on the built-in catalog.

``build(path)`` creates the profile with the public CLI (``gapcli init --demo
--track ai-researcher``, the venv's entry point, ``GAPCLI_DB=path``) and then
adds, in one write transaction through :mod:`gapcli.store.database` and the
SQLModel tables (the rows the services write, each with its ``change`` row):

- about 1,000 study sessions on random days over the last two years (730
  days, so some days have two or three sessions and some none), 20 to 120
  minutes each; two in three on a topic of a track domain (mostly the first
  topics in teaching order, studied again and again, as people do), the rest
  on a whole domain; a third carry a note;
- a done mark for a topic once its logged time passes its hours (plus a few
  marks taken back and set again), about 60 marks;
- 200 self-assessments spread over the two years, each domain's current %
  rising slowly toward a target of 80 to 100, so gaps remain open and the plan
  has work in it;
- a math level raised three times.

The data is seeded (the same every run) and dated relative to today, so
``log-progress`` (which refuses future days) and ``history`` see a live learner.
Run ``.venv/bin/python bench/heavy.py PATH`` to build one for ``-X importtime`` or cProfile.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

DAYS = 730
SESSIONS = 1_000
ASSESSMENTS = 200
TRACK = "ai-researcher"
SEED = 20260105


def stamp(day: date, hour: int = 19, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def build(path: Path, *, venv: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Create the heavy profile at ``path`` (which must not exist); return what was added."""
    from gapcli.services.catalogs import load_catalog
    from gapcli.store.database import open_database
    from gapcli.store.tables import (
        Assessment,
        Change,
        MathAssessment,
        StudySession,
        TopicProgress,
    )

    child_env = dict(env if env is not None else os.environ)
    child_env["GAPCLI_DB"] = str(path)
    child_env.pop("GAPCLI_CATALOG", None)
    subprocess.run(
        [str(venv / "bin" / "gapcli"), "init", "--demo", "--track", TRACK],
        env=child_env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    catalog = load_catalog().catalog
    rng = random.Random(SEED)
    today = date.today()
    first = today - timedelta(days=DAYS)
    track = catalog.track(TRACK)
    domains = [catalog.domain_by_id[d] for d in track.domains]
    # The topics people come back to: the first few of each domain, in teaching order.
    studied = [t for d in domains for t in d.topics[: max(2, len(d.topics) // 3)]]
    days = sorted(first + timedelta(days=rng.randrange(DAYS)) for _ in range(SESSIONS))

    counts: dict[str, Any] = {"track": TRACK, "days": DAYS, "sessions": 0, "marks": 0}
    counts |= {"assessments": 0, "math": 0, "changes": 0}
    db = open_database(path)
    try:
        with db.write() as session:

            def change(at: datetime, kind: str, summary: str) -> int:
                row = Change(at=at, kind=kind, summary=summary)
                session.add(row)
                session.flush()
                counts["changes"] += 1
                assert row.id is not None
                return row.id

            logged: dict[str, int] = {}
            done: set[str] = set()
            for i, day in enumerate(days):
                minutes = rng.choice((20, 25, 30, 45, 45, 60, 60, 90, 120))
                at = stamp(day, 18 + i % 4, rng.randrange(60))
                if rng.random() < 2 / 3:
                    topic = rng.choice(studied)
                    domain_id = catalog.domain_of_topic[topic.id]
                    topic_id: str | None = topic.id
                else:
                    domain_id = rng.choice(domains).id
                    topic_id = None
                what = topic_id or domain_id
                cid = change(at, "log", f"logged {minutes} min on {what} ({day:%Y-%m-%d})")
                session.add(
                    StudySession(
                        day=day,
                        minutes=minutes,
                        domain_id=domain_id,
                        topic_id=topic_id,
                        note=f"session {i}: chapter {rng.randrange(1, 12)}"
                        if rng.random() < 1 / 3
                        else None,
                        logged_at=at,
                        change_id=cid,
                    )
                )
                counts["sessions"] += 1
                if topic_id is None:
                    continue
                logged[topic_id] = logged.get(topic_id, 0) + minutes
                hours = catalog.topic_by_id[topic_id].hours
                if topic_id not in done and logged[topic_id] >= hours * 60:
                    marks = [True] if rng.random() < 0.9 else [True, False, True]
                    for value in marks:
                        cid = change(at, "log", f"marked {topic_id} done")
                        session.add(
                            TopicProgress(at=at, topic_id=topic_id, done=value, change_id=cid)
                        )
                        counts["marks"] += 1
                    done.add(topic_id)

            # Assessments: each domain climbs from a low start toward its target.
            level: dict[str, int] = {d.id: rng.randrange(0, 30, 5) for d in domains}
            target = {d.id: rng.choice((80, 85, 90, 100)) for d in domains}
            for i in range(ASSESSMENTS):
                day = first + timedelta(days=i * DAYS // ASSESSMENTS)
                domain_id = rng.choice(domains).id
                level[domain_id] = min(target[domain_id] - 10, level[domain_id] + 3)
                at = stamp(day, 21)
                cid = change(at, "assess", f"assessed {domain_id}")
                session.add(
                    Assessment(
                        at=at,
                        domain_id=domain_id,
                        current=level[domain_id],
                        target=target[domain_id],
                        change_id=cid,
                    )
                )
                counts["assessments"] += 1

            levels = [m.id for m in catalog.math_levels][1:4]
            for i, math in enumerate(levels):
                at = stamp(first + timedelta(days=(i + 1) * DAYS // 4), 21, 30)
                cid = change(at, "assess", f"assessed math level {math}")
                session.add(MathAssessment(at=at, level=math, change_id=cid))
                counts["math"] += 1
    finally:
        db.dispose()
    return counts


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: .venv/bin/python bench/heavy.py PATH  (PATH must not exist)")
    # The venv of the python running this (not resolved: its python is a symlink out of it).
    venv = Path(sys.executable).absolute().parent.parent
    print(json.dumps(build(Path(sys.argv[1]), venv=venv)))
